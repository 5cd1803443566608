//! The small grammar behind the built-in English→French corpus.
//!
//! A [`Sentence`](super::Sentence) is a subject
//! [`NounPhrase`](super::NounPhrase), a [`Verb`] and an object
//! noun phrase. A noun phrase is an [`Article`], 0 to 2 adjectives and a
//! noun, singular or plural. English and French differ in three ways the
//! translation model has to learn:
//!
//! - **agreement**: French articles and adjectives take the noun's gender
//!   and number (`la vache blanche`, `les chevaux blancs`), and the verb
//!   takes the subject's number in both languages (`saute` / `sautent`);
//! - **word order**: French adjectives come after the noun, and two of them
//!   come in the reverse order, the one next to the noun staying next to it
//!   (`the quick brown fox` → `le renard brun rapide`);
//! - **prepositions**: `looks at` is `regarde`, with no preposition, while
//!   `dances in front of` is `danse devant`.
//!
//! To keep the English natural, two adjectives are always a quality
//! followed by a colour (`the lazy black cat`, never `the black lazy cat`).
//! Every noun starts with a consonant in both languages, so there is no
//! `an` and no elided `l'`, and no preposition contracts with an article.
//!
//! Counting: a noun phrase has 3 article/number choices (`the` singular,
//! `the` plural, `a` singular) × 20 nouns × 36 adjective choices (none, 10
//! single, 5 qualities × 5 colours), that is 2160; a sentence has
//! 2160 × 10 verbs × 2160 = 46 656 000 possible forms ([`SENTENCE_COUNT`]),
//! each with a different English side.

use Gender::{Feminine as F, Masculine as M};

/// The grammatical gender of a French noun.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gender {
    /// `le`, `un`, `brun`.
    Masculine,
    /// `la`, `une`, `brune`.
    Feminine,
}

/// Singular or plural.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Number {
    /// One.
    Singular,
    /// More than one.
    Plural,
}

/// The article that opens a noun phrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Article {
    /// English `the`; French `le`, `la`, `les`.
    The,
    /// English `a`; French `un`, `une`. Singular only.
    A,
}

/// A noun in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Noun {
    /// English singular.
    pub en: &'static str,
    /// English plural.
    pub en_plural: &'static str,
    /// French singular.
    pub fr: &'static str,
    /// French plural.
    pub fr_plural: &'static str,
    /// French gender.
    pub gender: Gender,
}

/// An adjective in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Adjective {
    /// English form (English adjectives do not agree).
    pub en: &'static str,
    /// Whether it names a colour; a colour comes last of two adjectives in English.
    pub colour: bool,
    /// French forms: masculine singular, feminine singular, masculine
    /// plural, feminine plural.
    pub fr: [&'static str; 4],
}

/// A verb with the preposition that introduces its object, in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verb {
    /// English, singular subject: `jumps over`.
    pub en: &'static str,
    /// English, plural subject: `jump over`.
    pub en_plural: &'static str,
    /// French, singular subject: `saute par-dessus`.
    pub fr: &'static str,
    /// French, plural subject: `sautent par-dessus`.
    pub fr_plural: &'static str,
}

/// A noun.
const fn n(
    en: &'static str,
    en_plural: &'static str,
    fr: &'static str,
    fr_plural: &'static str,
    gender: Gender,
) -> Noun {
    Noun {
        en,
        en_plural,
        fr,
        fr_plural,
        gender,
    }
}

/// The 20 nouns: irregular plurals where the languages have them
/// (`mice`, `wolves`, `chevaux`, invariable `souris`).
pub static NOUNS: [Noun; 20] = [
    n("fox", "foxes", "renard", "renards", M),
    n("dog", "dogs", "chien", "chiens", M),
    n("cat", "cats", "chat", "chats", M),
    n("mouse", "mice", "souris", "souris", F),
    n("cow", "cows", "vache", "vaches", F),
    n("horse", "horses", "cheval", "chevaux", M),
    n("frog", "frogs", "grenouille", "grenouilles", F),
    n("wolf", "wolves", "loup", "loups", M),
    n("duck", "ducks", "canard", "canards", M),
    n("rabbit", "rabbits", "lapin", "lapins", M),
    n("goat", "goats", "chèvre", "chèvres", F),
    n("hen", "hens", "poule", "poules", F),
    n("pig", "pigs", "cochon", "cochons", M),
    n("turtle", "turtles", "tortue", "tortues", F),
    n("snake", "snakes", "serpent", "serpents", M),
    n("lion", "lions", "lion", "lions", M),
    n("tiger", "tigers", "tigre", "tigres", M),
    n("monkey", "monkeys", "singe", "singes", M),
    n("girl", "girls", "fille", "filles", F),
    n("boy", "boys", "garçon", "garçons", M),
];

