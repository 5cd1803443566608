//! Text to numbers and back (tutorial §3.1, step 1, and the last step of
//! §3.2): the tokenizer, the vocabulary, and the readers of corpus files.
//!
//! 1. [`Tokenizer::tokenize`] splits a sentence into words and punctuation;
//! 2. [`Vocab::build`] numbers the words of the training sentences, after
//!    the four special tokens [`PAD`], [`UNK`], [`BOS`], [`EOS`];
//! 3. [`Vocab::encode`] turns a sentence into ids, [`Vocab::decode`] and
//!    [`detokenize_in`] turn ids back into text.
//!
//! ```
//! use encdec::text::{Tokenizer, Vocab};
//!
//! let tok = Tokenizer::new(true);
//! let fr = vec![tok.tokenize("Le renard brun saute."), tok.tokenize("Le chien dort.")];
//! let vocab = Vocab::build(fr.iter().map(|s| s.as_slice()), 1);
//! let ids = vocab.encode(&fr[0]);
//! assert_eq!(vocab.decode(&ids), fr[0]);
//! ```
//!
//! A data set of any task is a list of [`TextPair`]s: a sentence and its
//! translation, a document and its headline, a dialogue history (its turns
//! joined by [`join_turns`]) and the next reply. [`corpus_files`] reads
//! them from the formats people have, with errors that name the file and
//! the line. Text that shows nothing ([`visible`] is false: only spaces,
//! zero-width or tag characters, lone accents, ...) is never a sentence.

pub mod corpus_files;
mod detokenize;
mod pair;
pub mod subwords;
mod tokenizer;
mod trigrams;
mod turns;
mod visible;
mod vocab;
mod vocab_error;

pub use corpus_files::{CorpusError, CorpusFile, ReadOptions};
pub use detokenize::{Language, detokenize, detokenize_in, printable, unprintable};
pub use pair::TextPair;
pub use tokenizer::{ELISIONS, Tokenizer, is_elision};
pub use trigrams::{MAX_TRIGRAMS, Trigram, Trigrams, describe_unseen, trigram_hash, trigrams_of};
pub use turns::{TURN, TURN_MARK, join_turns, show_turns, split_turns};
pub use visible::{INVISIBLE, is_visible, visible};
pub use vocab::{BOS, BOS_ID, EOS, EOS_ID, PAD, PAD_ID, SPECIALS, UNK, UNK_ID, Vocab, VocabError};
