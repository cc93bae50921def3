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

/// A number and its length in bytes, or an error kind and the offset of the
/// offending byte.
type Parsed = Result<(ParsedNumber, usize), (ErrorKind, usize)>;

/// How many bytes from its first byte a number's fast path looks at: enough
/// for a sign, 19 digits, a `.`, an exponent of up to 8 digits and the byte
/// after the number, plus the 16-byte reads that find the digit runs.
const WINDOW: usize = 64;

/// Parses the number starting at `start`, which holds `-` or a digit.
///
/// Returns the number and its length, capped at `MAX_LEN` ([`EXACT`] for
/// no cap). The tape stores a length in 24 bits: with the cap applied on
/// the slow path only (the fast path's numbers are shorter than [`WINDOW`]),
/// the tape's callers need no clamp of their own on every number, which was
/// 1.2% of the instructions of a parse of canada.json (2.2% of mesh.json).
/// The byte after the number must end a token (whitespace, a structural
/// character, or the end of input). On error returns the kind and the offset
/// of the offending byte.
///
/// Nearly every number in real documents has at most 19 significant digits
/// and a short exponent; [`short_number`] reads those from a fixed window,
/// with no checks against the end of the input and no error bookkeeping.
/// Everything else, errors included, goes through [`any_number`], which reads
/// the text again.
#[inline(always)]
pub(crate) fn parse_number<K: Kernel, const MAX_LEN: usize>(
    kernel: K,
    bytes: &[u8],
    start: usize,
) -> Parsed {
    const { assert!(MAX_LEN >= WINDOW) };
    // The window's end, not the length of the rest: `start + 64 <= len` is
    // one comparison fewer than `len - start >= 64`.
    let window_end = start.saturating_add(WINDOW);
    let fast = match bytes.get(start..window_end).and_then(<[u8]>::first_chunk) {
        Some(window) => short_number(kernel, window),
        None => return number_near_the_end::<K, MAX_LEN>(kernel, bytes, start),
    };
    match fast {
        Some(parsed) => Ok(parsed),
        None => capped_number::<K, MAX_LEN>(kernel, bytes, start),
    }
}

/// The `MAX_LEN` of [`parse_number`] that caps nothing: the exact length.
pub(crate) const EXACT: usize = usize::MAX;

/// [`parse_number`] for a number that starts less than [`WINDOW`] bytes from
/// the end of the input: the rest of the input is copied into a window padded
/// with spaces, which end a number just as the end of the input does.
///
/// It ends with the same fallback as `parse_number` rather than returning
/// the fast path's `Option` to it: with one shared fallback there, the hot
/// path compiles to 2% more instructions on canada.json (callgrind).
#[inline(never)]
fn number_near_the_end<K: Kernel, const MAX_LEN: usize>(
    kernel: K,
    bytes: &[u8],
    start: usize,
) -> Parsed {
    let rest = bytes.get(start..).unwrap_or_default();
    let mut window = [b' '; WINDOW];
    window[..rest.len()].copy_from_slice(rest);
    match short_number(kernel, &window) {
        Some(parsed) => Ok(parsed),
        None => capped_number::<K, MAX_LEN>(kernel, bytes, start),
    }
}

/// [`any_number`] with its length capped at `MAX_LEN`.
#[cold]
#[inline(never)]
fn capped_number<K: Kernel, const MAX_LEN: usize>(kernel: K, bytes: &[u8], start: usize) -> Parsed {
    any_number(kernel, bytes, start).map(|(number, len)| (number, len.min(MAX_LEN)))
}

