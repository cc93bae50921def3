//! Backends: the CPU-specific kernels, their detection, and the one place
//! where a backend is chosen.
//!
//! Modelled on memchr: the algorithms live once, generic over [`Kernel`]; a
//! backend is a small type implementing it (`portable`, `x86_64::avx2`,
//! `x86_64::avx512`, `aarch64::neon`), plus
//! an entry point compiled with `#[target_feature]` that runs a [`Job`] with
//! its kernel inlined. Users never need `-C target-cpu`: the library is built
//! for the baseline target and reaches SIMD through those entry points after
//! run-time detection.

#[cfg(target_arch = "aarch64")]
pub(crate) mod aarch64;
pub(crate) mod portable;
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86_64;

use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicU8, Ordering};

/// The writer's copy of strings shorter than 16 bytes, which stops at the
/// first byte to escape.
pub(crate) use portable::copy_short_until_escape;
/// Offset of the first byte of `bytes` that a JSON string must escape (`"`,
/// `\\`, or below 0x20): the writer's scan. Strings of 64 bytes or more use
/// AVX2 where the chosen [`backend`] is AVX2 or AVX-512 (whose processors all
/// have AVX2); on x86_64 the rest use SSE2, which every x86_64 CPU has; SWAR
/// elsewhere.
#[inline(always)]
pub(crate) fn find_escape(bytes: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if bytes.len() >= 64 && matches!(backend(), Backend::Avx2 | Backend::Avx512) {
        // SAFETY: `backend` returns only a backend this machine supports, and
        // supporting AVX-512 includes supporting AVX2 (`has_avx512`).
        return unsafe { x86_64::avx2::find_escape(bytes) };
    }
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    return x86_64::sse2::find_escape(bytes);
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    return portable::find_escape(bytes);
}

/// One 64-byte block classified into bit masks; bit `i` is byte `i`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct BlockMasks {
    /// `"`
    pub(crate) quote: u64,
    /// `\`
    pub(crate) backslash: u64,
    /// `{ } [ ] : ,`
    pub(crate) operator: u64,
    /// space, tab, line feed, carriage return
    pub(crate) whitespace: u64,
    /// bytes below 0x20
    pub(crate) control: u64,
    /// line feed (also in `whitespace`; only a stream's index records it)
    pub(crate) newline: u64,
    /// Nonzero iff the block holds a byte of 0x80 or above. Not a mask of
    /// them: only whether there is one, which is all stage 1 needs (input
    /// with none is ASCII and needs no UTF-8 validation) and cheaper to find.
    pub(crate) non_ascii: u64,
}

impl BlockMasks {
    /// Combines the masks of two adjacent pieces of a block, `other` starting
    /// at byte `shift` (for backends whose vectors are narrower than 64 bytes).
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    #[inline(always)]
    pub(crate) fn join(self, other: BlockMasks, shift: u32) -> BlockMasks {
        BlockMasks {
            quote: self.quote | other.quote << shift,
            backslash: self.backslash | other.backslash << shift,
            operator: self.operator | other.operator << shift,
            whitespace: self.whitespace | other.whitespace << shift,
            control: self.control | other.control << shift,
            newline: self.newline | other.newline << shift,
            non_ascii: self.non_ascii | other.non_ascii,
        }
    }
}

