//! Error kinds and positions on multi-line inputs.
//!
//! Every reachable [`ErrorKind`] is triggered at least once, on inputs with LF
//! and CRLF line breaks and with multi-byte UTF-8 before the error. Offsets,
//! lines and columns are written out by hand (the column counts bytes from the
//! start of the line, so `é` counts 2 and `日` counts 3, and a `\r` belongs to
//! the line it ends); each is also checked against positions derived from the
//! offset by [`position_of`]. Some cases pin the whole `Display` message.

use jsontape::{Backend, Error, ErrorKind, Options, Parser};

/// One error case.
struct Case {
    input: &'static [u8],
    /// `None` for the default options.
    max_depth: Option<usize>,
    kind: ErrorKind,
    offset: usize,
    line: usize,
    column: usize,
    /// The full `Display` message, when pinned.
    message: Option<&'static str>,
}

const fn case(
    input: &'static [u8],
    kind: ErrorKind,
    offset: usize,
    line: usize,
    column: usize,
) -> Case {
    Case {
        input,
        max_depth: None,
        kind,
        offset,
        line,
        column,
        message: None,
    }
}

impl Case {
    const fn message(mut self, message: &'static str) -> Case {
        self.message = Some(message);
        self
    }

    const fn max_depth(mut self, max_depth: usize) -> Case {
        self.max_depth = Some(max_depth);
        self
    }
}

