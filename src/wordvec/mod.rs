//! Word vectors from scratch (tutorial §3.1, step 2): Word2Vec and GloVe,
//! the text file formats they are shared in, nearest neighbours, analogies
//! and a 2-D projection for plotting.
//!
//! | formula | function |
//! |---|---|
//! | negative-sampling loss and its gradients | [`negative_sampling_loss`], [`negative_sampling_grads`] |
//! | one SGD step on them, composed and fused | [`Word2VecTables::step_composed`], [`Word2VecTables::step`] |
//! | subsampling $P_{keep}$, noise $P_n \propto \mathrm{count}^{3/4}$ | [`keep_probability`], [`NoiseTable`] |
//! | co-occurrences with $1/d$ weights | [`cooccurrences`] |
//! | GloVe's weighted least squares and its gradients | [`glove_term`], [`glove_grads`], [`glove_weight`] |
//! | cosine similarity, and centred (from the mean vector) | [`cosine`], [`centred_cosine`] |
//! | principal components | [`pca_2d`] |

mod centred;
mod glove;
mod io;
mod noise;
mod pca;
mod step;
mod word2vec;

pub use centred::{centred_cosine, mean_vector};
pub use glove::{
    GloveConfig, GloveGrads, cooccurrences, glove_grads, glove_term, glove_weight, train_glove,
};
pub use io::{VECTORS_CAP, VectorsError, VectorsLayout};
pub use noise::NoiseTable;
pub use pca::pca_2d;
pub use step::{StepBuffers, Word2VecTables};
pub use word2vec::{
    NegativeSamplingGrads, Word2VecConfig, Word2VecMode, keep_probability, negative_sampling_grads,
    negative_sampling_loss, train_word2vec,
};

use crate::tensor::{Float, Tensor};
use std::collections::HashMap;

/// The words of a corpus seen at least `min_count` times, most frequent
/// first (ties alphabetically), with their counts.
pub struct CorpusVocab {
    /// The words.
    pub words: Vec<String>,
    /// How often each occurs.
    pub counts: Vec<usize>,
    index: HashMap<String, usize>,
}

impl CorpusVocab {
    /// Counts the words of tokenized sentences.
    ///
    /// # Errors
    /// If no word occurs at least `min_count` times.
    pub fn build(sentences: &[Vec<String>], min_count: usize) -> Result<CorpusVocab, String> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for w in sentences.iter().flatten() {
            *counts.entry(w.as_str()).or_insert(0) += 1;
        }
        let mut kept: Vec<(&str, usize)> = counts
            .into_iter()
            .filter(|&(_, c)| c >= min_count.max(1))
            .collect();
        kept.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        if kept.is_empty() {
            return Err(format!(
                "the corpus has no word that occurs at least {} times",
                min_count.max(1)
            ));
        }
        let words: Vec<String> = kept.iter().map(|(w, _)| w.to_string()).collect();
        let index = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i))
            .collect();
        Ok(CorpusVocab {
            counts: kept.iter().map(|&(_, c)| c).collect(),
            words,
            index,
        })
    }

    /// The number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether there are no words.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The id of a word, if kept.
    pub fn get(&self, w: &str) -> Option<usize> {
        self.index.get(w).copied()
    }
}

/// The most values the tables of one training run may hold (vectors and
/// the optimizer state that goes with them): 200 million, 1.6 GB of `f64`.
/// The same number as `crate::seq2seq::size::MAX_PARAMETERS`, which this
/// folder may not import (it sits below `seq2seq`); it also keeps the
/// tables far below that module's 8 GiB step limit.
pub const MAX_TABLE_VALUES: usize = 200_000_000;

/// Checks, after the vocabulary is counted and before anything is
/// allocated, that `tables` tables of `words` × `dim` values fit in
/// [`MAX_TABLE_VALUES`]; `what` names the method and `remedy` what to lower.
///
/// # Errors
/// One line with the count, the limit and the remedy. Checked by
/// `tests/cli/bounds.rs::word_vectors_too_large_to_hold_are_refused_before_allocating`.
pub fn check_table_size(
    what: &str,
    (words, dim, tables): (usize, usize, usize),
    remedy: &str,
) -> Result<(), String> {
    let values = words.checked_mul(dim).and_then(|n| n.checked_mul(tables));
    match values {
        Some(n) if n <= MAX_TABLE_VALUES => Ok(()),
        _ => Err(format!(
            "{what}: {words} words × {dim} dimensions × {tables} tables = {} values, more than the {MAX_TABLE_VALUES} encdec holds; {remedy}",
            values.map_or("too many".to_string(), |n| n.to_string())
        )),
    }
}

