//! Bilingual phrases and the helpers every part of the generator shares:
//! token lists, `english=french` pairs, noun phrases and verb groups, and
//! the subject-agreement tables that put a verb in one of four tenses.

use super::lexicon::Verb;
use rand::RngExt;
use rand::rngs::StdRng;
use std::ops::Add;

/// Subject persons (I = 0, he/she/it, they): indices into the verb tables.
pub const SG: usize = 1;
pub const PL: usize = 2;
pub const DO: [&str; 3] = ["do", "does", "do"];
pub const BE: [&str; 3] = ["am", "is", "are"];
pub const WAS: [&str; 3] = ["was", "was", "were"];
pub const ETRE: [&str; 3] = ["suis", "est", "sont"];
pub const ETAIT: [&str; 3] = ["étais", "était", "étaient"];
pub const ALLER: [&str; 3] = ["vais", "va", "vont"];
const AVOIR: [&str; 3] = ["ai", "a", "ont"];

pub type Toks = Vec<String>;

pub fn words(s: &str) -> Toks {
    s.split_whitespace().map(String::from).collect()
}

/// Form `i` of a space-separated list of forms, cycling through short lists.
pub fn form(forms: &str, i: usize) -> &str {
    let f: Vec<&str> = forms.split(' ').collect();
    f[i % f.len()]
}

/// A phrase in both languages.
#[derive(Clone, Default)]
pub struct Bi {
    pub en: Toks,
    pub fr: Toks,
}

pub fn bi(en: &str, fr: &str) -> Bi {
    let (en, fr) = (words(en), words(fr));
    Bi { en, fr }
}

impl Add for Bi {
    type Output = Bi;
    fn add(mut self, o: Bi) -> Bi {
        self.en.extend(o.en);
        self.fr.extend(o.fr);
        self
    }
}

/// A noun phrase and what agrees with it.
pub struct Np {
    pub bi: Bi,
    pub person: usize,
    pub fem: bool,
}

/// A verb group; `aux` and `tail` make the English question `aux SUBJECT tail`.
pub struct Vg {
    pub bi: Bi,
    pub aux: String,
    pub tail: Toks,
}

pub fn vg(en: &str, aux: &str, tail: &str, fr: &str) -> Vg {
    let (bi, aux, tail) = (bi(en, fr), aux.to_string(), words(tail));
    Vg { bi, aux, tail }
}

pub fn is_vowel_start(w: &str) -> bool {
    let first = w.chars().next();
    first.is_some_and(|c| "aeiouyàâéèêëîïôœ".contains(c))
}

pub fn pick<'a>(rng: &mut StdRng, list: &'a str, sep: char) -> &'a str {
    let items: Vec<&str> = list.split(sep).filter(|s| !s.is_empty()).collect();
    items[rng.random_range(0..items.len())]
}

/// Verb `v` for person `p` in `tense`: 0 present, 1 past, 2 future, 3 progressive.
pub fn tensed(v: &Verb, p: usize, tense: usize) -> Vg {
    let [base, now, past, ing] = [&v.en[0], &v.en[(p == SG) as usize], &v.en[2], &v.en[3]];
    let (inf, pp) = (&v.fr[0], &v.fr[4]);
    match tense {
        0 => vg(now, DO[p], base, &v.fr[1 + p]),
        1 => vg(past, "did", base, &format!("{} {pp}", AVOIR[p])),
        2 => vg(
            &format!("will {base}"),
            "will",
            base,
            &format!("{} {inf}", ALLER[p]),
        ),
        _ => {
            let fr = format!("{} en train de {inf}", ETRE[p]);
            vg(&format!("{} {ing}", BE[p]), BE[p], ing, &fr)
        }
    }
}
