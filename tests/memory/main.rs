//! Memory bounds, measured: this test binary counts its heap
//! ([`encdec::checks::heap::CountingAlloc`]), so a test can assert that a
//! file claiming a huge model is refused before the model is allocated.
//! The counter sees every thread, so the tests here run one at a time,
//! setup and all ([`alone`]): a file built by one test while another
//! measures would count in the other's peak.

mod claims;
#[path = "../support/cli_support.rs"]
mod cli_support;
#[path = "../support/model_support.rs"]
mod model_support;
mod steps;

use cli_support::rewrite_header;

use encdec::checks::heap::{CountingAlloc, peak_during};
use std::cell::Cell;
use std::sync::{Mutex, MutexGuard};

#[global_allocator]
static ALLOCATOR: CountingAlloc<std::alloc::System> = CountingAlloc::new(std::alloc::System);

/// One test at a time.
static ALONE: Mutex<()> = Mutex::new(());

thread_local! {
    /// Whether this thread's test holds [`ALONE`].
    static RUNS_ALONE: Cell<bool> = const { Cell::new(false) };
}

/// While it lives, the test that holds it runs alone in this binary.
pub struct Alone {
    _guard: MutexGuard<'static, ()>,
}

impl Drop for Alone {
    fn drop(&mut self) {
        RUNS_ALONE.set(false);
    }
}

/// Waits until no other test of this binary runs; every test here starts
/// with `let _alone = alone();`, before it builds anything. Once the
/// proptest in `claims.rs` measured 41 MB to refuse a file: another test
/// was building its 40 MiB header meanwhile.
pub fn alone() -> Alone {
    let guard = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    RUNS_ALONE.set(true);
    Alone { _guard: guard }
}

/// `f`'s result and the most heap bytes it held at once, measured while no
/// other test of this binary runs.
///
/// # Panics
/// If this thread's test does not run [`alone`].
pub fn measured<R>(f: impl FnOnce() -> R) -> (R, usize) {
    assert!(
        RUNS_ALONE.get(),
        "a measuring test starts with `let _alone = alone();`, or other tests' allocations count in its peak"
    );
    let (r, peak) = peak_during(f);
    (r, peak.expect("this binary counts its heap"))
}
