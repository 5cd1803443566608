//! Turning token lists into text: French contractions and elisions,
//! spacing, capitals and typography for each language.

use super::phrase::{Toks, is_vowel_start};

/// French contractions (`de le` → `du`), then elisions (`le orpal` → `l'orpal`).
fn french_fixups(t: &[String]) -> Toks {
    let mut out: Toks = vec![];
    let mut i = 0;
    while i < t.len() {
        let vowel_after = t.get(i + 2).is_some_and(|w| is_vowel_start(w));
        let merged = match (t[i].as_str(), t.get(i + 1).map(String::as_str)) {
            ("de", Some("le")) if !vowel_after => Some("du"),
            ("à", Some("le")) if !vowel_after => Some("au"),
            ("de", Some("les")) => Some("des"),
            ("à", Some("les")) => Some("aux"),
            ("de", Some("des")) => Some("de"),
            _ => None,
        };
        out.push(merged.unwrap_or(&t[i]).to_string());
        i += 1 + merged.is_some() as usize;
    }
    for i in (1..out.len()).rev() {
        let next = out[i].clone();
        let elided = match out[i - 1].as_str() {
            _ if !is_vowel_start(&next) => continue,
            "le" | "la" => "l'",
            "de" => "d'",
            "que" => "qu'",
            "ne" => "n'",
            "je" => "j'",
            "ce" => "cet",
            "ma" => "mon",
            "sa" => "son",
            "si" if next == "il" || next == "ils" => "s'",
            _ => continue,
        };
        out[i - 1] = elided.into();
    }
    out
}

/// Joins tokens with the language's spacing, capitals and (French) apostrophes.
pub fn render(tokens: &[String], french: bool) -> String {
    let mut tokens = if french {
        french_fixups(tokens)
    } else {
        tokens.to_vec()
    };
    let mut capital = true;
    for i in 0..tokens.len() {
        if !french && tokens[i] == "a" && tokens.get(i + 1).is_some_and(|w| is_vowel_start(w)) {
            tokens[i] = "an".into();
        }
        if capital && tokens[i].starts_with(char::is_alphanumeric) {
            let mut c = tokens[i].chars();
            tokens[i] = c.next().unwrap().to_uppercase().chain(c).collect();
            capital = false;
        }
        capital |= tokens[i] == "«" || tokens[i] == "\"";
    }
    let (mut s, mut glue, mut open) = (String::new(), true, true);
    for t in &tokens {
        match t.as_str() {
            "," | "." => s += t,
            "?" | "!" | ":" | ";" if french => s += &format!("\u{202F}{t}"),
            "?" | "!" | ":" | ";" => s += t,
            "»" => s += "\u{A0}»",
            "«" => s += [" «\u{A0}", "«\u{A0}"][glue as usize],
            "\"" if !open => s += t,
            _ if glue => s += t,
            _ => s += &format!(" {t}"),
        }
        glue = t.ends_with('\'') || t == "«" || (t == "\"" && open);
        open ^= t == "\"";
    }
    let typographic = french && tokens.iter().any(|t| t == "«" || t == "!");
    if typographic {
        s.replace('\'', "\u{2019}")
    } else {
        s
    }
}
