//! Helpers shared by the integration tests: where the shared corpus lives.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};

/// The corpus directory: `$JSONTAPE_CORPUS`, else `../shared/corpus` beside the
/// repository. Returns `None` when it is missing, unless `CI` is set, in which
/// case a missing corpus fails the test instead of skipping it.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("JSONTAPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "corpus not found at {} (set JSONTAPE_CORPUS); CI requires it",
            dir.display()
        );
    }
    eprintln!(
        "corpus not found at {}: skipping (set JSONTAPE_CORPUS)",
        dir.display()
    );
    None
}

/// A subdirectory of the corpus, with the same missing-corpus rules.
pub fn corpus_subdir(name: &str) -> Option<PathBuf> {
    let dir = corpus_dir()?.join(name);
    assert!(
        dir.is_dir(),
        "corpus directory {} is missing",
        dir.display()
    );
    Some(dir)
}

/// Every `*.json` file of the benchmark corpus (`corpus/bench`), sorted.
pub fn bench_files() -> Vec<PathBuf> {
    let Some(dir) = corpus_subdir("bench") else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .json files in {}", dir.display());
    files
}