/// Byte classes by nibble look-up, for the NEON backend (the AVX2 backend
/// uses [`equality_lookup`], which costs fewer instructions with `vpshufb`).
///
/// Operators and whitespace are found with two table look-ups
/// (`vqtbl1q_u8`) instead of ten comparisons. Each byte's
/// low nibble and high nibble index a 16-entry table of class bits; a byte
/// belongs to a class iff both of its look-ups have that class's bit:
///
/// | bit | bytes           | high nibble | low nibbles |
/// |-----|-----------------|-------------|-------------|
/// | 0   | `,` (0x2C)      | 2           | C           |
/// | 1   | `:` (0x3A)      | 3           | A           |
/// | 2   | `[ ] { }`       | 5, 7        | B, D        |
/// | 3   | space (0x20)    | 2           | 0           |
/// | 4   | `\t \n \r`      | 0           | 9, A, D     |
///
/// No other byte has a common bit in both tables (each backend's unit tests
/// check all 256). Bytes of 0x80 and above have a high nibble of 8 to F, whose
/// entries are 0.
#[cfg_attr(not(target_arch = "aarch64"), allow(dead_code))]
pub(crate) mod nibble_classes {
    /// Class bits of the operators `{ } [ ] : ,`.
    pub(crate) const OPERATOR_BITS: u8 = 0b0_0111;
    /// Class bits of the whitespace bytes.
    pub(crate) const WHITESPACE_BITS: u8 = 0b1_1000;
    /// Class bits by low nibble.
    pub(crate) static LOW_NIBBLE: [u8; 16] = [
        0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x12, 0x04, 0x01, 0x14, 0, 0,
    ];
    /// Class bits by high nibble.
    pub(crate) static HIGH_NIBBLE: [u8; 16] = [
        0x10, 0, 0x09, 0x02, 0, 0x04, 0, 0x04, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
}

/// Byte classes by one look-up and one comparison each, for `vpshufb`.
///
/// `vpshufb` indexes a 16-byte table with each byte's low nibble, and gives 0
/// for bytes of 0x80 and above. For a class whose members have distinct low
/// nibbles, a table holding each member at its low nibble turns membership
/// into "the byte equals its own look-up": whitespace is exactly that.
/// Entries of nibbles with no member hold 0x80, which no byte below 0x80
/// equals, and bytes of 0x80 and above compare against 0.
///
/// The operators `[` and `{` share the low nibble B, and `]` and `}` share D,
/// so they are compared with the byte OR 0x20, which maps `[` `]` onto `{` `}`
/// and leaves `{ } : ,` as they are. The only other bytes it maps onto an
/// operator are 0x0C (onto `,`) and 0x1A (onto `:`), control bytes, which
/// the caller removes with the control mask it computes anyway.
///
/// This is the classification of simdjson's x86 kernels: for 32 bytes it
/// costs two look-ups, two comparisons and an OR, where the two-nibble
/// classes of [`nibble_classes`] cost a shift, an AND, two look-ups, three
/// ANDs and two comparisons (1.7% fewer instructions in a whole parse of
/// twitter.json and citm_catalog.json). NEON keeps the nibble classes: its
/// look-up does not ignore the high nibble, so this scheme would need the
/// AND there anyway, and NEON has no cheap `movemask` to spare.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) mod equality_lookup {
    /// `' '` at 0, `\t` at 9, `\n` at A and `\r` at D; 0x80 elsewhere.
    pub(crate) static WHITESPACE_BY_LOW_NIBBLE: [u8; 16] = [
        b' ', 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, b'\t', b'\n', 0x80, 0x80, b'\r',
        0x80, 0x80,
    ];
    /// `:` at A, `{` at B, `,` at C and `}` at D (compared with the byte OR
    /// 0x20); 0x80 elsewhere.
    pub(crate) static OPERATOR_BY_LOW_NIBBLE: [u8; 16] = [
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, b':', b'{', b',', b'}', 0x80,
        0x80,
    ];
}

/// The few operations a backend provides. Every algorithm (stage 1's block
/// scan, stage 2's string scan) is written once over this trait, and each
/// backend instantiates it inside a function compiled with its CPU features.
///
/// A kernel is a zero-sized *token*: a value of a SIMD kernel type can only be
/// made where its CPU features are known to be available (see [`dispatch`]),
/// so holding one is the proof that its methods may run, and the generic
/// algorithms need no `unsafe`.
pub(crate) trait Kernel: Copy {
    /// Classifies 64 bytes.
    fn classify(self, block: &[u8; 64]) -> BlockMasks;

    /// Bit `i` of the result is the XOR of bits `0..=i` of `bits`.
    #[inline(always)]
    fn prefix_xor(self, bits: u64) -> u64 {
        let mut x = bits;
        x ^= x << 1;
        x ^= x << 2;
        x ^= x << 4;
        x ^= x << 8;
        x ^= x << 16;
        x ^= x << 32;
        x
    }

    /// Offset of the first `"` or `\\` at or after `from`, if any.
    fn find_quote_or_backslash(self, bytes: &[u8], from: usize) -> Option<usize>;

    /// Writes the offsets `base + i` of the set bits `i` of `bits`, in
    /// increasing order, to the start of `slots`, and returns how many there
    /// are. The slots past that count may be overwritten with anything.
    #[inline(always)]
    fn write_offsets(self, slots: &mut [MaybeUninit<u32>; 64], base: u32, bits: u64) -> usize {
        portable::write_offsets(slots, base, bits)
    }

