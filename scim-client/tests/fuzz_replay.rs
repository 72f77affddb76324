//! Replays the fuzz corpora (`fuzz/corpus/<target>/`) and the saved crash inputs
//! (`fuzz/regressions/<target>/`) through the fuzz targets' own logic (`fuzz/targets.rs`), so
//! every input the fuzzers kept keeps passing in the normal test suite, without libFuzzer.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

#[allow(unreachable_pub)]
#[path = "../../fuzz/targets.rs"]
mod targets;

/// The files of `fuzz/<kind>/<target>/`, sorted; empty when the directory does not exist.
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz")
        .join(kind)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every corpus and regression file of `target` through `run`, and fails naming every
/// file that panicked. Fails as well when the corpus is missing or empty.
fn replay(target: &str, run: fn(&[u8])) {
    let corpus = inputs("corpus", target);
    assert!(
        !corpus.is_empty(),
        "fuzz/corpus/{target}/ is missing or empty: nothing to replay"
    );
    let regressions = inputs("regressions", target);
    let mut failed = Vec::new();
    for file in corpus.iter().chain(&regressions) {
        let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if panic::catch_unwind(AssertUnwindSafe(|| run(&data))).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} inputs of fuzz target `{target}` panicked:\n{}",
        failed.len(),
        corpus.len() + regressions.len(),
        failed.join("\n")
    );
}

#[test]
fn replay_response() {
    replay("response", targets::response);
}

#[test]
fn replay_filter() {
    replay("filter", targets::filter);
}

#[test]
fn replay_path() {
    replay("path", targets::path);
}

#[test]
fn replay_patch() {
    replay("patch", targets::patch);
}
