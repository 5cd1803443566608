//! The invented lexicon: nouns, adjectives and verbs built from syllables,
//! with English and French spellings, plurals, feminines and verb forms,
//! and the Zipf–Mandelbrot sampler that picks words by frequency rank.

use super::phrase::{is_vowel_start, pick, words};
use rand::RngExt;
use rand::rngs::StdRng;
use std::collections::HashSet;

/// Lexicon sizes: nouns, adjectives, verbs.
pub const SIZES: [usize; 3] = [6000, 2000, 2000];
/// Words are drawn by the Zipf–Mandelbrot law P(rank r) ∝ (r + Q)^-S.
const S: f64 = 1.85;
const Q: f64 = 15.0;
const FUNCTION_EN: &str = "the a an some my your his her our their this that these those i he she \
    they is are am was were be do does did not will can to and but because when if why where what \
    often always sometimes never today yesterday tomorrow at every morning in on under near behind \
    with without for from front of next after before want very kilos euros meters it we us me him \
    them so or no yes go";
const FUNCTION_FR: &str = "le la les un une des de du au aux à ce cet cette ces mon ma mes ton ta \
    son sa ses notre nos votre vos leur leurs je il elle ils est sont suis était étaient étais ai a \
    ont vais va vont ne pas que qui et mais parce si quand pourquoi où quel quelle quels quelles \
    souvent toujours parfois jamais hier demain chaque matin heures dans sur sous près derrière avec \
    sans pour devant côté après avant être en train très kilos euros mètres h tu vous nous on y se \
    me te lui eux moi toi ou ni or donc car oui non";
const ONSETS: &str = "b br d dr f fl g gr k kl l m n p pl r s st t tr v z sh th ch j sp gl";
const VOWELS: &str = "a e i o u a e o ai ea oo ou";
const CODAS: &str = "- - - k l n r s t m rk nd lt sk x ek";

/// Singular and plural; the French gender.
pub struct Noun {
    pub en: [String; 2],
    pub fr: [String; 2],
    pub fem: bool,
}

/// French forms m.sg, f.sg, m.pl, f.pl.
pub struct Adj {
    pub en: String,
    pub fr: [String; 4],
}

/// English base, 3sg, past, -ing; French infinitive, 1sg, 3sg, 3pl, past participle.
pub struct Verb {
    pub en: [String; 4],
    pub fr: [String; 5],
}

/// An invented English-looking stem.
fn en_stem(rng: &mut StdRng, syllables: usize) -> String {
    let mut s = String::new();
    for i in 0..syllables {
        if i > 0 || !rng.random_bool(0.25) {
            s += pick(rng, ONSETS, ' ');
        }
        s += pick(rng, VOWELS, ' ');
        if i + 1 == syllables || rng.random_bool(0.15) {
            s += pick(rng, CODAS, ' ').trim_matches('-');
        }
    }
    s
}

/// The French spelling of an invented stem, with an accent now and then.
fn frenchify(rng: &mut StdRng, stem: &str) -> String {
    let mut s = stem.to_string();
    for (from, to) in [("sh", "ch"), ("th", "t"), ("oo", "ou"), ("ea", "é")] {
        s = s.replace(from, to);
    }
    if let Some(head) = s.strip_suffix("ek") {
        s = format!("{head}èque");
    } else if let Some(head) = s.strip_suffix('k') {
        s = format!("{head}que");
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            'k' if chars.get(i + 1).is_some_and(|n| "eiéè".contains(*n)) => out += "qu",
            'k' => out.push('c'),
            _ => out.push(c),
        }
    }
    let body = &out[..out.char_indices().last().unwrap().0];
    if body.contains('e') && rng.random_bool(0.3) {
        return out.replacen('e', ["è", "é", "é"][rng.random_range(0..3)], 1);
    }
    let (from, to) = pick(rng, "i=î|o=ô|a=â", '|').split_once('=').unwrap();
    let to = if rng.random_bool(0.06) { to } else { from };
    out.replacen(from, to, 1)
}

fn en_plural(w: &str) -> String {
    let sibilant = ["s", "x", "z", "sh", "ch"].iter().any(|e| w.ends_with(e));
    format!("{w}{}", ["s", "es"][sibilant as usize])
}

fn fr_plural(w: &str, fem: bool) -> String {
    match w.strip_suffix("al") {
        _ if w.ends_with(['s', 'x', 'z']) => w.to_string(),
        Some(head) if !fem => format!("{head}aux"),
        _ => format!("{w}s"),
    }
}

fn fr_feminine(w: &str) -> String {
    for (m, f) in [
        ("eux", "euse"),
        ("el", "elle"),
        ("en", "enne"),
        ("é", "ée"),
        ("e", "e"),
    ] {
        if let Some(head) = w.strip_suffix(m) {
            return format!("{head}{f}");
        }
    }
    format!("{w}e")
}

