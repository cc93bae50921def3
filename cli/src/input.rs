//! Opening an input: a path, memory-mapped, or `-` for stdin.
//!
//! Regular files are memory-mapped (jsontape parses the bytes in place, so
//! nothing is copied); stdin, pipes and other files that cannot be mapped are
//! read into memory. Every way this can fail is a one-line [`Failure`]:
//! a missing file, a directory, an unreadable file (exit 2), an empty input
//! (exit 1).

use crate::error::{Failure, Status};
use memmap2::Mmap;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The name stdin goes by in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// An input's bytes and the name to report it by.
pub struct Input {
    /// The path as given, or [`STDIN_NAME`].
    name: String,
    /// Where the bytes are.
    data: Data,
}

/// Where an input's bytes are.
enum Data {
    /// A memory-mapped regular file.
    Mapped(Mmap),
    /// Bytes read into memory (stdin, pipes, generated samples).
    Read(Vec<u8>),
}

impl Input {
    /// Opens `path`, or stdin for `-` (name a file called `-` as `./-`).
    pub fn open(path: &Path) -> Result<Input, Failure> {
        if path.as_os_str() == "-" {
            return Input::stdin();
        }
        let name = path.display().to_string();
        let file = File::open(path).map_err(|e| Failure::io(&name, &e))?;
        let metadata = file.metadata().map_err(|e| Failure::io(&name, &e))?;
        if metadata.is_dir() {
            return Err(Failure::about(Status::Trouble, &name, "is a directory"));
        }
        let data = if metadata.is_file() {
            if metadata.len() == 0 {
                // A zero-length file cannot be mapped; it is empty input.
                return Err(empty(&name));
            }
            // SAFETY: `Mmap::map` is unsafe because the mapping aliases the
            // file: if another process modifies or truncates the file while
            // it is mapped, the bytes behind the `&[u8]` this input hands out
            // change under it (undefined behaviour in Rust's model; in
            // practice a wrong result, or SIGBUS when the file shrinks). The
            // map is private and read-only, so this process never writes
            // through it; the caveat is the one every mapping tool (ripgrep,
            // for one) accepts: do not rewrite a file while jsontape reads
            // it. `fmt -o` onto its own input is safe, as it replaces the
            // file by renaming a new one over it and the old inode stays
            // mapped.
            let map = unsafe { Mmap::map(&file) }.map_err(|e| Failure::io(&name, &e))?;
            Data::Mapped(map)
        } else {
            // A FIFO, a character device, `<(process substitution)`: not mappable.
            let bytes = read_all(file).map_err(|e| Failure::io(&name, &e))?;
            if bytes.is_empty() {
                return Err(empty(&name));
            }
            Data::Read(bytes)
        };
        Ok(Input { name, data })
    }

    /// Reads all of stdin.
    fn stdin() -> Result<Input, Failure> {
        let bytes = read_all(io::stdin().lock()).map_err(|e| Failure::io(STDIN_NAME, &e))?;
        if bytes.is_empty() {
            return Err(empty(STDIN_NAME));
        }
        Ok(Input {
            name: STDIN_NAME.to_owned(),
            data: Data::Read(bytes),
        })
    }

    /// An input made of `bytes` already in memory, such as a generated sample.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Input {
        Input {
            name: name.into(),
            data: Data::Read(bytes),
        }
    }

    /// The name to report the input by.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The input's bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.data {
            Data::Mapped(map) => map,
            Data::Read(bytes) => bytes,
        }
    }
}

/// Everything `reader` has.
fn read_all(mut reader: impl Read) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The failure for an input with no bytes at all: not JSON (exit 1).
fn empty(name: &str) -> Failure {
    Failure::about(Status::Invalid, name, "is empty")
}
