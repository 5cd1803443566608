//! From sentences to numbers (tutorial §3.1): the splits of a built-in
//! corpus or of corpus files, their tokens, the vocabularies, and the
//! examples as ids — the one way the command line, the notebooks and the
//! tests get a task's data.
//!
//! Checked by `tests/pipeline/options.rs`.

use super::corpus::DataSource;
use super::corpus::{last_reply, reply_pairs, reply_pairs_within};
use super::options::TrainOptions;
use super::splits::{every_bot_turn, load_splits};
use super::subwords::{subwords_of, to_pieces};
use super::train::RunError;
use crate::seq2seq::batch::Example;
use crate::seq2seq::decode::Translator;
use crate::seq2seq::models::Seq2Seq;
use crate::seq2seq::size::StepShape;
use crate::seq2seq::task::{Task, TextSettings};
use crate::seq2seq::train::Progress;
use crate::text::subwords::Subwords;
use crate::text::{TextPair, Tokenizer, Trigrams, UNK_ID, Vocab};

/// A task's data, ready to train on.
#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    /// The task the data is for.
    pub task: Task,
    /// How the text was tokenized, and how outputs are written back.
    pub text: TextSettings,
    /// The source vocabulary (a resumed checkpoint's, or built from training).
    pub src_vocab: Vocab,
    /// The target vocabulary.
    pub tgt_vocab: Vocab,
    /// The word trigrams of the training sources (a resumed checkpoint's),
    /// `None` past [`crate::text::MAX_TRIGRAMS`] or when not known.
    pub src_trigrams: Option<Trigrams>,
    /// The training examples as ids.
    pub train: Vec<Example>,
    /// The validation examples as ids.
    pub valid: Vec<Example>,
    /// The test pairs as text: what [`crate::seq2seq::eval::evaluate_pairs`] scores.
    pub test: Vec<TextPair>,
    /// The merge tables, when words are read as subword pieces
    /// (`--subwords N`, or a resumed checkpoint's).
    pub subwords: Option<Subwords>,
}

impl Prepared {
    /// The largest batch training will read: `batch` pairs (or every
    /// pair of the larger split, when fewer) as long as the longest
    /// training or validation source and target, with `<s>` or `</s>`,
    /// cut into `shards`.
    pub fn largest_step(&self, batch: usize, shards: usize) -> StepShape {
        let pairs = || self.train.iter().chain(&self.valid);
        let longest = |side: fn(&Example) -> usize| pairs().map(side).max().unwrap_or(0) + 1;
        StepShape {
            batch: batch.min(self.train.len().max(self.valid.len())),
            src_len: longest(|e| e.src.len()),
            tgt_len: longest(|e| e.tgt.len()),
            shards,
        }
    }
}

/// Tokenized pairs: each source and target as tokens.
pub(super) type Tokens = Vec<(Vec<String>, Vec<String>)>;

