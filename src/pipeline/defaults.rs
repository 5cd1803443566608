//! What a run on corpus files gets by default where the built-in corpora
//! keep the chapters' settings: the configuration that measured best on
//! real text (docs/own-data.md, "Real text"), in one place. Every default
//! here yields to its flag.
//!
//! Checked by `tests/pipeline/options.rs::every_corpus_reads_words_unless_told`
//! and `tests/pipeline/options.rs::the_output_layer_starts_by_data_source_unless_told`.

use super::corpus::DataSource;
use super::options::TrainOptions;
use crate::nn::LinearInit;

/// What `--subwords` takes: `words`, or a number of byte-pair merges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Units {
    /// Whole words, as the tutorial's §3.1 counts them.
    Words,
    /// Pieces from this many merges (0: characters).
    Merges(usize),
}

impl std::str::FromStr for Units {
    type Err = String;

    fn from_str(s: &str) -> Result<Units, String> {
        match s {
            "words" => Ok(Units::Words),
            n => n
                .parse()
                .map(Units::Merges)
                .map_err(|_| "expected a number of merges (2000 is usual) or `words`".to_string()),
        }
    }
}

/// The units a new model reads: `--subwords` as given; otherwise whole
/// words, which measured best after 10 epochs on real text (docs/own-data.md,
/// "Real text"), on every corpus.
pub fn units(o: &TrainOptions) -> Units {
    o.text.subwords.unwrap_or(Units::Words)
}

/// How the output layer starts when `--output-init` is not given: as
/// PyTorch's `nn.Linear` on corpus files, where it measured best
/// (docs/own-data.md, "Real text"), Xavier on the built-in corpora, whose
/// figures the chapters show.
pub fn output_init(o: &TrainOptions) -> LinearInit {
    o.sizes.output_init.unwrap_or(match o.source() {
        DataSource::BuiltIn { .. } => LinearInit::Xavier,
        DataSource::Files { .. } => LinearInit::FanIn,
    })
}
