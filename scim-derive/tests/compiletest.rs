//! Compile-fail tests of the derives' diagnostics.
//!
//! Each `tests/ui/*.rs` breaks one rule and its `.stderr` is the exact compiler output, which
//! is reviewed by hand: the message must be clear, point at the offending token, and come
//! without follow-on errors.
//!
//! rustc's output changes between releases, so the snapshots are pinned to the CI toolchain
//! (rustc 1.95); on any other toolchain the test passes without checking anything, unless
//! `SCIM_UI_TESTS=1` forces it. After an intended change to a diagnostic (or a toolchain bump),
//! regenerate the snapshots and read every changed `.stderr` before checking it in:
//!
//! ```text
//! TRYBUILD=overwrite cargo test -p scim-derive --test compiletest
//! ```

use std::process::Command;

/// The toolchain the `.stderr` snapshots were generated with.
const PINNED: &str = "rustc 1.95.";

fn pinned_toolchain() -> bool {
    if std::env::var_os("SCIM_UI_TESTS").is_some_and(|v| v == "1") {
        return true;
    }
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    Command::new(rustc)
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).starts_with(PINNED))
}

#[test]
fn ui() {
    if !pinned_toolchain() {
        eprintln!(
            "skipping the ui snapshots: they are pinned to {PINNED}x (set SCIM_UI_TESTS=1 to force)"
        );
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
