//! Memory bounds, measured: this test binary counts its heap
//! ([`encdec::checks::heap::CountingAlloc`]), so a test can assert that a
//! file claiming a huge model is refused before the model is allocated.
//! The counter sees every thread, so the tests here take turns
//! ([`measured`]).

mod claims;
#[path = "../support/cli_support.rs"]
mod cli_support;
#[path = "../support/model_support.rs"]
mod model_support;
mod steps;

use cli_support::rewrite_header;

use encdec::checks::heap::{CountingAlloc, peak_during};
use std::sync::Mutex;

#[global_allocator]
static ALLOCATOR: CountingAlloc<std::alloc::System> = CountingAlloc::new(std::alloc::System);

/// One measurement at a time.
static TURN: Mutex<()> = Mutex::new(());

/// `f`'s result and the most heap bytes it held at once, measured while no
/// other test of this binary runs.
pub fn measured<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let (r, peak) = peak_during(f);
    (r, peak.expect("this binary counts its heap"))
}
