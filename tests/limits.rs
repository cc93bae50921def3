//! Resource limits: the depth limit, and very deep or very long inputs that
//! must neither overflow the stack nor crash.
//!
//! Every test runs on the default 2 MiB test-thread stack, so a parse (or a
//! `Display` / `raw_json`) that recursed on input depth would overflow it at
//! these depths: passing proves there is no recursion.

use jsontape::{ErrorKind, Options, Parser};

/// `n` copies of `open` followed by `close` once and `end` `n` times.
fn nested(open: &[u8], n: usize, middle: &[u8], end: u8) -> Vec<u8> {
    let mut input = Vec::with_capacity(n * (open.len() + 1) + middle.len());
    for _ in 0..n {
        input.extend_from_slice(open);
    }
    input.extend_from_slice(middle);
    input.extend(std::iter::repeat_n(end, n));
    input
}

#[test]
fn ten_million_open_brackets_stop_at_the_default_depth_limit() {
    let input = vec![b'['; 10_000_000];
    let err = jsontape::parse(&input).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DepthLimitExceeded);
    // Depth 1024 is allowed; the 1025th `[` (offset 1024) is the error.
    assert_eq!(err.offset(), 1024);
    assert_eq!((err.line(), err.column()), (1, 1025));
    assert_eq!(
        err.to_string(),
        "nesting deeper than the maximum depth at line 1 column 1025"
    );
}

#[test]
fn default_depth_limit_is_exactly_1024() {
    let ok = nested(b"[", 1024, b"", b']');
    let doc = jsontape::parse(&ok).unwrap();
    assert_eq!(doc.root().raw_json().len(), 2048);

    let too_deep = nested(b"[", 1025, b"", b']');
    let err = jsontape::parse(&too_deep).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (ErrorKind::DepthLimitExceeded, 1024)
    );

    // Objects count towards the same limit: 1024 arrays plus one object is too deep.
    let mut mixed = vec![b'['; 1024];
    mixed.extend_from_slice(b"{}");
    mixed.extend(std::iter::repeat_n(b']', 1024));
    let err = jsontape::parse(&mixed).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (ErrorKind::DepthLimitExceeded, 1024)
    );
}

#[test]
fn a_thousand_nested_arrays_parse() {
    let input = nested(b"[", 1000, b"", b']');
    let doc = jsontape::parse(&input).unwrap();
    let root = doc.root();
    assert_eq!(root.len(), 1);
    assert_eq!(root.raw_json().as_bytes(), &input[..]);
    assert_eq!(root.to_string().as_bytes(), &input[..]);
    // Walk down to the innermost array without recursion.
    let mut value = root;
    for _ in 1..1000 {
        value = value.at(0).unwrap();
    }
    assert!(value.is_empty());
    assert_eq!(value.raw_json(), "[]");
}

#[test]
fn half_a_million_nested_arrays_parse_and_print_without_recursion() {
    const DEPTH: usize = 500_000;
    let input = nested(b"[", DEPTH, b"", b']');
    let mut parser = Parser::with_options(Options::new().with_max_depth(1_000_000));
    let doc = parser.parse(&input).unwrap();
    let root = doc.root();
    assert_eq!(root.len(), 1);
    assert_eq!(root.raw_json().len(), 2 * DEPTH);
    assert_eq!(root.raw_json().as_bytes(), &input[..]);
    let printed = root.to_string();
    assert_eq!(printed.len(), 2 * DEPTH);
    assert_eq!(printed.as_bytes(), &input[..]);
    // An inner value prints as its own subtree.
    let inner = root.at(0).and_then(|v| v.at(0)).unwrap();
    assert_eq!(inner.raw_json().len(), 2 * (DEPTH - 2));
    assert_eq!(inner.to_string().len(), 2 * (DEPTH - 2));
    drop(doc);

    // One level less than the depth limit still parses; one more fails.
    let mut parser = Parser::with_options(Options::new().with_max_depth(DEPTH));
    assert!(parser.parse(&input).is_ok());
    let mut parser = Parser::with_options(Options::new().with_max_depth(DEPTH - 1));
    let err = parser.parse(&input).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (ErrorKind::DepthLimitExceeded, DEPTH - 1)
    );
}

#[test]
fn ten_million_unclosed_brackets_under_a_huge_limit_end_unexpectedly() {
    let input = vec![b'['; 10_000_000];
    let mut parser = Parser::with_options(Options::new().with_max_depth(100_000_000));
    let err = parser.parse(&input).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedEnd);
    assert_eq!(err.offset(), input.len());
    assert_eq!((err.line(), err.column()), (1, input.len() + 1));
    assert_eq!(
        err.to_string(),
        "unexpected end of input at line 1 column 10000001"
    );
}

#[test]
fn a_hundred_thousand_nested_objects_parse_and_print() {
    const DEPTH: usize = 100_000;
    let input = nested(br#"{"a":"#, DEPTH, b"1", b'}');
    let mut parser = Parser::with_options(Options::new().with_max_depth(DEPTH));
    let doc = parser.parse(&input).unwrap();
    let root = doc.root();
    assert_eq!(root.len(), 1);
    assert_eq!(root.raw_json().as_bytes(), &input[..]);
    assert_eq!(root.to_string().as_bytes(), &input[..]);
    let mut value = root;
    for _ in 0..DEPTH {
        value = value.get("a").unwrap();
    }
    assert_eq!(value.as_u64(), Some(1));
    drop(doc);

    // The default limit stops it at the 1025th `{`, 5 bytes per level.
    let err = jsontape::parse(&input).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (ErrorKind::DepthLimitExceeded, 1024 * 5)
    );
    // One level short of the limit set to DEPTH - 1.
    let mut parser = Parser::with_options(Options::new().with_max_depth(DEPTH - 1));
    let err = parser.parse(&input).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (ErrorKind::DepthLimitExceeded, (DEPTH - 1) * 5)
    );
}

#[test]
fn a_hundred_thousand_unclosed_objects_end_unexpectedly() {
    const DEPTH: usize = 100_000;
    let mut input = br#"{"a":"#.repeat(DEPTH);
    let mut parser = Parser::with_options(Options::new().with_max_depth(100_000_000));
    let err = parser.parse(&input).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (ErrorKind::UnexpectedEnd, input.len())
    );

    // With the value but without the closing braces.
    input.push(b'1');
    let err = parser.parse(&input).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (ErrorKind::UnexpectedEnd, input.len())
    );

    // Closed all but one level.
    input.extend(std::iter::repeat_n(b'}', DEPTH - 1));
    let err = parser.parse(&input).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (ErrorKind::UnexpectedEnd, input.len())
    );

    // Closed once too often.
    input.extend_from_slice(b"}}");
    let err = parser.parse(&input).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (ErrorKind::TrailingCharacters, input.len() - 1)
    );
}
