//! Counting heap bytes, for the peak-memory figure of `encdec bench`.
//!
//! [`CountingAlloc`] wraps the program's global allocator (the `encdec`
//! binary wraps mimalloc with it). It counts nothing until [`peak_during`]
//! switches it on, so outside a measurement it costs one relaxed atomic load
//! per allocation. While it counts, every allocation adds its size to a
//! running total of live bytes and every release subtracts its size, on every
//! thread; the highest value that total reaches is the peak.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering::Relaxed};

/// Whether allocations are being counted.
static COUNTING: AtomicBool = AtomicBool::new(false);
/// Bytes allocated minus bytes released since counting began (negative when
/// older blocks were released).
static LIVE: AtomicIsize = AtomicIsize::new(0);
/// The highest value of `LIVE` since counting began.
static PEAK: AtomicIsize = AtomicIsize::new(0);
/// Allocations and releases seen since counting began.
static EVENTS: AtomicUsize = AtomicUsize::new(0);

/// A global allocator that passes every call on to `A` and, while
/// [`peak_during`] measures, keeps count of the live bytes.
///
/// ```ignore
/// #[global_allocator]
/// static ALLOCATOR: CountingAlloc<mimalloc::MiMalloc> = CountingAlloc::new(mimalloc::MiMalloc);
/// ```
pub struct CountingAlloc<A>(A);

impl<A> CountingAlloc<A> {
    /// Wraps `inner`.
    pub const fn new(inner: A) -> Self {
        CountingAlloc(inner)
    }
}

/// Adds `delta` bytes to the live total (when counting) and raises the peak.
fn record(delta: isize) {
    if COUNTING.load(Relaxed) {
        EVENTS.fetch_add(1, Relaxed);
        let live = LIVE.fetch_add(delta, Relaxed) + delta;
        PEAK.fetch_max(live, Relaxed);
    }
}

// SAFETY: every call is passed unchanged to `A`, which upholds the contract;
// the counting only reads sizes and touches atomics, never the memory itself.
unsafe impl<A: GlobalAlloc> GlobalAlloc for CountingAlloc<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { self.0.alloc(layout) };
        if !p.is_null() {
            record(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { self.0.alloc_zeroed(layout) };
        if !p.is_null() {
            record(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { self.0.dealloc(ptr, layout) };
        record(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { self.0.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            record(new_size as isize - layout.size() as isize);
        }
        p
    }
}

/// Runs `f` and returns its result with the most heap bytes that were live
/// at once while it ran, above what was live when it began — on all
/// threads, so nothing else should run meanwhile. The figure is `None` when
/// nothing was counted: the program's global allocator is not a
/// [`CountingAlloc`] (or `f` never allocated). Measurements do not nest.
pub fn peak_during<R>(f: impl FnOnce() -> R) -> (R, Option<usize>) {
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    EVENTS.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
    let result = f();
    COUNTING.store(false, Relaxed);
    let peak = (EVENTS.load(Relaxed) > 0).then(|| PEAK.load(Relaxed).max(0) as usize);
    (result, peak)
}