    /// The leading run of ASCII digits of `bytes` (the first byte is the most
    /// significant digit): its value and its length, 0 to 16.
    #[inline(always)]
    fn leading_digits(self, bytes: &[u8; 16]) -> (u64, usize) {
        portable::leading_digits(bytes)
    }
}

/// Work to run with a backend's kernel, compiled for that backend's features.
///
/// `run` must be `#[inline(always)]` (as must everything generic it calls), so
/// that it is compiled inside the backend's `#[target_feature]` entry point.
pub(crate) trait Job {
    /// What the job returns.
    type Output;

    /// Runs the job with `kernel`.
    fn run<K: Kernel>(self, kernel: K) -> Self::Output;
}

/// Runs `job` with the kernel of `backend`.
#[inline]
pub(crate) fn dispatch<J: Job>(backend: Supported, job: J) -> J::Output {
    match backend.0 {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Supported` holds only backends whose CPU features were detected.
        Backend::Avx512 => unsafe { x86_64::avx512::run(job) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Backend::Avx2 => unsafe { x86_64::avx2::run(job) },
        #[cfg(target_arch = "aarch64")]
        // SAFETY: `Supported` holds only backends this machine supports, and
        // `Backend::Neon` is supported only where the target has NEON.
        Backend::Neon => unsafe { aarch64::neon::run(job) },
        _ => job.run(portable::Portable),
    }
}

/// A set of kernels (portable or SIMD). [`backend`] names the one in use; tests and
/// benchmarks can ask for another with [`Options::with_backend`](crate::Options::with_backend)
/// or the `JSONTAPE_BACKEND` environment variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// 64-bit integer arithmetic, eight bytes at a time; runs on every target.
    Portable,
    /// x86_64 AVX-512 (F, BW, VL and VBMI2, with AVX2, PCLMULQDQ, BMI1, BMI2,
    /// LZCNT and POPCNT; Ice Lake, Zen 4 and later): a 64-byte block per
    /// instruction, its masks straight from comparisons, and the offsets of
    /// its tokens written with `vpcompressb` rather than bit by bit.
    Avx512,
    /// x86_64 AVX2 (with PCLMULQDQ, BMI1, BMI2, LZCNT and POPCNT; Haswell, Zen
    /// and later): 32 bytes per instruction.
    Avx2,
    /// aarch64 NEON: 16 bytes per instruction, with PMULL for the string mask
    /// where the CPU has it. NEON itself is part of every standard aarch64 target.
    Neon,
}

impl Backend {
    /// Every backend, fastest first; [`is_supported`](Backend::is_supported)
    /// tells which this machine can run.
    ///
    /// ```
    /// let supported: Vec<_> = jsontape::Backend::ALL.iter().filter(|b| b.is_supported()).collect();
    /// assert!(supported.contains(&&jsontape::Backend::Portable));
    /// ```
    pub const ALL: [Backend; 4] = [
        Backend::Avx512,
        Backend::Avx2,
        Backend::Neon,
        Backend::Portable,
    ];

    /// The backend's name, as accepted by `JSONTAPE_BACKEND`.
    ///
    /// ```
    /// assert_eq!(jsontape::Backend::Avx2.name(), "avx2");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Backend::Portable => "portable",
            Backend::Avx512 => "avx512",
            Backend::Avx2 => "avx2",
            Backend::Neon => "neon",
        }
    }

    /// The backend with this [`name`](Backend::name).
    ///
    /// ```
    /// assert_eq!(jsontape::Backend::from_name("portable"), Some(jsontape::Backend::Portable));
    /// assert_eq!(jsontape::Backend::from_name("sse9"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Backend> {
        Backend::ALL.into_iter().find(|b| b.name() == name)
    }

    /// Whether this machine can run the backend (detected at run time with the
    /// `std` feature, decided at compile time without it).
    ///
    /// ```
    /// assert!(jsontape::Backend::Portable.is_supported());
    /// ```
    pub fn is_supported(self) -> bool {
        match self {
            Backend::Portable => true,
            Backend::Avx512 => has_avx512(),
            Backend::Avx2 => has_avx2(),
            Backend::Neon => cfg!(all(target_arch = "aarch64", target_feature = "neon")),
        }
    }
}

