//! A generated English→French corpus the size and shape of a real one, for
//! trying encdec on corpus files without a download (`encdec corpus`).
//!
//! Why: the built-in corpus is small and clean, so vocabulary limits,
//! unknown words and long sentences never bite. This one has the shape of
//! real data and stays learnable. Each side has about 5,000 word types in
//! training, drawn by a Zipf law: a few words are everywhere, about half
//! occur once, and the test split holds words training never shows. The
//! nouns, adjectives and verbs are invented from syllables (each noun with a
//! fixed gender, French spellings with accents: `talrek` ↔ `talrèque`); the
//! grammar around them is real: articles and adjectives agree in gender and
//! number, French adjectives follow the noun, `le de que ne je si` elide
//! before a vowel (`l'orpal`, `qu'il`) and `de le` becomes `du`, verbs agree
//! with their subject in four tenses, negation, `est-ce que` questions,
//! decimal commas (`3.5` ↔ `3,5`), quotes as `« … »` with no-break spaces,
//! a narrow no-break space U+202F before `? ! : ;`, and typographic
//! apostrophes in sentences with quotes or `!`. One English sentence always
//! gives the same French one, so the mapping can be learnt; sentences are
//! unique, and the same seed gives byte-identical files.
//!
//! The files are in the three-column format of the Tatoeba/Anki `fra.txt`
//! files: `English<TAB>French<TAB>attribution`.

mod grammar;
mod lexicon;
mod phrase;
mod text;

use super::Split;
use crate::text::{TextPair, Tokenizer};
use grammar::Gen;
use lexicon::{SIZES, Verb, Zipf, build_lexicon};
use phrase::words;
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use text::render;

/// The longest sentence kept, in tokens on either side.
pub const MAX_TOKENS: usize = 40;

/// The sizes [`real_like_corpus`] accepts.
pub const PAIRS: std::ops::RangeInclusive<usize> = 12..=2_000_000;

/// The verbs of saying and thinking that take a clause (`she says that ...`).
fn saying_verbs() -> [Verb; 4] {
    let verb = |en: &str, fr: &str| Verb {
        en: words(en).try_into().expect("four English forms"),
        fr: words(fr).try_into().expect("five French forms"),
    };
    [
        verb(
            "think thinks thought thinking",
            "penser pense pense pensent pensé",
        ),
        verb("say says said saying", "dire dis dit disent dit"),
        verb("know knows knew knowing", "savoir sais sait savent su"),
        verb(
            "ask asks asked asking",
            "demander demande demande demandent demandé",
        ),
    ]
}

/// `pairs` distinct pairs (no English sentence twice, none longer than
/// [`MAX_TOKENS`] tokens), split in order: the last twelfth is the test
/// split, the twelfth before it the validation split, the rest training.
///
/// # Errors
/// If `pairs` is not in [`PAIRS`].
pub fn real_like_corpus(pairs: usize, seed: u64) -> Result<Split, String> {
    if !PAIRS.contains(&pairs) {
        return Err(format!(
            "--pairs must be from {} to {}, not {pairs}",
            PAIRS.start(),
            PAIRS.end()
        ));
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let lex = build_lexicon(&mut rng);
    let mut g = Gen {
        rng,
        lex,
        zipf: SIZES.map(Zipf::new),
        say: saying_verbs(),
    };
    let tok = Tokenizer::new(true);
    let (mut seen, mut lines) = (HashSet::new(), vec![]);
    while lines.len() < pairs {
        let s = g.sentence();
        let (source, target) = (render(&s.en, false), render(&s.fr, true));
        let long = tok.tokenize(&source).len().max(tok.tokenize(&target).len()) > MAX_TOKENS;
        if !long && seen.insert(source.clone()) {
            lines.push(TextPair { source, target });
        }
    }
    let held = pairs / 12;
    let test = lines.split_off(pairs - held);
    let valid = lines.split_off(pairs - 2 * held);
    Ok(Split {
        train: lines,
        valid,
        test,
    })
}

/// Writes `train.tsv`, `valid.tsv` and `test.tsv` into `dir` (which must
/// exist), each atomically, with `attribution` in the third column.
///
/// # Errors
/// If a file cannot be written; the message names it.
pub fn write_corpus(dir: &Path, split: &Split, attribution: &str) -> Result<(), String> {
    for (name, pairs) in [
        ("train", &split.train),
        ("valid", &split.valid),
        ("test", &split.test),
    ] {
        let line = |p: &TextPair| format!("{}\t{}\t{attribution}\n", p.source, p.target);
        let text: String = pairs.iter().map(line).collect();
        let path = dir.join(format!("{name}.tsv"));
        crate::files::write_atomic(&path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// One line per language about the corpus's shape: word types in training
/// and how many are seen once, the share of test tokens training never
/// shows, and sentence lengths.
pub fn describe(split: &Split) -> Vec<String> {
    let tok = Tokenizer::new(true);
    let mut lines = vec![];
    for (side, name) in [(0, "English"), (1, "French")] {
        let toks = |p: &TextPair| tok.tokenize([&p.source, &p.target][side]);
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut lengths = vec![];
        for t in split.train.iter().map(toks) {
            lengths.push(t.len());
            t.into_iter()
                .for_each(|w| *counts.entry(w).or_default() += 1);
        }
        let is_word = |w: &&String| w.chars().any(char::is_alphanumeric);
        let types: Vec<usize> = counts
            .iter()
            .filter(|(w, _)| is_word(w))
            .map(|(_, c)| *c)
            .collect();
        let test_toks: Vec<String> = split.test.iter().flat_map(toks).collect();
        let unseen = test_toks
            .iter()
            .filter(|w| !counts.contains_key(*w))
            .count();
        lengths.sort_unstable();
        let in_4_20 = lengths.iter().filter(|n| (4..=20).contains(*n)).count();
        lines.push(format!(
            "{name}: {} word types in train, {} seen once; {:.2}% of test tokens not in train; \
             tokens per sentence: median {}, max {}, {:.1}% within 4..=20",
            types.len(),
            types.iter().filter(|&&c| c == 1).count(),
            100.0 * unseen as f64 / test_toks.len().max(1) as f64,
            lengths[lengths.len() / 2],
            lengths[lengths.len() - 1],
            100.0 * in_4_20 as f64 / lengths.len() as f64
        ));
    }
    lines
}
