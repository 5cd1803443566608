//! The built-in tasks end to end (tutorial §6): corpus → tokens → ids →
//! batches, default model and training settings, and their metrics.

use super::batch::Example;
use super::decode::decode_in_batches;
use super::fit::{OptimizerChoice, TrainConfig};
use super::metrics::{corpus_bleu, mean_rouge};
use super::model::{ModelConfig, ModelKind, Seq2Seq};
use crate::corpora::translation_corpus;
use crate::optim::Schedule;
use crate::text::{EOS_ID, TextPair, Tokenizer, Vocab};
use std::fmt;
use std::str::FromStr;

/// The three applications of tutorial §6.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// §6.1: English → French.
    Translation,
    /// §6.2: a news-like document → its headline.
    Summarization,
    /// §6.3: the dialogue so far → the next reply.
    Dialogue,
}

impl Task {
    /// The name used on the command line and in checkpoints.
    pub fn name(self) -> &'static str {
        match self {
            Task::Translation => "translation",
            Task::Summarization => "summarization",
            Task::Dialogue => "dialogue",
        }
    }
}

impl fmt::Display for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Task {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "translation" => Ok(Task::Translation),
            "summarization" => Ok(Task::Summarization),
            "dialogue" => Ok(Task::Dialogue),
            _ => Err(format!(
                "unknown task '{s}': expected translation, summarization or dialogue"
            )),
        }
    }
}

/// A task's corpus as ids, with its vocabularies.
pub struct TaskData {
    /// Which task.
    pub task: Task,
    /// Source vocabulary, built from the training sources.
    pub src_vocab: Vocab,
    /// Target vocabulary, built from the training targets.
    pub tgt_vocab: Vocab,
    /// Training examples.
    pub train: Vec<Example>,
    /// Validation examples.
    pub valid: Vec<Example>,
    /// Test examples.
    pub test: Vec<Example>,
    /// The test pairs as text.
    pub test_pairs: Vec<TextPair>,
}

/// Tokenizes and numbers a split of text pairs.
fn prepare(task: Task, train: &[TextPair], valid: &[TextPair], test: Vec<TextPair>) -> TaskData {
    let tok = Tokenizer::new(true);
    let tokens = |pairs: &[TextPair]| -> Vec<(Vec<String>, Vec<String>)> {
        pairs
            .iter()
            .map(|p| (tok.tokenize(&p.source), tok.tokenize(&p.target)))
            .collect()
    };
    let train_tokens = tokens(train);
    // In a dialogue the bot's replies become history: the encoder must know
    // every word the decoder can write.
    let src_vocab = if task == Task::Dialogue {
        Vocab::build(
            train_tokens
                .iter()
                .flat_map(|(s, t)| [s.as_slice(), t.as_slice()]),
            1,
        )
    } else {
        Vocab::build(train_tokens.iter().map(|(s, _)| s.as_slice()), 1)
    };
    let tgt_vocab = Vocab::build(train_tokens.iter().map(|(_, t)| t.as_slice()), 1);
    let examples = |pairs: &[(Vec<String>, Vec<String>)]| -> Vec<Example> {
        pairs
            .iter()
            .map(|(s, t)| Example {
                src: src_vocab.encode(s),
                tgt: tgt_vocab.encode(t),
            })
            .collect()
    };
    TaskData {
        task,
        train: examples(&train_tokens),
        valid: examples(&tokens(valid)),
        test: examples(&tokens(&test)),
        test_pairs: test,
        src_vocab,
        tgt_vocab,
    }
}

/// The built-in corpus of `task` with `n` pairs, split with `seed`.
pub fn task_data(task: Task, n: usize, seed: u64) -> TaskData {
    let split = builtin_split(task, n, seed);
    let split = match task {
        Task::Dialogue => crate::corpora::Split {
            train: every_bot_turn(&split.train),
            valid: every_bot_turn(&split.valid),
            test: split.test,
        },
        _ => split,
    };
    prepare(task, &split.train, &split.valid, split.test)
}

/// The built-in corpus of `task` with `n` pairs as text, split with `seed`
/// (dialogues as their final reply given the history).
pub fn builtin_split(task: Task, n: usize, seed: u64) -> crate::corpora::Split {
    match task {
        Task::Translation => translation_corpus(n, seed),
        Task::Summarization => crate::corpora::summarization_corpus(n, seed),
        Task::Dialogue => crate::corpora::dialogue_corpus(n, seed),
    }
}

