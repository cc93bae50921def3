//! I-Regexp (RFC 9485) for `match()` and `search()`: checking that a pattern
//! is an I-Regexp, and translating it for the `regex` crate.
//!
//! The check follows RFC 9485's ABNF exactly, so everything outside the
//! interoperable subset is refused: back-references, lookaround, lazy or
//! possessive quantifiers (`*?`, `++`), named or non-capturing groups
//! (`(?...)`), `\d \w \s \b` and other multi-character escapes beyond
//! `\p{..}`/`\P{..}`, empty or nested character classes, `{,n}`, and a stray
//! `]`, `{` or `}`. A pattern that fails the check makes the function false
//! (RFC 9535 section 2.4.6), as does one the engine refuses (too large).
//!
//! The translation is the one RFC 9485 section 5 describes for PCRE-like
//! engines, adapted to the `regex` crate's syntax:
//! - `.` outside a class becomes `[^\n\r]` (any character but CR and LF);
//! - groups become non-capturing `(?:...)` (nothing reads captures);
//! - characters that are literal in I-Regexp but operators in the `regex`
//!   crate are escaped: `#`, `&`, `~` and `-` everywhere, and inside classes
//!   also `[`, `^` and `$` (the crate's class syntax has nesting and the set
//!   operators `&&`, `--`, `~~`); control characters are written as `\x{..}`;
//! - `^` and `$` are left as they are. In the ABNF they are ordinary
//!   characters, but the section 5 translations hand them to the target
//!   engine unchanged, where they are anchors (start and end of the text),
//!   and the RFC 9535 compliance test suite relies on that reading
//!   (`match(@, '^ab.*')` matches `"abc"`).
//! - `match()` wraps the result as `\A(?:...)\z` (the whole string);
//!   `search()` uses it unanchored.

use alloc::string::String;
use core::fmt::Write;
use core::iter::Peekable;
use core::str::Chars;
use regex::Regex;
use std::collections::HashMap;

/// The most compiled size (in bytes) of one regex; a pattern beyond it
/// (such as `(a{1000}){1000}`) makes the function false.
const SIZE_LIMIT: usize = 1 << 21;

/// How many patterns computed from documents are kept compiled per query.
const CACHE_CAPACITY: usize = 256;

/// `pattern` compiled for `match()` (`anchored`) or `search()`; `None` if
/// it is not an I-Regexp or too large to compile.
pub(super) fn compile(pattern: &str, anchored: bool) -> Option<Regex> {
    let translated = translate(pattern)?;
    let source = if anchored {
        let mut source = String::with_capacity(translated.len() + 8);
        source.push_str("\\A(?:");
        source.push_str(&translated);
        source.push_str(")\\z");
        source
    } else {
        translated
    };
    regex::RegexBuilder::new(&source)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(SIZE_LIMIT)
        .build()
        .ok()
}

/// Compiled patterns that came from the document, per evaluation.
#[derive(Default)]
pub(super) struct Cache {
    anchored: HashMap<String, Option<Regex>>,
    unanchored: HashMap<String, Option<Regex>>,
}

impl Cache {
    /// Whether `subject` matches `pattern` (false if `pattern` is not an
    /// I-Regexp).
    pub(super) fn is_match(&mut self, pattern: &str, anchored: bool, subject: &str) -> bool {
        let map = if anchored {
            &mut self.anchored
        } else {
            &mut self.unanchored
        };
        if let Some(regex) = map.get(pattern) {
            return regex.as_ref().is_some_and(|r| r.is_match(subject));
        }
        let regex = compile(pattern, anchored);
        let result = regex.as_ref().is_some_and(|r| r.is_match(subject));
        if map.len() < CACHE_CAPACITY {
            map.insert(String::from(pattern), regex);
        }
        result
    }
}

/// The I-Regexp `pattern` in the `regex` crate's syntax, unanchored; `None`
/// if it is not an I-Regexp. A single pass with a counter for group depth:
/// no recursion, whatever the pattern.
pub(super) fn translate(pattern: &str) -> Option<String> {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    let mut depth = 0usize;
    // Whether a quantifier may follow: the last thing was an atom.
    let mut quantifiable = false;
    while let Some(c) = chars.next() {
        match c {
            '(' => {
                depth += 1;
                out.push_str("(?:");
                quantifiable = false;
            }
            ')' => {
                depth = depth.checked_sub(1)?;
                out.push(')');
                quantifiable = true;
            }
            '|' => {
                out.push('|');
                quantifiable = false;
            }
            '*' | '+' | '?' => {
                if !quantifiable {
                    return None;
                }
                out.push(c);
                quantifiable = false;
            }
            '{' => {
                if !quantifiable {
                    return None;
                }
                range_quantifier(&mut chars, &mut out)?;
                quantifiable = false;
            }
            '.' => {
                out.push_str("[^\\n\\r]");
                quantifiable = true;
            }
            '[' => {
                class(&mut chars, &mut out)?;
                quantifiable = true;
            }
            '\\' => {
                match chars.peek() {
                    Some('p' | 'P') => category(&mut chars, &mut out)?,
                    _ => literal(single_char_escape(chars.next()?)?, false, &mut out),
                }
                quantifiable = true;
            }
            ']' | '}' => return None,
            // Anchors in the target engine; see the module documentation.
            '^' | '$' => {
                out.push(c);
                quantifiable = true;
            }
            _ => {
                literal(c, false, &mut out);
                quantifiable = true;
            }
        }
    }
    (depth == 0).then_some(out)
}

