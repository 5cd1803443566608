//! The tests of `src/docs` (see the list of modules below).

mod architecture;
mod captions;
mod chapter_code;
mod katex_source;
mod ledger;
mod options_page;
mod readme;
mod zh_notebooks;