#[cfg(all(target_arch = "x86_64", feature = "std"))]
fn has_avx2() -> bool {
    std::is_x86_feature_detected!("avx2")
        && std::is_x86_feature_detected!("pclmulqdq")
        && std::is_x86_feature_detected!("bmi1")
        && std::is_x86_feature_detected!("bmi2")
        && std::is_x86_feature_detected!("lzcnt")
        && std::is_x86_feature_detected!("popcnt")
}

#[cfg(all(target_arch = "x86_64", not(feature = "std")))]
fn has_avx2() -> bool {
    cfg!(target_feature = "avx2")
        && cfg!(target_feature = "pclmulqdq")
        && cfg!(target_feature = "bmi1")
        && cfg!(target_feature = "bmi2")
        && cfg!(target_feature = "lzcnt")
        && cfg!(target_feature = "popcnt")
}

#[cfg(not(target_arch = "x86_64"))]
fn has_avx2() -> bool {
    false
}

#[cfg(all(target_arch = "x86_64", feature = "std"))]
fn has_avx512() -> bool {
    has_avx2()
        && std::is_x86_feature_detected!("avx512f")
        && std::is_x86_feature_detected!("avx512bw")
        && std::is_x86_feature_detected!("avx512vl")
        && std::is_x86_feature_detected!("avx512vbmi2")
}

#[cfg(all(target_arch = "x86_64", not(feature = "std")))]
fn has_avx512() -> bool {
    has_avx2()
        && cfg!(target_feature = "avx512f")
        && cfg!(target_feature = "avx512bw")
        && cfg!(target_feature = "avx512vl")
        && cfg!(target_feature = "avx512vbmi2")
}

#[cfg(not(target_arch = "x86_64"))]
fn has_avx512() -> bool {
    false
}

/// The chosen backend as its position in [`Backend::ALL`] plus one; 0 until chosen.
static CHOSEN: AtomicU8 = AtomicU8::new(0);

/// The backend parsing (and the writer's scan of long strings) uses on this
/// machine, chosen once: the one named by the `JSONTAPE_BACKEND` environment
/// variable if this machine supports it (read with the `std` feature only),
/// else the fastest supported one.
///
/// ```
/// println!("parsing runs on the {} backend", jsontape::backend().name());
/// assert!(jsontape::backend().is_supported());
/// ```
pub fn backend() -> Backend {
    match CHOSEN.load(Ordering::Relaxed) {
        0 => {
            let chosen = requested_by_environment().unwrap_or_else(fastest);
            let position = Backend::ALL.iter().position(|&b| b == chosen).unwrap_or(0);
            CHOSEN.store(position as u8 + 1, Ordering::Relaxed);
            chosen
        }
        n => Backend::ALL[(n - 1) as usize % Backend::ALL.len()],
    }
}

/// The first supported backend of [`Backend::ALL`], which lists them
/// fastest first.
fn fastest() -> Backend {
    Backend::ALL
        .into_iter()
        .find(|b| b.is_supported())
        .unwrap_or(Backend::Portable)
}

#[cfg(feature = "std")]
fn requested_by_environment() -> Option<Backend> {
    let name = std::env::var("JSONTAPE_BACKEND").ok()?;
    Backend::from_name(name.trim()).filter(|b| b.is_supported())
}

#[cfg(not(feature = "std"))]
fn requested_by_environment() -> Option<Backend> {
    None
}

/// A backend this machine is known to support: the only way to reach a SIMD
/// backend, so that its features are always checked first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Supported(Backend);

impl Supported {
    /// `requested` if this machine supports it, else [`backend`].
    pub(crate) fn resolve(requested: Option<Backend>) -> Supported {
        Supported(
            requested
                .filter(|b| b.is_supported())
                .unwrap_or_else(backend),
        )
    }
}

