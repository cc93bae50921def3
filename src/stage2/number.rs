//! JSON numbers: the grammar, exactly, and conversion to `u64`, `i64` or `f64`.
//!
//! Integers that fit are kept as integers: non-negative ones as `u64`, negative
//! ones as `i64`. Every other number becomes the correctly rounded `f64` (the same
//! bits as `str::parse::<f64>`), and `-0` becomes `-0.0`, as serde_json does, so
//! the sign survives. A number too large for `f64` is an error.

use super::is_delimiter;
use crate::error::ErrorKind;

/// A parsed number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ParsedNumber {
    U64(u64),
    I64(i64),
    F64(f64),
}

/// Exact powers of ten that an `f64` can hold (10^0 to 10^22).
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Parses the number starting at `start`, which holds `-` or a digit.
///
/// Returns the number and the offset just past it. The byte after the number
/// must end a token (whitespace, a structural character, or the end of input).
/// On error returns the kind and the offset of the offending byte.
pub(crate) fn parse_number(
    bytes: &[u8],
    start: usize,
) -> Result<(ParsedNumber, usize), (ErrorKind, usize)> {
    let at = |i: usize| bytes.get(i).copied();
    let digit = |i: usize| at(i).filter(u8::is_ascii_digit);
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

    // Integer part: `0` or a non-zero digit followed by digits. Up to 19 digits
    // always fit a u64; `overflowed` records that more significant digits came.
    let mut mantissa: u64 = 0;
    let mut overflowed = false;
    match digit(i) {
        Some(b'0') => {
            i += 1;
            if digit(i).is_some() {
                return fail(i); // leading zero
            }
        }
        Some(_) => {
            while let Some(d) = digit(i) {
                accumulate(&mut mantissa, &mut overflowed, d);
                i += 1;
            }
        }
        None => return fail(i),
    }
    let mut is_integer = true;
    let mut exponent: i64 = 0;

    if at(i) == Some(b'.') {
        is_integer = false;
        i += 1;
        if digit(i).is_none() {
            return fail(i);
        }
        while let Some(d) = digit(i) {
            if !overflowed {
                accumulate(&mut mantissa, &mut overflowed, d);
                exponent -= 1;
            }
            i += 1;
        }
    }
    if matches!(at(i), Some(b'e' | b'E')) {
        is_integer = false;
        i += 1;
        let exponent_negative = at(i) == Some(b'-');
        if matches!(at(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digit(i).is_none() {
            return fail(i);
        }
        let mut explicit: i64 = 0;
        while let Some(d) = digit(i) {
            // Saturate: any exponent this large over- or underflows anyway, and the
            // exact text goes to the slow path below.
            explicit = (explicit * 10 + (d - b'0') as i64).min(1 << 40);
            i += 1;
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

    let number = if is_integer && !overflowed {
        integer(mantissa, negative)
    } else if let Some(f) = fast_float(mantissa, exponent, overflowed) {
        ParsedNumber::F64(if negative { -f } else { f })
    } else {
        ParsedNumber::F64(slow_float(&bytes[start..i]).ok_or((ErrorKind::NumberOutOfRange, start))?)
    };
    Ok((number, i))
}

/// Adds a decimal digit to the mantissa, noting when it stops being exact.
#[inline(always)]
fn accumulate(mantissa: &mut u64, overflowed: &mut bool, digit: u8) {
    match mantissa
        .checked_mul(10)
        .and_then(|m| m.checked_add((digit - b'0') as u64))
    {
        Some(m) => *mantissa = m,
        None => *overflowed = true,
    }
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

/// Clinger's fast path: when the mantissa and the power of ten are both exact
/// in an f64, one multiplication or division rounds correctly.
#[inline]
fn fast_float(mantissa: u64, exponent: i64, overflowed: bool) -> Option<f64> {
    if overflowed || mantissa > 1 << 53 || !(-22..=22).contains(&exponent) {
        return None;
    }
    let m = mantissa as f64;
    let power = EXACT_POWERS_OF_TEN[exponent.unsigned_abs() as usize];
    Some(if exponent < 0 { m / power } else { m * power })
}

/// Correctly rounded conversion of already validated number text; `None` when
/// the magnitude is beyond `f64`.
#[cold]
fn slow_float(text: &[u8]) -> Option<f64> {
    // The text is ASCII (digits, sign, '.', 'e') and follows the JSON number
    // grammar, which Rust's float syntax includes.
    let value: f64 = core::str::from_utf8(text).ok()?.parse().ok()?;
    value.is_finite().then_some(value)
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
    fn number_ends_at_a_delimiter() {
        assert_eq!(parse_number(b"12,", 0), Ok((U64(12), 2)));
        assert_eq!(parse_number(b"[-5]", 1), Ok((I64(-5), 3)));
        assert_eq!(parse_number(b"1.5 ", 0), Ok((F64(1.5), 3)));
    }
}
