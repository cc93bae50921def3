//! JSON strings: finding the end, and unescaping into the arena.
//!
//! Stage 1 has already paired the quotes and rejected raw control characters
//! inside strings, and the whole input is known to be UTF-8. What is left here is
//! to find the closing quote (a word-at-a-time scan for `"` or `\`), and, only
//! for strings that contain a backslash, to decode the escapes into the arena.

use crate::arch::Kernel;
use crate::error::ErrorKind;
use alloc::string::String;

/// Where a string's decoded text lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StringSpan {
    /// No escapes: the text is `input[start..start + len]`.
    Input { len: usize },
    /// Unescaped into the arena at `arena[offset..offset + len]`.
    Arena { offset: usize, len: usize },
}

/// A string parsed from its opening quote.
pub(crate) struct ParsedString {
    pub(crate) span: StringSpan,
    /// Offset just past the closing quote.
    pub(crate) end: usize,
}

/// Offset just past the closing quote of the string opened at `quote`, or
/// `None` if it is not closed. Used to recover raw lengths too long for the tape.
pub(crate) fn string_end(kernel: impl Kernel, bytes: &[u8], quote: usize) -> Option<usize> {
    let mut i = quote + 1;
    loop {
        let hit = kernel.find_quote_or_backslash(bytes, i)?;
        if bytes[hit] == b'"' {
            return Some(hit + 1);
        }
        i = hit + 2;
    }
}

/// Parses the string whose opening quote is at `quote`. Escaped strings are
/// decoded onto the end of `arena`.
#[inline(always)]
pub(crate) fn parse_string<K: Kernel>(
    kernel: K,
    text: &str,
    quote: usize,
    arena: &mut String,
) -> Result<ParsedString, (ErrorKind, usize)> {
    let bytes = text.as_bytes();
    let start = quote + 1;
    let unterminated = (ErrorKind::UnterminatedString, quote);
    let hit = kernel
        .find_quote_or_backslash(bytes, start)
        .ok_or(unterminated)?;
    if bytes[hit] == b'"' {
        let span = StringSpan::Input { len: hit - start };
        return Ok(ParsedString { span, end: hit + 1 });
    }

    if arena.capacity() == 0 {
        // The first escaped string: guess that escaped text is a small part
        // of the rest of the input, to save most doublings of the arena.
        arena.reserve((bytes.len() - quote) / 16);
    }
    let offset = arena.len();
    let mut run_start = start;
    let mut backslash = hit;
    loop {
        // Both ends of the run are ASCII bytes (a quote or backslash, or just
        // after an escape), so they are char boundaries.
        arena.push_str(&text[run_start..backslash]);
        run_start = decode_escapes(bytes, backslash, arena)?;
        let hit = kernel
            .find_quote_or_backslash(bytes, run_start)
            .ok_or(unterminated)?;
        if bytes[hit] == b'"' {
            arena.push_str(&text[run_start..hit]);
            let span = StringSpan::Arena {
                offset,
                len: arena.len() - offset,
            };
            return Ok(ParsedString { span, end: hit + 1 });
        }
        backslash = hit;
    }
}

/// Decodes the run of escapes starting at `backslash`, pushing their
/// characters; returns the offset just past the run.
///
/// Escapes often come in runs: text in a non-Latin script is often written
/// all as `\uXXXX`. Those of a character of the Basic Multilingual Plane
/// (not a surrogate) take the fast path, [`bmp_escape`]; anything else (a
/// short escape, a surrogate pair, an error) goes to [`decode_escape`].
#[inline]
fn decode_escapes(
    bytes: &[u8],
    backslash: usize,
    arena: &mut String,
) -> Result<usize, (ErrorKind, usize)> {
    let mut at = backslash;
    while bytes.get(at) == Some(&b'\\') {
        match bmp_escape(bytes, at) {
            Some(c) => {
                arena.push(c);
                at += 6;
            }
            None => at = decode_escape(bytes, at, arena)?,
        }
    }
    Ok(at)
}