/// Cosine similarity, $\cos(a, b) = \frac{a^\top b}{\lVert a\rVert \lVert b\rVert}$ (0 if either is zero).
///
/// Each vector is first divided by its largest absolute entry (which
/// leaves the cosine unchanged), so that entries of 1e200 do not overflow
/// to infinity and entries of 1e-200 do not underflow to 0.
///
/// Checked by `tests/text/wordvec.rs::cosine_and_analogy_by_hand` and
/// `tests/cli/hostile.rs::cosine_survives_huge_and_tiny_vectors`.
pub fn cosine(a: &[Float], b: &[Float]) -> Float {
    let scale = |v: &[Float]| v.iter().fold(0.0, |m: Float, x| m.max(x.abs()));
    let (sa, sb) = (scale(a), scale(b));
    if sa == 0.0 || sb == 0.0 {
        return 0.0;
    }
    let (ab, aa, bb) = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x / sa, y / sb))
        .fold((0.0, 0.0, 0.0), |(ab, aa, bb), (x, y)| {
            (ab + x * y, aa + x * x, bb + y * y)
        });
    ab / (aa.sqrt() * bb.sqrt())
}

/// A table of word vectors: one row of `vectors` per word.
#[derive(Clone, Debug, PartialEq)]
pub struct WordVectors {
    words: Vec<String>,
    index: HashMap<String, usize>,
    vectors: Tensor,
}

impl WordVectors {
    /// A table from words and a `[words, dim]` tensor.
    ///
    /// # Errors
    /// If the counts differ, a word repeats or is empty, or the tensor is not 2-D.
    pub fn new(words: Vec<String>, vectors: Tensor) -> Result<WordVectors, String> {
        if vectors.ndim() != 2 || vectors.shape()[0] != words.len() {
            return Err(format!(
                "word vectors: {} words for vectors of shape {:?}",
                words.len(),
                vectors.shape()
            ));
        }
        let mut index = HashMap::new();
        for (i, w) in words.iter().enumerate() {
            if w.is_empty() || w.chars().any(char::is_whitespace) {
                return Err(format!(
                    "word vectors: word {i} is empty or contains white space"
                ));
            }
            if index.insert(w.clone(), i).is_some() {
                return Err(format!("word vectors: the word {w:?} appears twice"));
            }
        }
        Ok(WordVectors {
            words,
            index,
            vectors,
        })
    }

    /// The words, in row order.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The `[words, dim]` table.
    pub fn vectors(&self) -> &Tensor {
        &self.vectors
    }

    /// The vector size.
    pub fn dim(&self) -> usize {
        self.vectors.shape()[1]
    }

    /// The vector of a word.
    pub fn get(&self, word: &str) -> Option<&[Float]> {
        let d = self.dim();
        self.index
            .get(word)
            .map(|&i| &self.vectors.data()[i * d..(i + 1) * d])
    }

    /// The `k` words most similar to `query` by [`centred_cosine`] (the
    /// cosine measured from the mean vector of all the words), excluding
    /// the words in `exclude`.
    pub fn most_similar(
        &self,
        query: &[Float],
        k: usize,
        exclude: &[&str],
    ) -> Vec<(String, Float)> {
        let d = self.dim();
        let mean = mean_vector(self.vectors.data(), d);
        let mut scored: Vec<(String, Float)> = self
            .words
            .iter()
            .enumerate()
            .filter(|(_, w)| !exclude.contains(&w.as_str()))
            .map(|(i, w)| {
                (
                    w.clone(),
                    centred_cosine(query, &self.vectors.data()[i * d..(i + 1) * d], &mean),
                )
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(k);
        scored
    }

    /// The spelling of `word` in the table: the word itself, or else its
    /// lowercase form (so `Paris` finds `paris` in lowercased vectors, and
    /// cased vectors keep their case).
    ///
    /// # Errors
    /// If neither has a vector.
    pub fn resolve<'a>(&'a self, word: &str) -> Result<&'a str, String> {
        let lower = word.to_lowercase();
        [word, lower.as_str()]
            .into_iter()
            .find_map(|w| self.index.get_key_value(w).map(|(k, _)| k.as_str()))
            .ok_or_else(|| format!("the word {word:?} has no vector"))
    }

    /// The `k` nearest neighbours of a word (spelled as [`WordVectors::resolve`] finds it).
    ///
    /// # Errors
    /// If the word has no vector.
    pub fn neighbours(&self, word: &str, k: usize) -> Result<Vec<(String, Float)>, String> {
        let word = self.resolve(word)?;
        let v = self.get(word).expect("resolve found it");
        Ok(self.most_similar(v, k, &[word]))
    }

    /// Analogy: the words nearest to $v_a - v_b + v_c$ ("`a` is to `b` as ? is to `c`"
    /// reads king − man + woman ≈ queen), excluding `a`, `b` and `c` (each
    /// spelled as [`WordVectors::resolve`] finds it).
    ///
    /// # Errors
    /// If one of the words has no vector.
    pub fn analogy(
        &self,
        a: &str,
        b: &str,
        c: &str,
        k: usize,
    ) -> Result<Vec<(String, Float)>, String> {
        let (a, b, c) = (self.resolve(a)?, self.resolve(b)?, self.resolve(c)?);
        let get = |w: &str| self.get(w).expect("resolve found it");
        let (va, vb, vc) = (get(a), get(b), get(c));
        let target: Vec<Float> = (0..self.dim()).map(|i| va[i] - vb[i] + vc[i]).collect();
        Ok(self.most_similar(&target, k, &[a, b, c]))
    }
}
