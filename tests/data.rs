//! The data pipeline: tokenizer (`data/tokenizer.rs`), vocabulary
//! (`data/vocab.rs`) and the built-in English→French corpus
//! (`data/corpus.rs`): hand-checked examples and proptest properties.

#[path = "data/corpus.rs"]
mod corpus;
#[path = "data/tokenizer.rs"]
mod tokenizer;
#[path = "data/vocab.rs"]
mod vocab;

/// Owned tokens from string literals.
pub fn toks(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}
