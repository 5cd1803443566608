//! `encdec demo`, `train`, `translate`, `summarize`, `chat` and `bench`.

use super::sample::{DecodeFlags, decode_flagged};
use super::{CliResult, print_line, warn_line};
use encdec::checks::bench::{
    BATCH, Budget, VOCAB, bench_config, growth, growth_words, median, time_steps,
};
use encdec::corpora::FOX_EN;
use encdec::plot::{attention_heads, attention_heatmap};
use encdec::seq2seq::run::{DataSource, ModelOptions, OptimOptions, TextOptions, TrainOptions};
use encdec::seq2seq::{ChatReply, ChatSession, Checkpoint, DecodedText, ModelKind, Task};
use std::path::Path;
use std::time::Instant;

/// Prints one progress line of the library.
fn say(line: String) {
    print_line(&line);
}

/// Trains as `options` says; prints the library's progress and the test scores.
fn run(options: &TrainOptions) -> Result<Checkpoint, Box<dyn std::error::Error>> {
    let outcome = encdec::seq2seq::run::train(options, &mut say)?;
    let lines = match options.data {
        DataSource::BuiltIn { .. } => vec![outcome.test.token_line(options.task)],
        DataSource::Files { .. } => {
            let mut l = vec!["test scores (greedy decoding):".to_string()];
            l.extend(outcome.test.lines(options.task));
            l
        }
    };
    for l in lines {
        say(l);
    }
    Ok(outcome.checkpoint)
}

/// Plots a translation's attention: one heatmap, or the heads of one Transformer layer.
pub(super) fn plot_attention(
    t: &DecodedText,
    out: &Path,
    layer: Option<usize>,
    kind: ModelKind,
) -> CliResult {
    if t.attention.is_empty() {
        return Err(format!(
            "the {kind} model has no attention to plot; train an attention or transformer model"
        )
        .into());
    }
    let last = t.attention.len();
    let layer = layer.unwrap_or(last);
    let weights = (layer >= 1)
        .then(|| t.attention.get(layer - 1))
        .flatten()
        .ok_or_else(|| {
            format!("--layer {layer} does not exist: the model has decoder layers 1 to {last}")
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
            &format!("{title} (layer {layer} of {last})"),
        )?;
    }
    print_line(&format!("wrote {}", out.display()));
    Ok(())
}

