//! The captions of the docs' pictures against the data the pictures show.
//!
//! Each notebook that draws a picture into `docs/img/NAME.png` also saves
//! the numbers it drew to `docs/img/NAME.json` (`encdec::viz::save_data`).
//! A caption's claims are read as a sequence of *atoms* — integers,
//! decimals and `backticked` words, in order; other text is free — and each
//! picture has a rule that says what the sequence claims:
//!
//! | picture | atoms | claim |
//! |---|---|---|
//! | `greedy_steps` | step, then (`word`, p) pairs | the word is a candidate of that step with probability p; the first pair after a step is the word written |
//! | `training_curves` | threshold, epoch, then `series` and (value, epoch) pairs | `val_acc` first exceeds the threshold at that epoch; the series has that value at each epoch |
//! | `word_vectors_pca`, `word_vectors_glove` | PC1 %, PC2 %, then (`a`, `b`) pairs | the shares of variance; `b` is the point nearest to `a` in the picture |
//! | `transformer_heads` | layer, then (head, `target`, `source`, weight) | in that head of that layer the row of `target` is largest at `source`, with that weight |
//!
//! A decimal matches when it equals the data rounded to as many decimals as
//! the caption writes. The English page and its Chinese counterpart must
//! state the same atoms. `every_claim_can_fail` changes each atom of each
//! caption in turn and requires the check to fail: a caption no data
//! could contradict would prove nothing.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// One claim-carrying piece of a caption.
#[derive(Clone, Debug, PartialEq)]
enum Atom {
    Int(i64),
    /// The value and the number of decimals written.
    Dec(f64, usize),
    Word(String),
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The caption under the picture `img/NAME.png` in a markdown file: the
/// paragraph after the image line, which must be in italics.
fn caption(page: &Path, name: &str) -> String {
    let text = std::fs::read_to_string(page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
    let lines: Vec<&str> = text.lines().collect();
    let target = format!("img/{name}.png)");
    let at = (lines
        .iter()
        .position(|l| l.starts_with("![") && l.contains(&target)))
    .unwrap_or_else(|| panic!("{} shows no picture {name}.png", page.display()));
    let rest = lines[at + 1..].iter().skip_while(|l| l.trim().is_empty());
    let paragraph: Vec<&str> = rest.take_while(|l| !l.trim().is_empty()).copied().collect();
    let caption = paragraph.join(" ");
    assert!(
        caption.starts_with('*'),
        "{}: the paragraph under {name}.png is not an italic caption: {caption:?}",
        page.display()
    );
    caption
}

/// The atoms of a caption: `backticked` words, and numbers that do not
/// follow an ASCII letter, a digit or `§` (so "PC1" and "§4" hold none).
fn atoms(text: &str) -> Vec<Atom> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            let end = (i + 1..chars.len())
                .find(|&k| chars[k] == '`')
                .expect("unclosed `");
            out.push(Atom::Word(chars[i + 1..end].iter().collect()));
            i = end + 1;
        } else if c.is_ascii_digit()
            && i > 0
            && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '§')
        {
            // part of a name ("PC1") or a section ("§5.1"): skip the whole number
            let digit = |k: usize| chars.get(k).is_some_and(char::is_ascii_digit);
            while digit(i) || chars.get(i) == Some(&'.') && digit(i + 1) {
                i += 1;
            }
        } else if c.is_ascii_digit() {
            let mut end = i;
            while end < chars.len() && chars[end].is_ascii_digit() {
                end += 1;
            }
            let whole: String = chars[i..end].iter().collect();
            if end + 1 < chars.len() && chars[end] == '.' && chars[end + 1].is_ascii_digit() {
                let start = end + 1;
                end = start;
                while end < chars.len() && chars[end].is_ascii_digit() {
                    end += 1;
                }
                let frac: String = chars[start..end].iter().collect();
                let value = format!("{whole}.{frac}").parse().unwrap();
                out.push(Atom::Dec(value, frac.len()));
            } else {
                out.push(Atom::Int(whole.parse().unwrap()));
            }
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Whether `data` rounded to `places` decimals is `claimed`.
fn same(claimed: f64, places: usize, data: f64) -> bool {
    let scale = 10f64.powi(places as i32);
    ((data * scale).round() - claimed * scale).abs() < 1e-6
}

fn int(a: Option<&Atom>) -> Result<i64, String> {
    match a {
        Some(Atom::Int(n)) => Ok(*n),
        other => Err(format!("expected an integer, found {other:?}")),
    }
}

fn dec(a: Option<&Atom>) -> Result<(f64, usize), String> {
    match a {
        Some(Atom::Dec(v, p)) => Ok((*v, *p)),
        other => Err(format!("expected a decimal, found {other:?}")),
    }
}

fn word(a: Option<&Atom>) -> Result<String, String> {
    match a {
        Some(Atom::Word(w)) => Ok(w.clone()),
        other => Err(format!("expected a `word`, found {other:?}")),
    }
}

fn num(v: &Value) -> f64 {
    v.as_f64().expect("a number in the JSON")
}

fn greedy_steps(atoms: &[Atom], data: &Value) -> Result<(), String> {
    let steps = data["steps"].as_array().ok_or("no steps in the data")?;
    let mut k = 0;
    while k < atoms.len() {
        let step = int(atoms.get(k))? as usize;
        let s = steps
            .get(step.wrapping_sub(1))
            .ok_or(format!("no step {step}"))?;
        let candidates = s["candidates"].as_array().ok_or("no candidates")?;
        let chosen = s["chosen"].as_u64().ok_or("no chosen")? as usize;
        k += 1;
        let mut first = true;
        while let Some(Atom::Word(_)) = atoms.get(k) {
            let w = word(atoms.get(k))?;
            let (p, places) = dec(atoms.get(k + 1))?;
            let at = (candidates.iter().position(|c| c[0] == w.as_str()))
                .ok_or(format!("step {step}: {w:?} is not a candidate"))?;
            if first && at != chosen {
                return Err(format!("step {step}: the word written is not {w:?}"));
            }
            let data_p = num(&candidates[at][1]);
            if !same(p, places, data_p) {
                return Err(format!("step {step}: p({w}) is {data_p}, not {p}"));
            }
            first = false;
            k += 2;
        }
        if first {
            return Err(format!("step {step}: no (`word`, probability) claim"));
        }
    }
    Ok(())
}

fn training_curves(atoms: &[Atom], data: &Value) -> Result<(), String> {
    let series = |name: &str| -> Result<Vec<f64>, String> {
        let values = data[name].as_array().ok_or(format!("no series {name:?}"))?;
        Ok(values.iter().map(num).collect())
    };
    let (threshold, _) = dec(atoms.first())?;
    let epoch = int(atoms.get(1))? as usize;
    let val_acc = series("val_acc")?;
    let first = val_acc.iter().position(|&a| a > threshold).map(|e| e + 1);
    if first != Some(epoch) {
        return Err(format!(
            "val_acc first exceeds {threshold} at epoch {first:?}, not {epoch}"
        ));
    }
    let mut k = 2;
    while k < atoms.len() {
        let name = word(atoms.get(k))?;
        let values = series(&name)?;
        k += 1;
        let start = k;
        while let Some(Atom::Dec(..)) = atoms.get(k) {
            let (value, places) = dec(atoms.get(k))?;
            let epoch = int(atoms.get(k + 1))? as usize;
            let data_v = *values
                .get(epoch.wrapping_sub(1))
                .ok_or(format!("no epoch {epoch}"))?;
            if !same(value, places, data_v) {
                return Err(format!("{name} at epoch {epoch} is {data_v}, not {value}"));
            }
            k += 2;
        }
        if k == start {
            return Err(format!("no (value, epoch) claim about {name}"));
        }
    }
    Ok(())
}

fn word_vectors(atoms: &[Atom], data: &Value) -> Result<(), String> {
    let share = data["variance_share"]
        .as_array()
        .ok_or("no variance_share")?;
    for (k, s) in share.iter().take(2).enumerate() {
        let claimed = int(atoms.get(k))?;
        let percent = (100.0 * num(s)).round() as i64;
        if claimed != percent {
            return Err(format!(
                "PC{} shows {percent} % of the variance, not {claimed}",
                k + 1
            ));
        }
    }
    let words: Vec<&str> = (data["words"].as_array().ok_or("no words")?.iter())
        .map(|w| w.as_str().unwrap_or(""))
        .collect();
    let points: Vec<(f64, f64)> = (data["points"].as_array().ok_or("no points")?.iter())
        .map(|p| (num(&p[0]), num(&p[1])))
        .collect();
    for pair in atoms[2..].chunks(2) {
        let (a, b) = (word(pair.first())?, word(pair.get(1))?);
        let i = words
            .iter()
            .position(|w| *w == a)
            .ok_or(format!("no word {a:?}"))?;
        let distance = |j: usize| (points[j].0 - points[i].0).hypot(points[j].1 - points[i].1);
        let nearest = (0..words.len())
            .filter(|&j| j != i)
            .min_by(|&j, &k| distance(j).total_cmp(&distance(k)))
            .ok_or("one point only")?;
        if words[nearest] != b {
            return Err(format!(
                "the point nearest {a:?} is {:?}, not {b:?}",
                words[nearest]
            ));
        }
    }
    Ok(())
}

fn transformer_heads(atoms: &[Atom], data: &Value) -> Result<(), String> {
    let layer = int(atoms.first())?;
    if Some(layer) != data["layer"].as_i64() {
        return Err(format!(
            "the picture shows layer {}, not {layer}",
            data["layer"]
        ));
    }
    let names = |key: &str| -> Vec<String> {
        (data[key].as_array().into_iter().flatten())
            .map(|w| w.as_str().unwrap_or("").to_string())
            .collect()
    };
    let (src, tgt) = (names("src"), names("tgt"));
    for claim in atoms[1..].chunks(4) {
        let head = int(claim.first())? as usize;
        let (t, s) = (word(claim.get(1))?, word(claim.get(2))?);
        let (w, places) = dec(claim.get(3))?;
        let rows = &data["weights"][head.wrapping_sub(1)];
        let i = tgt
            .iter()
            .position(|x| *x == t)
            .ok_or(format!("no target word {t:?}"))?;
        let row: Vec<f64> = rows[i]
            .as_array()
            .ok_or(format!("no head {head}"))?
            .iter()
            .map(num)
            .collect();
        let j = (0..row.len()).fold(0, |b, j| if row[j] > row[b] { j } else { b });
        if src[j] != s || !same(w, places, row[j]) {
            let found = format!("{:?} with {}", src[j], row[j]);
            return Err(format!(
                "head {head}: {t:?} looks most at {found}, not {s:?} with {w}"
            ));
        }
    }
    Ok(())
}

type Rule = fn(&[Atom], &Value) -> Result<(), String>;

/// Every checked picture: its name, the English page (the Chinese one has
/// the same name under `docs/zh/`) and its rule.
const PICTURES: [(&str, &str, Rule); 5] = [
    ("greedy_steps", "ch3-encoding-decoding.md", greedy_steps),
    ("training_curves", "ch5-keras-model.md", training_curves),
    ("word_vectors_pca", "ch3-1-word-vectors.md", word_vectors),
    ("word_vectors_glove", "ch3-1-word-vectors.md", word_vectors),
    (
        "transformer_heads",
        "ch6-applications.md",
        transformer_heads,
    ),
];

fn data_of(name: &str) -> Value {
    let path = root().join(format!("docs/img/{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The atoms of the English caption, after checking that the Chinese one
/// states the same.
fn claims(name: &str, page: &str) -> Vec<Atom> {
    let en = atoms(&caption(&root().join("docs").join(page), name));
    let zh = atoms(&caption(&root().join("docs/zh").join(page), name));
    assert_eq!(
        en, zh,
        "{name}: the English and Chinese captions claim different things"
    );
    assert!(
        en.len() >= 3,
        "{name}: the caption makes no checkable claim: {en:?}"
    );
    en
}

#[test]
fn captions_agree_with_the_data_drawn() {
    for (name, page, rule) in PICTURES {
        let claims = claims(name, page);
        if let Err(why) = rule(&claims, &data_of(name)) {
            panic!("docs/{page}, caption of {name}.png: {why}\n(claims: {claims:?})");
        }
    }
}

#[test]
fn every_claim_can_fail() {
    for (name, page, rule) in PICTURES {
        let (claims, data) = (claims(name, page), data_of(name));
        for k in 0..claims.len() {
            let mut wrong = claims.clone();
            wrong[k] = match &claims[k] {
                Atom::Int(n) => Atom::Int(n + 1),
                Atom::Dec(v, p) => Atom::Dec(v + 0.1, *p),
                Atom::Word(_) => Atom::Word("zzz".into()),
            };
            assert!(
                rule(&wrong, &data).is_err(),
                "{name}: changing claim {k} ({:?}) to {:?} still passes",
                claims[k],
                wrong[k]
            );
        }
    }
}

#[test]
fn atoms_are_read_in_order() {
    let text = "*At step 2, `renard` (0.97); PC1 shows 23 %, §5.1 and 2-D, `le` 1.5.*";
    let want = [
        Atom::Int(2),
        Atom::Word("renard".into()),
        Atom::Dec(0.97, 2),
        Atom::Int(23),
        Atom::Int(2),
        Atom::Word("le".into()),
        Atom::Dec(1.5, 1),
    ];
    assert_eq!(atoms(text), want);
    assert!(same(0.97, 2, 0.9712) && !same(0.97, 2, 0.9649));
}
