//! A generated English corpus for learning word vectors.
//!
//! Sentences come from templates with slots for words of six kinds —
//! colours, animals, fruits, numbers, places and verbs. Words of one kind
//! fill the same slots, so they share contexts; by the distributional
//! hypothesis behind Word2Vec and GloVe, their vectors should end up close.

use crate::tensor::{Rng, rng};
use rand::RngExt;

/// Colour words.
pub const COLOURS: [&str; 10] = [
    "red", "blue", "green", "yellow", "black", "white", "brown", "orange", "purple", "grey",
];
/// Animal words.
pub const ANIMALS: [&str; 10] = [
    "cat", "dog", "horse", "cow", "fox", "wolf", "rabbit", "mouse", "bird", "duck",
];
/// Fruit words.
pub const FRUITS: [&str; 10] = [
    "apple", "banana", "cherry", "grape", "lemon", "pear", "plum", "peach", "melon", "mango",
];
/// Number words.
pub const NUMBERS: [&str; 10] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
];
/// Place words.
pub const PLACES: [&str; 10] = [
    "house", "garden", "forest", "river", "field", "village", "city", "market", "school", "park",
];
/// Verbs (third person singular).
pub const VERBS: [&str; 8] = [
    "runs", "walks", "sleeps", "jumps", "plays", "hides", "waits", "sits",
];

/// The word categories, each with a name (for tests and plots).
pub const CATEGORIES: [(&str, &[&str]); 6] = [
    ("colour", &COLOURS),
    ("animal", &ANIMALS),
    ("fruit", &FRUITS),
    ("number", &NUMBERS),
    ("place", &PLACES),
    ("verb", &VERBS),
];

/// The category of a word, if it has one.
pub fn category_of(word: &str) -> Option<&'static str> {
    CATEGORIES
        .iter()
        .find(|(_, words)| words.contains(&word))
        .map(|(name, _)| *name)
}

const TEMPLATES: [&str; 12] = [
    "the {colour} {animal} {verb} in the {place}",
    "a {colour} {animal} {verb} near the {place}",
    "the {animal} eats a {colour} {fruit}",
    "my favourite colour is {colour}",
    "she painted the {place} {colour} and {colour}",
    "{number} plus {number} makes {number}",
    "there are {number} {fruit} trees in the {place}",
    "we bought {number} {fruit} at the {place}",
    "the {fruit} is {colour}",
    "the {animal} {verb} with {number} friends",
    "he counted {number} {animal} and {number} {animal}",
    "the {animal} and the {animal} {verb} in the {place}",
];

fn pick<'a>(words: &[&'a str], r: &mut Rng) -> &'a str {
    words[r.random_range(0..words.len())]
}

/// One sentence: a random template with random words in its slots.
fn sentence(r: &mut Rng) -> String {
    let mut s = TEMPLATES[r.random_range(0..TEMPLATES.len())].to_string();
    for (name, words) in CATEGORIES {
        let slot = format!("{{{name}}}");
        while let Some(at) = s.find(&slot) {
            s.replace_range(at..at + slot.len(), pick(words, r));
        }
    }
    s
}

/// `n` sentences drawn with the seed; 5,000 give about 35,000 tokens.
pub fn word_vector_corpus(n: usize, seed: u64) -> Vec<String> {
    let mut r = rng(seed);
    (0..n).map(|_| sentence(&mut r)).collect()
}
