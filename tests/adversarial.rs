//! Adversarial inputs aimed at the places a SIMD JSON parser goes wrong.
//!
//! Stage 1 classifies the input 64 bytes at a time and carries state (inside a
//! string? after an odd run of backslashes?) from one block to the next, and
//! every scanner that looks ahead (numbers, literals, string escapes, UTF-8
//! validation) must stop at the end of the input instead of reading the bytes
//! that happen to follow it in memory. So every test here places its tricky
//! bytes across a 64-byte block boundary or right at the end of the input:
//!
//! 1. quote and backslash runs crossing the block boundary, checked against
//!    serde_json;
//! 2. invalid UTF-8 at every offset, which must be reported at its first byte;
//! 3. numbers and literals cut at the end of the input, parsed from a slice of a
//!    larger buffer (whose next bytes would complete the token) and from an
//!    exact-size copy, which must agree;
//! 4. long decimal numbers crossing the block boundary, which must read
//!    bit-identical to `str::parse::<f64>`;
//! 5. every proper prefix of valid documents, again as a slice and as a copy;
//! 6. runs of whitespace, quotes and backslashes of every length up to 200;
//! 7. a 4 GiB input, which must be rejected without reading it.
//!
//! Every input is parsed with `jsontape::parse` and with a reused [`Parser`]
//! per backend this machine supports, and all of them must agree exactly
//! (every value and its compact printing, or the error's kind and position).

mod common;
#[allow(dead_code)] // this test binary uses only some of the oracles
#[path = "../fuzz/src/oracles.rs"]
mod oracles;

use jsontape::{Backend, ErrorKind, Kind, Parser, ValueRef};
use oracles::Outcome;

/// What a parse produced, comparable across backends and buffers: the
/// oracles' [`Outcome`] (every value with each number's readings and text, or
/// the error's kind and position) and the compact printing of the root.
type Reading = (Outcome, Option<String>);

/// Turns a parse result into a [`Reading`].
fn reading(result: Result<jsontape::Document<'_>, jsontape::Error>) -> Reading {
    let compact = result.as_ref().ok().map(|doc| doc.root().to_string());
    (oracles::outcome(result), compact)
}

/// Asserts that serde_json accepts `input` exactly when jsontape does, and
/// reads the same value ([`oracles::check_against_serde_json`]), naming the
/// input if not.
fn assert_like_serde(input: &[u8]) {
    if std::panic::catch_unwind(|| oracles::check_against_serde_json(input)).is_err() {
        panic!(
            "{}: jsontape and serde_json disagree (see above)",
            show(input)
        );
    }
}

/// Printable form of an input for assertion messages.
fn show(input: &[u8]) -> String {
    format!("\"{}\" ({} bytes)", input.escape_ascii(), input.len())
}

/// `n` spaces.
fn spaces(n: usize) -> Vec<u8> {
    vec![b' '; n]
}

/// Concatenates byte strings.
fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// `jsontape::parse` plus one reused parser per backend this machine supports.
struct Backends(Vec<(Backend, Parser)>);

impl Backends {
    fn new() -> Backends {
        Backends(common::parser_per_backend())
    }

