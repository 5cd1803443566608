//! Scoring outputs against references: token accuracy for training, BLEU
//! for translations, ROUGE for summaries, exact matches for replies — and
//! one [`EvalReport`] that holds them all for a model on a set of pairs.
//!
//! | file | what it holds |
//! |---|---|
//! | `ngrams.rs` | the one n-gram counter ([`NgramStats`]) |
//! | `bleu.rs` | corpus BLEU on tokens ([`corpus_bleu`]) and as sacreBLEU computes it ([`sacre_bleu`]) |
//! | `tokenize_13a.rs` | sacreBLEU's default tokenizer |
//! | `rouge.rs` | ROUGE-N, ROUGE-L |
//! | `accuracy.rs` | token accuracy |
//! | `report.rs` | [`EvalReport`]: decode every source, score every output |

mod accuracy;
mod bleu;
mod ngrams;
mod report;
mod rouge;
mod tokenize_13a;

pub use accuracy::token_accuracy;
pub use bleu::{SacreBleu, corpus_bleu, sacre_bleu};
pub use ngrams::{NgramStats, clipped_matches, ngram_counts};
pub use report::{EvalReport, evaluate_pairs};
pub use rouge::{Prf, lcs_len, mean_rouge, rouge_l, rouge_n};
pub use tokenize_13a::tokenize_13a;
