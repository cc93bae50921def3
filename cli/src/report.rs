//! Reporting invalid JSON: `file:line:col: message`, then the offending line
//! and a caret under the column.
//!
//! ```text
//! config.json:3:3: expected ',' or '}' after object field, found '"'
//!   "b": 2
//!   ^
//! ```
//!
//! jsontape's columns count bytes; the caret is placed by characters, so it
//! lines up under non-ASCII text, and tabs before it are kept as tabs, so it
//! lines up under tab-indented text too. Lines longer than [`MAX_WIDTH`]
//! characters (a minified document is one long line) are cut to a window
//! around the column, marked with `…`. Control characters are shown as their
//! Unicode pictures (`␀`, `␛`), so the terminal never interprets them. An
//! error at the end of the input (`unexpected end of input`) is placed just
//! past the last token rather than on the empty line after a final line
//! break.
//!
//! Inputs that are not JSON text at all get one line instead: not UTF-8,
//! binary (a NUL byte where JSON was expected), only whitespace.

use crate::error::{Failure, Status};
use jsontape::ErrorKind;

/// Characters of a line shown around the error column at most.
pub const MAX_WIDTH: usize = 120;

/// The report for `input` (named `name`), which failed to parse with `error`.
pub fn invalid_json(name: &str, input: &[u8], error: &jsontape::Error) -> Failure {
    if let Some((status, reason)) = not_json_text(input, error) {
        return Failure::about(status, name, reason);
    }
    located_error(name, input, error)
}