/// The character of the `\uXXXX` escape at `backslash`, if it is well
/// formed and not a surrogate. One branch tests all four digits: each digit's
/// table value has its high bits set if it is not a hex digit.
#[inline(always)]
fn bmp_escape(bytes: &[u8], backslash: usize) -> Option<char> {
    let [b'\\', b'u', a, b, c, d] = *bytes.get(backslash..backslash + 6)? else {
        return None;
    };
    let digits = [a, b, c, d].map(|digit| HEX_VALUES[usize::from(digit)]);
    if digits.iter().fold(0, |any, digit| any | digit) > 0x0F {
        return None;
    }
    let [a, b, c, d] = digits.map(u32::from);
    // Surrogates give `None`: they need a pair, or are an error.
    char::from_u32(a << 12 | b << 8 | c << 4 | d)
}

/// Decodes the escape at `backslash`, pushing its character; returns the offset
/// just past it.
fn decode_escape(
    bytes: &[u8],
    backslash: usize,
    arena: &mut String,
) -> Result<usize, (ErrorKind, usize)> {
    let at = backslash + 1;
    let decoded = match bytes.get(at) {
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => return decode_unicode_escape(bytes, backslash, arena),
        Some(_) => return Err((ErrorKind::InvalidEscape, at)),
        None => return Err((ErrorKind::UnterminatedString, at)),
    };
    arena.push(decoded);
    Ok(at + 1)
}

/// Decodes `\uXXXX`, or a surrogate pair `\uD8XX\uDCXX`, starting at the
/// backslash. Lone surrogates are errors: they cannot be represented in UTF-8.
fn decode_unicode_escape(
    bytes: &[u8],
    backslash: usize,
    arena: &mut String,
) -> Result<usize, (ErrorKind, usize)> {
    let first = hex4(bytes, backslash + 2)?;
    let mut end = backslash + 6;
    let code_point = match first {
        0xD800..=0xDBFF => {
            let low = if bytes.get(end..end + 2) == Some(b"\\u") {
                Some(hex4(bytes, end + 2)?)
            } else {
                None
            };
            match low {
                Some(low @ 0xDC00..=0xDFFF) => {
                    end += 6;
                    0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00)
                }
                _ => return Err((ErrorKind::LoneSurrogate, backslash)),
            }
        }
        0xDC00..=0xDFFF => return Err((ErrorKind::LoneSurrogate, backslash)),
        _ => first,
    };
    // Surrogates were handled above, so every remaining code point is a char.
    let c = char::from_u32(code_point).ok_or((ErrorKind::LoneSurrogate, backslash))?;
    arena.push(c);
    Ok(end)
}

/// Four hex digits at `at`.
#[inline]
fn hex4(bytes: &[u8], at: usize) -> Result<u32, (ErrorKind, usize)> {
    let Some(digits) = bytes.get(at..at + 4) else {
        return Err((ErrorKind::UnterminatedString, bytes.len()));
    };
    let mut value = 0;
    for (i, &b) in digits.iter().enumerate() {
        let digit = HEX_VALUES[b as usize];
        if digit == INVALID_HEX {
            return Err((ErrorKind::InvalidUnicodeEscape, at + i));
        }
        value = value * 16 + digit as u32;
    }
    Ok(value)
}

const INVALID_HEX: u8 = 0xFF;