/// `range-quantifier` after its `{`: `{n}`, `{n,}` or `{n,m}` with n <= m.
fn range_quantifier(chars: &mut Peekable<Chars<'_>>, out: &mut String) -> Option<()> {
    let min = decimal(chars)?;
    let max = if chars.peek() == Some(&',') {
        chars.next();
        if chars.peek() == Some(&'}') {
            None
        } else {
            Some(decimal(chars)?)
        }
    } else {
        Some(min)
    };
    if chars.next()? != '}' || max.is_some_and(|max| max < min) {
        return None;
    }
    // Writing to a String cannot fail.
    let _ = match max {
        Some(max) if max == min => write!(out, "{{{min}}}"),
        Some(max) => write!(out, "{{{min},{max}}}"),
        None => write!(out, "{{{min},}}"),
    };
    Some(())
}

/// `QuantExact`: one or more ASCII digits (an absurd count is refused).
fn decimal(chars: &mut Peekable<Chars<'_>>) -> Option<u32> {
    let mut value: u32 = 0;
    let mut any = false;
    while let Some(digit) = chars.peek().and_then(|c| c.to_digit(10)) {
        chars.next();
        value = value.checked_mul(10)?.checked_add(digit)?;
        any = true;
    }
    any.then_some(value)
}

/// `SingleCharEsc` after its backslash: the character it stands for.
fn single_char_escape(c: char) -> Option<char> {
    match c {
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        '(' | ')' | '*' | '+' | '-' | '.' | '?' | '[' | '\\' | ']' | '^' | '{' | '|' | '}' => {
            Some(c)
        }
        _ => None,
    }
}

/// `catEsc` / `complEsc` after the backslash: `\p{..}` or `\P{..}` with a
/// general category of the ABNF.
fn category(chars: &mut Peekable<Chars<'_>>, out: &mut String) -> Option<()> {
    let p = chars.next()?;
    if chars.next()? != '{' {
        return None;
    }
    let major = chars.next()?;
    let minors: &str = match major {
        'L' => "lmotu",
        'M' => "cen",
        'N' => "dlo",
        'P' => "cdefios",
        'Z' => "lps",
        'S' => "ckmo",
        'C' => "cfno",
        _ => return None,
    };
    out.push('\\');
    out.push(p);
    out.push('{');
    out.push(major);
    match chars.next()? {
        '}' => {}
        minor if minors.contains(minor) => {
            if chars.next()? != '}' {
                return None;
            }
            out.push(minor);
        }
        _ => return None,
    }
    out.push('}');
    Some(())
}

/// `charClassExpr` after its `[`.
fn class(chars: &mut Peekable<Chars<'_>>, out: &mut String) -> Option<()> {
    out.push('[');
    if chars.peek() == Some(&'^') {
        chars.next();
        out.push('^');
    }
    let mut items = 0usize;
    loop {
        let c = chars.next()?;
        match c {
            ']' if items > 0 => {
                out.push(']');
                return Some(());
            }
            // `[]` and `[^]` are not classes; `[` does not nest.
            ']' | '[' => return None,
            // A leading `-`, or a trailing one right before `]`.
            '-' if items == 0 || chars.peek() == Some(&']') => literal('-', true, out),
            '-' => return None,
            '\\' if matches!(chars.peek(), Some('p' | 'P')) => category(chars, out)?,
            _ => {
                let low = class_char(c, chars)?;
                literal(low, true, out);
                // A range, unless the `-` is the trailing one.
                let mut ahead = chars.clone();
                if ahead.next() == Some('-') && ahead.peek().is_some_and(|&c| c != ']') {
                    chars.next();
                    let c = chars.next()?;
                    if c == '\\' && matches!(chars.peek(), Some('p' | 'P')) {
                        return None;
                    }
                    let high = class_char(c, chars)?;
                    if high < low {
                        return None;
                    }
                    out.push('-');
                    literal(high, true, out);
                }
            }
        }
        items += 1;
    }
}

/// `CCchar` starting with `c`.
fn class_char(c: char, chars: &mut Peekable<Chars<'_>>) -> Option<char> {
    match c {
        '\\' => single_char_escape(chars.next()?),
        '[' | ']' | '-' => None,
        _ => Some(c),
    }
}

