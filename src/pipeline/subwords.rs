//! Words to subword pieces in the main job (`train --subwords N`): the
//! merge tables learned from the training words (or a resumed
//! checkpoint's), the pairs cut into pieces, and the checks of the
//! `--subword-*` flags, which [`TrainOptions::check`] runs with the others.
//!
//! Checked by `tests/cli/subwords.rs`.

use super::defaults::{Units, units};
use super::options::TrainOptions;
use super::prepare::{Prepared, Tokens};
use super::train::RunError;
use crate::seq2seq::batch::Example;
use crate::seq2seq::decode::Translator;
use crate::tensor::rng;
use crate::text::subwords::{Dropout, Merges, join, piece_of};
use crate::text::subwords::{MAX_MERGES, SubwordTable, Subwords, learn};
use std::borrow::Cow;
use std::collections::HashMap;

/// A tokenized pair: source and target.
type Pair = (Vec<String>, Vec<String>);

/// The tables of a resumed model, or those `--subwords` asks for, learned
/// from the training words; with tables, the training and validation
/// pairs become pieces, and how many merges there are goes to `say`.
pub(super) fn subwords_of(
    o: &TrainOptions,
    resumed: Option<&Translator>,
    (train, valid): (&mut Tokens, &mut Tokens),
    say: &mut dyn FnMut(String),
) -> Option<Subwords> {
    let subwords = match (resumed, units(o)) {
        (Some(r), _) => r.subwords.clone(),
        (None, Units::Words) => None,
        (None, Units::Merges(n)) => Some(learn_tables(n, o.text.subword_table, train)),
    };
    if let Some(sw) = &subwords {
        say(merges_line(sw));
        *train = to_pieces(Some(sw), std::mem::take(train));
        *valid = to_pieces(Some(sw), std::mem::take(valid));
    }
    subwords
}

/// The merge tables `--subwords n` asks for, learned from the training
/// words: one table from both sides, or one per side.
fn learn_tables(n: usize, table: Option<SubwordTable>, train: &Tokens) -> Subwords {
    let words =
        |side: fn(&Pair) -> &Vec<String>| train.iter().flat_map(side).map(|w| (w.clone(), 1));
    match table.unwrap_or_default() {
        SubwordTable::Joint => Subwords::joint(learn(words(|p| &p.0).chain(words(|p| &p.1)), n)),
        SubwordTable::Separate => {
            Subwords::separate(learn(words(|p| &p.0), n), learn(words(|p| &p.1), n))
        }
    }
}

/// `subwords: 1234 merges learned (joint table)`: how many merges the
/// tables hold (fewer than asked when no pair occurs twice).
fn merges_line(sw: &Subwords) -> String {
    match sw.table {
        SubwordTable::Joint => format!("subwords: {} merges (joint table)", sw.src.len()),
        SubwordTable::Separate => format!(
            "subwords: {} source, {} target merges (separate tables)",
            sw.src.len(),
            sw.tgt.len()
        ),
    }
}

/// Each pair's words cut into pieces, each side by its table (`None`:
/// the words as they are).
pub(super) fn to_pieces(sw: Option<&Subwords>, pairs: Tokens) -> Tokens {
    let Some(sw) = sw else { return pairs };
    let (mut src_cache, mut tgt_cache) = (HashMap::new(), HashMap::new());
    (pairs.iter())
        .map(|(s, t)| {
            let s = sw.src.split_words(s, &mut src_cache);
            (s, sw.tgt.split_words(t, &mut tgt_cache))
        })
        .collect()
}

/// `--subword-dropout P`'s probability and the training pairs as pieces,
/// when P is above 0 (the model reads pieces: `check_subwords` saw to a
/// new one, this refuses a resumed model of words).
pub(super) fn dropout_of(
    o: &TrainOptions,
    resumed: Option<&Translator>,
    train: &Tokens,
) -> Result<Option<(f64, Tokens)>, RunError> {
    let Some(p) = o.text.subword_dropout.filter(|&p| p > 0.0) else {
        return Ok(None);
    };
    if resumed.is_some_and(|r| r.subwords.is_none()) {
        return Err("--subword-dropout: the resumed checkpoint reads whole words, not subword pieces; leave it out".into());
    }
    Ok(Some((p, train.clone())))
}

