//! JSONPath (RFC 9535) beyond the compliance test suite: error positions,
//! duplicate keys, documents and expressions built to exhaust the stack,
//! exact number comparison, normalized path escaping, slices, I-Regexp and
//! the type rules.

use jsontape::{JsonPath, Options, Parser, PathError};

/// The raw JSON of every node `expression` selects from `input`.
fn select(input: &str, expression: &str) -> Vec<String> {
    let doc = jsontape::parse(input).expect("test documents are valid");
    let path =
        JsonPath::parse(expression).unwrap_or_else(|e| panic!("{expression:?} should parse: {e}"));
    path.query(doc.root())
        .iter()
        .map(|v| v.raw_json().to_owned())
        .collect()
}

/// The normalized paths of the nodes `expression` selects from `input`.
fn paths(input: &str, expression: &str) -> Vec<String> {
    let doc = jsontape::parse(input).expect("test documents are valid");
    let path = JsonPath::parse(expression).expect("test expressions are valid");
    path.query_located(doc.root())
        .into_iter()
        .map(|(p, _)| p)
        .collect()
}

fn error(expression: &str) -> PathError {
    match JsonPath::parse(expression) {
        Ok(_) => panic!("{expression:?} should be rejected"),
        Err(e) => e,
    }
}

/// Runs `f` on a thread with a small stack (256 KiB), to prove it does not
/// recurse on the depth of its input.
fn with_small_stack(f: impl FnOnce() + Send + 'static) {
    with_stack(256 * 1024, f);
}

fn with_stack(bytes: usize, f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(bytes)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("the thread should not overflow its stack or panic");
}

#[test]
fn errors_have_offsets_and_messages() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "",
            0,
            "expected '$' at the start of a JSONPath query, found end of expression",
        ),
        (
            " $",
            0,
            "expected '$' at the start of a JSONPath query, found ' '",
        ),
        ("$ ", 1, "whitespace is not allowed at the end of a query"),
        (
            "$.",
            2,
            "expected a member name or '*' after '.', found end of expression",
        ),
        ("$. a", 2, "whitespace is not allowed after '.'"),
        ("$.. a", 3, "whitespace is not allowed after '..'"),
        (
            "$[]",
            2,
            "expected a selector (a name, '*', an index, a slice or a '?' filter), found ']'",
        ),
        ("$['a' 'b']", 6, "expected ',' or ']', found \"'\""),
        ("$[?(@.a]", 7, "expected ')', found ']'"),
        (
            "$[?@.a == 1",
            11,
            "expected ',' or ']', found end of expression",
        ),
        ("$[01]", 2, "leading zeros are not allowed in an index"),
        ("$[-0]", 2, "'-0' is not a valid index"),
        ("$[0:-0]", 4, "'-0' is not a valid index"),
        (
            "$[9007199254740992]",
            2,
            "index out of range (the limit is ±9007199254740991)",
        ),
        ("$['\\x']", 3, "invalid escape sequence '\\x'"),
        ("$['\\\"']", 3, "invalid escape sequence '\\\"'"),
        (
            "$['\\ud800']",
            3,
            "a high surrogate escape must be followed by a low surrogate escape",
        ),
        (
            "$['\\ud800\\u0041']",
            9,
            "a high surrogate escape must be followed by a low surrogate escape",
        ),
        (
            "$['\\udc00']",
            3,
            "a low surrogate escape without a high surrogate before it",
        ),
        (
            "$['\\u12']",
            3,
            "a \\u escape needs four hexadecimal digits",
        ),
        ("$['a", 2, "unterminated string literal"),
        (
            "$['\u{1}']",
            3,
            "control character U+0001 must be escaped in a string literal",
        ),
        (
            "$[?1]",
            3,
            "a literal must be compared; it is not a logical expression",
        ),
        ("$[?foo(@)]", 3, "unknown function 'foo'"),
        (
            "$[?count (@.*)==1]",
            8,
            "expected '(' right after the function name 'count'",
        ),
        (
            "$[?length(@.a, @.b) == 1]",
            3,
            "length() takes 1 argument, found 2",
        ),
        (
            "$[?count(1) == 1]",
            9,
            "argument 1 of count() must be a query",
        ),
        (
            "$[?count(@.*)]",
            3,
            "the value returned by count() must be compared; it is not a logical expression",
        ),
        (
            "$[?@.a == True]",
            10,
            "expected a query, a literal, a function call or '(', found 'T'",
        ),
        ("$[?@.a == 1.]", 12, "expected a digit after '.', found ']'"),
        (
            "$.a b",
            4,
            "expected '.', '[' or the end of the query, found 'b'",
        ),
    ];
    for &(expression, offset, message) in cases {
        let err = error(expression);
        assert_eq!(
            (err.offset(), err.message()),
            (offset, message),
            "for {expression:?}"
        );
        assert_eq!(err.to_string(), format!("{message} at offset {offset}"));
    }
    let err = error("$[?@.a == @.*]");
    assert_eq!(err.offset(), 10);
    assert!(err.message().contains("singular query"), "{err}");
    let err = error("$[?length(@.*) > 1]");
    assert_eq!(err.offset(), 10);
    assert!(err.message().starts_with("argument 1 of length()"), "{err}");
}

