//! `encdec demo`, `train`, `translate`, `summarize`, `chat`, `heatmap` and `bench`.

use super::CliResult;
use encdec::data::FOX_EN;
use encdec::plot::{attention_heads, attention_heatmap, line_chart};
use encdec::seq2seq::bench::{bench_config, median, time_steps};
use encdec::seq2seq::pipeline::{TaskData, default_model, default_training, scores, task_data};
use encdec::seq2seq::{
    ChatReply, ChatSession, Checkpoint, History, ModelKind, Task, Translation, build, fit,
    load_vectors,
};
use encdec::tensor::rng;
use encdec::wordvec::WordVectors;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Options of `encdec train`.
pub struct TrainArgs {
    /// Which application.
    pub task: Task,
    /// Which model.
    pub kind: ModelKind,
    /// Epochs.
    pub epochs: usize,
    /// Batch size.
    pub batch_size: usize,
    /// Seed.
    pub seed: u64,
    /// Corpus size.
    pub pairs: usize,
    /// Checkpoint to write.
    pub out: PathBuf,
    /// Optional loss and accuracy plot.
    pub curves: Option<PathBuf>,
    /// Pre-trained English word vectors.
    pub src_vectors: Option<PathBuf>,
    /// Keep them fixed.
    pub freeze_vectors: bool,
}

/// Trains a model of `kind` on the built-in corpus; prints progress and test BLEU.
fn train_on_corpus(
    task: Task,
    kind: ModelKind,
    epochs: usize,
    batch_size: usize,
    seed: u64,
    pairs: usize,
    vectors: Option<(&Path, bool)>,
) -> Result<(Checkpoint, History, TaskData), Box<dyn std::error::Error>> {
    let data = task_data(task, pairs, seed);
    println!(
        "{task} corpus: {} training, {} validation, {} test pairs; vocabularies: {} source, {} target words",
        data.train.len(),
        data.valid.len(),
        data.test.len(),
        data.src_vocab.len(),
        data.tgt_vocab.len()
    );
    let config = default_model(kind, data.src_vocab.len(), data.tgt_vocab.len());
    let mut model = build(&config, &mut rng(seed)).expect("the default configs are valid");
    if let Some((path, freeze)) = vectors {
        let v = WordVectors::load(path)?;
        let copied = load_vectors(model.embeddings_mut().0, &data.src_vocab, &v, !freeze)?;
        let how = if freeze { "frozen" } else { "fine-tuned" };
        println!(
            "English embeddings: {copied} of {} words start from {} ({how})",
            data.src_vocab.len(),
            path.display()
        );
    }
    let n_params: usize = model.params().iter().map(|p| p.value.numel()).sum();
    println!("model: {kind}, {n_params} parameters");
    let mut train = default_training(kind, epochs, batch_size, seed);
    train.verbose = true;
    let history = fit(model.as_mut(), &data.train, &data.valid, &train);
    let s = scores(model.as_ref(), &data.tgt_vocab, &data.test);
    let n = data.test.len();
    match task {
        Task::Translation => println!("test BLEU-4 (greedy, {n} sentences): {:.4}", s.bleu),
        Task::Summarization => println!(
            "test ROUGE-1 {:.4}  ROUGE-2 {:.4}  ROUGE-L {:.4}  BLEU-4 {:.4}  exact headlines {:.4} (greedy, {n} documents)",
            s.rouge[0], s.rouge[1], s.rouge[2], s.bleu, s.exact
        ),
        Task::Dialogue => println!(
            "test reply accuracy {:.4}  BLEU-4 {:.4} (greedy, {n} dialogues)",
            s.exact, s.bleu
        ),
    }
    let checkpoint = Checkpoint {
        model,
        src_vocab: data.src_vocab.clone(),
        tgt_vocab: data.tgt_vocab.clone(),
        task,
    };
    Ok((checkpoint, history, data))
}

/// Plots a translation's attention: one heatmap, or the heads of one Transformer layer.
fn plot_attention(t: &Translation, out: &Path, layer: Option<usize>, kind: ModelKind) -> CliResult {
    if t.attention.is_empty() {
        return Err(format!(
            "the {kind} model has no attention to plot; train an attention or transformer model"
        )
        .into());
    }
    let last = t.attention.len() - 1;
    let layer = layer.unwrap_or(last);
    let weights = t.attention.get(layer).ok_or_else(|| {
        format!("--layer {layer} does not exist: the model has decoder layers 0 to {last}")
    })?;
    let model = match kind {
        ModelKind::Transformer => "Transformer cross-attention",
        _ => "LSTM attention",
    };
    let title = format!("{model}: {}", t.text);
    if weights.shape()[0] == 1 {
        let (rows, cols) = (weights.shape()[1], weights.shape()[2]);
        attention_heatmap(
            out,
            &weights.reshape(&[rows, cols]),
            &t.src_tokens,
            &t.tgt_tokens,
            &title,
        )?;
    } else {
        attention_heads(
            out,
            weights,
            &t.src_tokens,
            &t.tgt_tokens,
            &format!("{title} (layer {layer})"),
        )?;
    }
    println!("wrote {}", out.display());
    Ok(())
}

