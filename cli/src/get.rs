//! `jsontape get FILE EXPR`: the values a JSON Pointer or a JSONPath
//! expression selects, one per line.
//!
//! The whole document is parsed (and so validated) first: an invalid document
//! is reported, never half-queried. (`jsontape::get` would find a pointer's
//! value without parsing the rest, but it validates only what it walks.)
//! Values are written straight from the tape, as in the input: key order,
//! duplicate keys and the spelling of numbers and strings are kept; only
//! whitespace changes.

use crate::error::{Failure, Status, stdout_result};
use crate::input::Input;
use crate::report;
use jsontape::{JsonPath, ValueRef};
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

/// Arguments of `jsontape get`.
#[derive(clap::Args)]
pub struct Args {
    /// The JSON file; `-` reads stdin.
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// A JSON Pointer (RFC 6901: empty, or starting with `/`, such as
    /// `/users/0/name`) or a JSONPath expression (RFC 9535: starting with
    /// `$`, such as `$.users[*].name`).
    #[arg(value_name = "EXPR")]
    pub expression: String,
    /// Write each value as pretty JSON (two-space indent) instead of compact.
    #[arg(long)]
    pub pretty: bool,
    /// Write each value's normalized path (RFC 9535, such as
    /// `$['users'][0]['name']`), a tab, then the value. A JSON Pointer's
    /// match is given the normalized path of the same value.
    #[arg(long)]
    pub paths: bool,
}

/// A compiled EXPR.
enum Query {
    /// A JSON Pointer.
    Pointer(String),
    /// A JSONPath expression.
    Path(JsonPath),
}

impl Query {
    /// Compiles `expression`; an invalid one is a usage error (exit 2).
    fn parse(expression: &str) -> Result<Query, Failure> {
        if expression.is_empty() || expression.starts_with('/') {
            check_pointer(expression)?;
            return Ok(Query::Pointer(expression.to_owned()));
        }
        if !expression.starts_with('$') {
            return Err(Failure::usage(format!(
                "EXPR must be a JSON Pointer (\"/users/0\") or a JSONPath expression \
                 (\"$.users[0]\"), not {expression:?}"
            )));
        }
        JsonPath::parse(expression).map(Query::Path).map_err(|e| {
            invalid_expression("JSONPath expression", expression, e.offset(), e.message())
        })
    }

    /// The selected values, each with its normalized path if `with_paths`.
    fn select<'d>(&self, root: ValueRef<'d>, with_paths: bool) -> Vec<(String, ValueRef<'d>)> {
        match self {
            Query::Pointer(pointer) if with_paths => {
                root.pointer_located(pointer).into_iter().collect()
            }
            Query::Pointer(pointer) => root
                .pointer(pointer)
                .map(|v| (String::new(), v))
                .into_iter()
                .collect(),
            Query::Path(path) if with_paths => path.query_located(root),
            Query::Path(path) => path
                .query(root)
                .into_iter()
                .map(|v| (String::new(), v))
                .collect(),
        }
    }
}

/// Runs `get`: exit 0 if something matched, 1 if nothing did.
pub fn run(args: &Args) -> Result<Status, Failure> {
    // A bad expression is reported before any input is read.
    let query = Query::parse(&args.expression)?;
    let input = Input::open(&args.path)?;
    let doc = jsontape::parse(input.bytes())
        .map_err(|e| report::invalid_json(input.name(), input.bytes(), &e))?;
    let matches = query.select(doc.root(), args.paths);
    if matches.is_empty() {
        return Ok(Status::Invalid);
    }
    stdout_result(write_matches(&matches, args))?;
    Ok(Status::Success)
}

/// Writes every match on stdout.
fn write_matches(matches: &[(String, ValueRef<'_>)], args: &Args) -> io::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    for (path, value) in matches {
        if args.paths {
            out.write_all(path.as_bytes())?;
            out.write_all(b"\t")?;
        }
        if args.pretty {
            value.to_writer_pretty(&mut out)?;
        } else {
            value.to_writer(&mut out)?;
        }
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Rejects a malformed JSON Pointer: `~` must be followed by `0` or `1`.
fn check_pointer(pointer: &str) -> Result<(), Failure> {
    let bytes = pointer.as_bytes();
    for (offset, &b) in bytes.iter().enumerate() {
        if b == b'~' && !matches!(bytes.get(offset + 1), Some(b'0' | b'1')) {
            return Err(invalid_expression(
                "JSON Pointer",
                pointer,
                offset,
                "'~' must be followed by '0' or '1'",
            ));
        }
    }
    Ok(())
}

/// The usage error for an invalid expression: the message with its offset,
/// then the expression and a caret under the offset.
fn invalid_expression(what: &str, expression: &str, offset: usize, message: &str) -> Failure {
    let before = expression.get(..offset).unwrap_or(expression);
    let caret = format!("{}^", " ".repeat(before.chars().count()));
    Failure::usage(format!(
        "invalid {what}: {message} at offset {offset}\n  {expression}\n  {caret}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_pointers_are_usage_errors() {
        let failure = Query::parse("/a~2").err().unwrap();
        assert_eq!(failure.status, Status::Trouble);
        assert_eq!(
            failure.text,
            "jsontape: invalid JSON Pointer: '~' must be followed by '0' or '1' \
             at offset 2\n  /a~2\n    ^"
        );
    }
}