/// Asserts that `classify` gives the portable backend's masks for every byte
/// value at positions across the block's words, vectors and lanes, and for
/// blocks of 64 consecutive byte values. `non_ascii` is compared as zero or
/// not: backends agree on that, not on its value.
#[cfg(test)]
pub(crate) fn assert_classifies_like_portable(
    classify: impl Fn(&[u8; 64]) -> BlockMasks,
    name: &str,
) {
    let comparable = |masks: BlockMasks| BlockMasks {
        non_ascii: u64::from(masks.non_ascii != 0),
        ..masks
    };
    let check = |block: &[u8; 64], what: &dyn core::fmt::Display| {
        assert_eq!(
            comparable(classify(block)),
            comparable(portable::Portable.classify(block)),
            "{name}: {what}"
        );
    };
    for b in 0..=255u8 {
        for at in [0, 7, 8, 15, 16, 31, 32, 47, 48, 63] {
            let mut block = [b'a'; 64];
            block[at] = b;
            check(&block, &format_args!("byte {b:#x} at {at}"));
        }
    }
    for start in [0u8, 64, 128, 192] {
        let block: [u8; 64] = core::array::from_fn(|i| start + i as u8);
        check(&block, &format_args!("bytes from {start:#x}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Classifies one block with a backend's kernel.
    struct Classify<'b>(&'b [u8; 64]);

    impl Job for Classify<'_> {
        type Output = BlockMasks;

        #[inline(always)]
        fn run<K: Kernel>(self, kernel: K) -> BlockMasks {
            kernel.classify(self.0)
        }
    }

    /// Writes the offsets of one block's bits with a backend's kernel; only
    /// the first `count` slots are defined, so only those are returned.
    struct WriteOffsets {
        base: u32,
        bits: u64,
    }

    impl Job for WriteOffsets {
        type Output = Vec<u32>;

        #[inline(always)]
        fn run<K: Kernel>(self, kernel: K) -> Vec<u32> {
            let mut slots = [MaybeUninit::new(u32::MAX); 64];
            let count = kernel.write_offsets(&mut slots, self.base, self.bits);
            // SAFETY: every slot was initialized above.
            slots[..count]
                .iter()
                .map(|slot| unsafe { slot.assume_init() })
                .collect()
        }
    }

    #[test]
    fn every_backend_writes_offsets_like_the_bits_say() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut random = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut patterns = vec![0, u64::MAX, 0x5555_5555_5555_5555, 1 << 63];
        patterns.extend((0..64).map(|i| 1u64 << i));
        patterns.extend((0..64).map(|i| u64::MAX >> i));
        patterns.extend((0..500).map(|_| random()));
        patterns.extend((0..500).map(|_| random() & random()));
        for backend in Backend::ALL.into_iter().filter(|b| b.is_supported()) {
            let supported = Supported::resolve(Some(backend));
            for (n, &bits) in patterns.iter().enumerate() {
                let base = (n as u32).wrapping_mul(64).wrapping_sub(128);
                let expected: Vec<u32> = (0..64)
                    .filter(|i| bits >> i & 1 == 1)
                    .map(|i| base.wrapping_add(i))
                    .collect();
                let written = dispatch(supported, WriteOffsets { base, bits });
                assert_eq!(written, expected, "{}: {bits:#x}", backend.name());
            }
        }
    }

    /// Reads the leading digits of 16 bytes with a backend's kernel.
    struct LeadingDigits<'b>(&'b [u8; 16]);

    impl Job for LeadingDigits<'_> {
        type Output = (u64, usize);

        #[inline(always)]
        fn run<K: Kernel>(self, kernel: K) -> (u64, usize) {
            kernel.leading_digits(self.0)
        }
    }

    #[test]
    fn every_backend_reads_runs_of_digits_of_every_length_and_end() {
        let digits = b"9876543210123456";
        for backend in Backend::ALL.into_iter().filter(|b| b.is_supported()) {
            let supported = Supported::resolve(Some(backend));
            for len in 0..=16 {
                // Every byte that is not a digit ends the run, and bytes
                // after it (digits here) must not count.
                for end in (0..=255u8).filter(|b| !b.is_ascii_digit()) {
                    let mut bytes = *digits;
                    if len < 16 {
                        bytes[len] = end;
                    }
                    let value = digits[..len]
                        .iter()
                        .fold(0, |value, &d| value * 10 + u64::from(d - b'0'));
                    let read = dispatch(supported, LeadingDigits(&bytes));
                    assert_eq!(read, (value, len), "{}: {bytes:?}", backend.name());
                }
            }
        }
    }

    #[test]
    fn every_backend_classifies_every_byte_value_like_portable() {
        for backend in Backend::ALL.into_iter().filter(|b| b.is_supported()) {
            let supported = Supported::resolve(Some(backend));
            assert_classifies_like_portable(
                |block| dispatch(supported, Classify(block)),
                backend.name(),
            );
        }
    }
}