/// Appends the character `c`, to be matched literally (inside a class if
/// `in_class`).
fn literal(c: char, in_class: bool, out: &mut String) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0'..='\u{1f}' | '\u{7f}' => {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\x{{{:x}}}", c as u32);
        }
        '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '#' | '&'
        | '-' | '~' => {
            out.push('\\');
            out.push(c);
        }
        '^' | '$' if in_class => {
            out.push('\\');
            out.push(c);
        }
        // A literal `^` can only come from `\^`.
        '^' => out.push_str("\\^"),
        _ => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_match(pattern: &str, subject: &str) -> Option<bool> {
        compile(pattern, true).map(|r| r.is_match(subject))
    }

    #[test]
    fn accepts_i_regexps() {
        for pattern in [
            "",
            "a",
            "a|",
            "()",
            "(a|b)*c+d?",
            "a{2}",
            "a{2,}",
            "a{2,3}",
            "[a-z]",
            "[^a-z]",
            "[-a]",
            "[a-]",
            "[-]",
            "[--]",
            "[\\p{L}0-9-]",
            "\\p{L}\\p{Lu}\\P{Nd}\\p{Cn}\\p{Co}\\p{Cc}\\p{Cf}\\p{Zs}\\p{Sk}\\p{Pi}\\p{Me}\\p{Nl}\\p{Lt}\\p{Lm}\\p{C}",
            "\\n\\r\\t\\(\\)\\*\\+\\-\\.\\?\\[\\\\\\]\\^\\{\\|\\}",
            "[\\n\\]\\[]",
            "#&~,/:;<=>@\"'`%! -",
            "[#&~$^]",
            "^ab$",
            "\u{0}\u{1}\u{7f}é😀",
        ] {
            assert!(translate(pattern).is_some(), "{pattern:?} was refused");
            assert!(
                compile(pattern, true).is_some(),
                "{pattern:?} did not compile"
            );
        }
    }

    #[test]
    fn every_category_of_the_abnf_compiles() {
        for (major, minors) in [
            ('L', "lmotu"),
            ('M', "cen"),
            ('N', "dlo"),
            ('P', "cdefios"),
            ('Z', "lps"),
            ('S', "ckmo"),
            ('C', "cfno"),
        ] {
            let names = core::iter::once(String::from(major))
                .chain(minors.chars().map(|minor| format!("{major}{minor}")));
            for name in names {
                for p in ['p', 'P'] {
                    let pattern = format!("\\{p}{{{name}}}[\\{p}{{{name}}}x]");
                    assert!(compile(&pattern, true).is_some(), "{pattern}");
                }
            }
        }
    }

    #[test]
    fn refuses_what_is_not_an_i_regexp() {
        for pattern in [
            "(",
            ")",
            "a)",
            "*",
            "a**",
            "a*?",
            "a+?",
            "a??",
            "a++",
            "a{2}?",
            "{",
            "}",
            "a{",
            "a{}",
            "a{,2}",
            "a{2,1}",
            "a{x}",
            "]",
            "[]",
            "[^]",
            "[a",
            "[[a]]",
            "[a-b-c]",
            "[\\p{L}-z]",
            "[a-\\p{L}]",
            "[z-a]",
            "\\d",
            "\\w",
            "\\s",
            "\\b",
            "\\1",
            "\\x41",
            "\\u0041",
            "\\p{Xx}",
            "\\p{Lx}",
            "\\p{Cs}",
            "\\p{Lc}",
            "\\p{l}",
            "\\p{L",
            "\\pL",
            "(?:a)",
            "(?i)a",
            "(?=a)",
            "(?<n>a)",
            "(?!a)",
            "\\",
            "a{99999999999}",
        ] {
            assert!(translate(pattern).is_none(), "{pattern:?} was accepted");
        }
    }

    #[test]
    fn matches_with_i_regexp_semantics() {
        assert_eq!(is_match("a.c", "abc"), Some(true));
        assert_eq!(is_match("a.c", "a\nc"), Some(false));
        assert_eq!(is_match("a.c", "a\rc"), Some(false));
        assert_eq!(is_match("a.c", "a\u{2028}c"), Some(true));
        assert_eq!(is_match("a.c", "a😀c"), Some(true));
        assert_eq!(is_match("ab", "xab"), Some(false));
        assert_eq!(is_match("a|b", "b"), Some(true));
        assert_eq!(is_match("[a&&b]", "&"), Some(true));
        // `a-` then `-b`: a range cannot end at `-`, so not an I-Regexp.
        assert_eq!(is_match("[a--b]", "-"), None);
        assert_eq!(is_match("[a~~b]", "~"), Some(true));
        assert_eq!(is_match("a#b", "a#b"), Some(true));
        assert_eq!(is_match("a-b#c&d~e<f> g", "a-b#c&d~e<f> g"), Some(true));
        assert_eq!(is_match("\u{0}\u{1}", "\u{0}\u{1}"), Some(true));
        assert_eq!(is_match("\\p{Lu}+", "ÀB"), Some(true));
        assert_eq!(is_match("\\P{Lu}", "a"), Some(true));
        assert_eq!(is_match("[^\\]]", "]"), Some(false));
        let search = compile("b+", false).unwrap();
        assert!(search.is_match("abbc"));
    }

    #[test]
    fn refuses_patterns_too_large_to_compile() {
        assert!(translate("((a{1000}){1000}){1000}").is_some());
        assert!(compile("((a{1000}){1000}){1000}", true).is_none());
    }
}
