//! The explorer and playground pages in headless Chromium. Needs Chromium,
//! so `cargo test` leaves this binary out (`test = false` in Cargo.toml);
//! `.ci/run` installs Debian's `chromium` when missing and runs it with
//! `cargo test --release --test browser`.

mod cdp;
mod controls;
#[path = "../support/model_support.rs"]
mod model_support;
mod playground;
mod static_page;
mod tape_page;
mod training;
