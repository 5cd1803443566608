//! How many threads a training step may use.
//!
//! Like PyTorch's `torch.set_num_threads`, one process-wide setting. With
//! one thread (the default) every computation runs on the calling thread.
//! With `n > 1` a training step splits its batch into `n` shards, runs each
//! shard's forward and backward pass on its own tape and thread, and sums
//! the shards' gradients in shard order, so that a given seed and thread
//! count always give the same bits.

use std::sync::atomic::{AtomicUsize, Ordering};

static THREADS: AtomicUsize = AtomicUsize::new(1);

/// Sets the number of threads a training step may use (at least 1).
pub fn set_threads(n: usize) {
    THREADS.store(n.max(1), Ordering::Relaxed);
}

/// The number of threads a training step may use (1 unless [`set_threads`] changed it).
pub fn threads() -> usize {
    THREADS.load(Ordering::Relaxed)
}
