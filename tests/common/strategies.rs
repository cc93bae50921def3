//! Proptest strategies for arbitrary JSON values (serde_json's) and the
//! documents serde_json prints from them, shared by tests/properties.rs and
//! tests/value.rs.

use proptest::prelude::*;
use proptest::strategy::Union;
use serde_json::{Number, Value};

/// The property tests' configuration: proptest's default case count (256, or
/// `PROPTEST_CASES`), and no regression files written into the repository.
pub fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Characters biased toward what is hard for a JSON string scanner.
pub fn json_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>(),
        2 => proptest::char::range('\u{20}', '\u{7e}'),
        2 => proptest::char::range('\u{0}', '\u{1f}'),
        2 => prop::sample::select(vec!['"', '\\', '/', '\u{7f}', '\u{80}', '\u{2028}', '\u{2029}', '\u{feff}', '\u{fffd}', '\u{ffff}']),
        1 => proptest::char::range('\u{800}', '\u{d7ff}'),
        1 => proptest::char::range('\u{10000}', '\u{10ffff}'),
    ]
}

/// Strings of those characters, sometimes long enough to cross stage 1's
/// 64-byte blocks.
pub fn json_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::collection::vec(json_char(), 0..12).prop_map(|c| c.into_iter().collect()),
        // Long enough to cross the 64-byte blocks of stage 1.
        1 => prop::collection::vec(json_char(), 50..150).prop_map(|c| c.into_iter().collect()),
    ]
}

/// Finite f64s: anything, plus subnormals, extremes and signed zeros.
pub fn json_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => any::<f64>().prop_filter("finite", |f| f.is_finite()),
        1 => (1u64..(1u64 << 52)).prop_map(f64::from_bits), // subnormal
        1 => prop::sample::select(vec![
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            f64::from_bits(1),
            -f64::from_bits(1),
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
            1e300,
            -1e-300,
            9007199254740993.0,
            18446744073709551616.0,
            -9223372036854775808.0,
            1.0,
            0.1,
            2.5e-308,
        ]),
        1 => -1e6f64..1e6f64,
        1 => (any::<i32>(), -40i32..40).prop_map(|(m, e)| m as f64 * 10f64.powi(e)),
    ]
}

/// Scalars of every kind, numbers at the edges of `u64`/`i64`.
pub fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => any::<i64>().prop_map(|i| Value::Number(i.into())),
        2 => any::<u64>().prop_map(|u| Value::Number(u.into())),
        1 => prop::sample::select(vec![0u64, 1, u64::MAX, i64::MAX as u64, i64::MAX as u64 + 1])
            .prop_map(|u| Value::Number(u.into())),
        1 => prop::sample::select(vec![i64::MIN, -1, i64::MIN + 1]).prop_map(|i| Value::Number(i.into())),
        3 => json_f64().prop_map(|f| Value::Number(Number::from_f64(f).unwrap())),
        3 => json_string().prop_map(Value::String),
    ]
}

/// Arbitrary JSON values nested at most 5 deep.
pub fn json_value() -> impl Strategy<Value = Value> {
    json_tree(5, 64, 8, false)
}

/// Arbitrary JSON values nested at most 5 deep (4 levels of containers),
/// objects up to 40 fields (so both the vector and the hash-table
/// representations of jsontape's `Value` objects occur).
pub fn json_value_with_large_objects() -> impl Strategy<Value = Value> {
    json_tree(4, 48, 6, true)
}

/// Leaves, arrays and objects of up to 8 elements, with the given
/// `prop_recursive` limits; with `large_objects`, also objects of 30 to 40
/// fields with short keys (in weight 2 to the arrays' 4 and the small
/// objects' 4).
fn json_tree(
    depth: u32,
    desired_size: u32,
    expected_branch_size: u32,
    large_objects: bool,
) -> impl Strategy<Value = Value> {
    let short_key = prop::collection::vec(json_char(), 0..6)
        .prop_map(String::from_iter)
        .boxed();
    json_leaf().prop_recursive(depth, desired_size, expected_branch_size, move |inner| {
        let mut arms = vec![
            (
                4,
                prop::collection::vec(inner.clone(), 0..8)
                    .prop_map(Value::Array)
                    .boxed(),
            ),
            (
                4,
                prop::collection::vec((json_string(), inner), 0..8)
                    .prop_map(|fields| Value::Object(fields.into_iter().collect()))
                    .boxed(),
            ),
        ];
        if large_objects {
            let large = prop::collection::vec((short_key.clone(), json_leaf()), 30..40)
                .prop_map(|fields| Value::Object(fields.into_iter().collect()));
            arms.push((2, large.boxed()));
        }
        Union::new_weighted(arms)
    })
}

/// JSON whitespace, usually none, sometimes long enough to move the rest of
/// the document across stage 1's 64-byte block boundaries.
pub fn whitespace() -> impl Strategy<Value = String> {
    let ws = prop::sample::select(vec![' ', '\t', '\n', '\r']);
    prop_oneof![
        2 => Just(String::new()),
        1 => prop::collection::vec(ws.clone(), 1..4).prop_map(|c| c.into_iter().collect()),
        1 => prop::collection::vec(ws, 0..130).prop_map(|c| c.into_iter().collect()),
    ]
}

/// A valid document: a value of [`json_value`] printed by serde_json, compact
/// or pretty, sometimes with surrounding whitespace.
pub fn json_document() -> impl Strategy<Value = String> {
    json_document_of(json_value())
}

/// A valid document: a value of `values` printed by serde_json, compact or
/// pretty, sometimes with surrounding whitespace.
pub fn json_document_of(values: impl Strategy<Value = Value>) -> impl Strategy<Value = String> {
    (values, any::<bool>(), whitespace(), whitespace()).prop_map(
        |(value, pretty, before, after)| {
            let text = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            format!("{before}{text}{after}")
        },
    )
}