/// Nouns, adjectives and verbs, most frequent first.
pub type Lexicon = (Vec<Noun>, Vec<Adj>, Vec<Verb>);

/// Takes all `en` and `fr` forms for a new word if none is taken yet.
fn claim(used: &mut [HashSet<String>; 2], en: &[String], fr: &[String]) -> bool {
    let free = |set: &HashSet<String>, ws: &[String]| ws.iter().all(|w| !set.contains(w));
    if !free(&used[0], en) || !free(&used[1], fr) {
        return false;
    }
    used[0].extend(en.iter().cloned());
    used[1].extend(fr.iter().cloned());
    true
}

/// The invented lexicon; frequent words are short (Zipf's law of abbreviation).
// Long function: the lexicon's three word classes drawn in turn, each with its French forms.
pub fn build_lexicon(rng: &mut StdRng) -> Lexicon {
    let set = |s: &str| words(s).into_iter().collect::<HashSet<_>>();
    let mut used = [set(FUNCTION_EN), set(FUNCTION_FR)];
    let stem = |rng: &mut StdRng, rank: usize| loop {
        let n = if rank < 150 {
            rng.random_range(1..=2)
        } else {
            2 + rng.random_bool(0.25) as usize
        };
        let s = en_stem(rng, n);
        if s.len() >= 3 {
            return s;
        }
    };
    let (mut nouns, mut adjs, mut verbs) = (vec![], vec![], vec![]);
    while nouns.len() < SIZES[0] {
        let (mut en, fem) = (stem(rng, nouns.len()), rng.random_bool(0.5));
        let mut fr = frenchify(rng, &en);
        if fem && !fr.ends_with('e') && rng.random_bool(0.6) {
            fr.push('e');
        }
        if rng.random_bool(0.04) {
            let other = en_stem(rng, 1);
            fr = format!("{fr}-{}", frenchify(rng, &other));
            en = format!("{en}-{other}");
        }
        let (en, fr) = (
            [en.clone(), en_plural(&en)],
            [fr.clone(), fr_plural(&fr, fem)],
        );
        if claim(&mut used, &en, &fr) {
            nouns.push(Noun { en, fr, fem });
        }
    }
    while adjs.len() < SIZES[1] {
        let stem = stem(rng, adjs.len());
        let base = frenchify(rng, &stem);
        let suffixes = pick(rng, "=|=|=al|y=eux|ish=âtre|ful=el", '|');
        let (suffix_en, suffix_fr) = suffixes.split_once('=').unwrap();
        let base = match base.strip_suffix('e') {
            Some(head) if is_vowel_start(suffix_fr) => head.to_string(),
            _ => base,
        };
        let m = format!("{base}{suffix_fr}");
        let f = fr_feminine(&m);
        let fr = [m.clone(), f.clone(), fr_plural(&m, false), format!("{f}s")];
        let en = format!("{stem}{suffix_en}");
        if claim(&mut used, std::slice::from_ref(&en), &fr) {
            adjs.push(Adj { en, fr });
        }
    }
    while verbs.len() < SIZES[2] {
        let en = stem(rng, verbs.len());
        let mut fr = frenchify(rng, &en);
        fr = fr.strip_suffix('e').map_or(fr.clone(), String::from);
        if !fr.ends_with("qu") && fr.ends_with(|c: char| is_vowel_start(&c.to_string())) {
            fr.push('n');
        }
        let e_less = en.strip_suffix('e').filter(|h| !h.ends_with('e'));
        let e_less = e_less.unwrap_or(&en);
        let en = [
            &en,
            &en_plural(&en),
            &format!("{e_less}ed"),
            &format!("{e_less}ing"),
        ];
        let en = en.map(String::from);
        let fr = ["er", "e", "e", "ent", "é"].map(|e| format!("{fr}{e}"));
        if fr[0].len() > 3 && claim(&mut used, &en, &fr) {
            verbs.push(Verb { en, fr });
        }
    }
    (nouns, adjs, verbs)
}

/// Rank sampling by the Zipf–Mandelbrot law: the cumulative weights.
pub struct Zipf(Vec<f64>);

impl Zipf {
    pub fn new(n: usize) -> Zipf {
        let (mut acc, mut cumulative) = (0.0, Vec::with_capacity(n));
        for r in 1..=n {
            acc += (r as f64 + Q).powf(-S);
            cumulative.push(acc);
        }
        Zipf(cumulative)
    }
    pub fn sample(&self, rng: &mut StdRng) -> usize {
        let u = rng.random::<f64>() * self.0[self.0.len() - 1];
        self.0.partition_point(|&c| c <= u).min(self.0.len() - 1)
    }
}
