//! Builds the playground's WebAssembly module (the `wasm/` crate, the
//! library behind a few exported functions) for `wasm32-unknown-unknown`
//! and leaves it in `OUT_DIR/playground.wasm`, which
//! `src/viz/explorer/mod.rs` embeds in every page `encdec explore` writes.
//!
//! The module is built by a second cargo, in `target/wasm-module`, so that
//! it does not wait on the cargo that runs this script. Where it cannot be
//! built the file is left empty and the pages are static (the views of a
//! decoded sentence, no live model); a warning says why and what to do:
//! - `ENCDEC_NO_WASM` is set (the module's own build sets it, so that the
//!   library it compiles does not build the module again);
//! - the sources hold no `wasm/` (the crate as crates.io packs it);
//! - the target is missing (`rustup target add wasm32-unknown-unknown`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it")).join("playground.wasm");
    println!("cargo:rerun-if-env-changed=ENCDEC_NO_WASM");
    println!("cargo:rerun-if-changed=build.rs");
    let module = match why_not(&root) {
        Some(reason) => {
            if !reason.is_empty() {
                println!("cargo:warning=the explorer pages will be static: {reason}");
            }
            vec![]
        }
        None => {
            for watched in [
                "src",
                "wasm/src",
                "wasm/Cargo.toml",
                "Cargo.toml",
                "Cargo.lock",
            ] {
                println!("cargo:rerun-if-changed={watched}");
            }
            build(&root).unwrap_or_else(|e| panic!("building the playground's module: {e}"))
        }
    };
    std::fs::write(&out, module).expect("OUT_DIR is writable");
}

/// Why the module is not built (empty: on purpose, say nothing), or `None`.
fn why_not(root: &Path) -> Option<String> {
    if std::env::var_os("ENCDEC_NO_WASM").is_some() {
        return Some(String::new());
    }
    if !root.join("wasm/Cargo.toml").exists() {
        return Some(String::new());
    }
    let sysroot = Command::new(rustc())
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    let sysroot = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim());
    if !sysroot.join("lib/rustlib/wasm32-unknown-unknown").exists() {
        return Some(
            "the wasm32-unknown-unknown target is not installed; `rustup target add wasm32-unknown-unknown` and build again for the live playground".into(),
        );
    }
    None
}

/// Builds `wasm/` in release for the web and returns the module's bytes.
fn build(root: &Path) -> Result<Vec<u8>, String> {
    let target_dir = root.join("target/wasm-module");
    let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or("cargo".into()));
    // What the outer cargo set for its own build (flags, wrappers such as
    // clippy's, its target directory, this package's variables) must not
    // leak into this one; the user's settings (CARGO_HOME, registries) and
    // the shared job limit (CARGO_MAKEFLAGS) stay.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        let leaks = [
            "CARGO_TARGET_",
            "CARGO_BUILD_",
            "CARGO_ENCODED_",
            "CARGO_PKG_",
            "CARGO_CFG_",
        ]
        .iter()
        .any(|p| key.starts_with(p))
            || [
                "CARGO_MANIFEST_DIR",
                "CARGO_MANIFEST_PATH",
                "CARGO_PRIMARY_PACKAGE",
                "RUSTFLAGS",
            ]
            .contains(&key.as_ref())
            || key.starts_with("RUSTC_");
        if leaks {
            cargo.env_remove(key.as_ref());
        }
    }
    let status = cargo
        .env("ENCDEC_NO_WASM", "1")
        .env("CARGO_PROFILE_RELEASE_STRIP", "true")
        .args([
            "build",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "encdec-wasm",
        ])
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build -p encdec-wasm failed ({status})"));
    }
    let wasm = target_dir.join("wasm32-unknown-unknown/release/encdec_wasm.wasm");
    std::fs::read(&wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))
}

/// The compiler cargo uses.
fn rustc() -> std::ffi::OsString {
    std::env::var_os("RUSTC").unwrap_or("rustc".into())
}
