//! The explorer and playground pages in headless Chromium. Needs Chromium,
//! so every test is ignored by `cargo test`; `.ci/run` installs Debian's
//! `chromium` when missing and runs them with
//! `cargo test --release --test browser -- --ignored`.

mod cdp;
mod controls;
#[path = "../support/model_support.rs"]
mod model_support;
mod playground;
mod static_page;
mod training;