/// Each dialogue teaches every bot turn, not only the last: the pair
/// `u1 <turn> b1 <turn> u2` → `b2` also gives `u1` → `b1`. Without this a chat
/// could never ask its first question. Repeated pairs are kept once. (The
/// test split keeps only the final replies, which depend on the earlier turns.)
pub fn every_bot_turn(pairs: &[TextPair]) -> Vec<TextPair> {
    let mut seen = std::collections::HashSet::new();
    let mut out = vec![];
    for p in pairs {
        let turns = crate::text::split_turns(&p.source);
        let mut prefixes: Vec<TextPair> = (1..turns.len())
            .step_by(2)
            .map(|j| TextPair {
                source: crate::text::join_turns(&turns[..j]),
                target: turns[j].to_string(),
            })
            .collect();
        prefixes.push(p.clone());
        for q in prefixes {
            if seen.insert(q.clone()) {
                out.push(q);
            }
        }
    }
    out
}

/// Tokenizes and numbers the built-in translation corpus of `n` pairs (split with `seed`).
pub fn translation_data(n: usize, seed: u64) -> TaskData {
    task_data(Task::Translation, n, seed)
}

/// The sizes encdec uses for each model on the built-in corpus.
pub fn default_model(kind: ModelKind, src_vocab: usize, tgt_vocab: usize) -> ModelConfig {
    let (emb, hidden) = match kind {
        ModelKind::Transformer => (64, 128),
        _ => (48, 96),
    };
    ModelConfig {
        kind,
        src_vocab,
        tgt_vocab,
        emb,
        hidden,
        layers: 2,
        heads: 4,
        dropout: 0.1,
        arch: Default::default(),
    }
}

/// Adam with gradient clipping; the Transformer with its warm-up schedule,
/// scaled by 0.25 (peak rate about 0.002 at step 200): with the paper's factor
/// of 1 it stalls on the summarization task.
pub fn default_training(
    kind: ModelKind,
    epochs: usize,
    batch_size: usize,
    seed: u64,
) -> TrainConfig {
    let schedule = match kind {
        ModelKind::Transformer => Schedule::Warmup {
            d_model: 64,
            warmup: 200,
            factor: 0.25,
        },
        _ => Schedule::Constant(0.005),
    };
    TrainConfig {
        epochs,
        batch_size,
        optimizer: OptimizerChoice::Adam,
        schedule,
        clip: Some(5.0),
        label_smoothing: 0.0,
        seed,
        verbose: false,
    }
}

/// Greedy outputs for `examples` (in batches of similar length,
/// [`super::decode_in_batches`]), as tokens without `</s>`.
pub fn generate(
    model: &dyn Seq2Seq,
    tgt_vocab: &Vocab,
    examples: &[Example],
    batch_size: usize,
) -> Vec<Vec<String>> {
    let sources: Vec<Vec<usize>> = examples.iter().map(|e| e.src.clone()).collect();
    let hyps = decode_in_batches(model, &sources, 1, super::translate::MAX_LEN, batch_size);
    hyps.into_iter()
        .map(|h| {
            let ids: Vec<usize> = h.ids.into_iter().filter(|&y| y != EOS_ID).collect();
            tgt_vocab.decode(&ids)
        })
        .collect()
}

/// Greedy translations of `examples` (in batches) and their corpus BLEU
/// against the references; also returns the translations as tokens.
pub fn bleu(
    model: &dyn Seq2Seq,
    tgt_vocab: &Vocab,
    examples: &[Example],
    batch_size: usize,
) -> (f64, Vec<Vec<String>>) {
    let candidates = generate(model, tgt_vocab, examples, batch_size);
    let references: Vec<Vec<String>> = examples.iter().map(|e| tgt_vocab.decode(&e.tgt)).collect();
    (corpus_bleu(&candidates, &references), candidates)
}

/// Every metric of a task on the test set, from greedy outputs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaskScores {
    /// Corpus BLEU-4.
    pub bleu: f64,
    /// Mean ROUGE-1, ROUGE-2 and ROUGE-L $F_1$.
    pub rouge: [f64; 3],
    /// Share of outputs equal to the reference, word for word (reply accuracy).
    pub exact: f64,
}

/// BLEU, ROUGE and exact-match accuracy of greedy outputs on `examples`.
pub fn scores(model: &dyn Seq2Seq, tgt_vocab: &Vocab, examples: &[Example]) -> TaskScores {
    let candidates = generate(model, tgt_vocab, examples, 64);
    let references: Vec<Vec<String>> = examples.iter().map(|e| tgt_vocab.decode(&e.tgt)).collect();
    let exact = candidates
        .iter()
        .zip(&references)
        .filter(|(c, r)| c == r)
        .count() as f64
        / examples.len().max(1) as f64;
    TaskScores {
        bleu: corpus_bleu(&candidates, &references),
        rouge: mean_rouge(&candidates, &references),
        exact,
    }
}
