//! Every fuzz oracle (`fuzz/src/oracles.rs`, included here so the checks are
//! written once) over every input in `tests/fuzz_regressions/` (inputs the
//! fuzzers once failed on, kept so the bug stays fixed) and over every
//! JSONTestSuite file. This runs on stable Rust as part of the normal suite;
//! the fuzz targets themselves need nightly (see fuzz/README.md).

mod common;
#[path = "../fuzz/src/oracles.rs"]
mod oracles;

use std::path::{Path, PathBuf};

/// A fuzz target's name and its oracle.
type Target = (&'static str, fn(&[u8]));

/// Runs every oracle on `data`, naming `what` if one fails.
fn check_all(what: &str, data: &[u8]) {
    let checks: [Target; 8] = [
        ("parse_backends", oracles::check_backends),
        ("differential", oracles::check_against_serde_json),
        ("round_trip", oracles::check_round_trip),
        ("parser_reuse", oracles::check_parser_reuse),
        ("dom", oracles::check_dom),
        ("typed", oracles::check_typed),
        ("query", oracles::check_query),
        ("stream", oracles::check_stream),
    ];
    for (name, check) in checks {
        if let Err(panic) = std::panic::catch_unwind(|| check(data)) {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            panic!("{name} failed on {what}: {message}");
        }
    }
}

/// The files of `dir`, sorted.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn saved_fuzz_inputs_pass_every_oracle() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let files = files_in(&dir);
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    for path in files {
        check_all(&path.display().to_string(), &std::fs::read(&path).unwrap());
    }
}

#[test]
fn json_test_suite_files_pass_every_oracle() {
    let Some(dir) = common::corpus_subdir("conformance/JSONTestSuite/test_parsing") else {
        return;
    };
    for path in files_in(&dir) {
        check_all(&path.display().to_string(), &std::fs::read(&path).unwrap());
    }
}
