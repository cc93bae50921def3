//! The `jsontape` command.

mod alloc_counter;
mod bench;
mod sample;

use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

#[global_allocator]
static ALLOCATOR: alloc_counter::CountingAllocator = alloc_counter::CountingAllocator;

/// Fast, lean JSON: benchmark and inspect documents with jsontape.
#[derive(Parser)]
#[command(name = "jsontape", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Benchmark jsontape against serde_json: GB/s and allocations per document.
    ///
    /// With no paths, runs on built-in deterministic sample documents.
    Bench {
        /// JSON files, or directories whose *.json files to use.
        paths: Vec<PathBuf>,
        /// Print one JSON object per measurement instead of a table.
        #[arg(long)]
        json: bool,
        /// Seconds of timing per parser and document.
        #[arg(long, default_value_t = 0.5)]
        seconds: f64,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Bench {
            paths,
            json,
            seconds,
        } => run_bench(&paths, json, seconds),
    }
}

fn run_bench(paths: &[PathBuf], json: bool, seconds: f64) -> ExitCode {
    let inputs = match load_inputs(paths) {
        Ok(inputs) => inputs,
        Err(message) => return fail(&message),
    };
    let show_progress = std::io::stderr().is_terminal();
    let progress = |what: &str| {
        if show_progress {
            eprint!("\r\x1b[2Kmeasuring {what}");
        }
    };
    let budget = Duration::from_secs_f64(seconds.max(0.01));
    let results = bench::run(&inputs, budget, progress);
    if show_progress {
        eprint!("\r\x1b[2K");
    }
    let results = match results {
        Ok(results) => results,
        Err(message) => return fail(&message),
    };
    let output = if json {
        bench::json_lines(&results)
    } else {
        bench::table(&results)
    };
    if !json {
        println!("backend: {}", jsontape::backend().name());
    }
    // A closed pipe (e.g. `| head`) is not an error worth reporting.
    let _ = std::io::stdout().write_all(output.as_bytes());
    ExitCode::SUCCESS
}

/// The documents to measure: the built-in samples, or the given files.
fn load_inputs(paths: &[PathBuf]) -> Result<Vec<bench::Input>, String> {
    if paths.is_empty() {
        return Ok(sample::all()
            .into_iter()
            .map(|s| bench::Input {
                name: s.name.to_owned(),
                bytes: s.bytes,
            })
            .collect());
    }
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries =
                std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut jsons: Vec<PathBuf> = entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|ext| ext == "json"))
                .collect();
            jsons.sort();
            files.extend(jsons);
        } else {
            files.push(path.clone());
        }
    }
    files.iter().map(|path| read_input(path)).collect()
}

fn read_input(path: &Path) -> Result<bench::Input, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok(bench::Input { name, bytes })
}

fn fail(message: &str) -> ExitCode {
    eprintln!("jsontape: {message}");
    ExitCode::FAILURE
}
