//! The main job, one way for the command line, the notebooks and the tests
//! (tutorial §5): options → prepare → train.
//!
//! 1. [`TrainOptions`]: everything a run can be asked, each flag once, and
//!    [`TrainOptions::check`], every check before any work;
//! 2. [`prepare`]: a built-in corpus or corpus files → splits → tokens →
//!    vocabularies → examples as ids ([`Prepared`]);
//! 3. [`train`]: resume or build the model, fit it keeping the best
//!    checkpoint, draw the curves, score it on the test split — a loop
//!    over [`TrainSession`], which runs one batch at a time (for a page
//!    that trains in the browser, or `--watch`).
//!
//! ```no_run
//! use encdec::pipeline::{TrainOptions, train};
//! use encdec::seq2seq::{config::ModelKind, task::Task};
//!
//! let mut options = TrainOptions::new(Task::Translation, ModelKind::Attention);
//! options.run.epochs = 2;
//! let outcome = train(&options, &mut |p| if let Some(line) = p.line() { println!("{line}") })?;
//! println!("{}", outcome.test.token_line(Task::Translation));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Around the main job: [`demo`] (train, translate the fox sentence),
//! [`decode_inputs`] (decode as `translate` and `summarize` are asked to),
//! [`evaluate_file`] (score a checkpoint on a corpus file),
//! [`learn_vectors`] (Word2Vec and GloVe, §3.1), [`teaching_data`] (the
//! numbers behind the docs' teaching pictures), [`tape`] (the backward pass
//! of one small computation, step by step, as a page).

mod check;
mod corpus;
mod decode;
mod defaults;
mod demo;
mod evaluate;
pub mod experiments;
mod generate;
mod inspect;
mod keeper;
mod options;
pub mod playground;
mod prepare;
mod session;
mod splits;
mod subwords;
mod tape;
mod teaching;
mod train;
mod vocab_list;
mod watch;
mod weights;
mod word_vectors;

pub use corpus::{
    CorpusSpec, DataSource, Turns, last_reply, read_turns, reply_pairs, reply_pairs_within,
};
pub use decode::{
    DecodeOptions, Decoding, InputError, MAX_BEAM, Outputs, decode_inputs, input_marks,
    load_for_task,
};
pub use defaults::{Units, output_init, units};
pub use demo::{DemoOptions, demo};
pub use evaluate::{
    BleuOptions, EvaluateOptions, bleu_files, evaluate, evaluate_file, write_hypotheses,
};
pub use generate::{CorpusOptions, write_real_like};
pub use inspect::{ExploreJob, HeatmapFormat, HeatmapOptions, NO_OUTPUT_PAGE, explore, heatmap};
pub use keeper::plot_history;
pub use options::{
    DEFAULT_PAIRS, DataOptions, FileOptions, ModelOptions, ParallelOptions, RunOptions,
    TextOptions, TrainOptions,
};
pub use prepare::{Prepared, prepare};
pub use session::TrainSession;
pub use splits::{builtin_split, every_bot_turn};
pub use tape::{TapeCase, TapeJob, tape, tape_record};
pub use teaching::{GRADIENT_SETUP, PADDING_BATCH, PE_SHAPE, teaching_data};
pub use train::{RunError, TrainOutcome, model_config, train, train_config};
pub use vocab_list::{Side, VocabOptions, vocab_lines};
pub use watch::{WATCH_EVERY, WatchOptions};
pub use weights::{ExportOptions, ImportOptions, export, import};
pub use word_vectors::{Learnt, Method, VectorOptions, Word2VecOptions, learn_vectors};
