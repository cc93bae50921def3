//! JSON numbers: the grammar, exactly, and conversion to `u64`, `i64` or `f64`.
//!
//! Integers that fit are kept as integers: non-negative ones as `u64`, negative
//! ones as `i64`. Every other number becomes the correctly rounded `f64` (the same
//! bits as `str::parse::<f64>`), and `-0` becomes `-0.0`, as serde_json does, so
//! the sign survives. A number too large for `f64` is an error.

use super::{float, is_delimiter};
use crate::error::ErrorKind;

/// A parsed number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ParsedNumber {
    U64(u64),
    I64(i64),
    F64(f64),
}

/// Parses the number starting at `start`, which holds `-` or a digit.
///
/// Returns the number and the offset just past it. The byte after the number
/// must end a token (whitespace, a structural character, or the end of input).
/// On error returns the kind and the offset of the offending byte.
#[inline(always)]
pub(crate) fn parse_number(
    bytes: &[u8],
    start: usize,
) -> Result<(ParsedNumber, usize), (ErrorKind, usize)> {
    let at = |i: usize| bytes.get(i).copied();
    let fail = |i: usize| {
        let kind = if i >= bytes.len() {
            ErrorKind::UnexpectedEnd
        } else {
            ErrorKind::InvalidNumber
        };
        Err((kind, i))
    };

    let negative = at(start) == Some(b'-');
    let mut i = start + negative as usize;

    // Integer part: `0`, or a non-zero digit followed by digits.
    let mut mantissa: u64 = 0;
    let significant_integer_digits = match at(i) {
        Some(b'0') => {
            i += 1;
            if digit_at(bytes, i).is_some() {
                return fail(i); // leading zero
            }
            0
        }
        Some(b'1'..=b'9') => {
            let (value, count) = digits(bytes, i, 0);
            mantissa = value;
            i += count;
            count
        }
        _ => return fail(i),
    };
    let mut is_integer = true;
    let mut fraction_digits = 0;
    if at(i) == Some(b'.') {
        is_integer = false;
        i += 1;
        let (value, count) = digits(bytes, i, mantissa);
        if count == 0 {
            return fail(i);
        }
        mantissa = value;
        fraction_digits = count;
        i += count;
    }
    let mut exponent = -(fraction_digits as i64);
    if matches!(at(i), Some(b'e' | b'E')) {
        is_integer = false;
        i += 1;
        let exponent_negative = at(i) == Some(b'-');
        if matches!(at(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let mut explicit: i64 = 0;
        let exponent_start = i;
        while let Some(d) = digit_at(bytes, i) {
            // Saturate: any exponent this large over- or underflows anyway.
            explicit = (explicit * 10 + d as i64).min(1 << 40);
            i += 1;
        }
        if i == exponent_start {
            return fail(i);
        }
        exponent += if exponent_negative {
            -explicit
        } else {
            explicit
        };
    }
    if at(i).is_some_and(|b| !is_delimiter(b)) {
        return fail(i);
    }
    // Up to 19 decimal digits always fit a u64 (10^19 < 2^64); with more, the
    // accumulated mantissa wrapped and only the text is exact.
    let overflowed = significant_integer_digits + fraction_digits > 19;

    let number = if is_integer && !overflowed {
        integer(mantissa, negative)
    } else if let Some(magnitude) = is_integer.then(|| big_integer(&bytes[start..i])).flatten() {
        integer(magnitude, negative)
    } else {
        let exact = if overflowed {
            None
        } else {
            float::decimal_to_f64(mantissa, exponent)
        };
        let magnitude = match exact {
            Some(f) => f,
            None => slow_float(&bytes[start + negative as usize..i])
                .ok_or((ErrorKind::InvalidNumber, start))?,
        };
        if magnitude.is_infinite() {
            return Err((ErrorKind::NumberOutOfRange, start));
        }
        ParsedNumber::F64(if negative { -magnitude } else { magnitude })
    };
    Ok((number, i))
}

/// The digit at `i`, if there is one.
#[inline(always)]
fn digit_at(bytes: &[u8], i: usize) -> Option<u8> {
    let d = bytes.get(i)?.wrapping_sub(b'0');
    (d < 10).then_some(d)
}

/// Reads the run of digits at `from` onto `mantissa` (wrapping on overflow;
/// the caller counts digits to know). Returns the new mantissa and the count.
///
/// Eight bytes at a time: a full word of digits converts in three
/// multiplications; a word that starts with `n < 8` digits is shifted so those
/// digits end the word, zero digits are filled in front, and the same
/// conversion yields their value. Only the last seven bytes of the input go
/// one at a time.
#[inline(always)]
fn digits(bytes: &[u8], from: usize, mut mantissa: u64) -> (u64, usize) {
    const POWERS_OF_TEN: [u64; 8] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let leading = leading_digits(word);
        if leading == 8 {
            mantissa = mantissa
                .wrapping_mul(100_000_000)
                .wrapping_add(eight_digit_value(word));
            i += 8;
            continue;
        }
        if leading > 0 {
            // Move the digits to the top bytes (the end of the number) and put
            // '0' bytes in front of them.
            let shift = 8 * (8 - leading);
            let padded = (word << shift) | (ASCII_ZEROS & ((1 << shift) - 1));
            mantissa = mantissa
                .wrapping_mul(POWERS_OF_TEN[leading])
                .wrapping_add(eight_digit_value(padded));
        }
        return (mantissa, i + leading - from);
    }
    while let Some(d) = digit_at(bytes, i) {
        mantissa = mantissa.wrapping_mul(10).wrapping_add(d as u64);
        i += 1;
    }
    (mantissa, i - from)
}

const ASCII_ZEROS: u64 = 0x3030_3030_3030_3030;

/// How many of the eight bytes of `word` (first byte lowest) are ASCII digits
/// before the first non-digit.
///
/// SWAR: a byte is a digit iff its high nibble is 3 and adding 6 keeps it 3.
/// The addition can carry into the next byte only from a byte of 0xFA or more,
/// which is a non-digit, so every byte up to the first non-digit is judged
/// exactly.
#[inline(always)]
fn leading_digits(word: u64) -> usize {
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    let high = word & HIGH_NIBBLES;
    let high_after_adding_six = (word.wrapping_add(0x0606_0606_0606_0606) & HIGH_NIBBLES) >> 4;
    let not_digits = (high | high_after_adding_six) ^ 0x3333_3333_3333_3333;
    (not_digits.trailing_zeros() / 8) as usize
}

/// The value of eight ASCII digits (first byte lowest, most significant).
///
/// Each step multiplies adjacent pairs together (digits into two-digit
/// numbers, then four, then eight), one multiplication per step, the partial
/// products landing in disjoint bits.
#[inline(always)]
fn eight_digit_value(word: u64) -> u64 {
    let v = (word & 0x0F0F_0F0F_0F0F_0F0F).wrapping_mul(2561) >> 8;
    let v = (v & 0x00FF_00FF_00FF_00FF).wrapping_mul(6_553_601) >> 16;
    (v & 0x0000_FFFF_0000_FFFF).wrapping_mul(42_949_672_960_001) >> 32
}

/// An integer of 20 or more digits that still fits a u64 (at most
/// 18446744073709551615), read from its digits.
#[cold]
fn big_integer(text: &[u8]) -> Option<u64> {
    let digits = text.strip_prefix(b"-").unwrap_or(text);
    core::str::from_utf8(digits).ok()?.parse().ok()
}

/// An integer whose magnitude fits a u64.
fn integer(magnitude: u64, negative: bool) -> ParsedNumber {
    if !negative {
        ParsedNumber::U64(magnitude)
    } else if magnitude == 0 {
        ParsedNumber::F64(-0.0)
    } else if magnitude <= i64::MAX as u64 + 1 {
        ParsedNumber::I64((magnitude as i64).wrapping_neg())
    } else {
        ParsedNumber::F64(-(magnitude as f64))
    }
}

/// Correctly rounded conversion of already validated, unsigned number text
/// (infinite when beyond `f64`), for what [`float::decimal_to_f64`] leaves.
#[cold]
fn slow_float(text: &[u8]) -> Option<f64> {
    // The text is ASCII digits, '.', 'e', 'E', '+' and '-', following the JSON
    // number grammar, which Rust's float syntax includes: neither step fails.
    core::str::from_utf8(text).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ParsedNumber::*;

    fn parse(s: &str) -> Result<ParsedNumber, (ErrorKind, usize)> {
        parse_number(s.as_bytes(), 0).map(|(n, end)| {
            assert_eq!(end, s.len(), "{s}");
            n
        })
    }

    #[test]
    fn integers_stay_integers() {
        assert_eq!(parse("0"), Ok(U64(0)));
        assert_eq!(parse("18446744073709551615"), Ok(U64(u64::MAX)));
        assert_eq!(parse("-9223372036854775808"), Ok(I64(i64::MIN)));
        assert_eq!(parse("-1"), Ok(I64(-1)));
    }

    #[test]
    fn integers_beyond_64_bits_become_floats() {
        assert_eq!(
            parse("18446744073709551616"),
            Ok(F64(18446744073709551616.0))
        );
        assert_eq!(
            parse("-9223372036854775809"),
            Ok(F64(-9223372036854775809.0))
        );
        assert_eq!(
            parse("123456789012345678901234567890"),
            Ok(F64(1.2345678901234568e29))
        );
    }

    #[test]
    fn negative_zero_keeps_its_sign() {
        let Ok(F64(z)) = parse("-0") else { panic!() };
        assert!(z == 0.0 && z.is_sign_negative());
    }

    #[test]
    fn floats_match_std_bit_for_bit() {
        for s in [
            "0.1",
            "-65.613616999999977",
            "1e22",
            "1e23",
            "2.2250738585072014e-308",
            "4.9e-324",
            "1.7976931348623157e308",
            "9007199254740993",
            "0.30000000000000004",
            "123.456e-789",
            "1E400000000000000000000000",
            "-0.0",
            "1.000000000000000005",
        ] {
            let expected: f64 = s.parse().unwrap();
            match parse(s) {
                Ok(F64(f)) => assert_eq!(f.to_bits(), expected.to_bits(), "{s}"),
                Ok(other) => assert!(s.parse::<u64>().is_ok(), "{s}: {other:?}"),
                Err((kind, _)) => assert!(
                    expected.is_infinite() && kind == ErrorKind::NumberOutOfRange,
                    "{s}"
                ),
            }
        }
    }

    #[test]
    fn out_of_range_is_an_error() {
        assert_eq!(parse("1e309"), Err((ErrorKind::NumberOutOfRange, 0)));
        assert_eq!(parse("-1e309"), Err((ErrorKind::NumberOutOfRange, 0)));
    }

    #[test]
    fn grammar_violations_point_at_the_bad_byte() {
        assert_eq!(parse("01"), Err((ErrorKind::InvalidNumber, 1)));
        assert_eq!(parse("-"), Err((ErrorKind::UnexpectedEnd, 1)));
        assert_eq!(parse("-a"), Err((ErrorKind::InvalidNumber, 1)));
        assert_eq!(parse("1."), Err((ErrorKind::UnexpectedEnd, 2)));
        assert_eq!(parse("1.e5"), Err((ErrorKind::InvalidNumber, 2)));
        assert_eq!(parse("1e"), Err((ErrorKind::UnexpectedEnd, 2)));
        assert_eq!(parse("1e+"), Err((ErrorKind::UnexpectedEnd, 3)));
        assert_eq!(parse("1x"), Err((ErrorKind::InvalidNumber, 1)));
        assert_eq!(parse("+1"), Err((ErrorKind::InvalidNumber, 0)));
    }

    #[test]
    fn digit_runs_of_every_length_at_every_offset() {
        for len in 0..=24 {
            for prefix in 0..9 {
                for suffix in [&b""[..], b",", b"]", b"e5", b".5", b"\xff"] {
                    let digits_text: String =
                        (0..len).map(|k| char::from(b'1' + (k % 9) as u8)).collect();
                    let mut bytes = vec![b'x'; prefix];
                    bytes.extend_from_slice(digits_text.as_bytes());
                    bytes.extend_from_slice(suffix);
                    let (value, count) = digits(&bytes, prefix, 7);
                    assert_eq!(count, len, "{bytes:?}");
                    let expected = digits_text.bytes().fold(7u64, |m, d| {
                        m.wrapping_mul(10).wrapping_add((d - b'0') as u64)
                    });
                    assert_eq!(value, expected, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn non_digits_next_to_digits() {
        for b in 0..=255u8 {
            let mut word = *b"12345678";
            word[3] = b;
            let expected = if b.is_ascii_digit() { 8 } else { 3 };
            assert_eq!(
                leading_digits(u64::from_le_bytes(word)),
                expected,
                "byte {b:#x}"
            );
        }
    }

    #[test]
    fn twenty_digit_integers() {
        assert_eq!(
            parse("10000000000000000000"),
            Ok(U64(10_000_000_000_000_000_000))
        );
        assert_eq!(parse("-10000000000000000000"), Ok(F64(-1e19)));
        assert_eq!(parse("00"), Err((ErrorKind::InvalidNumber, 1)));
        assert_eq!(parse("0.00000000000000000001"), Ok(F64(1e-20)));
        assert_eq!(
            parse("1.2345678901234567890123"),
            Ok(F64(1.2345678901234567))
        );
    }

    #[test]
    fn number_ends_at_a_delimiter() {
        assert_eq!(parse_number(b"12,", 0), Ok((U64(12), 2)));
        assert_eq!(parse_number(b"[-5]", 1), Ok((I64(-5), 3)));
        assert_eq!(parse_number(b"1.5 ", 0), Ok((F64(1.5), 3)));
    }
}
