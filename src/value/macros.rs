//! The [`json!`](crate::json) macro.

/// Builds a [`Value`](crate::Value) from JSON-like syntax.
///
/// Keys are string literals or parenthesized expressions (anything that turns
/// into `Cow<str>`); values are `null`, nested arrays and objects, or any
/// expression that turns into a `Value` (numbers, booleans, strings, `Option`,
/// `Vec`, another `Value`).
///
/// ```
/// use jsontape::json;
/// let name = "Ada";
/// let value = json!({
///     "name": name,
///     "langs": ["en", "fr"],
///     "born": 1815,
///     "height": 1.65,
///     "retired": null,
///     ("computed" .to_string() + "_key"): [1, -2, { "nested": true }],
/// });
/// assert_eq!(value["langs"][1].as_str(), Some("fr"));
/// assert_eq!(value["computed_key"][2]["nested"].as_bool(), Some(true));
/// assert_eq!(value["born"].as_u64(), Some(1815));
/// assert!(value["retired"].is_null());
/// ```
#[macro_export]
macro_rules! json {
    (null) => {
        $crate::Value::Null
    };
    ([ $($elements:tt)* ]) => {
        $crate::Value::Array($crate::__json_array!(@elements [] $($elements)*))
    };
    ({ $($fields:tt)* }) => {{
        #[allow(unused_mut)]
        let mut object = $crate::Object::new();
        $crate::__json_object!(@field object $($fields)*);
        $crate::Value::Object(object)
    }};
    ($other:expr) => {
        $crate::Value::from($other)
    };
}

/// The elements of a [`json!`] array: munches one element (up to its comma)
/// at a time, accumulating the built values.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_array {
    (@elements [$($done:expr,)*]) => {
        $crate::__private::vec![$($done,)*]
    };
    (@elements [$($done:expr,)*] null $(, $($rest:tt)*)?) => {
        $crate::__json_array!(@elements [$($done,)* $crate::json!(null),] $($($rest)*)?)
    };
    (@elements [$($done:expr,)*] [$($array:tt)*] $(, $($rest:tt)*)?) => {
        $crate::__json_array!(@elements [$($done,)* $crate::json!([$($array)*]),] $($($rest)*)?)
    };
    (@elements [$($done:expr,)*] {$($object:tt)*} $(, $($rest:tt)*)?) => {
        $crate::__json_array!(@elements [$($done,)* $crate::json!({$($object)*}),] $($($rest)*)?)
    };
    (@elements [$($done:expr,)*] $next:expr $(, $($rest:tt)*)?) => {
        $crate::__json_array!(@elements [$($done,)* $crate::json!($next),] $($($rest)*)?)
    };
}

/// The fields of a [`json!`] object: munches a key, then its value (up to its
/// comma), inserting each field into the map named `$object`.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_object {
    (@field $object:ident) => {};
    (@field $object:ident $key:literal : $($rest:tt)+) => {
        $crate::__json_object!(@value $object ($key) $($rest)+)
    };
    (@field $object:ident ($key:expr) : $($rest:tt)+) => {
        $crate::__json_object!(@value $object ($key) $($rest)+)
    };
    (@value $object:ident ($key:expr) null $(, $($rest:tt)*)?) => {
        $crate::__json_object!(@insert $object ($key) ($crate::json!(null)) $($($rest)*)?)
    };
    (@value $object:ident ($key:expr) [$($array:tt)*] $(, $($rest:tt)*)?) => {
        $crate::__json_object!(@insert $object ($key) ($crate::json!([$($array)*])) $($($rest)*)?)
    };
    (@value $object:ident ($key:expr) {$($inner:tt)*} $(, $($rest:tt)*)?) => {
        $crate::__json_object!(@insert $object ($key) ($crate::json!({$($inner)*})) $($($rest)*)?)
    };
    (@value $object:ident ($key:expr) $value:expr $(, $($rest:tt)*)?) => {
        $crate::__json_object!(@insert $object ($key) ($crate::json!($value)) $($($rest)*)?)
    };
    (@insert $object:ident ($key:expr) ($value:expr) $($rest:tt)*) => {
        let _ = $object.insert($crate::__private::Cow::from($key), $value);
        $crate::__json_object!(@field $object $($rest)*);
    };
}
