//! Helpers shared by the integration tests: where the shared corpus lives,
//! and a parser for every backend; in submodules, a counting global allocator
//! ([`alloc_counter`]) and proptest strategies for JSON values
//! ([`strategies`]).
#![allow(dead_code)] // each test binary uses a different subset

pub mod alloc_counter;
pub mod strategies;

use std::path::{Path, PathBuf};

use jsontape::{Backend, Options, Parser};

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

/// A parser (with default options otherwise) for every stage 1 backend this
/// machine supports, paired with its backend, in [`Backend::ALL`] order. The
/// portable backend, supported everywhere, is always among them.
pub fn parser_per_backend() -> Vec<(Backend, Parser)> {
    let parsers: Vec<(Backend, Parser)> = Backend::ALL
        .into_iter()
        .filter(|b| b.is_supported())
        .map(|b| (b, Parser::with_options(Options::new().with_backend(b))))
        .collect();
    assert!(
        parsers.iter().any(|(b, _)| *b == Backend::Portable),
        "the portable backend is not among the supported ones"
    );
    parsers
}
