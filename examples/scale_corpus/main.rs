//! Writes a generated English→French corpus the size of a real one, in the
//! three-column format of the Tatoeba/Anki `fra.txt` files:
//!
//! ```sh
//! cargo run --release --example scale_corpus -- OUT_DIR [--pairs 18000] [--seed 0]
//! ```
//!
//! `OUT_DIR/train.tsv`, `valid.tsv` and `test.tsv` (by default 15,000 /
//! 1,500 / 1,500 pairs) hold `English<TAB>French<TAB>attribution` lines.
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

mod grammar;
mod lexicon;
mod phrase;
mod text;

use grammar::Gen;
use lexicon::{SIZES, Verb, Zipf, build_lexicon};
use phrase::words;
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use text::{render, tokenize};

const USAGE: &str = "usage: scale_corpus OUT_DIR [--pairs N (default 18000, >= 12)] [--seed S]";
/// The longest sentence kept, in tokens on either side.
const MAX_TOKENS: usize = 40;

/// Writes `NAME.tmp` next to `path`, then renames it into place.
fn write_atomic(path: &Path, text: &str) -> Result<(), String> {
    let tmp = path.with_extension("tsv.tmp");
    std::fs::write(&tmp, text).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot rename {}: {e}", tmp.display()))
}

fn parse_args() -> Result<Option<(PathBuf, usize, u64)>, String> {
    let (mut out, mut pairs, mut seed) = (None, 18_000, 0);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || {
            let v = args.next().ok_or(format!("{a} needs a value\n{USAGE}"))?;
            v.parse::<u64>()
                .map_err(|_| format!("{a}: {v:?} is not a non-negative integer"))
        };
        match a.as_str() {
            "-h" | "--help" => return Ok(None),
            "--pairs" => pairs = value()? as usize,
            "--seed" => seed = value()?,
            f if f.starts_with('-') => return Err(format!("unknown flag {f}\n{USAGE}")),
            _ if out.is_none() => out = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument {a:?}\n{USAGE}")),
        }
    }
    if !(12..=2_000_000).contains(&pairs) {
        return Err(format!(
            "--pairs must be between 12 and 2000000, not {pairs}"
        ));
    }
    Ok(Some((
        out.ok_or(format!("missing OUT_DIR\n{USAGE}"))?,
        pairs,
        seed,
    )))
}

fn run() -> Result<(), String> {
    let Some((dir, pairs, seed)) = parse_args()? else {
        println!("{USAGE}");
        return Ok(());
    };
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut rng = StdRng::seed_from_u64(seed);
    let (lex, zipf) = (build_lexicon(&mut rng), SIZES.map(Zipf::new));
    let verb = |en: &str, fr: &str| {
        let (en, fr) = (words(en).try_into().unwrap(), words(fr).try_into().unwrap());
        Verb { en, fr }
    };
    let say = [
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
    ];
    let mut g = Gen {
        rng,
        lex,
        zipf,
        say,
    };
    let (mut seen, mut lines) = (HashSet::new(), vec![]);
    while lines.len() < pairs {
        let s = g.sentence();
        let (en, fr) = (render(&s.en, false), render(&s.fr, true));
        let long = tokenize(&en).len().max(tokenize(&fr).len()) > MAX_TOKENS;
        if !long && seen.insert(en.clone()) {
            lines.push((en, fr));
        }
    }
    let held = pairs / 12;
    let (valid, test) = (pairs - 2 * held, pairs - held);
    let attribution = format!("generated by examples/scale_corpus, seed {seed}");
    for (name, range) in [
        ("train", 0..valid),
        ("valid", valid..test),
        ("test", test..pairs),
    ] {
        let line = |(e, f): &(String, String)| format!("{e}\t{f}\t{attribution}\n");
        let text: String = lines[range].iter().map(line).collect();
        write_atomic(&dir.join(format!("{name}.tsv")), &text)?;
    }
    println!(
        "wrote {}: train {valid}, valid {held}, test {held} pairs",
        dir.display()
    );
    for (side, name) in [(0, "English"), (1, "French")] {
        let toks = |l: &(String, String)| tokenize([&l.0, &l.1][side]);
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut lengths = vec![];
        for t in lines[..valid].iter().map(toks) {
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
        let test_toks: Vec<String> = lines[test..].iter().flat_map(toks).collect();
        let unseen = test_toks
            .iter()
            .filter(|w| !counts.contains_key(*w))
            .count();
        lengths.sort_unstable();
        let in_4_20 = lengths.iter().filter(|n| (4..=20).contains(*n)).count();
        println!(
            "{name}: {} word types in train, {} seen once; {:.2}% of test tokens not in train; \
             tokens per sentence: median {}, max {}, {:.1}% within 4..=20",
            types.len(),
            types.iter().filter(|&&c| c == 1).count(),
            100.0 * unseen as f64 / test_toks.len() as f64,
            lengths[lengths.len() / 2],
            lengths[lengths.len() - 1],
            100.0 * in_4_20 as f64 / lengths.len() as f64
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scale_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
