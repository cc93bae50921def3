//! Stage 1: structural indexing.
//!
//! Finds the byte offset of every token in the input: each `{ } [ ] : ,` outside
//! strings and the first byte of every string, number and literal. The algorithm
//! lives once in [`generic`], written over the [`generic::Classifier`] trait; a
//! backend only says how to classify a 64-byte block. Choosing the backend
//! happens here and nowhere else.

pub(crate) mod generic;
mod portable;

use alloc::vec::Vec;

/// A stage 1 implementation. See [`backend`](crate::backend).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// 64-bit integer arithmetic, eight bytes at a time; runs on every target.
    Portable,
}

impl Backend {
    /// The backend's name, as accepted by `JSONTAPE_BACKEND`.
    ///
    /// ```
    /// assert_eq!(jsontape::Backend::Portable.name(), "portable");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Backend::Portable => "portable",
        }
    }
}

/// The backend used for parsing on this machine.
///
/// ```
/// println!("stage 1 runs on {}", jsontape::backend().name());
/// ```
pub fn backend() -> Backend {
    Backend::Portable
}

/// Appends the structural offsets of `input` to `index` (which the caller has
/// cleared) and returns the offset of the first unescaped control character
/// inside a string, if any. Requires `input.len() < 2^32`.
pub(crate) fn index(input: &[u8], index: &mut Vec<u32>) -> Option<usize> {
    match backend() {
        Backend::Portable => generic::index_with::<portable::Portable>(input, index),
    }
}

#[cfg(test)]
mod tests {
    use super::generic::reference_index;
    use super::*;

    fn check(input: &[u8]) {
        let mut got = Vec::new();
        let control = index(input, &mut got);
        let (expected, expected_control) = reference_index(input);
        assert_eq!(
            got,
            expected,
            "index of {:?}",
            String::from_utf8_lossy(input)
        );
        assert_eq!(
            control,
            expected_control,
            "control of {:?}",
            String::from_utf8_lossy(input)
        );
    }

    #[test]
    fn indexes_tokens() {
        let mut got = Vec::new();
        index(br#"{"a": [1, true, "x\"]"], "b":null}"#, &mut got);
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
        let mut got = Vec::new();
        assert_eq!(index(b"[\"ab\tc\"]", &mut got), Some(4));
        assert_eq!(index(b"[\"ab\\\tc\"]", &mut got), Some(5));
        assert_eq!(index(b"[\n1]", &mut got), None);
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
