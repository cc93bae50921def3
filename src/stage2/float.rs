//! Correctly rounded conversion of `mantissa * 10^exponent` to `f64`, from the
//! digits the number grammar already read (no second pass over the text).
//!
//! Two exact paths cover nearly every number in real documents:
//!
//! 1. **Clinger's fast path**: when the mantissa is exact in an `f64` (it
//!    fits in 53 bits; this path takes at most 15 digits, see
//!    [`CLINGER_MANTISSA_LIMIT`]) and so is the power of ten (10^0 to
//!    10^22), one IEEE multiplication or division rounds correctly.
//! 2. **Eisel-Lemire** (Lemire, "Number Parsing at a Gigabyte per Second",
//!    2021): multiply the normalized mantissa by a 128-bit approximation of
//!    5^exponent ([`pow5`](super::pow5)); the top bits of the product are the
//!    correctly rounded significand except in provably rare ambiguous cases,
//!    which it detects.
//!
//! Whatever neither path settles (more than 19 significant digits, an
//! ambiguous product, or a magnitude of 2^1023 or more, which includes those
//! beyond `f64`) returns `None`, and the caller falls back to Rust's own
//! `str::parse::<f64>`, so every result has the same bits as that (and an
//! overflow is reported there).

use core::num::NonZeroU64;

use super::pow5::{LARGEST_POWER_OF_FIVE, POWERS_OF_FIVE, SMALLEST_POWER_OF_FIVE};

/// Exact powers of ten that an `f64` can hold (10^0 to 10^22).
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Clinger's path takes mantissas of at most 15 digits, below its exact
/// limit of 2^53 (about 9.007 * 10^15), and Eisel-Lemire the longer ones.
/// The branch between the two paths then follows the digit count, which
/// runs in long stretches: documents of long decimals (canada.json: 17
/// significant digits in 91% of its numbers, 16 in 7%) take Eisel-Lemire
/// nearly always, where the limit of 2^53 sent their 16-digit numbers one
/// way and the 17-digit ones the other, in no order a branch predictor could
/// learn (2% of the time of a parse of canada.json). Numbers of 15 digits or
/// fewer, as in mesh.json and numbers.json, take Clinger's path as before.
const CLINGER_MANTISSA_LIMIT: u64 = 1_000_000_000_000_000;

const MANTISSA_BITS: u32 = 52;
const EXPONENT_BIAS: i64 = 1023;
/// The biased exponent of the largest finite binade, [2^1023, 2^1024).
const MAX_BIASED_EXPONENT: i64 = 0x7FE;

/// The bits of `mantissa * 10^exponent` correctly rounded, when one of the
/// exact paths applies; `None` means "use the slow path", which is also
/// what magnitudes of 2^1023 and more get (those beyond `f64` among them):
/// the slow path reports an overflow, and the fast one needs no check for
/// infinity.
///
/// Bits, not an `f64`: the tape stores bits, and Eisel-Lemire computes them
/// in integer registers. Returning an `f64` from both paths cost 4% of the
/// time of a parse of canada.json.
#[inline(always)]
pub(crate) fn decimal_to_f64_bits(mantissa: u64, exponent: i64) -> Option<u64> {
    if mantissa < CLINGER_MANTISSA_LIMIT && (-22..=22).contains(&exponent) {
        let m = mantissa as f64;
        let power = EXACT_POWERS_OF_TEN[exponent.unsigned_abs() as usize];
        return Some(if exponent < 0 { m / power } else { m * power }.to_bits());
    }
    eisel_lemire(mantissa, exponent)
}

/// For each `q` of the table of powers of five, the exponent field of
/// `w * 5^q` (`w` normalized: its top bit set) less one, before the
/// adjustments for the top bit of the product and the leading zeros of the
/// mantissa: `floor(log2(10^q)) + 63 + EXPONENT_BIAS - 1`, by the fixed-point
/// approximation log2(10) ~ 217706 / 2^16, exact over the table's range.
///
/// A table rather than the arithmetic: the multiplication, the shift and
/// the constants (which the compiler added after shifting the field into
/// place) become one load (canada.json: 2.5% fewer instructions).
static EXPONENT_FIELDS: [i16; POWERS_OF_FIVE.len()] = {
    let mut table = [0; POWERS_OF_FIVE.len()];
    let mut i = 0;
    while i < table.len() {
        let q = i as i64 + SMALLEST_POWER_OF_FIVE;
        table[i] = (((217706 * q) >> 16) + 63 + EXPONENT_BIAS - 1) as i16;
        i += 1;
    }
    table
};

