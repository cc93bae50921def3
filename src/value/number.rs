//! [`Number`]: a JSON number as the parser read it.

use crate::tape::Tag;
use core::fmt;

/// A JSON number: an integer that fits `u64` or `i64`, or a finite `f64`.
///
/// Non-negative integers are stored as `u64`, negative ones as `i64`, every
/// other number as the correctly rounded `f64` (as serde_json does).
///
/// ```
/// use jsontape::Number;
/// assert_eq!(Number::from(7u64).as_i64(), Some(7));
/// assert_eq!(Number::from(-7i64).as_u64(), None);
/// assert_eq!(Number::from_f64(2.5).unwrap().to_string(), "2.5");
/// assert!(Number::from_f64(f64::NAN).is_none());
/// ```
#[derive(Clone, Copy)]
pub struct Number(Repr);

#[derive(Clone, Copy)]
enum Repr {
    /// Always non-negative.
    Unsigned(u64),
    /// Always negative.
    Negative(i64),
    /// Always finite.
    Float(f64),
}

impl Number {
    /// The number for a finite `f64`; `None` for NaN and infinities, which JSON
    /// cannot represent.
    pub fn from_f64(f: f64) -> Option<Number> {
        f.is_finite().then_some(Number(Repr::Float(f)))
    }

    /// The value as `u64`, if it is an integer in `u64`'s range.
    ///
    /// ```
    /// assert_eq!(jsontape::Number::from(3u64).as_u64(), Some(3));
    /// assert_eq!(jsontape::Number::from_f64(3.0).unwrap().as_u64(), None);
    /// ```
    pub fn as_u64(&self) -> Option<u64> {
        match self.0 {
            Repr::Unsigned(n) => Some(n),
            Repr::Negative(_) | Repr::Float(_) => None,
        }
    }

    /// The value as `i64`, if it is an integer in `i64`'s range.
    ///
    /// ```
    /// assert_eq!(jsontape::Number::from(-3i64).as_i64(), Some(-3));
    /// assert_eq!(jsontape::Number::from(u64::MAX).as_i64(), None);
    /// ```
    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            Repr::Unsigned(n) => i64::try_from(n).ok(),
            Repr::Negative(n) => Some(n),
            Repr::Float(_) => None,
        }
    }

    /// The value as `f64` (integers are converted, possibly rounding).
    ///
    /// ```
    /// assert_eq!(jsontape::Number::from(2u64).as_f64(), 2.0);
    /// ```
    pub fn as_f64(&self) -> f64 {
        match self.0 {
            Repr::Unsigned(n) => n as f64,
            Repr::Negative(n) => n as f64,
            Repr::Float(f) => f,
        }
    }

    /// Whether the number is stored as `u64` (a non-negative integer).
    pub fn is_u64(&self) -> bool {
        matches!(self.0, Repr::Unsigned(_))
    }

    /// Whether the number is stored as `i64` (a negative integer).
    pub fn is_i64(&self) -> bool {
        matches!(self.0, Repr::Negative(_))
    }

    /// Whether the number is stored as `f64`.
    pub fn is_f64(&self) -> bool {
        matches!(self.0, Repr::Float(_))
    }

    /// Hands the number's JSON text to `write`: integers in decimal, floats
    /// in the shortest form that reads back as the same `f64`. The text
    /// lives in a buffer on the stack.
    #[inline]
    pub(crate) fn with_text<R>(&self, write: impl FnOnce(&str) -> R) -> R {
        match self.0 {
            Repr::Unsigned(n) => write(itoa::Buffer::new().format(n)),
            Repr::Negative(n) => write(itoa::Buffer::new().format(n)),
            Repr::Float(f) => write(zmij::Buffer::new().format_finite(f)),
        }
    }
}

/// Integers are equal to integers of the same value; floats to floats of the
/// same value; an integer never equals a float (as in serde_json).
impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        match (self.0, other.0) {
            (Repr::Unsigned(a), Repr::Unsigned(b)) => a == b,
            (Repr::Negative(a), Repr::Negative(b)) => a == b,
            (Repr::Float(a), Repr::Float(b)) => a == b,
            _ => false,
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.with_text(|text| f.write_str(text))
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

macro_rules! from_unsigned {
    ($($t:ty)*) => {$(
        impl From<$t> for Number {
            fn from(n: $t) -> Number {
                Number(Repr::Unsigned(n as u64))
            }
        }
    )*};
}

macro_rules! from_signed {
    ($($t:ty)*) => {$(
        impl From<$t> for Number {
            fn from(n: $t) -> Number {
                let n = n as i64;
                Number(if n < 0 { Repr::Negative(n) } else { Repr::Unsigned(n as u64) })
            }
        }
    )*};
}

from_unsigned!(u8 u16 u32 u64 usize);
from_signed!(i8 i16 i32 i64 isize);

impl Number {
    /// The number a tape holds: `bits` is the payload word after a head word
    /// tagged `tag` (`u64` for non-negative integers, `i64` for negative
    /// ones, `f64` for the rest, always finite); `None` for other tags.
    #[inline(always)]
    pub(crate) fn from_tape(tag: Tag, bits: u64) -> Option<Number> {
        Some(Number(match tag {
            Tag::U64 => Repr::Unsigned(bits),
            Tag::I64 => Repr::Negative(bits as i64),
            Tag::F64 => Repr::Float(f64::from_bits(bits)),
            _ => return None,
        }))
    }
}
