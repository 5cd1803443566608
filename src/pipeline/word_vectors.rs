//! Learning word vectors as `encdec word2vec` and `encdec glove` are asked
//! to (tutorial §3.1, step 2): the corpus read or generated, the vectors
//! trained and saved, a few nearest neighbours, a picture of the first two
//! principal components.
//!
//! Checked by `tests/cli/word_vectors.rs`.

use super::train::RunError;
use crate::corpora::{category_of, word_vector_corpus};
use crate::files::{check_distinct, check_output};
use crate::text::corpus_files::read_text_lines;
use crate::text::{ReadOptions, Tokenizer};
use crate::wordvec::{
    GloveConfig, VectorsLayout, Word2VecConfig, Word2VecMode, WordVectors, pca_2d, train_glove,
    train_word2vec,
};
use std::path::{Path, PathBuf};

/// What both methods take.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct VectorOptions {
    /// A text file to learn from, one or more sentences per line (default: the built-in corpus of 5,000 sentences).
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Vector size, 1 to 1000.
    #[arg(long, default_value_t = 48)]
    pub dim: usize,
    /// Passes over the corpus.
    #[arg(long, default_value_t = 10)]
    pub epochs: usize,
    /// Seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where to write the vectors.
    #[arg(long, default_value = "vectors.txt")]
    pub out: PathBuf,
    /// Also plot the vectors' first two principal components (.png or .svg).
    #[arg(long)]
    pub plot: Option<PathBuf>,
}

/// What only Word2Vec takes; each left out keeps [`Word2VecConfig::new`]'s default.
#[derive(clap::Args, Clone, Debug, Default, PartialEq)]
pub struct Word2VecOptions {
    /// Use CBOW instead of skip-gram.
    #[arg(long)]
    pub cbow: bool,
    /// Largest distance between centre and context word, 1 to 1000 (default 4).
    #[arg(long)]
    pub window: Option<usize>,
    /// Negative samples per positive pair, 0 to 1000 (default 5).
    #[arg(long)]
    pub negatives: Option<usize>,
    /// Drop words seen fewer times than this (default 1).
    #[arg(long)]
    pub min_count: Option<usize>,
    /// Subsampling threshold t (default 1e-3; 0 keeps every word).
    #[arg(long)]
    pub subsample: Option<f64>,
    /// Initial learning rate (default 0.025 for skip-gram, 0.05 for CBOW).
    #[arg(long)]
    pub lr: Option<f64>,
}

/// Which method learns the vectors.
#[derive(Clone, Debug, PartialEq)]
pub enum Method {
    /// Word2Vec with these options.
    Word2Vec(Word2VecOptions),
    /// GloVe with its defaults.
    Glove,
}

/// The vectors learnt, the loss of each epoch, and lines worth printing.
pub struct Learnt {
    /// The vectors (saved to `--out`).
    pub vectors: WordVectors,
    /// Mean loss per epoch.
    pub losses: Vec<f64>,
    /// What the corpus held, the neighbours of a few words, what was written.
    pub lines: Vec<String>,
}

impl VectorOptions {
    /// Checks the sizes and the outputs before any training: folders exist,
    /// the picture is .png or .svg, and no two paths (the corpus included)
    /// are the same file.
    ///
    /// # Errors
    /// The first problem, naming the flag.
    pub fn check(&self, method: &Method) -> Result<(), String> {
        if !(1..=1000).contains(&self.dim) {
            return Err("--dim must be from 1 to 1000".into());
        }
        if self.epochs == 0 {
            return Err("--epochs must be at least 1".into());
        }
        if let Method::Word2Vec(w) = method {
            if w.window.is_some_and(|v| !(1..=1000).contains(&v)) {
                return Err("--window must be from 1 to 1000".into());
            }
            if w.negatives.is_some_and(|v| v > 1000) {
                return Err("--negatives must be from 0 to 1000".into());
            }
            if w.min_count == Some(0) {
                return Err("--min-count must be at least 1".into());
            }
        }
        check_output("--out", &self.out, &[])?;
        let mut outputs = vec![("--out", self.out.as_path())];
        if let Some(p) = &self.plot {
            check_output("--plot", p, &["png", "svg"])?;
            outputs.push(("--plot", p));
        }
        let inputs: Vec<(&str, &Path)> = self
            .corpus
            .iter()
            .map(|c| ("--corpus", c.as_path()))
            .collect();
        check_distinct(&outputs, &inputs)
    }
}