/// `encdec demo`.
pub fn demo(epochs: usize, seed: u64, out: &Path, save: Option<&Path>) -> CliResult {
    let start = Instant::now();
    let (checkpoint, _, _) = train_on_corpus(
        Task::Translation,
        ModelKind::Attention,
        epochs,
        32,
        seed,
        6000,
        None,
    )?;
    let t = checkpoint.translate(FOX_EN, 1)?;
    println!("{FOX_EN}\n  -> {}", t.text);
    plot_attention(&t, out, None, ModelKind::Attention)?;
    if let Some(path) = save {
        checkpoint.save(path)?;
        println!("saved {}", path.display());
    }
    println!("demo finished in {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}

/// `encdec train`.
pub fn train(a: TrainArgs) -> CliResult {
    let vectors = a.src_vectors.as_deref().map(|p| (p, a.freeze_vectors));
    let (checkpoint, history, _) = train_on_corpus(
        a.task,
        a.kind,
        a.epochs,
        a.batch_size,
        a.seed,
        a.pairs,
        vectors,
    )?;
    checkpoint.save(&a.out)?;
    println!("saved {}", a.out.display());
    if let Some(path) = a.curves {
        let col = |f: fn(&encdec::seq2seq::EpochStats) -> f64| {
            history.epochs.iter().map(f).collect::<Vec<_>>()
        };
        let (tl, vl, ta, va) = (
            col(|e| e.train_loss),
            col(|e| e.valid_loss),
            col(|e| e.train_accuracy),
            col(|e| e.valid_accuracy),
        );
        let series: [(&str, &[f64]); 4] = [
            ("train loss", &tl),
            ("validation loss", &vl),
            ("train accuracy", &ta),
            ("validation accuracy", &va),
        ];
        line_chart(
            &path,
            &format!("{} training", a.kind),
            "loss / accuracy",
            &series,
        )?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// `encdec translate`.
pub fn translate(checkpoint: &Path, sentence: &str, beam: usize) -> CliResult {
    let c = Checkpoint::load(checkpoint)?;
    println!("{}", c.translate(sentence, beam)?.text);
    Ok(())
}

/// `encdec heatmap`.
pub fn heatmap(checkpoint: &Path, sentence: &str, out: &Path, layer: Option<usize>) -> CliResult {
    let c = Checkpoint::load(checkpoint)?;
    let t = c.translate(sentence, 1)?;
    println!("{}", t.text);
    plot_attention(&t, out, layer, c.model.config().kind)
}

/// `encdec bench`.
pub fn bench(steps: usize, seconds: f64) -> CliResult {
    if !(seconds.is_finite() && seconds >= 0.0) {
        return Err(format!("--seconds {seconds} must be a non-negative number").into());
    }
    println!("median milliseconds per training step (forward + backward + Adam), one thread, f64");
    for kind in [ModelKind::Lstm, ModelKind::Transformer] {
        let times = time_steps(kind, 5, steps, seconds);
        let c = bench_config(kind);
        println!(
            "encdec {} median_ms={:.3} steps={} (vocab {}, emb/d_model {}, hidden/ff {}, batch 32, length 12)",
            kind,
            median(&times),
            times.len(),
            c.src_vocab,
            c.emb,
            c.hidden
        );
    }
    Ok(())
}

/// Loads a checkpoint that must have been trained for `task`.
fn load_for(
    path: &Path,
    task: Task,
    command: &str,
) -> Result<Checkpoint, Box<dyn std::error::Error>> {
    let c = Checkpoint::load(path)?;
    if c.task != task {
        return Err(format!("{} holds a {} model; `encdec {command}` needs a {task} model (train one with --task {task})", path.display(), c.task).into());
    }
    Ok(c)
}

/// `encdec summarize`.
pub fn summarize(checkpoint: &Path, text: &str, beam: usize) -> CliResult {
    let c = load_for(checkpoint, Task::Summarization, "summarize")?;
    println!("{}", c.translate(text, beam)?.text);
    Ok(())
}

/// `encdec chat`: one reply per line of standard input, keeping the history;
/// `/reset` forgets it, `/quit` (or the end of input) ends the session.
pub fn chat(checkpoint: &Path) -> CliResult {
    use std::io::BufRead;
    let c = load_for(checkpoint, Task::Dialogue, "chat")?;
    let mut session = ChatSession::new();
    println!("chat with the dialogue model; /reset forgets the conversation, /quit ends it");
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        match line.trim() {
            "/quit" => break,
            "/reset" => {
                session.reset();
                println!("(conversation forgotten)");
            }
            _ => match session.respond(&c, &line) {
                ChatReply::Reply(r) => println!("bot: {r}"),
                ChatReply::Unknown(words) => {
                    println!("bot: (I do not know the words: {})", words.join(", "))
                }
                ChatReply::Nothing => {}
            },
        }
    }
    println!("bye");
    Ok(())
}