#[test]
fn path_error_is_a_std_error() {
    fn is_error<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
    let err = error("$[");
    is_error(&err);
    let boxed: Box<dyn std::error::Error> = Box::new(err.clone());
    assert_eq!(boxed.to_string(), err.to_string());
}

#[test]
fn json_path_is_send_sync_clone_and_displays_its_expression() {
    fn assert_traits<T: Send + Sync + Clone + std::fmt::Debug + std::fmt::Display>() {}
    assert_traits::<JsonPath>();
    let path: JsonPath = "$..a[?@ == 'xy']".parse().unwrap();
    assert_eq!(path.to_string(), "$..a[?@ == 'xy']");
    assert_eq!(path.as_str(), "$..a[?@ == 'xy']");
    assert_eq!(format!("{path:?}"), "JsonPath(\"$..a[?@ == 'xy']\")");
    let copy = path.clone();
    let doc = jsontape::parse(r#"{"a": ["xy", "yx"]}"#).unwrap();
    assert_eq!(copy.query(doc.root()).len(), 1);
}

#[test]
fn duplicate_keys_name_selects_the_last_others_see_all() {
    let input = r#"{"a": 1, "b": {"a": 10}, "a": 2}"#;
    // Name selectors: the last member, as `ValueRef::get`.
    assert_eq!(select(input, "$.a"), ["2"]);
    assert_eq!(select(input, "$['a']"), ["2"]);
    assert_eq!(paths(input, "$.a"), ["$['a']"]);
    // Wildcard: every member, in document order, duplicates included.
    assert_eq!(select(input, "$.*"), ["1", r#"{"a": 10}"#, "2"]);
    assert_eq!(paths(input, "$.*"), ["$['a']", "$['b']", "$['a']"]);
    // Descendants: every object, each giving its last `a`.
    assert_eq!(select(input, "$..a"), ["2", "10"]);
    assert_eq!(select(input, "$..*"), ["1", r#"{"a": 10}"#, "2", "10"]);
    // Filters visit every member.
    assert_eq!(select(input, "$[?@ == 1 || @ == 2]"), ["1", "2"]);
    // In filters, `@.a` is the last `a` too.
    let wrapped = format!("[{input}]");
    assert_eq!(select(&wrapped, "$[?@.a == 2]").len(), 1);
    assert!(select(&wrapped, "$[?@.a == 1]").is_empty());
    // Object equality: distinct names, last values.
    let eq = r#"[{"x": {"a": 1, "a": 2}, "y": {"a": 2}}, {"x": {"a": 1, "a": 2}, "y": {"a": 1}}]"#;
    assert_eq!(select(eq, "$[?@.x == @.y]").len(), 1);
    assert_eq!(select(eq, "$[?@.x != @.y].y"), [r#"{"a": 1}"#]);
    // length() counts members as stored, like `ValueRef::len`.
    assert_eq!(select(&wrapped, "$[?length(@) == 3]").len(), 1);
    assert_eq!(select(&wrapped, "$[?count(@.*) == 3]").len(), 1);
}

fn deep_array(depth: usize) -> String {
    let mut s = "[".repeat(depth);
    s.push_str(&"]".repeat(depth));
    s
}

#[test]
fn deep_documents_do_not_overflow_the_stack() {
    with_small_stack(|| {
        const DEPTH: usize = 10_000;
        let input = deep_array(DEPTH);
        let mut parser = Parser::with_options(Options::new().with_max_depth(20_000));
        let doc = parser.parse(&input).expect("parses with max_depth 20,000");
        let root = doc.root();

        let all = JsonPath::parse("$..*").unwrap().query(root);
        assert_eq!(all.len(), DEPTH - 1);
        // Document order: each node before its descendants.
        assert_eq!(all[0].raw_json().len(), 2 * (DEPTH - 1));
        assert_eq!(all[DEPTH - 2].raw_json(), "[]");

        let firsts = JsonPath::parse("$..[0]").unwrap().query(root);
        assert_eq!(firsts.len(), DEPTH - 1);

        let innermost = JsonPath::parse("$..[?length(@) == 0]").unwrap();
        let located = innermost.query_located(root);
        assert_eq!(located.len(), 1);
        assert_eq!(located[0].0, format!("${}", "[0]".repeat(DEPTH - 1)));

        let non_empty = JsonPath::parse("$..[?@[0]]").unwrap().query(root);
        assert_eq!(non_empty.len(), DEPTH - 2);

        // Deep equality of deep arrays, without recursion.
        let pair = format!("[{input}, {input}, [{input}]]");
        let doc = parser.parse(&pair).expect("parses");
        let equal = JsonPath::parse("$[?@ == $[0]]").unwrap().query(doc.root());
        assert_eq!(equal.len(), 2);
        let less = JsonPath::parse("$[?@ < $[0] || @ > $[0]]").unwrap();
        assert!(less.query(doc.root()).is_empty());
    });
}

#[test]
fn deep_objects_do_not_overflow_the_stack() {
    with_small_stack(|| {
        const DEPTH: usize = 10_000;
        let mut input = r#"{"k":"#.repeat(DEPTH);
        input.push('1');
        input.push_str(&"}".repeat(DEPTH));
        let mut parser = Parser::with_options(Options::new().with_max_depth(20_000));
        let doc = parser.parse(&input).expect("parses");
        let all = JsonPath::parse("$..k").unwrap().query(doc.root());
        assert_eq!(all.len(), DEPTH);
        assert_eq!(all[DEPTH - 1].raw_json(), "1");
        let ones = JsonPath::parse("$..[?@ == 1]").unwrap();
        let located = ones.query_located(doc.root());
        assert_eq!(located.len(), 1);
        assert_eq!(located[0].0, format!("${}", "['k']".repeat(DEPTH)));
    });
}

#[test]
fn hostile_expressions_are_rejected_or_handled_without_overflow() {
    // Half the default stack of a spawned thread: 64 levels of nesting fit
    // with room to spare even in a debug build.
    with_stack(1024 * 1024, || {
        // Deep parentheses: the filter is the first level, the 64th
        // parenthesis the 65th, rejected whatever follows.
        for depth in [64, 1_000, 100_000] {
            let expr = format!("$[?{}@.a{}]", "(".repeat(depth), ")".repeat(depth));
            let err = error(&expr);
            assert_eq!(err.offset(), 3 + 63, "depth {depth}");
            assert_eq!(err.message(), "expression nested deeper than 64 levels");
        }
        let ok = format!("$[?{}@.a{}]", "(".repeat(63), ")".repeat(63));
        assert!(JsonPath::parse(&ok).is_ok());
        // Negated parentheses.
        let expr = format!("$[?{}@.a{}]", "!(".repeat(10_000), ")".repeat(10_000));
        assert!(error(&expr).message().contains("nested deeper"));
        // Nested filters.
        let expr = format!("${}{}", "[?@".repeat(10_000), "]".repeat(10_000));
        assert!(error(&expr).message().contains("nested deeper"));
        // Nested function calls.
        let expr = format!(
            "$[?{}@{} == 1]",
            "length(value(".repeat(1_000),
            "))".repeat(1_000)
        );
        assert!(error(&expr).message().contains("nested deeper"));
        // Unclosed, deeply.
        assert!(JsonPath::parse(&"$[?(".repeat(100_000)).is_err());
        assert!(JsonPath::parse(&"$[".repeat(100_000)).is_err());

        // Long but flat expressions are fine: they are parsed with loops.
        let doc = jsontape::parse(r#"{"a": {"a": 1}}"#).unwrap();
        let long = format!("${}", ".a".repeat(100_000));
        assert!(JsonPath::parse(&long).unwrap().query(doc.root()).is_empty());
        let chain = format!("$[?{}]", vec!["@ == 1"; 10_000].join(" || "));
        assert_eq!(JsonPath::parse(&chain).unwrap().query(doc.root()).len(), 0);
        let chain = format!("$.*[?{}]", vec!["@ == 1"; 10_000].join(" && "));
        assert_eq!(JsonPath::parse(&chain).unwrap().query(doc.root()).len(), 1);
        let selectors = format!("$[{}]", vec!["'a'"; 10_000].join(","));
        assert_eq!(
            JsonPath::parse(&selectors).unwrap().query(doc.root()).len(),
            10_000
        );
    });
}

#[test]
fn garbage_never_panics() {
    let pieces = [
        "$", "@", ".", "..", "[", "]", "(", ")", "?", "*", ",", ":", "'", "\"", "\\", "!", "=",
        "<", ">", "&&", "||", "a", "0", "-", "1e", "length(", "match(", "count(", "value(", " ",
        "\u{e9}", "\u{1}", "true", "null",
    ];
    let doc = jsontape::parse(r#"{"a": [1, "x", {"b": null}], "c": {"a": 2}}"#).unwrap();
    // A deterministic walk over combinations.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..20_000 {
        let mut expr = String::from("$");
        let len = (state % 12) as usize;
        for _ in 0..len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            expr.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        state = state.wrapping_add(1);
        if let Ok(path) = JsonPath::parse(&expr) {
            let _ = path.query(doc.root());
            let _ = path.query_located(doc.root());
        } else if let Err(e) = JsonPath::parse(&expr) {
            assert!(e.offset() <= expr.len(), "{expr:?}: {e}");
        }
    }
}

#[test]
fn numbers_compare_by_exact_value() {
    let input = r#"[1, 1.0, 1e0, 2, 9007199254740993, 9007199254740992.0,
        18446744073709551615, 18446744073709551616, -9223372036854775808,
        -0.0, 0, 0.5, 1e300, 100000000000000000000, "1"]"#;
    assert_eq!(select(input, "$[?@ == 1]"), ["1", "1.0", "1e0"]);
    assert_eq!(select(input, "$[?@ == 1.0]"), ["1", "1.0", "1e0"]);
    assert_eq!(select(input, "$[?@ == 10E-1]"), ["1", "1.0", "1e0"]);
    // 2^53 + 1 is an exact integer; it is not equal to the float 2^53.
    assert_eq!(
        select(input, "$[?@ == 9007199254740992]"),
        ["9007199254740992.0"]
    );
    assert_eq!(
        select(input, "$[?@ == 9007199254740993]"),
        ["9007199254740993"]
    );
    assert_eq!(
        select(input, "$[?@ > 9007199254740992.0 && @ < 1e20]"),
        [
            "9007199254740993",
            "18446744073709551615",
            "18446744073709551616"
        ]
    );
    // u64::MAX versus 2^64 (which only exists as a float).
    assert_eq!(
        select(input, "$[?@ == 18446744073709551615]"),
        ["18446744073709551615"]
    );
    assert_eq!(
        select(input, "$[?@ == 18446744073709551616]"),
        ["18446744073709551616"]
    );
    assert_eq!(
        select(
            input,
            "$[?@ < 18446744073709551616 && @ > 18446744073709551614]"
        ),
        ["18446744073709551615"]
    );
    assert_eq!(
        select(input, "$[?@ == -9223372036854775808]"),
        ["-9223372036854775808"]
    );
    assert_eq!(
        select(input, "$[?@ < -9223372036854775807]"),
        ["-9223372036854775808"]
    );
    // Zero has one value.
    assert_eq!(select(input, "$[?@ == 0]"), ["-0.0", "0"]);
    assert_eq!(select(input, "$[?@ == -0]"), ["-0.0", "0"]);
    assert_eq!(select(input, "$[?@ == -0.0e5]"), ["-0.0", "0"]);
    // Literals beyond every integer type and beyond f64.
    assert_eq!(
        select(input, "$[?@ == 100000000000000000000]"),
        ["100000000000000000000"]
    );
    assert_eq!(select(input, "$[?@ == 1e20]"), ["100000000000000000000"]);
    assert_eq!(select(input, "$[?@ > 1e299]"), ["1e300"]);
    assert!(select(input, "$[?@ > 1e400]").is_empty());
    assert_eq!(select(input, "$[?@ < 1e400]").len(), 14);
    assert_eq!(select(input, "$[?@ < -1e400]").len(), 0);
    // Numbers and strings never compare.
    assert_eq!(select(input, "$[?@ == '1']"), [r#""1""#]);
    assert!(select(input, "$[?@ < '2']").contains(&r#""1""#.to_owned()));
    assert_eq!(select(input, "$[?@ < '2']").len(), 1);
    // length() and count() are integers too.
    assert_eq!(
        select(r#"["ab", "abc"]"#, "$[?length(@) == 2.0]"),
        [r#""ab""#]
    );
}

#[test]
fn comparisons_follow_the_rfc() {
    let input = r#"{"a": null, "b": [1, {"c": true}], "d": {"e": [1, 2]}, "s": "é", "t": "z"}"#;
    // Nothing == Nothing, and Nothing <= Nothing, but not Nothing < Nothing.
    assert_eq!(select(input, "$[?$.x == $.y]").len(), 5);
    assert_eq!(select(input, "$[?$.x <= $.y]").len(), 5);
    assert!(select(input, "$[?$.x < $.y]").is_empty());
    // null is a value, not Nothing.
    assert!(select(input, "$[?$.a == $.x]").is_empty());
    assert_eq!(select(input, "$[?$.a == null]").len(), 5);
    // Deep equality.
    assert_eq!(select(input, r#"$[?@ == $.b]"#), [r#"[1, {"c": true}]"#]);
    assert_eq!(select(input, "$[?@.e == $.d.e]"), [r#"{"e": [1, 2]}"#]);
    assert!(select(input, "$[?@.e == $.b]").is_empty());
    // Strings by code point: "z" (U+007A) < "é" (U+00E9).
    assert_eq!(select(input, "$[?@ > 'z']"), [r#""é""#]);
    assert_eq!(select(input, "$[?@ >= 'z']"), [r#""é""#, r#""z""#]);
    // Booleans, null, arrays: only == and !=.
    assert!(select(input, "$[?@ < true || @ > null || @ < $.b]").is_empty());
    assert_eq!(select(input, "$[?@ <= null]"), ["null"]);
}

#[test]
fn normalized_paths_escape_names() {
    let input = r#"{"it's": 1, "back\\slash": 2, "ctl\u0000\u0007\b\f\n\r\t\u001f": 3,
        "del\u007f": 4, "é😀": 5, "\"": 6, "[0]": 7, "": 8}"#;
    assert_eq!(
        paths(input, "$.*"),
        [
            r"$['it\'s']",
            r"$['back\\slash']",
            r"$['ctl\u0000\u0007\b\f\n\r\t\u001f']",
            "$['del\u{7f}']",
            "$['é😀']",
            "$['\"']",
            "$['[0]']",
            "$['']",
        ]
    );
    // Each path is a valid query that selects its node.
    let doc = jsontape::parse(input).unwrap();
    for (path, node) in JsonPath::parse("$.*").unwrap().query_located(doc.root()) {
        let again = JsonPath::parse(&path).expect("normalized paths parse");
        let found = again.query(doc.root());
        assert_eq!(found.len(), 1, "{path}");
        assert_eq!(found[0].raw_json(), node.raw_json());
    }
    assert_eq!(
        paths("[[0, [1]]]", "$..*"),
        ["$[0]", "$[0][0]", "$[0][1]", "$[0][1][0]"]
    );
    assert_eq!(paths("[1, 2, 3]", "$[-1]"), ["$[2]"]);
    assert_eq!(paths("[1, 2, 3]", "$[::-1]"), ["$[2]", "$[1]", "$[0]"]);
    assert_eq!(paths("{}", "$"), ["$"]);
}

#[test]
fn name_selectors_unescape() {
    let input = r#"{"a'b": 1, "a\"b": 2, "😀": 3, "\u0001": 4, "a/b": 5, "\\": 6}"#;
    assert_eq!(select(input, r#"$['a\'b']"#), ["1"]);
    assert_eq!(select(input, r#"$["a'b"]"#), ["1"]);
    assert_eq!(select(input, r#"$["a\"b"]"#), ["2"]);
    assert_eq!(select(input, r#"$['a"b']"#), ["2"]);
    assert_eq!(select(input, r#"$['\ud83d\ude00']"#), ["3"]);
    assert_eq!(select(input, r#"$['\uD83D\uDE00']"#), ["3"]);
    assert_eq!(select(input, "$.😀"), ["3"]);
    assert_eq!(select(input, r#"$['\u0001']"#), ["4"]);
    assert_eq!(select(input, r#"$['a\/b']"#), ["5"]);
    assert_eq!(select(input, r#"$['\\']"#), ["6"]);
}

#[test]
fn slices_follow_the_rfc() {
    let input = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]";
    let cases: &[(&str, &[&str])] = &[
        ("$[1:3]", &["1", "2"]),
        ("$[:2]", &["0", "1"]),
        ("$[8:]", &["8", "9"]),
        ("$[::3]", &["0", "3", "6", "9"]),
        ("$[-2:]", &["8", "9"]),
        ("$[:-8]", &["0", "1"]),
        (
            "$[::-1]",
            &["9", "8", "7", "6", "5", "4", "3", "2", "1", "0"],
        ),
        ("$[::-4]", &["9", "5", "1"]),
        ("$[5:1:-2]", &["5", "3"]),
        ("$[-1:-4:-1]", &["9", "8", "7"]),
        ("$[1:5:0]", &[]),
        ("$[3:3]", &[]),
        ("$[5:1]", &[]),
        ("$[1:5:-1]", &[]),
        ("$[-100:2]", &["0", "1"]),
        ("$[8:100]", &["8", "9"]),
        ("$[100:]", &[]),
        (
            "$[:-100:-1]",
            &["9", "8", "7", "6", "5", "4", "3", "2", "1", "0"],
        ),
        ("$[9007199254740991:]", &[]),
        (
            "$[-9007199254740991:]",
            &["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        ),
        ("$[::9007199254740991]", &["0"]),
        ("$[::-9007199254740991]", &["9"]),
        ("$[ 1 : 3 : 1 ]", &["1", "2"]),
        ("$[0:2, 8:, -1]", &["0", "1", "8", "9", "9"]),
        ("$[-1, -10, -11, 10]", &["9", "0"]),
    ];
    for &(expression, expected) in cases {
        assert_eq!(select(input, expression), expected, "{expression}");
    }
    assert!(select("{\"a\": 1}", "$[0:1]").is_empty());
    assert!(select("[]", "$[::-1]").is_empty());
}

#[test]
fn descendants_are_in_document_order() {
    let input = r#"{"a": [{"b": 1}, {"b": 2, "c": {"b": 3}}], "b": 4}"#;
    assert_eq!(select(input, "$..b"), ["4", "1", "2", "3"]);
    assert_eq!(
        paths(input, "$..b"),
        [
            "$['b']",
            "$['a'][0]['b']",
            "$['a'][1]['b']",
            "$['a'][1]['c']['b']"
        ]
    );
    assert_eq!(select(input, "$..[?@.b > 1].b"), ["2", "3"]);
    assert_eq!(
        select("[[1, 2], [3]]", "$..[0, 1]"),
        ["[1, 2]", "[3]", "1", "2", "3"]
    );
}

#[test]
fn queries_start_at_the_value_given() {
    let doc = jsontape::parse(r#"{"x": {"a": 1, "b": [2, 1]}}"#).unwrap();
    let x = doc.root().get("x").unwrap();
    // `$` is the value passed to `query`, in filters too.
    let path = JsonPath::parse("$.b[?@ == $.a]").unwrap();
    assert_eq!(path.query(x).len(), 1);
    assert_eq!(path.query_located(x)[0].0, "$['b'][1]");
}

#[test]
fn absolute_queries_in_filters() {
    let input = r#"{"limit": 2, "items": [1, 2, 3], "names": ["a", "b"], "pick": ["b"]}"#;
    assert_eq!(select(input, "$.items[?@ > $.limit]"), ["3"]);
    assert_eq!(select(input, "$.items[?count($.names[*]) == @]"), ["2"]);
    assert_eq!(select(input, "$.names[?@ == value($.pick[*])]"), [r#""b""#]);
    assert_eq!(select(input, "$.items[?$..zzz]"), Vec::<String>::new());
}

#[test]
fn functions() {
    let input = r#"[{"a": "abc", "n": [1, 2]}, {"a": "é😀"}, {"a": 3}, {"a": "ab\ncd"}]"#;
    assert_eq!(select(input, "$[?length(@.a) == 3].a"), [r#""abc""#]);
    assert_eq!(select(input, "$[?length(@.a) == 2].a"), [r#""é😀""#]);
    assert_eq!(select(input, "$[?length(@.n) == 2].n"), ["[1, 2]"]);
    assert!(select(input, "$[?length(@.a) == 1]").is_empty());
    assert_eq!(select(input, "$[?count(@.*) == 2].a"), [r#""abc""#]);
    assert_eq!(select(input, "$[?count(@..*) == 4].a"), [r#""abc""#]);
    assert_eq!(select(input, "$[?value(@.n[0]) == 1].a"), [r#""abc""#]);
    assert_eq!(select(input, "$[?value(@.n[*]) == 1]").len(), 0);
    assert_eq!(select(input, "$[?length(value(@.n)) == 2].a"), [r#""abc""#]);
}

#[cfg(feature = "std")]
#[test]
fn match_and_search_use_i_regexp() {
    let input = r#"["abc", "ABC", "a.c", "a\nc", "xabcx", "é", "a&b", "a-b", "^ab", "(", 1, null]"#;
    assert_eq!(
        select(input, "$[?match(@, 'a.c')]"),
        [r#""abc""#, r#""a.c""#]
    );
    assert_eq!(select(input, "$[?match(@, 'a\\\\.c')]"), [r#""a.c""#]);
    assert_eq!(
        select(input, "$[?search(@, 'a.c')]"),
        [r#""abc""#, r#""a.c""#, r#""xabcx""#]
    );
    assert_eq!(select(input, "$[?match(@, '\\\\p{Lu}+')]"), [r#""ABC""#]);
    assert_eq!(select(input, "$[?match(@, '\\\\p{Ll}')]"), [r#""é""#]);
    // Class syntax of the `regex` crate does not leak in: `&&` is literal.
    assert_eq!(select(input, "$[?match(@, 'a[&&]b')]"), [r#""a&b""#]);
    assert_eq!(select(input, "$[?match(@, 'a[x-]b')]"), [r#""a-b""#]);
    // `^` and `$` are anchors, as the RFC 9485 section 5 translation leaves them.
    assert_eq!(select(input, "$[?search(@, '^ab')]"), [r#""abc""#]);
    assert_eq!(select(input, "$[?match(@, '\\\\^ab')]"), [r#""^ab""#]);
    // Not an I-Regexp: false, not a parse error.
    for pattern in [
        "(", "a{2", "\\\\d", "(?i)abc", "a*?", "[]", "(?=a)", "\\\\1", "\\\\w+",
    ] {
        let expr = format!("$[?match(@, '{pattern}')]");
        assert!(select(input, &expr).is_empty(), "{expr}");
        let expr = format!("$[?!search(@, '{pattern}')]");
        assert_eq!(select(input, &expr).len(), 12, "{expr}");
    }
    // Patterns from the document, valid or not.
    let dynamic = r#"{"p": ["a.c", "(", "\\d", "[a-c]+"], "s": "abc"}"#;
    assert_eq!(
        select(dynamic, "$.p[?match($.s, @)]"),
        [r#""a.c""#, r#""[a-c]+""#]
    );
    // match() and search() are logical, not values.
    let err = error("$[?match(@, 'a') == true]");
    assert_eq!(err.offset(), 3);
    assert_eq!(
        err.message(),
        "a comparison operand cannot be match(), which returns a logical value"
    );
    // A pattern too large to compile is false too.
    assert!(select(input, "$[?match(@, '((a{1000}){1000}){1000}')]").is_empty());
}

#[cfg(not(feature = "std"))]
#[test]
fn match_and_search_need_std() {
    let err = error("$[?match(@, 'a')]");
    assert_eq!(err.offset(), 3);
    assert!(err.message().contains("std"), "{err}");
}

#[test]
fn type_rules() {
    let valid = [
        "$[?@.a]",
        "$[?!@.a]",
        "$[?@.*]",
        "$[?@..a]",
        "$[?@ == 1]",
        "$[?1 == 1]",
        "$[?@[0] == @['a']]",
        "$[?$.a == @[-1]]",
        "$[?length(@) == 1]",
        "$[?length('abc') == 3]",
        "$[?length(value(@.*)) == 3]",
        "$[?count(@..*) > 0]",
        "$[?value(@..a) == 'x']",
        "$[?count($) == 1]",
        "$[?(@.a == 1) && !(@.b)]",
        "$[?@ .a == @ ['b'] [0]]",
    ];
    for expression in valid {
        assert!(JsonPath::parse(expression).is_ok(), "{expression}");
    }
    let invalid = [
        "$[?1]",
        "$[?'a']",
        "$[?null]",
        "$[?!true]",
        "$[?@.* == 1]",
        "$[?@..a == 1]",
        "$[?@[0, 1] == 1]",
        "$[?@[0:1] == 1]",
        "$[?@[?@] == 1]",
        "$[?length(@)]",
        "$[?length(@.*) == 1]",
        "$[?length(@.a == 1) == 1]",
        "$[?count(@.a == 1) == 1]",
        "$[?count('a') == 1]",
        "$[?value(1) == 1]",
        "$[?count(@) == count(@) == 1]",
        "$[?(@.a) == 1]",
        "$[?!!@.a]",
        "$[?length() == 1]",
        "$[?@.a == 1 == 1]",
        "$[?LENGTH(@) == 1]",
        "$[?@.a == -01]",
        "$[?@.a == +1]",
        "$[?@.a == 1.e1]",
        "$[?@.a == 'a' 'b']",
    ];
    for expression in invalid {
        assert!(JsonPath::parse(expression).is_err(), "{expression}");
    }
}

#[test]
fn whitespace_rules() {
    // Blank space (space, tab, LF, CR) may go between segments, inside
    // brackets and around operators.
    for expression in [
        "$ .a",
        "$ ..a",
        "$\t['a']",
        "$[ 'a' , 'b' ]",
        "$[?@.a\n==\r1]",
        "$[ ?@ ]",
        "$..a .b",
        // U+00A0 is not blank space; like every non-ASCII character it may
        // be part of a member name.
        "$.a\u{a0}",
    ] {
        assert!(JsonPath::parse(expression).is_ok(), "{expression:?}");
    }
    for expression in [
        " $",
        "$ ",
        "$. a",
        "$.. a",
        "$[?length (@) == 1]",
        "$\u{a0}.a",
        "$.a\u{b}",
    ] {
        assert!(JsonPath::parse(expression).is_err(), "{expression:?}");
    }
}

/// `query_input` selects the same values, at the same places, as parsing and
/// `query`: on the on-demand walk (simple paths) and the parsed fallback
/// alike, with duplicate keys, escaped keys and values around block
/// boundaries.
#[test]
fn query_input_agrees_with_query() {
    let documents = [
        r#"{"a": {"b": [1, {"c": 2}, [3]]}, "a": {"b": [4, {"c": 5}]}, "d": [{"c": 6}, {"c": 7, "c": 8}]}"#,
        r#"[{"x": "y"}, {"x": [1, 2, {"x": 3}]}, 4, {"e\u0073c": "aped", "x": null}]"#,
        r#"{"statuses": [{"user": {"screen_name": "a", "id": 1}}, {"user": {"screen_name": "b\"}", "screen_name": "c"}}]}"#,
        r#"{"*": {"0": "zero"}, "": {"": ["empty"]}}"#,
    ];
    let expressions = [
        "$",
        "$.a",
        "$.a.b",
        "$.a.b[1]",
        "$.a.b[*]",
        "$.a.b[*].c",
        "$.*",
        "$.*.*",
        "$.d[*].c",
        "$[*].x",
        "$[*].x[*]",
        "$[3].esc",
        "$.statuses[*].user.screen_name",
        "$['*']['0']",
        "$[''][''][0]",
        "$[0]",
        "$[5]",
        "$.a.b[-1]",
        "$..c",
        "$.d[?@.c > 6].c",
        "$.a.b[0:2]",
    ];
    for pad in [0, 50, 60, 61, 62, 63, 64, 120, 125] {
        for document in documents {
            let input = format!("{}{document}", " ".repeat(pad));
            let doc = jsontape::parse(&input).unwrap();
            for expression in expressions {
                let path = JsonPath::parse(expression).unwrap();
                let expected: Vec<usize> = path
                    .query(doc.root())
                    .iter()
                    .map(|v| v.raw_json().as_ptr() as usize - input.as_ptr() as usize)
                    .collect();
                let found = path.query_input(&input).unwrap();
                let offsets: Vec<usize> = found.iter().map(|v| v.offset()).collect();
                assert_eq!(offsets, expected, "{expression} on {input}");
                for (value, node) in found.iter().zip(path.query(doc.root())) {
                    assert_eq!(value.raw_json(), node.raw_json(), "{expression}");
                }
            }
        }
    }
}

/// `query_input` on malformed input: an error, never a panic, on the walk
/// and on the parsed fallback.
#[test]
fn query_input_rejects_malformed_input() {
    let simple = JsonPath::parse("$.a[*].b").unwrap();
    let complex = JsonPath::parse("$..b").unwrap();
    for input in [
        r#"{"a": [{"b": 1}"#,
        r#"{"a": [{"b": }]}"#,
        r#"{"a": [{"b": "x]}"#,
        r#"{"a": [{"b": 1}}"#,
        "",
        "[}",
    ] {
        assert!(simple.query_input(input).is_err(), "{input}");
        assert!(complex.query_input(input).is_err(), "{input}");
    }
    // Members a name is not looking for are skipped, not read: the missing
    // colon is not seen by the walk, while the parsed fallback rejects it.
    let lenient = r#"{"a": [{"x" 1, "b": 2}]}"#;
    let found = simple.query_input(lenient).unwrap();
    assert_eq!(
        found.iter().map(|v| v.raw_json()).collect::<Vec<_>>(),
        ["2"]
    );
    assert!(complex.query_input(lenient).is_err());
    // Scalars that end at the very end of the input, whole and cut short.
    let root = JsonPath::parse("$").unwrap();
    for input in ["12", "-1.5e3", "true", "\"x\""] {
        let found = root.query_input(input).unwrap();
        assert_eq!(
            found.iter().map(|v| v.raw_json()).collect::<Vec<_>>(),
            [input]
        );
    }
    // Structure cut short is an error with its kind and position.
    for (input, kind, offset) in [
        ("\"x", jsontape::ErrorKind::UnterminatedString, 0),
        ("[1", jsontape::ErrorKind::UnexpectedEnd, 2),
        ("{\"a\":", jsontape::ErrorKind::UnexpectedEnd, 5),
    ] {
        let e = root.query_input(input).unwrap_err();
        assert_eq!((e.kind(), e.offset()), (kind, offset), "{input}");
    }
    // A scalar cut short is found by its extent, as `get` finds it; its own
    // text is validated by the accessors (documented on `jsontape::get`).
    for input in ["tru", "-"] {
        let found = root.query_input(input).unwrap();
        assert_eq!(found.len(), 1, "{input}");
        assert_eq!(found[0].raw_json(), input);
        assert!(found[0].as_bool().is_none() && found[0].as_f64().is_none());
        assert!(found[0].parse().is_err(), "{input}");
    }
}