    /// Calls `f` with the name of each parse (`default`, then each backend)
    /// and its result for `input`.
    fn each(
        &mut self,
        input: &[u8],
        mut f: impl FnMut(&str, Result<jsontape::Document<'_>, jsontape::Error>),
    ) {
        f("default", jsontape::parse(input));
        for (backend, parser) in &mut self.0 {
            f(backend.name(), parser.parse(input));
        }
    }

    /// The reading of `input`, asserting that every parse gives the same one.
    fn reading(&mut self, input: &[u8]) -> Reading {
        let mut first: Option<Reading> = None;
        self.each(input, |name, result| {
            let got = reading(result);
            match &first {
                None => first = Some(got),
                Some(expected) => assert_eq!(
                    &got,
                    expected,
                    "{}: backend {name} differs from jsontape::parse",
                    show(input)
                ),
            }
        });
        first.unwrap()
    }

    /// The outcome of `input`, asserting that every parse gives the same one.
    fn outcome(&mut self, input: &[u8]) -> Outcome {
        self.reading(input).0
    }

    /// The outcome of `input`, asserting that all backends agree and that
    /// serde_json accepts exactly the same inputs with the same values.
    fn outcome_like_serde(&mut self, input: &[u8]) -> Outcome {
        let ours = self.outcome(input);
        assert_like_serde(input);
        ours
    }

    /// The outcome of `input`, a slice of a larger buffer, asserting all that
    /// [`Backends::outcome_like_serde`] does and that it equals the outcome of
    /// an exact-size copy (so nothing past the end of the slice was looked
    /// at). serde_json reads only the slice: it says what the cut alone means.
    fn outcome_of_slice_like_serde(&mut self, input: &[u8]) -> Outcome {
        let in_place = self.reading(input);
        let copy: Vec<u8> = Vec::from(input);
        let copied = self.reading(&copy);
        assert_eq!(
            in_place,
            copied,
            "{}: parsing in place (followed by more bytes) differs from an exact-size copy",
            show(input)
        );
        assert_like_serde(input);
        in_place.0
    }
}

/// Quote and backslash runs of 0 to 9 bytes starting at bytes 58 to 68 (and
/// 122 to 132), so that they cross a 64-byte block boundary, inside and outside
/// strings, followed by a quote, a letter, a `\u` escape's tail, or the end of
/// the input: every backend agrees, and with serde_json.
#[test]
fn quote_and_backslash_runs_across_the_block_boundary() {
    let mut backends = Backends::new();
    let (mut inputs, mut accepted) = (0, 0);
    // Across the first block boundary, and (as a spot check) the second.
    for start in (58..=68).chain(122..=132) {
        let letters = |n: usize| vec![b'a'; n];
        let prefixes: [Vec<u8>; 4] = [
            // Inside a string in an array.
            cat(&[b"[\"", &letters(start - 2)]),
            // Inside a top-level string.
            cat(&[b"\"", &letters(start - 1)]),
            // Outside any string, after whitespace.
            cat(&[b"[", &spaces(start - 1)]),
            // Inside an object key.
            cat(&[b"{\"", &letters(start - 2)]),
        ];
        for prefix in &prefixes {
            assert_eq!(prefix.len(), start);
            for byte in [b'\\', b'"'] {
                for run in 0..=9 {
                    let run = vec![byte; run];
                    let tails: [&[u8]; 8] = [
                        b"\"x\"]",
                        b"x\"]",
                        b"u0041\"]",
                        b"",
                        b"\"",
                        b"\"]",
                        b"\":1}",
                        b"\\\"\"]",
                    ];
                    for tail in tails {
                        let input = cat(&[prefix, &run, tail]);
                        // The whole input, and the input cut right after the
                        // run (a slice followed by the tail's bytes).
                        for end in [input.len(), prefix.len() + run.len()] {
                            let input = &input[..end];
                            let outcome = backends.outcome_of_slice_like_serde(input);
                            inputs += 1;
                            accepted += usize::from(matches!(outcome, Outcome::Parsed(_)));
                        }
                    }
                }
            }
        }
    }
    // Not a test of rejections only: even runs of backslashes close properly.
    assert!(accepted > inputs / 50, "{accepted} of {inputs} accepted");
    eprintln!("checked {inputs} inputs, {accepted} accepted");
}

/// The invalid sequences of [`invalid_utf8_at_every_offset`]: a bare `0xFF`,
/// an overlong NUL, an encoded surrogate and a truncated three-byte sequence.
const INVALID_UTF8: [&[u8]; 4] = [b"\xFF", b"\xC0\x80", b"\xED\xA0\x80", b"\xE2\x82"];

/// Documents that are valid except for `bad`, placed at byte `offset`, in and
/// out of strings, with ASCII and multi-byte filler.
fn documents_with_bad_bytes_at(offset: usize, bad: &[u8]) -> Vec<Vec<u8>> {
    let letters = |n: usize| vec![b'a'; n];
    // `n` bytes of two-byte characters (plus one ASCII letter if `n` is odd).
    let accents = |n: usize| {
        let mut filler = "é".repeat(n / 2).into_bytes();
        filler.extend(letters(n % 2));
        filler
    };
    let mut docs = vec![
        // Before the value.
        cat(&[&spaces(offset), bad, b" [1]"]),
    ];
    if offset >= 1 {
        docs.push(cat(&[b"\"", &letters(offset - 1), bad, b"\""]));
        docs.push(cat(&[b"\"", &accents(offset - 1), bad, b"\""]));
        docs.push(cat(&[b"[", &spaces(offset - 1), bad, b"1]"]));
    }
    if offset >= 2 {
        docs.push(cat(&[b"[\"", &letters(offset - 2), bad, b"\", 1]"]));
        docs.push(cat(&[b"{\"", &accents(offset - 2), bad, b"\":1}"]));
        // A second bad sequence later on: the first one is reported.
        docs.push(cat(&[b"[\"", &letters(offset - 2), bad, b"\", \"\xFF\"]"]));
    }
    if offset >= 3 {
        // After the value, at the end of the input and before more text.
        docs.push(cat(&[b"[1]", &spaces(offset - 3), bad]));
        docs.push(cat(&[b"[1]", &spaces(offset - 3), bad, b" 2"]));
    }
    for doc in &docs {
        assert_eq!(&doc[offset..offset + bad.len()], bad);
        assert!(std::str::from_utf8(&doc[..offset]).is_ok());
    }
    docs
}

/// Invalid UTF-8 at every offset from 0 to 130, in and out of strings: always
/// `InvalidUtf8` at the first bad byte, on every backend.
#[test]
fn invalid_utf8_at_every_offset() {
    let mut backends = Backends::new();
    for offset in 0..=130 {
        for bad in INVALID_UTF8 {
            for doc in documents_with_bad_bytes_at(offset, bad) {
                // Line 1, and a column counted in bytes.
                assert_eq!(
                    backends.outcome(&doc),
                    Outcome::Failed(ErrorKind::InvalidUtf8, offset, 1, offset + 1),
                    "{}",
                    show(&doc)
                );
            }
        }
    }
}

/// Buffers whose prefixes end inside a number or literal, with the bytes that
/// would complete (or change) the token right after the cut.
const CUT_TOKENS: [&[u8]; 17] = [
    b"12345678901234567890.5e3]",
    b"-0.000123456789e-5,",
    b"9007199254740993e+22 ",
    b"1.5E+308]",
    b"0.5e-3}",
    b"[1]",
    b"[1e5]",
    b"[-12.5e-3,7]",
    // Numbers after commas, signed, read by the array loop's own path.
    b"[7,-2.5e-3,-0,1E2]",
    b"true]",
    b"false,",
    b"null}",
    b"[true,false,null]",
    b"{\"a\":1e5}",
    b"\"ab\\u00e9x\"",
    b"\"\\ue9\"",
    b"-1E-9e5",
];

/// Every prefix of [`CUT_TOKENS`], padded with leading spaces so that its end
/// falls at every offset from its length up to 70 (across the first block
/// boundary): the slice of the larger buffer parses exactly like an
/// exact-size copy, on every backend.
#[test]
fn numbers_and_literals_ending_at_the_end_of_input() {
    let mut backends = Backends::new();
    let mut inputs = 0;
    for token in CUT_TOKENS {
        for len in 0..=token.len() {
            for end in len..=70 {
                let buffer = cat(&[&spaces(end - len), token]);
                let cut = &buffer[..end];
                backends.outcome_of_slice_like_serde(cut);
                inputs += 1;
            }
        }
    }
    eprintln!("checked {inputs} prefixes");
}

/// Long and tricky decimal numbers: beyond 17 significant digits, halfway
/// cases, the ends of the `f64` range, and integers around 2^53, 2^63 and 2^64.
const LONG_NUMBERS: [&str; 38] = [
    "3.14159265358979323846264338327950288e-12",
    "-0.000000000000000000001234567890123456789",
    "2.718281828459045235360287471352662497757",
    "123456789012345678901234567890",
    "-123456789012345678901234567890.123456789e-5",
    "123456789012345678901234567890e-30",
    "0.1000000000000000055511151231257827021181583404541015625",
    "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203126",
    "0.30000000000000000000000000000000000001",
    "-1234567890.1234567890123456789E+20",
    "2.2250738585072011e-308",
    "2.2250738585072012e-308",
    "4.9406564584124654e-324",
    "2.4703282292062327e-324",
    "2.4703282292062328e-324",
    "1.7976931348623157e308",
    "1.7976931348623158e+308",
    "7.2057594037927933e16",
    "1234567890123456",
    "9007199254740993",
    "9007199254740993.0",
    "12345678901234567",
    "1.2345678901234567",
    "0.1234567890123456",
    "1234567890123456789",
    "1.234567890123456789",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "12345678901234567890",
    "-12345678901234567890",
    "99999999999999999999",
    "99999999999999999999.99999999999999999999e-20",
    "0.000000000000000000000000000000000000000000000000000000000000000000000001",
];

/// Checks the number value `v` read from `text` against Rust's own parsing.
fn check_number(v: ValueRef<'_>, text: &str, what: &dyn Fn() -> String) {
    assert_eq!(v.kind(), Kind::Number, "{}", what());
    assert_eq!(v.raw_json(), text, "{}", what());
    assert_eq!(v.to_string(), text, "{}", what());
    let expected: f64 = text.parse().unwrap();
    assert_eq!(
        v.as_f64().map(f64::to_bits),
        Some(expected.to_bits()),
        "{}: as_f64 {:?}, str::parse {expected:?}",
        what(),
        v.as_f64()
    );
    let integer = !text.contains(['.', 'e', 'E']);
    assert_eq!(
        v.as_u64(),
        text.parse::<u64>().ok().filter(|_| integer),
        "{}: as_u64",
        what()
    );
    assert_eq!(
        v.as_i64(),
        text.parse::<i64>().ok().filter(|_| integer),
        "{}: as_i64",
        what()
    );
}

/// Each of [`LONG_NUMBERS`] after 0 to 80 spaces, alone, in an array and as an
/// object field, so that it crosses the block boundary at every offset: it
/// reads bit-identical to `str::parse::<f64>` (and, for integers that fit, to
/// `str::parse::<u64>` and `str::parse::<i64>`) on every backend.
#[test]
fn long_numbers_across_the_block_boundary() {
    let mut backends = Backends::new();
    for text in LONG_NUMBERS {
        for pad in 0..=80 {
            let docs = [
                cat(&[&spaces(pad), text.as_bytes()]),
                cat(&[&spaces(pad), b"[", text.as_bytes(), b"]"]),
                cat(&[b"[", &spaces(pad), text.as_bytes(), b" ]"]),
                cat(&[b"{\"k\":", &spaces(pad), text.as_bytes(), b"}"]),
            ];
            for (form, doc) in docs.iter().enumerate() {
                let what = || format!("{} with backend", show(doc));
                backends.each(doc, |name, result| {
                    let what = || format!("{} {name}", what());
                    let doc = result.unwrap_or_else(|e| panic!("{}: {e}", what()));
                    let root = doc.root();
                    let v = match form {
                        0 => root,
                        3 => root.get("k").expect("field k"),
                        _ => root.at(0).expect("element 0"),
                    };
                    check_number(v, text, &what);
                });
                assert!(matches!(backends.outcome(doc), Outcome::Parsed(_)));
            }
        }
    }
}

/// Valid documents whose proper prefixes are checked by
/// [`every_proper_prefix_is_rejected_like_an_exact_copy`].
const FULL_DOCUMENTS: [&str; 9] = [
    "[[]]",
    r#"{"a":[1,{"b":null}]}"#,
    r#""abc""#,
    "[true,false,null]",
    r#"{"k":"v\u00e9"}"#,
    r#"["x\"y\\",-1.5e-3,{}]"#,
    r#"{"é":"日本","\uD834\uDD1E":[0]}"#,
    "123.456e7",
    "[ 1 , [ 2 , [ 3 ] ] ]",
];

/// The errors a cut-short document may give.
const END_ERRORS: [ErrorKind; 8] = [
    ErrorKind::UnexpectedEnd,
    ErrorKind::UnterminatedString,
    ErrorKind::InvalidLiteral,
    ErrorKind::InvalidNumber,
    ErrorKind::InvalidEscape,
    ErrorKind::InvalidUnicodeEscape,
    // A high surrogate escape cut before its low half.
    ErrorKind::LoneSurrogate,
    ErrorKind::InvalidUtf8,
];

/// Every proper prefix of [`FULL_DOCUMENTS`], after 0 to 70 spaces and taken
/// as a slice of the full buffer: rejected unless serde_json accepts the
/// prefix too (a number prefix), with an end-of-input kind of error at or
/// before the cut, and exactly as an exact-size copy is, on every backend.
#[test]
fn every_proper_prefix_is_rejected_like_an_exact_copy() {
    let mut backends = Backends::new();
    for doc in FULL_DOCUMENTS {
        for pad in 0..=70 {
            let full = cat(&[&spaces(pad), doc.as_bytes()]);
            let outcome = backends.outcome_like_serde(&full);
            assert!(matches!(outcome, Outcome::Parsed(_)), "{}", show(&full));
            for cut in pad..full.len() {
                let prefix = &full[..cut];
                let outcome = backends.outcome_of_slice_like_serde(prefix);
                if let Outcome::Failed(kind, offset, ..) = outcome {
                    assert!(
                        END_ERRORS.contains(&kind) && offset <= cut,
                        "{}: unexpected error {kind:?} at {offset}",
                        show(prefix)
                    );
                }
            }
        }
    }
}

/// A mix of the four whitespace bytes, `len` long, from a simple generator
/// seeded with `seed`.
fn mixed_whitespace(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            b" \t\n\r"[(state >> 60) as usize % 4]
        })
        .collect()
}