/// A quality adjective (not a colour).
const fn q(en: &'static str, fr: [&'static str; 4]) -> Adjective {
    Adjective {
        en,
        colour: false,
        fr,
    }
}

/// A colour adjective.
const fn c(en: &'static str, fr: [&'static str; 4]) -> Adjective {
    Adjective {
        en,
        colour: true,
        fr,
    }
}

/// The 10 adjectives: 5 qualities, then 5 colours. All follow the noun in French.
pub static ADJECTIVES: [Adjective; 10] = [
    q("quick", ["rapide", "rapide", "rapides", "rapides"]),
    q(
        "lazy",
        ["paresseux", "paresseuse", "paresseux", "paresseuses"],
    ),
    q("happy", ["heureux", "heureuse", "heureux", "heureuses"]),
    q("tired", ["fatigué", "fatiguée", "fatigués", "fatiguées"]),
    q("hungry", ["affamé", "affamée", "affamés", "affamées"]),
    c("brown", ["brun", "brune", "bruns", "brunes"]),
    c("white", ["blanc", "blanche", "blancs", "blanches"]),
    c("black", ["noir", "noire", "noirs", "noires"]),
    c("red", ["rouge", "rouge", "rouges", "rouges"]),
    c("green", ["vert", "verte", "verts", "vertes"]),
];

/// A verb.
const fn verb(
    en: &'static str,
    en_plural: &'static str,
    fr: &'static str,
    fr_plural: &'static str,
) -> Verb {
    Verb {
        en,
        en_plural,
        fr,
        fr_plural,
    }
}

/// The 10 verbs, each with how its object attaches.
pub static VERBS: [Verb; 10] = [
    verb(
        "jumps over",
        "jump over",
        "saute par-dessus",
        "sautent par-dessus",
    ),
    verb("runs towards", "run towards", "court vers", "courent vers"),
    verb(
        "walks behind",
        "walk behind",
        "marche derrière",
        "marchent derrière",
    ),
    verb("sleeps under", "sleep under", "dort sous", "dorment sous"),
    verb("plays with", "play with", "joue avec", "jouent avec"),
    verb("looks at", "look at", "regarde", "regardent"),
    verb("sees", "see", "voit", "voient"),
    verb("chases", "chase", "chasse", "chassent"),
    verb("watches", "watch", "observe", "observent"),
    verb(
        "dances in front of",
        "dance in front of",
        "danse devant",
        "dansent devant",
    ),
];

/// How many colours and qualities [`ADJECTIVES`] holds.
const fn colours_and_qualities() -> (u64, u64) {
    let (mut colours, mut i) = (0, 0);
    while i < ADJECTIVES.len() {
        if ADJECTIVES[i].colour {
            colours += 1;
        }
        i += 1;
    }
    (colours, ADJECTIVES.len() as u64 - colours)
}

/// The number of distinct noun phrases: 3 article/number choices × nouns ×
/// (1 + adjectives + qualities × colours) = 3 × 20 × 36 = 2160.
const NOUN_PHRASE_COUNT: u64 = {
    let (colours, qualities) = colours_and_qualities();
    3 * NOUNS.len() as u64 * (1 + ADJECTIVES.len() as u64 + qualities * colours)
};

/// The number of distinct sentences, and so of distinct English→French
/// pairs, the grammar can produce: 2160 × 10 × 2160 = 46 656 000.
pub const SENTENCE_COUNT: u64 = NOUN_PHRASE_COUNT * VERBS.len() as u64 * NOUN_PHRASE_COUNT;
