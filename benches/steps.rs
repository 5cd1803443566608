//! Training steps as the binary runs them: time, the peak heap of a step,
//! and what the allocator tuning of `src/bin/encdec/main.rs` (mimalloc
//! keeping freed pages instead of purging them) saves.
//!
//! ```sh
//! cargo bench --bench steps               # lengths 12 and 24, both models
//! cargo bench --bench steps -- --smoke    # one tiny run of each line, for CI
//! ```
//!
//! One line per model and length, `steps model=lstm len=12 median_ms=...
//! peak_mb=... purge=default|kept minor_faults=...`, and one line of the
//! heap counter's own check. The figures are measurements, not pass/fail:
//! heap counts move with the allocator and with the threads of whatever
//! runs beside the step.

use encdec::checks::bench::{Budget, Parallel, median, time_steps};
use encdec::checks::heap::{CountingAlloc, peak_during};
use encdec::seq2seq::config::ModelKind;

#[global_allocator]
static ALLOCATOR: CountingAlloc<mimalloc::MiMalloc> = CountingAlloc::new(mimalloc::MiMalloc);

/// mimalloc's `mi_option_purge_delay` (see `src/bin/encdec/main.rs`).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t =
    libmimalloc_sys::mi_option_use_numa_nodes - 1;

/// The minor page faults of this process so far (field 10 of
/// `/proc/self/stat`), or `None` where there is no such file.
fn minor_faults() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; count from after its ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split_whitespace().nth(7)?.parse().ok()
}

/// The heap counter measures what it should: 1000 and 3000 bytes live at
/// once, then 3000 and 500.
fn heap_counter_line() -> String {
    let (_, peak) = peak_during(|| {
        let a = std::hint::black_box(vec![0u8; 1000]);
        let b = std::hint::black_box(vec![0u8; 3000]);
        drop(a);
        let c = std::hint::black_box(vec![0u8; 500]);
        (b.len(), c.len())
    });
    let peak = peak.map_or("n/a".into(), |p| p.to_string());
    format!(
        "heap counter: peak of 1000 + 3000 live bytes measured as {peak} (the harness's threads may add a few)"
    )
}

fn main() {
    let smoke = std::env::args().any(|a| a == "--smoke");
    let (lengths, budget) = if smoke {
        (
            vec![4],
            Budget {
                warmup: 0,
                min_steps: 1,
                min_seconds: 0.0,
            },
        )
    } else {
        (
            vec![12, 24],
            Budget {
                warmup: 3,
                min_steps: 10,
                min_seconds: 1.0,
            },
        )
    };
    let parallel = Parallel {
        shards: 1,
        threads: 1,
    };
    println!("{}", heap_counter_line());
    for (purge, delay) in [("default", 10), ("kept", -1)] {
        // SAFETY: sets a plain integer option; mimalloc reads it when it next purges.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, delay) }
        for kind in [ModelKind::Lstm, ModelKind::Transformer] {
            for &len in &lengths {
                let before = minor_faults();
                let r = time_steps(kind, len, budget, parallel);
                let faults = match (before, minor_faults()) {
                    (Some(a), Some(b)) => (b - a).to_string(),
                    _ => "n/a".into(),
                };
                let peak = r
                    .peak_bytes
                    .map_or("n/a".into(), |b| format!("{:.2}", b as f64 / 1e6));
                println!(
                    "steps model={kind} len={len} median_ms={:.3} steps={} peak_mb={peak} purge={purge} minor_faults={faults}",
                    median(&r.ms),
                    r.ms.len()
                );
            }
        }
    }
}
