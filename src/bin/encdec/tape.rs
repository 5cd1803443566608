//! `encdec tape`: writes the page that steps through one backward pass,
//! and prints the leaves' gradients.

use crate::print::{CliResult, print_lines};
use encdec::pipeline::TapeJob;

/// Writes the page of `job` and prints what it holds.
pub fn tape(job: &TapeJob) -> CliResult {
    print_lines(encdec::pipeline::tape(job)?)
}
