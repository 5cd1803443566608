//! Every data set encdec generates, and nothing else: small grammars that
//! write sentence pairs with no download, seeded so that a seed always
//! gives the same pairs.
//!
//! | corpus | tutorial | what it holds |
//! |---|---|---|
//! | [`translation_corpus`] | §4.3, §6.1 | English→French sentences from a grammar with gender and number agreement ([`Sentence`]); the tutorial's fox sentence ([`FOX_EN`], [`FOX_FR`]) is kept for the test split |
//! | [`summarization_corpus`] | §6.2 | a short news [`Document`] about one [`Event`], with distractor sentences, and its headline |
//! | [`dialogue_corpus`] | §6.3 | a [`Dialogue`] history and the bot's next reply, which depends on earlier turns |
//! | [`word_vector_corpus`] | §3.1 | sentences whose words fall into categories (colours, animals, ...) for Word2Vec and GloVe |
//! | [`real_like::write_corpus`] | §5.1 | a corpus the size and shape of a real one, written as tab-separated files |
//!
//! ```
//! use encdec::corpora::translation_corpus;
//! use encdec::text::{Tokenizer, Vocab};
//!
//! let split = translation_corpus(100, 0);
//! let tok = Tokenizer::new(true);
//! let fr: Vec<Vec<String>> = split.train.iter().map(|p| tok.tokenize(&p.target)).collect();
//! let vocab = Vocab::build(fr.iter().map(|s| s.as_slice()), 1);
//! assert_eq!(vocab.decode(&vocab.encode(&fr[0])), fr[0]);
//! ```

mod dialogue;
mod dialogue_topic;
mod dialogue_words;
mod grammar;
mod news;
pub mod real_like;
mod sentence;
mod split;
mod summaries;
mod translation;
mod word_vectors;

pub use dialogue::{DIALOGUE_COUNT, Dialogue, dialogue_corpus};
pub use dialogue_topic::Topic;
pub use dialogue_words::{CITIES, City, DISHES, SIZES, SMALL_TALK, WEATHER_DAYS};
pub use grammar::{
    ADJECTIVES, Adjective, Article, Gender, NOUNS, Noun, Number, SENTENCE_COUNT, VERBS, Verb,
};
pub use news::{ACTIONS, Action, DAYS, EVENT_COUNT, PLACES, Part, ROLES, Role};
pub use sentence::{NounPhrase, Sentence};
pub use split::Split;
pub use summaries::{Document, Event, summarization_corpus};
pub use translation::{
    FOX_EN, FOX_FR, MAX_CLAUSES, generate, generate_clauses, translation_corpus,
    translation_corpus_clauses,
};
pub use word_vectors::{CATEGORIES, category_of, word_vector_corpus};

use std::fmt;

/// A sentence, noun phrase, event or dialogue the grammar does not allow;
/// the text says why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrammarError(pub String);

impl fmt::Display for GrammarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "grammar: {}", self.0)
    }
}

impl std::error::Error for GrammarError {}