/// The number at the start of `window` and its length, if it is valid, has
/// at most 19 significant digits (so its mantissa is exact) and an exponent
/// of at most 8 digits, and the two exact conversions of [`float`] settle it;
/// `None` for anything else, valid or not.
#[inline(always)]
fn short_number<K: Kernel>(kernel: K, window: &[u8; WINDOW]) -> Option<(ParsedNumber, usize)> {
    let negative = window[0] == b'-';
    let integer_start = negative as usize;
    let (mantissa, integer_digits) = digit_run(kernel, window, integer_start);
    // No digit, a leading zero, or too many digits for an exact mantissa.
    let leading_zero = window[integer_start] == b'0' && integer_digits > 1;
    if integer_digits == 0 || leading_zero || integer_digits > 19 {
        return None;
    }
    let integer_end = integer_start + integer_digits;
    let (mantissa, mut exponent, mut end) = match window[integer_end] {
        b'.' => {
            let (fraction, fraction_digits) = digit_run(kernel, window, integer_end + 1);
            if fraction_digits == 0 || integer_digits + fraction_digits > 19 {
                return None;
            }
            let mantissa = mantissa * POWERS_OF_TEN[fraction_digits] + fraction;
            let end = integer_end + 1 + fraction_digits;
            (mantissa, -(fraction_digits as i64), end)
        }
        // An integer: decided here, so the floats need no check of which
        // they are (1.7% fewer instructions on canada.json, 3.2% on mesh.json).
        byte if is_delimiter(byte) => return Some((integer(mantissa, negative), integer_end)),
        _ => (mantissa, 0, integer_end),
    };
    // Most numbers end here; only those that do not are checked for an
    // exponent (2 to 3% fewer instructions on canada.json, mesh.json and
    // numbers.json than checking for the exponent first).
    if !is_delimiter(window[end]) {
        let (explicit, exponent_end) = explicit_exponent(kernel, window, end)?;
        exponent += explicit;
        end = exponent_end;
    }
    let magnitude = float::decimal_to_f64_bits(mantissa, exponent)?;
    // The sign as a bit, not a branch: signs in number arrays (such as
    // coordinates) follow no pattern a branch predictor could learn.
    let number = ParsedNumber::F64(f64::from_bits(magnitude | u64::from(negative) << 63));
    Some((number, end))
}

/// The exponent at `at` in `window` (`e` or `E`, an optional sign, at most 8
/// digits) and the end of the number after it, which must be a delimiter;
/// `None` for anything else.
#[inline(always)]
fn explicit_exponent<K: Kernel>(
    kernel: K,
    window: &[u8; WINDOW],
    at: usize,
) -> Option<(i64, usize)> {
    if window[at] | 0x20 != b'e' {
        return None;
    }
    let sign = window[at + 1];
    let digits_start = at + 1 + matches!(sign, b'+' | b'-') as usize;
    let (value, digits) = kernel.leading_digits(window_at(window, digits_start));
    let end = digits_start + digits;
    if digits == 0 || digits > 8 || !is_delimiter(window[end]) {
        return None;
    }
    let value = value as i64;
    Some((if sign == b'-' { -value } else { value }, end))
}

/// The 16 bytes of `window` from `from`.
#[inline(always)]
fn window_at(window: &[u8; WINDOW], from: usize) -> &[u8; 16] {
    // The callers' offsets are at most 37 (a sign, 19 digits and a `.`
    // before the second read of a run), so the fallback is never taken; it
    // keeps this free of panics.
    window
        .get(from..)
        .and_then(<[u8]>::first_chunk)
        .unwrap_or(&[b' '; 16])
}

/// The run of digits at `from` in `window` (wrapping past 19 digits; the
/// caller checks the count), through at most two reads of 16 bytes.
#[inline(always)]
fn digit_run<K: Kernel>(kernel: K, window: &[u8; WINDOW], from: usize) -> (u64, usize) {
    let (value, count) = kernel.leading_digits(window_at(window, from));
    if count < 16 {
        return (value, count);
    }
    let (rest, more) = kernel.leading_digits(window_at(window, from + 16));
    let value = value.wrapping_mul(POWERS_OF_TEN[more]).wrapping_add(rest);
    (value, 16 + more)
}