/// Inputs of 0 to 200 bytes made only of whitespace, only of quotes or only of
/// backslashes: no panic, every backend agrees, serde_json agrees on
/// acceptance, and empty or all-whitespace input is `UnexpectedEnd` at its end.
#[test]
fn runs_of_whitespace_quotes_and_backslashes() {
    let mut backends = Backends::new();
    for len in 0..=200 {
        let whitespace = [
            b" \t\n\r".iter().copied().cycle().take(len).collect(),
            b"\r\n".iter().copied().cycle().take(len).collect(),
            mixed_whitespace(len, len as u64),
            vec![b'\t'; len],
        ];
        for input in &whitespace {
            let Outcome::Failed(kind, offset, ..) = backends.outcome_like_serde(input) else {
                panic!("{}: accepted", show(input));
            };
            assert_eq!(
                (kind, offset),
                (ErrorKind::UnexpectedEnd, len),
                "{}",
                show(input)
            );
        }
        for byte in [b'"', b'\\'] {
            let input = vec![byte; len];
            let outcome = backends.outcome_like_serde(&input);
            assert_eq!(
                matches!(outcome, Outcome::Parsed(_)),
                byte == b'"' && len == 2,
                "{}",
                show(&input)
            );
        }
    }
}

/// An input of exactly 4 GiB, mapped but never touched: `InputTooLarge` at
/// offset 0, line 1, column 1, from `jsontape::parse` and from every parser,
/// without reading a single page of it.
#[cfg(all(unix, target_pointer_width = "64"))]
#[test]
fn four_gib_input_is_rejected_without_reading_it() {
    const LEN: usize = 1 << 32;
    // MAP_NORESERVE is a Linux (and Android) flag; elsewhere a read-only
    // private mapping reserves no memory anyway.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    const NORESERVE: libc::c_int = libc::MAP_NORESERVE;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    const NORESERVE: libc::c_int = 0;

    // SAFETY: an anonymous private mapping with no address hint has no
    // preconditions; failure is checked below.
    let base = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            LEN,
            libc::PROT_READ,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | NORESERVE,
            -1,
            0,
        )
    };
    assert_ne!(base, libc::MAP_FAILED, "mmap of 4 GiB failed");
    let mapping = Unmap(base, LEN);
    // SAFETY: the mapping is LEN readable bytes (untouched anonymous pages
    // read as zeros), nothing writes to it, and the slice is not used after
    // `mapping` unmaps it at the end of this function.
    let input: &[u8] = unsafe { std::slice::from_raw_parts(base.cast::<u8>(), LEN) };

    let check = |result: Result<jsontape::Document<'_>, jsontape::Error>, what: &str| {
        let e = result.map(|_| ()).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset(), e.line(), e.column()),
            (ErrorKind::InputTooLarge, 0, 1, 1),
            "{what}"
        );
        assert_eq!(
            e.to_string(),
            "input of 4 GiB or more is not supported at line 1 column 1"
        );
    };
    check(jsontape::parse(input), "jsontape::parse");
    check(Parser::new().parse(input), "Parser::new");
    for (backend, parser) in &mut common::parser_per_backend() {
        check(parser.parse(input), backend.name());
    }

    // Reading any page would have mapped it (the shared zero page counts as
    // resident): no page may be resident.
    #[cfg(target_os = "linux")]
    {
        // SAFETY: sysconf has no preconditions.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        assert!(page > 0, "sysconf(_SC_PAGESIZE) failed");
        let mut resident = vec![0u8; LEN.div_ceil(page as usize)];
        // SAFETY: `base` is the page-aligned start of a LEN-byte mapping and
        // `resident` has one byte per page of it.
        let rc = unsafe { libc::mincore(base, LEN, resident.as_mut_ptr()) };
        assert_eq!(rc, 0, "mincore failed");
        let touched = resident.iter().filter(|&&r| r & 1 != 0).count();
        assert_eq!(touched, 0, "{touched} pages of the 4 GiB input were read");
    }

    drop(mapping);
}

/// A mapping to unmap on drop, also when an assertion fails.
#[cfg(all(unix, target_pointer_width = "64"))]
struct Unmap(*mut libc::c_void, usize);

#[cfg(all(unix, target_pointer_width = "64"))]
impl Drop for Unmap {
    fn drop(&mut self) {
        // SAFETY: the address and length are exactly what mmap returned and
        // was given, and no slice of the mapping outlives this guard.
        let rc = unsafe { libc::munmap(self.0, self.1) };
        assert_eq!(rc, 0, "munmap failed");
    }
}