/// The value of each byte as a hex digit, or [`INVALID_HEX`].
static HEX_VALUES: [u8; 256] = {
    let mut table = [INVALID_HEX; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            d @ b'0'..=b'9' => d - b'0',
            d @ b'a'..=b'f' => d - b'a' + 10,
            d @ b'A'..=b'F' => d - b'A' + 10,
            _ => INVALID_HEX,
        };
        b += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::portable::Portable;

    fn parse(s: &str) -> Result<(String, usize), (ErrorKind, usize)> {
        let mut arena = String::from("prefix");
        let parsed = parse_string(Portable, s, 0, &mut arena)?;
        let text = match parsed.span {
            StringSpan::Input { len } => s[1..1 + len].to_owned(),
            StringSpan::Arena { offset, len } => arena[offset..offset + len].to_owned(),
        };
        Ok((text, parsed.end))
    }

    #[test]
    fn finds_quote_and_backslash_at_every_offset() {
        for len in 0..40 {
            for target in [b'"', b'\\'] {
                let mut bytes = vec![b'a'; len + 1];
                bytes[len] = target;
                assert_eq!(Portable.find_quote_or_backslash(&bytes, 0), Some(len));
                // Bytes that differ only in the high bit or by one are not hits.
                let decoys = vec![target ^ 0x80, target + 1, target - 1, 0];
                assert_eq!(Portable.find_quote_or_backslash(&decoys, 0), None);
            }
        }
    }

    #[test]
    fn plain_strings_borrow() {
        let mut arena = String::new();
        let parsed = parse_string(Portable, r#""hello" "#, 0, &mut arena).unwrap();
        assert_eq!(parsed.span, StringSpan::Input { len: 5 });
        assert_eq!(parsed.end, 7);
        assert!(arena.is_empty());
    }

    #[test]
    fn escapes_decode() {
        assert_eq!(
            parse(r#""a\"b\\c\/d\b\f\n\r\t""#).unwrap().0,
            "a\"b\\c/d\u{8}\u{c}\n\r\t"
        );
        assert_eq!(parse(r#""\u00e9\u20AC""#).unwrap().0, "é€");
        assert_eq!(parse(r#""\uD834\uDD1E!""#).unwrap(), ("𝄞!".to_owned(), 15));
        assert_eq!(parse(r#""\u0000""#).unwrap().0, "\0");
    }

    #[test]
    fn bad_escapes_are_errors() {
        assert_eq!(parse(r#""\x""#), Err((ErrorKind::InvalidEscape, 2)));
        assert_eq!(
            parse(r#""\u12G4""#),
            Err((ErrorKind::InvalidUnicodeEscape, 5))
        );
        assert_eq!(parse(r#""\uD800""#), Err((ErrorKind::LoneSurrogate, 1)));
        assert_eq!(
            parse(r#""\uD800\u0041""#),
            Err((ErrorKind::LoneSurrogate, 1))
        );
        assert_eq!(parse(r#""\uDC00""#), Err((ErrorKind::LoneSurrogate, 1)));
        assert_eq!(parse(r#""abc"#), Err((ErrorKind::UnterminatedString, 0)));
        assert_eq!(parse(r#""a\"#), Err((ErrorKind::UnterminatedString, 3)));
        assert_eq!(parse(r#""\u12"#), Err((ErrorKind::UnterminatedString, 5)));
    }

    #[test]
    fn every_unicode_escape_decodes_in_runs() {
        // Each code unit, in upper and lower case hex, between other escapes.
        for unit in 0..=0xFFFFu32 {
            let escape = format!("\\u{unit:04x}\\u{unit:04X}");
            let input = format!("\"a{escape}\\n{escape}\"");
            match char::from_u32(unit) {
                Some(c) => {
                    let expected = format!("a{c}{c}\n{c}{c}");
                    assert_eq!(parse(&input), Ok((expected, input.len())), "{unit:#x}");
                }
                None => assert_eq!(parse(&input), Err((ErrorKind::LoneSurrogate, 2))),
            }
        }
        // A bad digit in each position, after a good escape.
        for at in 0..4 {
            let mut digits = *b"00e9";
            digits[at] = b'g';
            let input = format!("\"\\u00e9\\u{}\"", core::str::from_utf8(&digits).unwrap());
            assert_eq!(
                parse(&input),
                Err((ErrorKind::InvalidUnicodeEscape, 9 + at))
            );
        }
    }

    #[test]
    fn string_end_skips_escapes() {
        assert_eq!(string_end(Portable, br#""a\"b\\" x"#, 0), Some(8));
        assert_eq!(string_end(Portable, br#""a\""#, 0), None);
    }
}