/// The training pairs the vocabularies are built from; with BPE-dropout,
/// one more pair holding every piece a merge table can make (each merge's
/// parts and result), so that a word cut short of its last merges still
/// reads known pieces.
pub(super) fn with_merge_pieces<'t>(
    o: &TrainOptions,
    sw: Option<&Subwords>,
    train: &'t Tokens,
) -> Cow<'t, Tokens> {
    match sw {
        Some(sw) if o.text.subword_dropout.is_some_and(|p| p > 0.0) => {
            let every = |m: &Merges| -> Vec<String> {
                (m.pairs().iter())
                    .flat_map(|(a, b)| [piece_of(a), piece_of(b), piece_of(&format!("{a}{b}"))])
                    .collect()
            };
            let mut all = train.clone();
            all.push((every(&sw.src), every(&sw.tgt)));
            Cow::Owned(all)
        }
        _ => Cow::Borrowed(train),
    }
}

impl Prepared {
    /// The training examples of `epoch` under BPE-dropout: each pair's
    /// words cut anew with each merge skipped with probability P
    /// ([`crate::text::subwords::Merges::split_dropping`]), from a
    /// generator seeded with `seed` and the epoch. A side that comes out
    /// longer than `--max-len` keeps its plain pieces. Without dropout, the
    /// examples as prepared.
    pub fn dropped_train(&self, seed: u64, epoch: usize) -> Vec<Example> {
        let (Some((p, pairs)), Some(sw)) = (&self.dropout, &self.subwords) else {
            return self.train.clone();
        };
        let mut r = rng(seed ^ 0xb9e0_d409 ^ (epoch as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let mut d = Dropout { p: *p, rng: &mut r };
        let max = self.text.max_len;
        let mut cut = |m: &Merges, pieces: &[String]| -> Vec<String> {
            let again: Vec<String> = (join(pieces).iter())
                .flat_map(|w| m.split_dropping(w, &mut d))
                .collect();
            if again.len() > max.max(pieces.len()) {
                pieces.to_vec()
            } else {
                again
            }
        };
        (pairs.iter())
            .map(|(s, t)| Example {
                src: self.src_vocab.encode(&cut(&sw.src, s)),
                tgt: self.tgt_vocab.encode(&cut(&sw.tgt, t)),
            })
            .collect()
    }
}

/// Refuses `--subwords` past [`MAX_MERGES`], `--subword-dropout` outside
/// $[0, 1)$, and either companion flag without `--subwords` (with
/// `--resume`, a checkpoint of pieces stands for it: see `prepare`).
pub(super) fn check_subwords(o: &TrainOptions) -> Result<(), String> {
    let t = &o.text;
    if matches!(t.subwords, Some(Units::Merges(n)) if n > MAX_MERGES) {
        return Err(format!(
            "--subwords is `words` or a number of merges from 0 to {MAX_MERGES} (a few thousand is usual)"
        ));
    }
    let words = units(o) == Units::Words;
    if t.subword_table.is_some() && words {
        return Err(
            "--subword-table applies to subword pieces (--subwords N); this run reads whole words, so leave it out".into(),
        );
    }
    if t.subword_dropout
        .is_some_and(|p| !(p.is_finite() && (0.0..1.0).contains(&p)))
    {
        return Err("--subword-dropout must be at least 0 and below 1 (0.1 is usual)".into());
    }
    if t.subword_dropout.is_some() && words && o.files.resume.is_none() {
        return Err(
            "--subword-dropout applies to subword pieces (--subwords N); this run reads whole words, so leave it out".into(),
        );
    }
    Ok(())
}
