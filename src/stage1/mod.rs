//! Stage 1: structural indexing.
//!
//! Finds the byte offset of every token in the input: each `{ } [ ] : ,` outside
//! strings and the first byte of every string, number and literal. The algorithm
//! lives once in [`generic`], written over the [`generic::Classifier`] trait; a
//! backend only says how to classify a 64-byte block. Choosing the backend
//! happens here and nowhere else.

pub(crate) mod generic;
mod portable;
#[cfg(target_arch = "x86_64")]
mod x86_64;

use alloc::vec::Vec;
use core::sync::atomic::{AtomicU8, Ordering};

/// A stage 1 implementation. [`backend`] names the one in use; tests and
/// benchmarks can ask for another with [`Options::with_backend`](crate::Options::with_backend)
/// or the `JSONTAPE_BACKEND` environment variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// 64-bit integer arithmetic, eight bytes at a time; runs on every target.
    Portable,
    /// x86_64 AVX2 with PCLMULQDQ: 32 bytes per instruction.
    Avx2,
}

impl Backend {
    /// Every backend, fastest first; [`is_supported`](Backend::is_supported)
    /// tells which this machine can run.
    ///
    /// ```
    /// let supported: Vec<_> = jsontape::Backend::ALL.iter().filter(|b| b.is_supported()).collect();
    /// assert!(supported.contains(&&jsontape::Backend::Portable));
    /// ```
    pub const ALL: [Backend; 2] = [Backend::Avx2, Backend::Portable];

    /// The backend's name, as accepted by `JSONTAPE_BACKEND`.
    ///
    /// ```
    /// assert_eq!(jsontape::Backend::Avx2.name(), "avx2");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Backend::Portable => "portable",
            Backend::Avx2 => "avx2",
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
            Backend::Avx2 => has_avx2(),
        }
    }
}

#[cfg(all(target_arch = "x86_64", feature = "std"))]
fn has_avx2() -> bool {
    std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("pclmulqdq")
}

#[cfg(all(target_arch = "x86_64", not(feature = "std")))]
fn has_avx2() -> bool {
    cfg!(target_feature = "avx2") && cfg!(target_feature = "pclmulqdq")
}

#[cfg(not(target_arch = "x86_64"))]
fn has_avx2() -> bool {
    false
}

/// The chosen backend as its position in [`Backend::ALL`] plus one; 0 until chosen.
static CHOSEN: AtomicU8 = AtomicU8::new(0);

/// The backend parsing uses on this machine, chosen once: the one named by the
/// `JSONTAPE_BACKEND` environment variable if this machine supports it (read
/// with the `std` feature only), else the fastest supported one.
///
/// ```
/// println!("stage 1 runs on {}", jsontape::backend().name());
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

/// Appends the structural offsets of `input` to `index` (which the caller has
/// cleared) and returns the offset of the first unescaped control character
/// inside a string, if any. Requires `input.len() < 2^32`.
pub(crate) fn index(backend: Supported, input: &[u8], index: &mut Vec<u32>) -> Option<usize> {
    match backend.0 {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Supported` holds only backends whose CPU features were detected.
        Backend::Avx2 => unsafe { x86_64::avx2::index(input, index) },
        _ => portable::index(input, index),
    }
}

#[cfg(test)]
mod tests {
    use super::generic::reference_index;
    use super::*;

    fn supported() -> impl Iterator<Item = Supported> {
        Backend::ALL
            .into_iter()
            .filter(|b| b.is_supported())
            .map(|b| Supported::resolve(Some(b)))
    }

    /// Every supported backend agrees with the byte-at-a-time reference.
    fn check(input: &[u8]) {
        let (expected, expected_control) = reference_index(input);
        for backend in supported() {
            let mut got = Vec::new();
            let control = index(backend, input, &mut got);
            let shown = String::from_utf8_lossy(input);
            assert_eq!(got, expected, "{backend:?} index of {shown:?}");
            assert_eq!(
                control, expected_control,
                "{backend:?} control of {shown:?}"
            );
        }
    }

    fn index_of(input: &[u8]) -> (Vec<u32>, Option<usize>) {
        check(input);
        reference_index(input)
    }

    #[test]
    fn indexes_tokens() {
        let (got, _) = index_of(br#"{"a": [1, true, "x\"]"], "b":null}"#);
        assert_eq!(got, [0, 1, 4, 6, 7, 8, 10, 14, 16, 22, 23, 25, 28, 29, 33]);
        check(b"");
        check(b"   ");
        check(b"1\"x\"");
    }

    #[test]
    fn backslash_runs_across_block_boundaries() {
        for run in 0..8 {
            for start in 50..70 {
                let mut input = vec![b' '; start];
                input[0] = b'"';
                input.extend(core::iter::repeat_n(b'\\', run));
                input.extend_from_slice(b"\"], [1, \"x\"] \x01 \"");
                check(&input);
            }
        }
    }

    #[test]
    fn control_characters_inside_strings_only() {
        check(b"[\"a\x01b\"]");
        check(b"[\n\t1]");
        assert_eq!(index_of(b"[\"ab\tc\"]").1, Some(4));
        assert_eq!(index_of(b"[\"ab\\\tc\"]").1, Some(5));
        assert_eq!(index_of(b"[\n1]").1, None);
    }

    #[test]
    fn every_byte_value_is_classified_alike() {
        for b in 0..=255u8 {
            for at in [0, 31, 32, 63] {
                let mut outside = vec![b'a'; 64];
                outside[at] = b;
                check(&outside);
                let mut inside = vec![b'x'; 64];
                inside[0] = b'"';
                inside[at.max(1)] = b;
                check(&inside);
            }
        }
    }

    proptest::proptest! {
        /// Random inputs built from the bytes that matter to stage 1, so that
        /// quotes, backslash runs and control characters land on every block
        /// boundary, agree with the byte-at-a-time reference.
        #[test]
        fn agrees_with_the_reference(input in proptest::collection::vec(
            proptest::sample::select(b"\"\\{}[]:, \t\n\ra1-\x01\x1f\x7f\xc3\xa9".to_vec()), 0..300)
        ) {
            check(&input);
        }
    }
}