/// [`parse_number`] for any number: the grammar checked byte by byte, with
/// the exact error, and a correctly rounded result for any digit count.
#[inline(always)]
fn any_number<K: Kernel>(kernel: K, bytes: &[u8], start: usize) -> Parsed {
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
            float::decimal_to_f64_bits(mantissa, exponent).map(f64::from_bits)
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
    Ok((number, i - start))
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
/// (infinite when beyond `f64`), for what [`float::decimal_to_f64_bits`] leaves.
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
        parse_number::<_, EXACT>(Portable, s.as_bytes(), 0).map(|(n, len)| {
            assert_eq!(len, s.len(), "{s}");
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

    /// [`parse_number`] with a backend's kernel.
    struct NumberJob<'a> {
        bytes: &'a [u8],
    }

    impl Job for NumberJob<'_> {
        type Output = (Parsed, Parsed);

        fn run<K: Kernel>(self, kernel: K) -> (Parsed, Parsed) {
            (
                parse_number::<_, EXACT>(kernel, self.bytes, 0),
                any_number(kernel, self.bytes, 0),
            )
        }
    }

    /// The fast paths (a full window, and the padded one near the end of the
    /// input) give exactly what the byte-by-byte path gives: the same number
    /// bits, length, and error kind and offset.
    fn fast_and_slow_paths_agree(text: &str) {
        let backends = Backend::ALL.into_iter().filter(|b| b.is_supported());
        for backend in backends.map(|b| Supported::resolve(Some(b))) {
            for tail in ["", ",", " ", "]", &" ".repeat(WINDOW)] {
                let bytes = format!("{text}{tail}");
                let job = NumberJob {
                    bytes: bytes.as_bytes(),
                };
                let (fast, slow) = dispatch(backend, job);
                let bits = |p: Parsed| {
                    p.map(|(n, len)| match n {
                        F64(f) => (2, f.to_bits(), len),
                        I64(i) => (1, i as u64, len),
                        U64(u) => (0, u, len),
                    })
                };
                assert_eq!(bits(fast), bits(slow), "{backend:?} {bytes:?}");
            }
        }
    }

    #[test]
    fn fast_path_agrees_on_edge_cases() {
        for text in [
            "0",
            "-0",
            "00",
            "-",
            "1.",
            ".5",
            "1e",
            "1e+",
            "1E-7",
            "01.5",
            "-01",
            "0.0e0",
            "1234567890123456789",
            "12345678901234567890",
            "9999999999999999999",
            "1.234567890123456789",
            "1.23456789012345678",
            "12345678e12345678",
            "1e123456789",
            "1e-400",
            "1e309",
            "-1e309",
            "4.9e-324",
            "1x",
            "1.5e5x",
            "123456789012345678.9",
            "0.000000000000000000001",
            "-9223372036854775808",
            "18446744073709551615",
            "1.7976931348623157e308",
            "2e-08",
            "7e+0",
        ] {
            fast_and_slow_paths_agree(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_path_agrees_with_the_slow_path(
            text in "-?(0|[1-9][0-9]{0,22})(\\.[0-9]{1,22})?([eE][+-]?[0-9]{1,10})?[0-9a-e.+-]?",
        ) {
            fast_and_slow_paths_agree(&text);
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
        // The second value is the number's length, not its end.
        assert_eq!(
            parse_number::<_, EXACT>(Portable, b"12,", 0),
            Ok((U64(12), 2))
        );
        assert_eq!(
            parse_number::<_, EXACT>(Portable, b"[-5]", 1),
            Ok((I64(-5), 2))
        );
        assert_eq!(
            parse_number::<_, EXACT>(Portable, b"[-5.25e1", 1),
            Ok((F64(-52.5), 7))
        );
        assert_eq!(
            parse_number::<_, EXACT>(Portable, b"1.5 ", 0),
            Ok((F64(1.5), 3))
        );
    }
}