/// Splits, tokenizes and numbers the data `o` names. A `resumed` model
/// keeps its text settings and vocabularies. Lines worth reading (what the
/// data holds, what was dropped) go to `observer` as notes.
///
/// # Errors
/// Unreadable or malformed corpus files (naming the file and line), and
/// data with nothing left to train on.
pub fn prepare(
    o: &TrainOptions,
    resumed: Option<&Translator>,
    observer: &mut dyn FnMut(Progress<'_>),
) -> Result<Prepared, RunError> {
    let mut say = |text: String| observer(Progress::Note(text));
    let [train, valid, test] = load_splits(o, &mut say)?;
    let text = resumed.map_or_else(|| text_settings(o), |r| r.text);
    let tok = Tokenizer::new(text.lowercase);
    let (train_pairs, train_out) = expand(o, &train, &tok, text.max_len);
    let (valid_pairs, valid_out) = expand(o, &valid, &tok, text.max_len);
    let (mut train_tok, mut valid_tok) = (tokens(&tok, &train_pairs), tokens(&tok, &valid_pairs));
    let subwords = subwords_of(o, resumed, (&mut train_tok, &mut valid_tok), &mut say);
    if let DataSource::Files { .. } = o.source() {
        drop_long(
            text.max_len,
            (&mut train_tok, &mut valid_tok),
            (!valid.is_empty(), train_out + valid_out),
            &mut say,
        )?;
    }
    let (src_vocab, tgt_vocab) = match resumed {
        Some(r) => (r.src_vocab.clone(), r.tgt_vocab.clone()),
        None => vocabularies(o, &train_tok),
    };
    let src_trigrams = match resumed {
        Some(r) => r.src_trigrams.clone(),
        None => Trigrams::of_sentences(train_tok.iter().map(|(s, _)| s.as_slice())),
    };
    let encode = |v: &Tokens| -> Vec<Example> {
        v.iter()
            .map(|(s, t)| Example {
                src: src_vocab.encode(s),
                tgt: tgt_vocab.encode(t),
            })
            .collect()
    };
    let (train, valid) = (encode(&train_tok), encode(&valid_tok));
    let p = Prepared {
        task: o.task,
        text,
        train,
        valid,
        test: test.iter().map(|t| last_reply(t)).collect(),
        src_vocab,
        tgt_vocab,
        src_trigrams,
        subwords,
    };
    say(p.summary());
    say(p.unk_line());
    Ok(p)
}

impl Prepared {
    /// The test pairs as ids, tokenized and numbered as the training
    /// examples were (words the vocabularies lack become `<unk>`): for
    /// teacher-forced scores on the test split
    /// ([`crate::seq2seq::train::evaluate`], [`crate::seq2seq::train::predict`]).
    pub fn test_examples(&self) -> Vec<Example> {
        let tok = Tokenizer::new(self.text.lowercase);
        let pairs = to_pieces(self.subwords.as_ref(), tokens(&tok, &self.test));
        (pairs.iter())
            .map(|(s, t)| Example {
                src: self.src_vocab.encode(s),
                tgt: self.tgt_vocab.encode(t),
            })
            .collect()
    }

    /// A translator for `model` with this data's vocabularies, task and
    /// text settings: what decodes and scores a model trained on it.
    pub fn translator(&self, model: Box<dyn Seq2Seq>) -> Translator {
        Translator {
            text: self.text,
            src_trigrams: self.src_trigrams.clone(),
            subwords: self.subwords.clone(),
            ..Translator::new(
                model,
                self.src_vocab.clone(),
                self.tgt_vocab.clone(),
                self.task,
            )
        }
    }

    /// `translation corpus: 4800 training, 600 validation, 600 test pairs; vocabularies: 85 source, 108 target words`.
    fn summary(&self) -> String {
        let task = self.task;
        let units = if self.subwords.is_some() {
            "pieces"
        } else {
            "words"
        };
        format!(
            "{task} corpus: {} training, {} validation, {} test pairs; vocabularies: {} source, {} target {units}",
            self.train.len(),
            self.valid.len(),
            self.test.len(),
            self.src_vocab.len(),
            self.tgt_vocab.len()
        )
    }

    /// The share of `<unk>` among the training tokens of each side.
    fn unk_line(&self) -> String {
        let share = |side: fn(&Example) -> &[usize]| {
            let (mut unk, mut all) = (0usize, 0usize);
            for e in &self.train {
                unk += side(e).iter().filter(|&&i| i == UNK_ID).count();
                all += side(e).len();
            }
            100.0 * unk as f64 / all.max(1) as f64
        };
        format!(
            "<unk> share of training tokens: {:.2} % source, {:.2} % target",
            share(|e| &e.src),
            share(|e| &e.tgt)
        )
    }
}

/// The text settings of a new model: the task's, with the options' case
/// and languages, and for corpus files their longest sentence.
fn text_settings(o: &TrainOptions) -> TextSettings {
    let mut text = TextSettings::for_task(o.task);
    text.lowercase = !o.text.keep_case;
    text.src_lang = o.text.src_lang.unwrap_or(text.src_lang);
    text.tgt_lang = o.text.tgt_lang.unwrap_or(text.tgt_lang);
    if let DataSource::Files { .. } = o.source() {
        text.max_len = o.text.max_len;
    }
    text
}

fn tokens(tok: &Tokenizer, pairs: &[TextPair]) -> Tokens {
    pairs
        .iter()
        .map(|p| (tok.tokenize(&p.source), tok.tokenize(&p.target)))
        .collect()
}

/// The training pairs of conversations: every reply given the turns before
/// it ([`reply_pairs`]); the built-in dialogues teach each distinct reply
/// once ([`every_bot_turn`]). From files, a dialogue's pairs stop at the
/// first history longer than `max_len` tokens ([`reply_pairs_within`]),
/// which [`drop_long`] would drop; how many were left out comes second.
fn expand(
    o: &TrainOptions,
    conversations: &[Vec<String>],
    tok: &Tokenizer,
    max_len: usize,
) -> (Vec<TextPair>, usize) {
    match o.source() {
        DataSource::BuiltIn { .. } if o.task == Task::Dialogue => {
            let last: Vec<TextPair> = conversations.iter().map(|t| last_reply(t)).collect();
            (every_bot_turn(&last), 0)
        }
        DataSource::BuiltIn { .. } => {
            let pairs = conversations.iter().flat_map(|t| reply_pairs(t));
            (pairs.collect(), 0)
        }
        DataSource::Files { .. } => {
            let (mut pairs, mut left_out) = (vec![], 0);
            for t in conversations {
                let (p, n) = reply_pairs_within(t, tok, max_len);
                pairs.extend(p);
                left_out += n;
            }
            (pairs, left_out)
        }
    }
}

/// Drops training and validation pairs with a side longer than `max`
/// tokens, saying how many (with the `left_out` ones [`expand`] never
/// built); refuses data with nothing left.
fn drop_long(
    max: usize,
    (train, valid): (&mut Tokens, &mut Tokens),
    (had_valid, left_out): (bool, usize),
    say: &mut dyn FnMut(String),
) -> Result<(), RunError> {
    let before = train.len() + valid.len();
    train.retain(|(s, t)| s.len() <= max && t.len() <= max);
    valid.retain(|(s, t)| s.len() <= max && t.len() <= max);
    let dropped = before - train.len() - valid.len() + left_out;
    if dropped > 0 {
        say(format!(
            "--max-len {max}: dropped {dropped} training and validation pairs with a longer side"
        ));
    }
    if train.is_empty() {
        return Err(format!(
            "every training pair is longer than --max-len {max} tokens; raise --max-len"
        )
        .into());
    }
    if valid.is_empty() && had_valid {
        return Err(format!(
            "every validation pair is longer than --max-len {max} tokens; raise --max-len"
        )
        .into());
    }
    Ok(())
}

/// The vocabularies of the training tokens, capped as the options say. In
/// a dialogue the bot's replies become history: the encoder must know
/// every word the decoder can write.
fn vocabularies(o: &TrainOptions, train: &Tokens) -> (Vocab, Vocab) {
    let (cap, min) = (o.text.max_vocab, o.text.min_count);
    let src = if o.task == Task::Dialogue {
        Vocab::build_capped(
            train.iter().flat_map(|(s, t)| [s.as_slice(), t.as_slice()]),
            min,
            cap,
        )
    } else {
        Vocab::build_capped(train.iter().map(|(s, _)| s.as_slice()), min, cap)
    };
    let tgt = Vocab::build_capped(train.iter().map(|(_, t)| t.as_slice()), min, cap);
    (src, tgt)
}