/// `encdec demo`.
pub fn demo(epochs: usize, seed: u64, out: &Path, save: Option<&Path>) -> CliResult {
    let start = Instant::now();
    encdec::files::check_output("--out", out, &["png", "svg"])?;
    if let Some(path) = save {
        encdec::files::check_output("--checkpoint", path, &[])?;
        encdec::files::check_distinct(&[("--out", out), ("--checkpoint", path)], &[])?;
    }
    let options = TrainOptions {
        task: Task::Translation,
        kind: ModelKind::Attention,
        data: DataSource::BuiltIn { pairs: 6000 },
        text: TextOptions::default(),
        model: ModelOptions::default(),
        epochs,
        batch_size: 32,
        seed,
        lr: None,
        clip: None,
        optim: OptimOptions::default(),
        patience: None,
        out: save.map(Path::to_path_buf),
        curves: None,
        resume: None,
        src_vectors: None,
        verbose: true,
    };
    let checkpoint = run(&options)?;
    let t = checkpoint.decode_text(FOX_EN, 1)?;
    say(format!("{FOX_EN}\n  -> {}", t.text));
    plot_attention(&t, out, None, ModelKind::Attention)?;
    say(format!(
        "demo finished in {:.1} s",
        start.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// `encdec train`.
pub fn train(options: TrainOptions) -> CliResult {
    run(&options).map(|_| ())
}

/// Reads standard input as lines (one input per line), or names the bad line.
pub(super) fn stdin_lines() -> Result<Vec<String>, String> {
    use std::io::Read;
    let mut bytes = vec![];
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    let mut lines = vec![];
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let text = std::str::from_utf8(line).map_err(|_| {
            format!(
                "standard input, line {}: not valid UTF-8; give UTF-8 text",
                i + 1
            )
        })?;
        lines.push(text.strip_prefix('\u{feff}').unwrap_or(text).to_string());
    }
    if bytes.ends_with(b"\n") || bytes.is_empty() {
        lines.pop();
    }
    Ok(lines)
}

/// What is said when the model's output has no words.
pub(super) const WROTE_NOTHING: &str = "the model wrote nothing for this input (it ended its output at once); a model trained longer may do better";

/// Decodes one input per line of standard input and prints one output per
/// line (an empty line for an empty one, and for an empty output, which
/// standard error names). Every line is checked first.
fn decode_stdin(c: &Checkpoint, beam: usize, allow_unknown: bool) -> CliResult {
    let lines = stdin_lines()?;
    let mut sources = vec![];
    for (i, line) in lines.iter().enumerate() {
        // A line without words (blank, or only invisible characters) gets an empty output line.
        if c.tokenizer().tokenize(line).is_empty() {
            sources.push(None);
            continue;
        }
        let (_, ids) = c
            .prepare_with(line, allow_unknown)
            .map_err(|e| format!("standard input, line {}: {e}", i + 1))?;
        sources.push(Some(ids));
    }
    let real: Vec<Vec<usize>> = sources.iter().flatten().cloned().collect();
    let mut outputs = c.decode_all(&real, beam, 64)?.into_iter();
    for (i, s) in sources.iter().enumerate() {
        let text = if s.is_some() {
            outputs.next().unwrap_or_default()
        } else {
            String::new()
        };
        if s.is_some() && text.is_empty() {
            warn_line(&format!("standard input, line {}: {WROTE_NOTHING}", i + 1));
        }
        print_line(&text);
    }
    Ok(())
}

/// `translate` and `summarize`: decodes `text`, or each line of standard
/// input, with a model trained for `task`.
fn decode_command(
    checkpoint: &Path,
    task: Task,
    command: &str,
    text: Option<&str>,
    beam: usize,
    allow_unknown: bool,
    flags: &DecodeFlags,
) -> CliResult {
    let c = load_for(checkpoint, task, command)?;
    if decode_flagged(&c, flags, text, beam, allow_unknown)? {
        return Ok(());
    }
    match text {
        Some(t) => {
            let out = c.decode_text_with(t, beam, allow_unknown)?.text;
            if out.is_empty() {
                return Err(WROTE_NOTHING.into());
            }
            print_line(&out)
        }
        None => decode_stdin(&c, beam, allow_unknown)?,
    }
    Ok(())
}

/// `encdec translate`: one sentence, or one per line of standard input.
pub fn translate(
    checkpoint: &Path,
    sentence: Option<&str>,
    beam: usize,
    allow_unknown: bool,
    flags: &DecodeFlags,
) -> CliResult {
    decode_command(
        checkpoint,
        Task::Translation,
        "translate",
        sentence,
        beam,
        allow_unknown,
        flags,
    )
}

/// `encdec bench`: for each model, one line per length, then how the time
/// grew with the length (when several are given).
pub fn bench(kinds: &[ModelKind], lengths: &[usize], budget: Budget) -> CliResult {
    if !(budget.min_seconds.is_finite() && budget.min_seconds >= 0.0) {
        return Err(format!(
            "--seconds {} must be a non-negative number",
            budget.min_seconds
        )
        .into());
    }
    let mut lengths = lengths.to_vec();
    lengths.sort_unstable();
    lengths.dedup();
    let threads = encdec::parallel::threads();
    print_line(&format!(
        "median milliseconds per training step (forward + backward + Adam), f64, batch {BATCH}, vocabulary {VOCAB}; \
         peak_mb: the most heap one more step holds at once above what was live before it (MB = 10^6 bytes)"
    ));
    for &kind in kinds {
        let c = bench_config(kind);
        let sizes = match kind {
            ModelKind::Transformer => format!(
                "d_model {}, {} heads, d_ff {}, {}+{} layers",
                c.emb, c.heads, c.hidden, c.layers, c.layers
            ),
            _ => format!("emb {}, hidden {}", c.emb, c.hidden),
        };
        let mut runs = vec![];
        for &len in &lengths {
            let r = time_steps(kind, len, budget);
            let peak = r
                .peak_bytes
                .map_or("n/a".to_string(), |b| format!("{:.2}", b as f64 / 1e6));
            print_line(&format!(
                "encdec {kind} len={len} threads={threads} median_ms={:.3} steps={} peak_mb={peak} ({sizes})",
                median(&r.ms),
                r.ms.len(),
            ));
            runs.push(r);
        }
        let all = growth(kind, &runs);
        for g in &all {
            print_line(&format!(
                "encdec {kind} growth len={}..{} seen={:.2} expected={:.2}",
                g.from, g.to, g.seen, g.expected
            ));
        }
        if !all.is_empty() {
            print_line(&growth_words(kind, &all));
        }
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

/// `encdec summarize`: one document, or one per line of standard input.
pub fn summarize(
    checkpoint: &Path,
    text: Option<&str>,
    beam: usize,
    allow_unknown: bool,
    flags: &DecodeFlags,
) -> CliResult {
    decode_command(
        checkpoint,
        Task::Summarization,
        "summarize",
        text,
        beam,
        allow_unknown,
        flags,
    )
}

/// `encdec chat`: one reply per line of standard input, keeping the history;
/// `/reset` forgets it, `/quit` (or the end of input) ends the session.
pub fn chat(checkpoint: &Path) -> CliResult {
    use std::io::BufRead;
    let c = load_for(checkpoint, Task::Dialogue, "chat")?;
    let mut session = ChatSession::new();
    print_line("chat with the dialogue model; /reset forgets the conversation, /quit ends it");
    let mut input = std::io::stdin().lock();
    let mut bytes = vec![];
    for number in 1.. {
        bytes.clear();
        if input.read_until(b'\n', &mut bytes)? == 0 {
            break;
        }
        // A line that is not UTF-8 is reported and skipped; the session goes on.
        let Ok(line) = std::str::from_utf8(&bytes) else {
            print_line(&format!(
                "(line {number} is not valid UTF-8 text; it was skipped)"
            ));
            continue;
        };
        let line = line.trim_end_matches(['\n', '\r']);
        match line.trim() {
            "/quit" => break,
            "/reset" => {
                session.reset();
                print_line("(conversation forgotten)");
            }
            _ => match session.respond(&c, line) {
                ChatReply::Reply(r) if r.is_empty() => {
                    print_line("bot: (no reply: the model ended its output at once)")
                }
                ChatReply::Reply(r) => print_line(&format!("bot: {r}")),
                ChatReply::Failed(e) => print_line(&format!("bot: (no reply: {e})")),
                ChatReply::Unknown(words) => print_line(&format!(
                    "bot: (I do not know the words: {})",
                    encdec::text::printable(&words.join(", "))
                )),
                ChatReply::Nothing => {}
            },
        }
    }
    print_line("bye");
    Ok(())
}
