//! `jsontape validate`: is each input valid JSON? Every error is reported as
//! `file:line:col: message`, the offending line and a caret (see
//! [`report`]), on stderr; valid inputs print nothing.

use crate::error::{Failure, Status, print_stderr};
use crate::input::Input;
use crate::report;
use std::path::PathBuf;

/// Arguments of `jsontape validate`.
#[derive(clap::Args)]
pub struct Args {
    /// JSON files to check; `-` reads stdin.
    #[arg(required = true, value_name = "FILE")]
    pub paths: Vec<PathBuf>,
    /// Each input is NDJSON: every non-blank line is a document. Reports every
    /// invalid line (numbered within the file), then `N documents, M invalid`.
    #[arg(long)]
    pub ndjson: bool,
    /// Print nothing; only the exit status tells.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Checks every input, going on after failures; returns the worst status.
pub fn run(args: &Args) -> Status {
    let mut parser = jsontape::Parser::new();
    let say = |text: &str| {
        if !args.quiet {
            print_stderr(text);
        }
    };
    let mut status = Status::Success;
    for path in &args.paths {
        let input_status = match Input::open(path) {
            Err(failure) => {
                say(&failure.text);
                failure.status
            }
            Ok(input) if args.ndjson => validate_lines(&input, &mut parser, say),
            Ok(input) => match parser.parse(input.bytes()) {
                Ok(_) => Status::Success,
                Err(error) => {
                    let failure = report::invalid_json(input.name(), input.bytes(), &error);
                    say(&failure.text);
                    failure.status
                }
            },
        };
        status = status.max(input_status);
    }
    status
}

/// Validates `input` as NDJSON, reporting each invalid line and a summary
/// through `say`.
fn validate_lines(input: &Input, parser: &mut jsontape::Parser, say: impl Fn(&str)) -> Status {
    let name = input.name();
    let mut invalid = 0;
    let documents = check_ndjson_documents(input.bytes(), parser, |error| {
        invalid += 1;
        say(&report::located_error(name, input.bytes(), &error).text);
    });
    if documents == 0 {
        let failure = Failure::about(Status::Invalid, name, "is empty (only blank lines)");
        say(&failure.text);
        return failure.status;
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    say(&format!(
        "{name}: {}, {invalid} invalid",
        plural(documents, "document")
    ));
    if invalid == 0 {
        Status::Success
    } else {
        Status::Invalid
    }
}

/// Parses every document of the NDJSON `input` (each non-blank line) with
/// the library's document stream over one reused `parser`, calling
/// `on_invalid` with the error of each one that is not valid JSON (located
/// in the whole input: its line, column and offset); returns the number of
/// documents.
pub fn check_ndjson_documents(
    input: &[u8],
    parser: &mut jsontape::Parser,
    mut on_invalid: impl FnMut(jsontape::Error),
) -> usize {
    let mut stream = parser.documents(input);
    let mut documents = 0;
    while let Some(document) = stream.next_document() {
        documents += 1;
        if let Err(error) = document {
            on_invalid(error);
        }
    }
    documents
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndjson_documents_are_checked_one_by_one() {
        let mut parser = jsontape::Parser::new();
        let mut bad = Vec::new();
        let input = b"{\"a\":1}\n\n[1,]\n  \n\"ok\"\r\n{\"b\" 2}\n";
        let documents = check_ndjson_documents(input, &mut parser, |error| {
            bad.push((error.line(), error.column()));
        });
        assert_eq!(documents, 4);
        assert_eq!(bad, [(3, 4), (6, 6)]);
    }
}