/// The report for `error` at its place in `input`: `name:line:col: message`,
/// the line and a caret (for one document of many, such as a line of
/// NDJSON, whatever the error).
pub fn located_error(name: &str, input: &[u8], error: &jsontape::Error) -> Failure {
    // An error at the end of input is shown just past the last token, not on
    // the empty line after a final line break.
    let (offset, line, column) = if error.offset() >= input.len() {
        let (line, column) = end_position(input);
        (trimmed_len(input), line, column)
    } else {
        (error.offset(), error.line(), error.column())
    };
    let line_start = offset + 1 - column.min(offset + 1);
    let line_end = input[line_start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(input.len(), |p| line_start + p);
    Failure {
        status: Status::Invalid,
        text: located(
            name,
            line,
            &input[line_start..line_end],
            column,
            &error.message().to_string(),
        ),
    }
}

/// Length of `input` without its trailing whitespace.
fn trimmed_len(input: &[u8]) -> usize {
    input
        .iter()
        .rposition(|b| !b" \t\r\n".contains(b))
        .map_or(0, |p| p + 1)
}

/// Line and column just past the last non-whitespace byte of `input`.
fn end_position(input: &[u8]) -> (usize, usize) {
    let end = trimmed_len(input);
    let before = &input[..end];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    (line, end - line_start + 1)
}

/// For an input that is not JSON text at all, the status and the one-line
/// reason to report instead of a position.
fn not_json_text(input: &[u8], error: &jsontape::Error) -> Option<(Status, String)> {
    let offset = error.offset();
    match error.kind() {
        ErrorKind::InvalidUtf8 => Some((
            Status::Invalid,
            format!("is not UTF-8 (invalid byte at offset {offset})"),
        )),
        ErrorKind::InputTooLarge => Some((
            Status::Trouble,
            "is too large (jsontape reads inputs of less than 4 GiB)".to_owned(),
        )),
        ErrorKind::UnexpectedEnd if input.iter().all(|b| b" \t\r\n".contains(b)) => {
            Some((Status::Invalid, "is empty (only whitespace)".to_owned()))
        }
        ErrorKind::ControlCharacterInString => None,
        _ if input.get(offset) == Some(&0) => Some((
            Status::Invalid,
            format!("is binary or UTF-16, not JSON text (NUL byte at offset {offset})"),
        )),
        _ => None,
    }
}

/// `name:line_number:column: message`, then `line` (the bytes of the
/// offending line, without its line break) and a caret under byte `column`
/// (1-based) of it.
pub fn located(
    name: &str,
    line_number: usize,
    line: &[u8],
    column: usize,
    message: &str,
) -> String {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let (shown, caret) = excerpt(line, column);
    format!("{name}:{line_number}:{column}: {message}\n{shown}\n{caret}")
}

/// The line as shown (cut to [`MAX_WIDTH`] characters around the column),
/// and the caret line that points at the column in it.
fn excerpt(line: &[u8], column: usize) -> (String, String) {
    let before = column.saturating_sub(1).min(line.len());
    // Bytes that are not UTF-8 (only in an invalid UTF-8 error) show as U+FFFD.
    let caret_at = String::from_utf8_lossy(&line[..before]).chars().count();
    let chars: Vec<char> = String::from_utf8_lossy(line)
        .chars()
        .map(printable)
        .collect();
    let (start, end) = if chars.len() <= MAX_WIDTH {
        (0, chars.len())
    } else {
        let end = (caret_at.saturating_sub(MAX_WIDTH / 2) + MAX_WIDTH).min(chars.len());
        (end - MAX_WIDTH, end)
    };
    let mut shown = String::new();
    let mut caret = String::new();
    if start > 0 {
        shown.push('…');
        caret.push(' ');
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    let lead = &chars[start..caret_at.clamp(start, end)];
    caret.extend(lead.iter().map(|&c| if c == '\t' { '\t' } else { ' ' }));
    caret.push('^');
    (shown, caret)
}

/// `c`, or its Unicode control picture (U+2400 block) if it is a control
/// character other than tab.
fn printable(c: char) -> char {
    match c {
        '\t' => c,
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\x7f' => '\u{2421}',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(input: &str) -> String {
        let error = jsontape::parse(input).unwrap_err();
        invalid_json("x.json", input.as_bytes(), &error).text
    }

    #[test]
    fn points_at_the_column() {
        assert_eq!(
            report("{\n  \"a\": 1\n  \"b\": 2\n}"),
            "x.json:3:3: expected ',' or '}' after object field, found '\"'\n  \"b\": 2\n  ^"
        );
    }

    #[test]
    fn places_the_caret_by_characters_and_keeps_tabs() {
        assert_eq!(
            report("[\"é日本\", \tx]"),
            "x.json:1:15: expected a JSON value, found 'x'\n[\"é日本\", \tx]\n        \t^"
        );
    }

    #[test]
    fn cuts_long_lines_around_the_column() {
        let input = format!("[{}x{}]", "1,".repeat(200), ",1".repeat(200));
        let text = report(&input);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "x.json:1:402: expected a JSON value, found 'x'");
        assert!(lines[1].starts_with('…') && lines[1].ends_with('…'));
        assert_eq!(lines[1].chars().count(), MAX_WIDTH + 2);
        let caret = lines[2].chars().count() - 1;
        assert_eq!(lines[1].chars().nth(caret), Some('x'));
    }

    #[test]
    fn cuts_long_lines_near_their_ends() {
        let input = format!("x{}", " ".repeat(300));
        let text = report(&input);
        assert!(text.ends_with(" …\n^"), "{text}");
        let input = format!("[{}", "1,".repeat(300));
        let text = report(&input);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1].chars().count(), MAX_WIDTH + 1);
        assert_eq!(lines[2].chars().count(), MAX_WIDTH + 2);
    }

    #[test]
    fn shows_control_characters_as_pictures() {
        assert_eq!(
            report("[\"a\u{1b}b\"]"),
            "x.json:1:4: unescaped control character in string, found byte 0x1b\n[\"a␛b\"]\n   ^"
        );
    }

    #[test]
    fn errors_at_the_end_point_past_the_last_character() {
        assert_eq!(
            report("[1,\r\n 2"),
            "x.json:2:3: unexpected end of input\n 2\n  ^"
        );
        assert_eq!(
            report("[1,2\n\n  \n"),
            "x.json:1:5: unexpected end of input\n[1,2\n    ^"
        );
    }

    #[test]
    fn input_that_is_not_json_text_gets_one_line() {
        let error = jsontape::parse(b"[\"\xff\"]").unwrap_err();
        assert_eq!(
            invalid_json("x", b"[\"\xff\"]", &error).text,
            "jsontape: x: is not UTF-8 (invalid byte at offset 2)"
        );
        assert_eq!(
            report(" \n\t"),
            "jsontape: x.json: is empty (only whitespace)"
        );
        assert_eq!(
            report("{\0\"\0a\0\"\0:\x001\0}\0"),
            "jsontape: x.json: is binary or UTF-16, not JSON text (NUL byte at offset 1)"
        );
    }
}
