//! Exit statuses, and failures reported as one line on stderr.
//!
//! Every way a command can fail ends in a [`Failure`]: a message for stderr
//! and the [`Status`] to exit with. Nothing here panics, and writing to a
//! closed stderr is ignored rather than fatal.

use std::io::{self, Write};
use std::process::ExitCode;

/// The exit codes, as `--help` documents them. Ordered by severity, so the
/// status of a run over many inputs is the maximum of theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// 0: everything was valid (and `get` found something).
    Success = 0,
    /// 1: some input is not valid JSON (empty and non-UTF-8 input included),
    /// or `get` matched nothing.
    Invalid = 1,
    /// 2: a usage error, or an input or output that could not be read or
    /// written (missing file, directory, permission denied, ...).
    Trouble = 2,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(status as u8)
    }
}

/// The exit code table shown at the end of `--help`.
pub const EXIT_CODES: &str = "\
Exit status:
  0  success: every input is valid JSON (for `get`: at least one value matched)
  1  invalid JSON (including empty, whitespace-only and non-UTF-8 input),
     or `get` matched nothing (like grep)
  2  usage error (bad arguments, invalid expression), or an input or output
     that could not be read or written (missing file, directory, permission)";

/// A failure: the text to print on stderr and the status to exit with.
#[derive(Debug)]
pub struct Failure {
    /// What to exit with.
    pub status: Status,
    /// The complete text for stderr, without the final newline.
    pub text: String,
}

impl Failure {
    /// `jsontape: {subject}: {reason}`, exiting with `status`.
    pub fn about(status: Status, subject: &str, reason: impl std::fmt::Display) -> Failure {
        Failure {
            status,
            text: format!("jsontape: {subject}: {reason}"),
        }
    }

    /// `jsontape: {message}`, a usage error (exit 2).
    pub fn usage(message: impl std::fmt::Display) -> Failure {
        Failure {
            status: Status::Trouble,
            text: format!("jsontape: {message}"),
        }
    }

    /// An I/O error on `subject` (exit 2), in the words of the operating
    /// system: `jsontape: x.json: No such file or directory`.
    pub fn io(subject: &str, error: &io::Error) -> Failure {
        Failure::about(Status::Trouble, subject, io_reason(error))
    }

    /// Prints the failure on stderr; returns its status.
    pub fn report(&self) -> Status {
        print_stderr(&self.text);
        self.status
    }
}

/// An I/O error in plain words: the operating system's message without the
/// ` (os error N)` that Rust appends.
pub fn io_reason(error: &io::Error) -> String {
    let text = error.to_string();
    match error.raw_os_error() {
        Some(code) => text
            .strip_suffix(&format!(" (os error {code})"))
            .unwrap_or(&text)
            .to_owned(),
        None => text,
    }
}

/// Writes `text` and a newline to stderr, ignoring errors (a closed stderr
/// must not turn into a panic, as `eprintln!` would).
pub fn print_stderr(text: &str) {
    let mut stderr = io::stderr().lock();
    let _ = stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.write_all(b"\n"));
}

/// What a failed write to stdout means: nothing, if the reader went away
/// (`jsontape fmt big.json | head`), which ends the output quietly; otherwise
/// an error to report.
pub fn stdout_result(result: io::Result<()>) -> Result<(), Failure> {
    match result {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Failure::io("stdout", &e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_reasons_drop_the_os_error_number() {
        let error = io::Error::from_raw_os_error(2);
        assert_eq!(io_reason(&error), "No such file or directory");
        let custom = io::Error::other("custom");
        assert_eq!(io_reason(&custom), "custom");
    }

    #[test]
    fn statuses_order_by_severity() {
        assert!(Status::Success < Status::Invalid && Status::Invalid < Status::Trouble);
        assert_eq!(Status::Invalid.max(Status::Trouble), Status::Trouble);
    }

    #[test]
    fn broken_pipes_are_quiet() {
        let broken = io::Error::from(io::ErrorKind::BrokenPipe);
        assert!(stdout_result(Err(broken)).is_ok());
        let full = io::Error::from_raw_os_error(28);
        let failure = stdout_result(Err(full)).unwrap_err();
        assert_eq!(failure.status, Status::Trouble);
        assert_eq!(failure.text, "jsontape: stdout: No space left on device");
    }
}
