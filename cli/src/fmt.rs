//! `jsontape fmt FILE [--pretty | --minify] [-o OUT]`: the document
//! re-indented or minified.
//!
//! Written straight from the tape: key order, duplicate keys and the exact
//! spelling of numbers and strings (escapes included) are kept; only
//! whitespace changes. The output ends with a newline.

use crate::error::{Failure, Status, io_reason, stdout_result};
use crate::input::Input;
use crate::report;
use jsontape::ValueRef;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Arguments of `jsontape fmt`.
#[derive(clap::Args)]
pub struct Args {
    /// The JSON file; `-` reads stdin.
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// One field or element per line, indented by two spaces (the default).
    #[arg(long, conflicts_with = "minify")]
    pub pretty: bool,
    /// No insignificant whitespace at all.
    #[arg(long)]
    pub minify: bool,
    /// Write to OUT instead of stdout. OUT is replaced only once the whole
    /// output is written (through a temporary file in its directory), so a
    /// failed run leaves it as it was; OUT may be FILE itself.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// Runs `fmt`.
pub fn run(args: &Args) -> Result<Status, Failure> {
    let input = Input::open(&args.path)?;
    let doc = jsontape::parse(input.bytes())
        .map_err(|e| report::invalid_json(input.name(), input.bytes(), &e))?;
    let root = doc.root();
    match &args.output {
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            let written = write_document(root, args.minify, &mut out).and_then(|()| out.flush());
            stdout_result(written)?;
        }
        Some(path) => replace_file(path, |out| write_document(root, args.minify, out))?,
    }
    Ok(Status::Success)
}

/// Writes `root`, minified or pretty, and a final newline.
fn write_document(root: ValueRef<'_>, minify: bool, out: &mut impl Write) -> io::Result<()> {
    if minify {
        root.to_writer(&mut *out)?;
    } else {
        root.to_writer_pretty(&mut *out)?;
    }
    out.write_all(b"\n")
}

/// Replaces the file at `path` with what `write` writes: into a new file in
/// the same directory, synced, then renamed over `path`. On failure `path`
/// is untouched and the temporary file removed.
fn replace_file(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> Result<(), Failure> {
    let name = path.display().to_string();
    let existing = fs::metadata(path).ok();
    if existing.as_ref().is_some_and(|m| m.is_dir()) {
        return Err(Failure::about(Status::Trouble, &name, "is a directory"));
    }
    let file_name = path
        .file_name()
        .ok_or_else(|| Failure::about(Status::Trouble, &name, "is not a file name"))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(file_name);
    temp_name.push(format!(".jsontape-{}.tmp", std::process::id()));
    let temp = path.with_file_name(temp_name);
    let file = File::create_new(&temp).map_err(|e| Failure::io(&name, &e))?;
    let written = (|| {
        if let Some(metadata) = &existing {
            // Keep the mode of the file being replaced.
            fs::set_permissions(&temp, metadata.permissions())?;
        }
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    written.map_err(|e| {
        let _ = fs::remove_file(&temp);
        Failure::about(Status::Trouble, &name, io_reason(&e))
    })
}
