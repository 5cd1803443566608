//! Words to subword pieces in the main job (`train --subwords N`): the
//! merge tables learned from the training words (or a resumed
//! checkpoint's), the pairs cut into pieces, and the checks of the
//! `--subword-*` flags, which [`TrainOptions::check`] runs with the others.
//!
//! Checked by `tests/cli/subwords.rs`.

use super::options::TrainOptions;
use super::prepare::Tokens;
use crate::seq2seq::decode::Translator;
use crate::text::subwords::{MAX_MERGES, SubwordTable, Subwords, learn};
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
    let subwords = match resumed {
        Some(r) => r.subwords.clone(),
        None => (o.text.subwords).map(|n| learn_tables(n, o.text.subword_table, train)),
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

/// Refuses `--subwords` past [`MAX_MERGES`], `--subword-dropout` outside
/// $[0, 1)$, and either companion flag without `--subwords` (with
/// `--resume`, a checkpoint of pieces stands for it: see `prepare`).
pub(super) fn check_subwords(o: &TrainOptions) -> Result<(), String> {
    let t = &o.text;
    if t.subwords.is_some_and(|n| n > MAX_MERGES) {
        return Err(format!(
            "--subwords is a number of merges from 0 to {MAX_MERGES} (a few thousand is usual)"
        ));
    }
    if t.subword_table.is_some() && t.subwords.is_none() {
        return Err(
            "--subword-table applies to --subwords N; add --subwords or leave it out".into(),
        );
    }
    if t.subword_dropout
        .is_some_and(|p| !(p.is_finite() && (0.0..1.0).contains(&p)))
    {
        return Err("--subword-dropout must be at least 0 and below 1 (0.1 is usual)".into());
    }
    if t.subword_dropout.is_some() && t.subwords.is_none() && o.files.resume.is_none() {
        return Err(
            "--subword-dropout applies to --subwords N; add --subwords or leave it out".into(),
        );
    }
    Ok(())
}
