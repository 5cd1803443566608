//! What a run on corpus files gets by default where the built-in corpora
//! keep the chapters' settings: the configuration that measured best on
//! real text (docs/own-data.md, "Real text"), in one place. Every default
//! here yields to its flag.
//!
//! Checked by `tests/pipeline/options.rs::translation_corpus_files_read_pieces_unless_told`
//! and `tests/pipeline/options.rs::the_output_layer_starts_by_data_source_unless_told`.

use super::corpus::DataSource;
use super::options::TrainOptions;
use crate::nn::LinearInit;
use crate::seq2seq::task::Task;

/// The merges a translation corpus file gets when `--subwords` is not
/// given: the best of the real benchmark (docs/own-data.md, "Real text").
pub const CORPUS_MERGES: usize = 2000;

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

/// The units a new model reads: `--subwords` as given; otherwise pieces of
/// [`CORPUS_MERGES`] merges for translation corpus files, where they
/// measured best, and whole words for the built-in corpora and for
/// summarization and dialogue, where nobody measured them.
pub fn units(o: &TrainOptions) -> Units {
    o.text.subwords.unwrap_or(match (o.source(), o.task) {
        (DataSource::Files { .. }, Task::Translation) => Units::Merges(CORPUS_MERGES),
        _ => Units::Words,
    })
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