/// The bits of `mantissa * 10^exponent`, or `None` when the 128-bit product
/// cannot decide the rounding.
#[inline(always)]
fn eisel_lemire(mantissa: u64, exponent: i64) -> Option<u64> {
    let Some(mantissa) = NonZeroU64::new(mantissa) else {
        return Some(0);
    };
    // One comparison for both ends of the table: below it the magnitude
    // rounds to zero; above it, beyond `f64`, which the slow path reports.
    if !(SMALLEST_POWER_OF_FIVE..=LARGEST_POWER_OF_FIVE).contains(&exponent) {
        return (exponent < SMALLEST_POWER_OF_FIVE).then_some(0);
    }
    // The index of 5^exponent in the table of powers of five, and of its
    // exponent field in `EXPONENT_FIELDS`.
    let table_index = (exponent - SMALLEST_POWER_OF_FIVE) as usize;
    let leading_zeros = mantissa.leading_zeros();
    let w = mantissa.get() << leading_zeros;
    let (low, high) = product_approximation(table_index, w);
    // An all-ones low word means the truncated table entry may have hidden a
    // carry; outside this exponent range that cannot be ruled out.
    if low == u64::MAX && !(-27..=55).contains(&exponent) {
        return None;
    }
    let upper_bit = (high >> 63) as u32;
    let mut significand = high >> (upper_bit + 64 - MANTISSA_BITS - 3);
    // The biased exponent of the result, less one: the exponent field to
    // which the significand, implicit bit and all, is added at the end.
    let field = EXPONENT_FIELDS[table_index] as i64 + upper_bit as i64 - leading_zeros as i64;

    // One comparison for both rare ends: the subnormals, and the binade
    // below infinity, where rounding up may overflow; leaving that binade
    // (magnitudes from 2^1023) to the slow path spares every other number a
    // check for infinity after rounding.
    if !(0..MAX_BIASED_EXPONENT - 1).contains(&field) {
        if field >= 0 {
            return None;
        }
        // Subnormal (or zero): shift to the fixed exponent, then round.
        let shift = -field;
        if shift >= 64 {
            return Some(0);
        }
        significand = ((significand >> shift) + 1) >> 1;
        // Rounding can carry into the smallest normal exponent.
        let exponent_bits = if significand < 1 << MANTISSA_BITS {
            0
        } else {
            1
        };
        return Some((significand & ((1 << MANTISSA_BITS) - 1)) | (exponent_bits << MANTISSA_BITS));
    }

    // Exactly halfway between two floats: only possible for small exponents,
    // where the product is exact; round half to even.
    if low <= 1
        && (-4..=23).contains(&exponent)
        && significand & 3 == 1
        && significand << (upper_bit + 64 - MANTISSA_BITS - 3) == high
    {
        significand &= !1;
    }
    // Drop the rounding bit, rounding up when it is set. The paper adds the
    // low bit before the shift; adding 1 gives the same quotient (an even
    // number plus 1 halves to the same) in two instructions instead of four.
    // (The subnormals above round the same way.)
    significand = (significand + 1) >> 1;
    // The rounded significand lies in [2^52, 2^53]. Added to the exponent
    // field less one, its implicit bit becomes that one, and a rounding up
    // to 2^53 carries into the exponent: no branch for either.
    Some(((field as u64) << MANTISSA_BITS) + significand)
}

/// The high 128 bits of `w * 5^q` (as `(low, high)` words), where 5^q is the
/// entry at `table_index` of the table of powers of five, computed with a
/// second multiplication only when the first leaves the 55 bits that matter
/// undecided.
#[inline(always)]
fn product_approximation(table_index: usize, w: u64) -> (u64, u64) {
    let (power_high, power_low) = POWERS_OF_FIVE[table_index];
    let first = w as u128 * power_high as u128;
    let (mut low, mut high) = (first as u64, (first >> 64) as u64);
    const UNDECIDED: u64 = u64::MAX >> (MANTISSA_BITS + 3);
    if high & UNDECIDED == UNDECIDED {
        let second_high = ((w as u128 * power_low as u128) >> 64) as u64;
        let (sum, carry) = low.overflowing_add(second_high);
        low = sum;
        high += carry as u64;
    }
    (low, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(mantissa: u64, exponent: i64) {
        let text = format!("{mantissa}e{exponent}");
        let expected: f64 = text.parse().unwrap();
        if let Some(got) = decimal_to_f64_bits(mantissa, exponent) {
            assert_eq!(
                got,
                expected.to_bits(),
                "{text}: got {:e}, expected {expected:e}",
                f64::from_bits(got)
            );
        }
    }

    #[test]
    fn known_values() {
        for (m, e) in [
            (65613616999999977, -15),
            (17976931348623157, 292),
            (22250738585072014, -324),
            (22250738585072013, -324),
            (49, -325),
            (24703282292062328, -340),
            (9007199254740993, 0),
            (1, 23),
            (7, -4),
            (u64::MAX, 0),
            (u64::MAX, -343),
            (1, 309),
            (30000000000000004, -17),
            (90071992547409919, -1), // rounds up to 2^53: the carry
            (45035996273704959, -1), // the carry at 2^52
        ] {
            check(m, e);
        }
    }

    #[test]
    fn settles_typical_numbers() {
        // The slow path is for the rare cases only.
        assert!(decimal_to_f64_bits(65613616999999977, -15).is_some());
        assert!(decimal_to_f64_bits(12345678901234567, 200).is_some());
        assert!(decimal_to_f64_bits(90071992547409919, -1).is_some());
    }

    #[test]
    fn leaves_the_top_binade_and_beyond_to_the_slow_path() {
        // Products from 2^1023 (about 8.99e307) on, finite or not.
        assert_eq!(decimal_to_f64_bits(17976931348623157, 292), None);
        assert_eq!(decimal_to_f64_bits(9, 307), None);
        // Below it, settled here: the largest float below 2^1023, and a
        // product that rounds up to 2^1023 (a carry into the top binade,
        // which cannot overflow).
        assert_eq!(
            decimal_to_f64_bits(89884656743115785, 291),
            Some(0x7FDF_FFFF_FFFF_FFFF)
        );
        assert_eq!(
            decimal_to_f64_bits(89884656743115795, 291),
            Some(0x7FE0_0000_0000_0000)
        );
        assert_eq!(decimal_to_f64_bits(17976931348623159, 292), None);
        assert_eq!(decimal_to_f64_bits(1, 309), None);
        assert_eq!(decimal_to_f64_bits(1, 400), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]

        #[test]
        fn agrees_with_std(mantissa in proptest::num::u64::ANY, exponent in -360i64..330) {
            check(mantissa, exponent);
        }

        #[test]
        fn agrees_with_std_on_short_mantissas(digits in 1u32..=19, seed in proptest::num::u64::ANY, exponent in -345i64..312) {
            check(seed % 10u64.pow(digits), exponent);
        }
    }
}
