//! JSON numbers: the grammar, exactly, and conversion to `u64`, `i64` or `f64`.
//!
//! Integers that fit are kept as integers: non-negative ones as `u64`, negative
//! ones as `i64`. Every other number becomes the correctly rounded `f64` (the same
//! bits as `str::parse::<f64>`), and `-0` becomes `-0.0`, as serde_json does, so
//! the sign survives. A number too large for `f64` is an error.

use super::{float, is_delimiter};
use crate::arch::Kernel;
use crate::arch::portable::POWERS_OF_TEN;
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
pub(crate) fn parse_number<K: Kernel>(
    kernel: K,
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
            let (value, count) = digits(kernel, bytes, i, 0);
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
        let (value, count) = digits(kernel, bytes, i, mantissa);
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
/// Sixteen bytes at a time through [`Kernel::leading_digits`]; the last
/// fifteen bytes of the input are copied into a buffer padded with a
/// non-digit first, so nothing is read past the end.
#[inline(always)]
fn digits<K: Kernel>(kernel: K, bytes: &[u8], from: usize, mut mantissa: u64) -> (u64, usize) {
    let mut i = from;
    loop {
        let (value, count) = match bytes.get(i..i + 16) {
            Some(window) => kernel.leading_digits(window.try_into().unwrap_or(&[0; 16])),
            None => {
                let rest = bytes.get(i..).unwrap_or_default();
                let mut padded = [b' '; 16];
                padded[..rest.len()].copy_from_slice(rest);
                kernel.leading_digits(&padded)
            }
        };
        mantissa = mantissa
            .wrapping_mul(POWERS_OF_TEN[count])
            .wrapping_add(value);
        i += count;
        if count < 16 {
            return (mantissa, i - from);
        }
    }
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
    use crate::arch::portable::Portable;
    use crate::arch::{Backend, Job, Supported, dispatch};
    use ParsedNumber::*;

    fn parse(s: &str) -> Result<ParsedNumber, (ErrorKind, usize)> {
        parse_number(Portable, s.as_bytes(), 0).map(|(n, end)| {
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

    /// [`digits`] with a backend's kernel.
    struct DigitsJob<'a> {
        bytes: &'a [u8],
        from: usize,
    }

    impl Job for DigitsJob<'_> {
        type Output = (u64, usize);

        fn run<K: Kernel>(self, kernel: K) -> (u64, usize) {
            digits(kernel, self.bytes, self.from, 7)
        }
    }

    #[test]
    fn digit_runs_of_every_length_at_every_offset_on_every_backend() {
        let backends = Backend::ALL.into_iter().filter(|b| b.is_supported());
        for backend in backends.map(|b| Supported::resolve(Some(b))) {
            for len in 0..=40 {
                for prefix in 0..9 {
                    for suffix in [&b""[..], b",", b"]", b"e5", b".5", b"\xff", b"/", b":"] {
                        let digits_text: String = (0..len)
                            .map(|k| char::from(b'0' + (k * 7 % 10) as u8))
                            .collect();
                        let mut bytes = vec![b'x'; prefix];
                        bytes.extend_from_slice(digits_text.as_bytes());
                        bytes.extend_from_slice(suffix);
                        let job = DigitsJob {
                            bytes: &bytes,
                            from: prefix,
                        };
                        let expected = digits_text.bytes().fold(7u64, |m, d| {
                            m.wrapping_mul(10).wrapping_add((d - b'0') as u64)
                        });
                        assert_eq!(
                            dispatch(backend, job),
                            (expected, len),
                            "{backend:?} {bytes:?}"
                        );
                    }
                }
            }
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
        assert_eq!(parse_number(Portable, b"12,", 0), Ok((U64(12), 2)));
        assert_eq!(parse_number(Portable, b"[-5]", 1), Ok((I64(-5), 3)));
        assert_eq!(parse_number(Portable, b"1.5 ", 0), Ok((F64(1.5), 3)));
    }
}