/// Learns vectors as asked, saves them (and the picture), and says what
/// was done.
///
/// # Errors
/// Bad options, an unreadable corpus (naming the file and line), nothing
/// to learn from, a file that cannot be written.
pub fn learn_vectors(o: &VectorOptions, method: &Method) -> Result<Learnt, RunError> {
    o.check(method)?;
    let (sentences, mut lines) = sentences(o.corpus.as_deref())?;
    let (vectors, losses, name) = match method {
        Method::Word2Vec(w) => {
            let config = word2vec_config(o, w);
            let name = match config.mode {
                Word2VecMode::SkipGram => "word2vec skip-gram",
                Word2VecMode::Cbow => "word2vec CBOW",
            };
            let (v, l) = train_word2vec(&sentences, &config)?;
            (v, l, name)
        }
        Method::Glove => {
            let config = GloveConfig {
                dim: o.dim,
                epochs: o.epochs,
                seed: o.seed,
                ..GloveConfig::default()
            };
            let (v, l) = train_glove(&sentences, &config)?;
            (v, l, "GloVe")
        }
    };
    lines.extend(
        losses
            .iter()
            .enumerate()
            .map(|(i, l)| format!("epoch {}: loss {l:.4}", i + 1)),
    );
    vectors.save(&o.out, VectorsLayout::Glove)?;
    lines.push(format!(
        "wrote {} vectors of size {} to {}",
        vectors.words().len(),
        vectors.dim(),
        o.out.display()
    ));
    lines.extend(neighbour_lines(&vectors));
    if let Some(path) = &o.plot {
        plot_vectors(&vectors, path, name)?;
        lines.push(format!("wrote {}", path.display()));
    }
    Ok(Learnt {
        vectors,
        losses,
        lines,
    })
}

/// The Word2Vec settings: the mode's defaults with the options over them.
fn word2vec_config(o: &VectorOptions, w: &Word2VecOptions) -> Word2VecConfig {
    let mode = match w.cbow {
        true => Word2VecMode::Cbow,
        false => Word2VecMode::SkipGram,
    };
    let d = Word2VecConfig::new(mode);
    Word2VecConfig {
        dim: o.dim,
        epochs: o.epochs,
        seed: o.seed,
        window: w.window.unwrap_or(d.window),
        negatives: w.negatives.unwrap_or(d.negatives),
        min_count: w.min_count.unwrap_or(d.min_count),
        subsample: w.subsample.unwrap_or(d.subsample),
        lr: w.lr.unwrap_or(d.lr),
        ..d
    }
}

/// Tokenized sentences from a file (read with line-numbered errors), or the
/// built-in corpus, and a line saying how much there is.
fn sentences(corpus: Option<&Path>) -> Result<(Vec<Vec<String>>, Vec<String>), RunError> {
    let tok = Tokenizer::new(true);
    let lines: Vec<String> = match corpus {
        None => word_vector_corpus(5000, 0),
        Some(p) => read_text_lines(p, ReadOptions::default())?
            .records
            .into_iter()
            .map(|r| r.item)
            .collect(),
    };
    let s: Vec<Vec<String>> = lines
        .iter()
        .map(|l| tok.tokenize(l))
        .filter(|t| !t.is_empty())
        .collect();
    let tokens: usize = s.iter().map(Vec::len).sum();
    let line = format!("corpus: {} sentences, {tokens} tokens", s.len());
    Ok((s, vec![line]))
}

/// The nearest neighbours of a few words of the built-in corpus, where the vectors know them.
fn neighbour_lines(vectors: &WordVectors) -> Vec<String> {
    let mut lines = vec![];
    for probe in ["red", "dog", "three"] {
        if let Ok(n) = vectors.neighbours(probe, 4) {
            let list: Vec<String> = n.iter().map(|(w, s)| format!("{w} {s:.3}")).collect();
            lines.push(format!("nearest to {probe}: {}", list.join(", ")));
        }
    }
    lines
}

/// The vectors' first two principal components, one colour per category.
fn plot_vectors(
    vectors: &WordVectors,
    path: &Path,
    method: &str,
) -> Result<(), crate::viz::PlotError> {
    let xy = pca_2d(vectors.vectors());
    let points: Vec<(f64, f64)> = xy.data().chunks(2).map(|p| (p[0], p[1])).collect();
    let groups: Vec<String> = vectors
        .words()
        .iter()
        .map(|w| category_of(w).unwrap_or("other").to_string())
        .collect();
    crate::viz::scatter_with_axes(
        path,
        &format!("{method} word vectors, first two principal components"),
        ["PC1", "PC2"],
        &points,
        vectors.words(),
        Some(&groups),
    )
}
