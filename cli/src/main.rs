//! The `jsontape` command: validate, query, format, inspect and benchmark
//! JSON with the jsontape parser.
//!
//! One module per subcommand; [`input`] opens files (memory-mapped) and
//! stdin, [`error`] holds the exit statuses and one-line failures, and
//! [`report`] renders JSON errors with the offending line and a caret.

#![warn(clippy::missing_docs_in_private_items)]

mod alloc_counter;
mod bench;
mod error;
mod fmt;
mod get;
mod input;
mod ndjson;
mod report;
mod sample;
mod stats;
mod validate;

use clap::{Parser, Subcommand};
use error::{EXIT_CODES, Status};
use std::process::ExitCode;

/// Counts allocations, for `stats` and `bench`.
#[global_allocator]
static ALLOCATOR: alloc_counter::CountingAllocator = alloc_counter::CountingAllocator;

/// Fast, lean JSON: validate, query, format, inspect and benchmark documents
/// with jsontape.
///
/// FILE may be `-` to read stdin. Files are memory-mapped, not copied.
#[derive(Parser)]
#[command(name = "jsontape", version, about, after_help = EXIT_CODES)]
struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Subcommand)]
enum Command {
    /// Check that files are valid JSON; report each error with its line and a
    /// caret under the column.
    ///
    /// Errors go to stderr as `file:line:col: message`, then the line and a
    /// caret; valid files print nothing.
    #[command(after_help = EXIT_CODES)]
    Validate(validate::Args),
    /// Print the values a JSON Pointer or JSONPath expression selects, one per
    /// line.
    ///
    /// The document is parsed and validated in full first. Values are written
    /// as in the input (key order, number spelling), compact unless --pretty.
    /// Nothing matched: no output and exit status 1, like grep.
    #[command(after_help = EXIT_CODES)]
    Get(get::Args),
    /// Pretty-print (the default) or minify a document.
    ///
    /// Only whitespace changes: key order, duplicate keys and the spelling of
    /// numbers and strings are kept.
    #[command(after_help = EXIT_CODES)]
    Fmt(fmt::Args),
    /// Show what a document is made of and where the memory goes.
    ///
    /// Values by kind, maximum depth, strings borrowed from the input against
    /// strings unescaped into the arena, tape and arena bytes, and the
    /// allocations of jsontape's parse and DOM next to serde_json::Value's.
    #[command(after_help = EXIT_CODES)]
    Stats(stats::Args),
    /// Benchmark jsontape's tape, its DOM and serde_json::Value: GB/s and
    /// allocations per document.
    ///
    /// With no paths, runs on generated deterministic samples: twitter-like,
    /// float-heavy, escape-heavy, deeply nested, NDJSON and a small object.
    #[command(after_help = EXIT_CODES)]
    Bench(bench::Args),
}

/// Runs the subcommand; every failure has been reported on stderr by the
/// time the exit status is returned.
fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Validate(args) => Ok(validate::run(args)),
        Command::Get(args) => get::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Bench(args) => bench::run(args),
    };
    let status: Status = result.unwrap_or_else(|failure| failure.report());
    status.into()
}