/// Line and column of `offset` in `input`, derived independently of the
/// parser: 1-based, the column counting bytes after the last `\n`.
fn position_of(input: &[u8], offset: usize) -> (usize, usize) {
    let mut line = 1;
    let mut column = 1;
    for &b in &input[..offset] {
        if b == b'\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

fn parse_err(input: &[u8], max_depth: Option<usize>) -> Error {
    let options = Options::new().with_max_depth(max_depth.unwrap_or(Options::new().max_depth));
    let result = match max_depth {
        None => jsontape::parse(input).map(|doc| doc.root().to_string()),
        Some(_) => Parser::with_options(options)
            .parse(input)
            .map(|doc| doc.root().to_string()),
    };
    let err = match result {
        Ok(printed) => panic!(
            "{:?} parsed (as {printed}) but should fail",
            String::from_utf8_lossy(input)
        ),
        Err(e) => e,
    };
    // Every stage 1 backend this machine supports reports the same error.
    for backend in Backend::ALL.into_iter().filter(|b| b.is_supported()) {
        let mut parser = Parser::with_options(options.with_backend(backend));
        let other = parser.parse(input).map(|doc| doc.root().to_string());
        assert_eq!(
            other.as_ref().err(),
            Some(&err),
            "{:?}: backend {} disagrees with the default",
            String::from_utf8_lossy(input),
            backend.name()
        );
    }
    err
}

use ErrorKind::*;

const CASES: &[Case] = &[
    // --- UnexpectedEnd -------------------------------------------------------
    case(b"", UnexpectedEnd, 0, 1, 1).message("unexpected end of input at line 1 column 1"),
    case(b"\n\n", UnexpectedEnd, 2, 3, 1),
    case(b"\r\n \r\n", UnexpectedEnd, 5, 3, 1),
    case(b"[\n  1,\n  2,\n", UnexpectedEnd, 12, 4, 1)
        .message("unexpected end of input at line 4 column 1"),
    // A truncated literal, after CRLF.
    case(b"{\r\n  \"a\": tru", UnexpectedEnd, 13, 2, 11),
    // A lone minus sign, after multi-byte UTF-8.
    case("[\"日本\",\n -".as_bytes(), UnexpectedEnd, 13, 2, 3),
    case(b"{\"a\":\n", UnexpectedEnd, 6, 2, 1),
    // The end inside arrays of numbers, read by stage 2's run-of-numbers
    // loop: after a number, after its comma, and after a `[` that follows a
    // comma.
    case(b"[[1,2],[3", UnexpectedEnd, 9, 1, 10),
    case(b"[[1,2],[3,", UnexpectedEnd, 10, 1, 11),
    case(b"[[1,2],[", UnexpectedEnd, 8, 1, 9),
    case(b"[[1,2],[-", UnexpectedEnd, 9, 1, 10),
    case(b"{\"a\"\n", UnexpectedEnd, 5, 2, 1),
    case(b"1.5e", UnexpectedEnd, 4, 1, 5),
    // --- ExpectedValue -------------------------------------------------------
    case(b"[\n  1,\n  2,\n]", ExpectedValue, 12, 4, 1)
        .message("expected a JSON value, found ']' at line 4 column 1"),
    case(
        "{\"é\":\n  [\"日本\", x]}".as_bytes(),
        ExpectedValue,
        20,
        2,
        14,
    )
    .message("expected a JSON value, found 'x' at line 2 column 14"),
    case(b"[1,\r\n\r\n ,2]", ExpectedValue, 8, 3, 2),
    case(b"\n  True", ExpectedValue, 3, 2, 3),
    // A UTF-8 byte order mark is not whitespace.
    case(b"\xef\xbb\xbf{}", ExpectedValue, 0, 1, 1)
        .message("expected a JSON value, found byte 0xef at line 1 column 1"),
    // --- ExpectedKey ---------------------------------------------------------
    case(b"{\n  \"a\": 1,\n  2: 3\n}", ExpectedKey, 14, 3, 3)
        .message("expected a string object key, found '2' at line 3 column 3"),
    case(b"{\r\n\t'a': 1}", ExpectedKey, 4, 2, 2),
    case("{\"é\": 1,\n}".as_bytes(), ExpectedKey, 10, 2, 1),
    // --- ExpectedColon -------------------------------------------------------
    case("{\n  \"日本\" 1\n}".as_bytes(), ExpectedColon, 13, 2, 12)
        .message("expected ':' after object key, found '1' at line 2 column 12"),
    case(b"{\"a\",\r\n \"b\"}", ExpectedColon, 4, 1, 5),
    // --- ExpectedCommaOrObjectEnd --------------------------------------------
    case(
        b"{\n  \"a\": 1\n  \"b\": 2\n}",
        ExpectedCommaOrObjectEnd,
        13,
        3,
        3,
    ),
    case(
        b"{\"a\": 1\r\n \"b\": 2}",
        ExpectedCommaOrObjectEnd,
        10,
        2,
        2,
    )
    .message("expected ',' or '}' after object field, found '\"' at line 2 column 2"),
    case(
        "{\"é\":\"日\"]".as_bytes(),
        ExpectedCommaOrObjectEnd,
        11,
        1,
        12,
    ),
    // --- ExpectedCommaOrArrayEnd ---------------------------------------------
    case(
        "[\n  \"é\"\n  \"b\"\n]".as_bytes(),
        ExpectedCommaOrArrayEnd,
        11,
        3,
        3,
    )
    .message("expected ',' or ']' after array element, found '\"' at line 3 column 3"),
    case(b"[1}", ExpectedCommaOrArrayEnd, 2, 1, 3),
    // In an array of numbers that follows a comma (read without the
    // dispatch on a value's first byte).
    case(b"[[1,2],[3 4]]", ExpectedCommaOrArrayEnd, 10, 1, 11),
    case(b"[[1,2],\n[3,}]", ExpectedValue, 11, 2, 4),
    case(
        b"[\r\n  true\r\n  false]",
        ExpectedCommaOrArrayEnd,
        13,
        3,
        3,
    ),
    // --- TrailingCharacters --------------------------------------------------
    case(b"{}\n\n  x", TrailingCharacters, 6, 3, 3)
        .message("trailing characters after the JSON value, found 'x' at line 3 column 3"),
    case(b"[1]\r\n]", TrailingCharacters, 5, 2, 1),
    case("\"é\" \"日本\"".as_bytes(), TrailingCharacters, 5, 1, 6),
    case(b"1 2", TrailingCharacters, 2, 1, 3),
    // --- InvalidLiteral ------------------------------------------------------
    case(b"[\n  nul,\n]", InvalidLiteral, 7, 2, 6)
        .message("invalid literal, expected true, false or null, found ',' at line 2 column 6"),
    case(b"[true,\r\n folse]", InvalidLiteral, 10, 2, 3),
    case(b"\n\n  nulL", InvalidLiteral, 7, 3, 6),
    case("[\"日\",\n truex]".as_bytes(), InvalidLiteral, 13, 2, 6),
    // --- InvalidNumber -------------------------------------------------------
    case(b"[\n  01\n]", InvalidNumber, 5, 2, 4)
        .message("invalid number, found '1' at line 2 column 4"),
    case("{\"é\": -x}".as_bytes(), InvalidNumber, 8, 1, 9),
    case(b"[\r\n1.5e+]", InvalidNumber, 8, 2, 6),
    case(b"[1.e5]", InvalidNumber, 3, 1, 4),
    case(b"\n-1.0.", InvalidNumber, 5, 2, 5),
    case(b"[1a]", InvalidNumber, 2, 1, 3),
    // --- NumberOutOfRange (the offset is the number's first byte) -------------
    case(b"[\n  1e400\n]", NumberOutOfRange, 4, 2, 3)
        .message("number out of range for f64, found '1' at line 2 column 3"),
    case(b"\r\n-1.5e309", NumberOutOfRange, 2, 2, 1),
    case(
        "{\"日本\": [0, 2e308]}".as_bytes(),
        NumberOutOfRange,
        15,
        1,
        16,
    ),
    // --- UnterminatedString (at the opening quote, or at the end of input) ----
    case(b"[\n  \"abc", UnterminatedString, 4, 2, 3)
        .message("unterminated string, found '\"' at line 2 column 3"),
    case("\"日本\\".as_bytes(), UnterminatedString, 8, 1, 9)
        .message("unterminated string, found end of input at line 1 column 9"),
    case(b"\r\n\"\\u12", UnterminatedString, 7, 2, 6),
    case("{\"é\":\n\"".as_bytes(), UnterminatedString, 7, 2, 1),
    // An unterminated string holding a raw NUL: the string error comes first.
    case("[\"é\", \"\u{0}".as_bytes(), UnterminatedString, 7, 1, 8),
    // --- ControlCharacterInString --------------------------------------------
    case(b"{\n  \"a\tb\": 1\n}", ControlCharacterInString, 6, 2, 5)
        .message("unescaped control character in string, found byte 0x09 at line 2 column 5"),
    case("[\"é\x01\"]".as_bytes(), ControlCharacterInString, 4, 1, 5),
    // The newline is the offending byte, so it is still on line 1.
    case(b"[\"ab\ncd\"]", ControlCharacterInString, 4, 1, 5),
    case(b"[1,\r\n\"a\r\nb\"]", ControlCharacterInString, 7, 2, 3)
        .message("unescaped control character in string, found byte 0x0d at line 2 column 3"),
    // A grammar error before the control character wins...
    case(b"[1 2,\n \"\x01\"]", ExpectedCommaOrArrayEnd, 3, 1, 4),
    // ...and one after it loses.
    case(b"[\n\"\x1f\", 1 2]", ControlCharacterInString, 3, 2, 2),
    // --- InvalidEscape -------------------------------------------------------
    case(b"[\n  \"a\\x\"\n]", InvalidEscape, 7, 2, 6)
        .message("invalid escape in string, found 'x' at line 2 column 6"),
    case("{\r\n\"日本\\'\": 1}".as_bytes(), InvalidEscape, 11, 2, 9),
    case("\"\\é\"".as_bytes(), InvalidEscape, 2, 1, 3)
        .message("invalid escape in string, found byte 0xc3 at line 1 column 3"),
    // --- InvalidUnicodeEscape ------------------------------------------------
    case(b"[\n\"\\u12G4\"]", InvalidUnicodeEscape, 7, 2, 6)
        .message("invalid \\u escape, expected four hex digits, found 'G' at line 2 column 6"),
    case(
        "[\"é\",\r\n \"\\u00é\"]".as_bytes(),
        InvalidUnicodeEscape,
        14,
        2,
        7,
    ),
    // --- LoneSurrogate (at the backslash of the first escape) ----------------
    case(
        b"{\n  \"k\": \"\\uD800\\u0041\"\n}",
        LoneSurrogate,
        10,
        2,
        9,
    )
    .message("lone UTF-16 surrogate in \\u escape, found '\\' at line 2 column 9"),
    case("\"é\\uDC00\"".as_bytes(), LoneSurrogate, 3, 1, 4),
    case(b"[\r\n\"ab\\uDBFF\"]", LoneSurrogate, 6, 2, 4),
    // --- InvalidUtf8 (no "found": the description says it) -------------------
    case(b"[\n  \"\xff\"\n]", InvalidUtf8, 5, 2, 4).message("invalid UTF-8 at line 2 column 4"),
    // A truncated three-byte sequence after valid multi-byte text.
    case(b"[\"\xc3\xa9\", \"\xe6\x97\"]", InvalidUtf8, 8, 1, 9),
    case(b"{\r\n\"\xc0\xaf\": 1}", InvalidUtf8, 4, 2, 2),
    // --- DepthLimitExceeded (no "found") -------------------------------------
    case(
        b"[\n {\n  \"a\": [\n   [1]\n  ]\n }\n]",
        DepthLimitExceeded,
        17,
        4,
        4,
    )
    .max_depth(3)
    .message("nesting deeper than the maximum depth at line 4 column 4"),
    case(b"\r\n []", DepthLimitExceeded, 3, 2, 2).max_depth(0),
    case(
        "{\"日\": {\"本\": {}}}".as_bytes(),
        DepthLimitExceeded,
        16,
        1,
        17,
    )
    .max_depth(2),
];

#[test]
fn every_case_has_the_expected_kind_and_position() {
    let mut failures = Vec::new();
    for (i, c) in CASES.iter().enumerate() {
        let input_text = String::from_utf8_lossy(c.input);
        // The hand-written position must agree with the derived one.
        assert!(
            c.offset <= c.input.len(),
            "case {i} {input_text:?}: offset past the end"
        );
        assert_eq!(
            position_of(c.input, c.offset),
            (c.line, c.column),
            "case {i} {input_text:?}: hand-computed line/column disagree with the offset"
        );
        let e = parse_err(c.input, c.max_depth);
        let got = (e.kind(), e.offset(), e.line(), e.column());
        let expected = (c.kind, c.offset, c.line, c.column);
        if got != expected {
            failures.push(format!(
                "case {i} {input_text:?}: expected {expected:?}, got {got:?} ({e})"
            ));
        }
        // The parser's own line/column agree with its offset.
        if (e.line(), e.column()) != position_of(c.input, e.offset()) {
            failures.push(format!(
                "case {i} {input_text:?}: line/column {:?} inconsistent with offset {}",
                (e.line(), e.column()),
                e.offset()
            ));
        }
        if let Some(message) = c.message
            && e.to_string() != message
        {
            failures.push(format!(
                "case {i} {input_text:?}: message {:?}, expected {message:?}",
                e.to_string()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_reachable_kind_is_covered() {
    // InputTooLarge needs 4 GiB of input and is not reachable here.
    let reachable = [
        UnexpectedEnd,
        ExpectedValue,
        ExpectedKey,
        ExpectedColon,
        ExpectedCommaOrObjectEnd,
        ExpectedCommaOrArrayEnd,
        TrailingCharacters,
        InvalidLiteral,
        InvalidNumber,
        NumberOutOfRange,
        UnterminatedString,
        ControlCharacterInString,
        InvalidEscape,
        InvalidUnicodeEscape,
        LoneSurrogate,
        InvalidUtf8,
        DepthLimitExceeded,
    ];
    for kind in reachable {
        let with_line_break = CASES
            .iter()
            .filter(|c| c.kind == kind && c.input.contains(&b'\n'))
            .count();
        assert!(with_line_break > 0, "{kind:?} has no multi-line case");
        assert!(
            CASES.iter().any(|c| c.kind == kind && c.message.is_some())
                || kind == ControlCharacterInString,
            "{kind:?} has no pinned message"
        );
    }
    assert!(
        CASES
            .iter()
            .any(|c| c.input.windows(2).any(|w| w == b"\r\n"))
    );
    assert!(CASES.iter().any(|c| c.input.iter().any(|&b| b >= 0x80)));
}

#[test]
fn positions_on_every_line_of_a_long_document() {
    // The same error on line n, column n + 1, for many n, with mixed line endings.
    for n in 1..200usize {
        let mut input = Vec::new();
        input.push(b'[');
        for i in 1..n {
            input.extend_from_slice(b"1,");
            input.extend_from_slice(if i % 3 == 0 { b"\r\n" } else { b"\n" });
        }
        input.extend(std::iter::repeat_n(b' ', n));
        let offset = input.len();
        input.extend_from_slice(b"?]");
        let e = jsontape::parse(&input).unwrap_err();
        assert_eq!(e.kind(), ExpectedValue);
        assert_eq!(e.offset(), offset);
        let column = if n == 1 { n + 2 } else { n + 1 };
        assert_eq!((e.line(), e.column()), (n, column), "n = {n}");
        assert_eq!(position_of(&input, offset), (n, column));
        assert_eq!(
            e.to_string(),
            format!("expected a JSON value, found '?' at line {n} column {column}")
        );
    }
}

#[test]
fn unicode_line_separators_are_not_line_breaks() {
    // U+2028 and U+2029 are allowed raw in JSON strings and are not `\n`.
    let input = "[\"\u{2028}\u{2029}\",\n \"\u{2028}\" x]";
    let e = jsontape::parse(input).unwrap_err();
    // [0 "1 U+2028 2..5 U+2029 5..8 "8 ,9 \n10 sp11 "12 U+2028 13..16 "16 sp17 x18
    assert_eq!(
        (e.kind(), e.offset(), e.line(), e.column()),
        (ExpectedCommaOrArrayEnd, 18, 2, 8)
    );
}
