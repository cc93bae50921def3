//! The root's element count (elements of an array, fields of an object, 0
//! for other values) in each peer's representation: the figure benchmarks
//! check every contender against before timing, so that a parser that did
//! less cannot win.

use sonic_rs::JsonContainerTrait;

/// For a sonic-rs `Value`.
pub fn sonic_len(v: &sonic_rs::Value) -> usize {
    v.as_array()
        .map(|a| a.len())
        .or(v.as_object().map(|o| o.len()))
        .unwrap_or(0)
}

/// For a serde_json `Value`.
pub fn serde_len(v: &serde_json::Value) -> usize {
    v.as_array()
        .map(Vec::len)
        .or(v.as_object().map(|o| o.len()))
        .unwrap_or(0)
}

/// For a simd-json tape.
pub fn simd_json_tape_len(tape: &simd_json::Tape<'_>) -> usize {
    let root = tape.as_value();
    root.as_array()
        .map(|a| a.len())
        .or(root.as_object().map(|o| o.len()))
        .unwrap_or(0)
}
