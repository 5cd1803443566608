//! `encdec word2vec`, `encdec glove` and `encdec neighbors`.

use super::{CliResult, print_line};
use encdec::corpora::{category_of, word_vector_corpus};
use encdec::text::Tokenizer;
use encdec::wordvec::{
    GloveConfig, Word2VecConfig, Word2VecMode, WordVectors, pca_2d, train_glove, train_word2vec,
};
use std::path::{Path, PathBuf};

/// Options shared by both trainers.
pub struct VectorArgs {
    /// A text file to learn from (one or more sentences per line); the built-in corpus when `None`.
    pub corpus: Option<PathBuf>,
    /// Vector size.
    pub dim: usize,
    /// Epochs.
    pub epochs: usize,
    /// Seed.
    pub seed: u64,
    /// Where to write the vectors.
    pub out: PathBuf,
    /// Optional 2-D PCA picture.
    pub plot: Option<PathBuf>,
}

/// Checks the outputs before any training: folders exist, the picture is
/// .png or .svg, and no two paths (the corpus included) are the same file.
fn check_outputs(a: &VectorArgs) -> Result<(), String> {
    use encdec::files::{check_distinct, check_output};
    check_output("--out", &a.out, &[])?;
    let mut outputs = vec![("--out", a.out.as_path())];
    if let Some(p) = &a.plot {
        check_output("--plot", p, &["png", "svg"])?;
        outputs.push(("--plot", p));
    }
    let inputs: Vec<(&str, &Path)> = a.corpus.iter().map(|c| ("--corpus", c.as_path())).collect();
    check_distinct(&outputs, &inputs)
}

/// Tokenized sentences from a file, or the built-in corpus.
fn sentences(corpus: Option<&Path>) -> Result<Vec<Vec<String>>, String> {
    let tok = Tokenizer::new(true);
    let lines: Vec<String> = match corpus {
        None => word_vector_corpus(5000, 0),
        Some(p) => std::fs::read_to_string(p)
            .map_err(|e| format!("cannot read corpus {}: {e}", p.display()))?
            .lines()
            .map(String::from)
            .collect(),
    };
    let s: Vec<Vec<String>> = lines
        .iter()
        .map(|l| tok.tokenize(l))
        .filter(|t| !t.is_empty())
        .collect();
    if s.is_empty() {
        return Err("the corpus is empty: nothing to learn from".into());
    }
    print_line(&format!(
        "corpus: {} sentences, {} tokens",
        s.len(),
        s.iter().map(Vec::len).sum::<usize>()
    ));
    Ok(s)
}

/// Prints the losses and neighbours, saves the vectors and draws them;
/// `method` names them in the picture's title.
fn finish(vectors: &WordVectors, losses: &[f64], a: &VectorArgs, method: &str) -> CliResult {
    for (i, l) in losses.iter().enumerate() {
        print_line(&format!("epoch {}: loss {l:.4}", i + 1));
    }
    vectors.save(&a.out, false)?;
    print_line(&format!(
        "wrote {} vectors of size {} to {}",
        vectors.words().len(),
        vectors.dim(),
        a.out.display()
    ));
    for probe in ["red", "dog", "three"] {
        if let Ok(n) = vectors.neighbours(probe, 4) {
            let list: Vec<String> = n.iter().map(|(w, s)| format!("{w} {s:.3}")).collect();
            print_line(&format!("nearest to {probe}: {}", list.join(", ")));
        }
    }
    if let Some(path) = &a.plot {
        let xy = pca_2d(vectors.vectors());
        let points: Vec<(f64, f64)> = xy.data().chunks(2).map(|p| (p[0], p[1])).collect();
        let groups: Vec<String> = vectors
            .words()
            .iter()
            .map(|w| category_of(w).unwrap_or("other").to_string())
            .collect();
        encdec::plot::scatter_with_axes(
            path,
            &format!("{method} word vectors, first two principal components"),
            ["PC1", "PC2"],
            &points,
            vectors.words(),
            Some(&groups),
        )?;
        print_line(&format!("wrote {}", path.display()));
    }
    Ok(())
}

/// The options only `encdec word2vec` has; `None` keeps the default of
/// [`Word2VecConfig::new`].
pub struct Word2VecOptions {
    /// CBOW instead of skip-gram.
    pub cbow: bool,
    /// Largest distance between centre and context word.
    pub window: Option<usize>,
    /// Negative samples per positive pair.
    pub negatives: Option<usize>,
    /// Words seen fewer times are dropped.
    pub min_count: Option<usize>,
    /// Subsampling threshold.
    pub subsample: Option<f64>,
    /// Initial learning rate.
    pub lr: Option<f64>,
}

/// `encdec word2vec`.
pub fn word2vec(a: VectorArgs, o: Word2VecOptions) -> CliResult {
    check_outputs(&a)?;
    let s = sentences(a.corpus.as_deref())?;
    let mode = if o.cbow {
        Word2VecMode::Cbow
    } else {
        Word2VecMode::SkipGram
    };
    let defaults = Word2VecConfig::new(mode);
    let config = Word2VecConfig {
        dim: a.dim,
        epochs: a.epochs,
        seed: a.seed,
        window: o.window.unwrap_or(defaults.window),
        negatives: o.negatives.unwrap_or(defaults.negatives),
        min_count: o.min_count.unwrap_or(defaults.min_count),
        subsample: o.subsample.unwrap_or(defaults.subsample),
        lr: o.lr.unwrap_or(defaults.lr),
        ..defaults
    };
    let (vectors, losses) = train_word2vec(&s, &config)?;
    let method = match config.mode {
        encdec::wordvec::Word2VecMode::SkipGram => "word2vec skip-gram",
        encdec::wordvec::Word2VecMode::Cbow => "word2vec CBOW",
    };
    finish(&vectors, &losses, &a, method)
}

/// `encdec glove`.
pub fn glove(a: VectorArgs) -> CliResult {
    check_outputs(&a)?;
    let s = sentences(a.corpus.as_deref())?;
    let config = GloveConfig {
        dim: a.dim,
        epochs: a.epochs,
        seed: a.seed,
        ..GloveConfig::default()
    };
    let (vectors, losses) = train_glove(&s, &config)?;
    finish(&vectors, &losses, &a, "GloVe")
}

/// `encdec neighbors`.
pub fn neighbors(vectors: &Path, word: &str, k: usize) -> CliResult {
    let v = WordVectors::load(vectors)?;
    print_ranked(&v.neighbours(word, k)?, vectors)
}

/// `encdec analogy`: the words `d` for which `a : b :: c : d`.
pub fn analogy(vectors: &Path, [a, b, c]: &[String; 3], k: usize) -> CliResult {
    let v = WordVectors::load(vectors)?;
    print_ranked(&v.analogy(a, b, c, k)?, vectors)
}

/// Prints ranked words with their cosine similarity.
fn print_ranked(list: &[(String, f64)], vectors: &Path) -> CliResult {
    if list.is_empty() {
        return Err(format!(
            "{} has no other words to compare with; give a file with more words",
            vectors.display()
        )
        .into());
    }
    for (w, s) in list {
        print_line(&format!("{w:<16} {s:.4}"));
    }
    Ok(())
}
