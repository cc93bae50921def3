//! The JSONPath parser: RFC 9535's ABNF, by recursive descent over the bytes
//! of the expression, with the well-typedness rules of section 2.4.3 checked
//! as the tree is built.
//!
//! Recursion follows the nesting of the expression (parentheses, filters,
//! function calls), never its length: segments, selectors and the operands of
//! `&&` and `||` are parsed in loops. Nesting is capped at [`MAX_NESTING`],
//! so no expression can exhaust the stack here, in evaluation, or when the
//! tree is cloned or dropped.

use super::PathError;
use super::ast::{
    Arg, CmpOp, Comparison, FnCall, Func, Literal, Logical, Num, Query, Segment, Selector, Type,
    ValueExpr,
};
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// How deeply parentheses, filter selectors and function calls may nest
/// inside one another.
pub(crate) const MAX_NESTING: usize = 64;

/// The largest array index or slice bound, ±(2^53 - 1) (I-JSON).
const MAX_INDEX: i64 = (1 << 53) - 1;

/// A parsed expression.
pub(super) struct Parsed {
    pub(super) query: Query,
    /// How many absolute queries inside filters are cached per evaluation.
    pub(super) cache_slots: usize,
}

/// Parses a whole JSONPath query (`jsonpath-query` in the RFC's ABNF).
pub(super) fn parse(expression: &str) -> Result<Parsed, PathError> {
    let mut parser = Parser {
        src: expression,
        bytes: expression.as_bytes(),
        pos: 0,
        depth: 0,
        cache_slots: 0,
    };
    let query = parser.root_query()?;
    Ok(Parsed {
        query,
        cache_slots: parser.cache_slots,
    })
}

struct Parser<'e> {
    src: &'e str,
    bytes: &'e [u8],
    pos: usize,
    /// Current nesting of parentheses, filters and function calls.
    depth: usize,
    cache_slots: usize,
}

/// A filter operand or a logical expression, before the context decides
/// which it must be: `@.a` is a query as a function argument, an existence
/// test as a filter.
enum Expr {
    /// A literal, a query or a function call, not (yet) part of a
    /// comparison or logical operator; with its offset.
    Operand(Operand, usize),
    Logical(Logical),
}

enum Operand {
    Literal(Literal),
    Query(Query),
    Function(Box<FnCall>),
}

/// `S`: blank space.
fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// `name-first`.
fn is_name_first(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || !c.is_ascii()
}

/// `name-char`.
fn is_name_char(c: char) -> bool {
    is_name_first(c) || c.is_ascii_digit()
}

impl Parser<'_> {
    fn error<T>(&self, offset: usize, message: impl Into<String>) -> Result<T, PathError> {
        Err(PathError::new(offset, message.into()))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn peek_char(&self) -> Option<char> {
        self.src.get(self.pos..)?.chars().next()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.pos += usize::from(found);
        found
    }

    fn skip_blank(&mut self) {
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
    }

    /// A description of what is at the current position, for messages.
    fn found(&self) -> String {
        match self.peek_char() {
            None => String::from("end of expression"),
            Some(c) if c.is_control() || c == ' ' => format!("{c:?}"),
            Some('\'') => String::from("\"'\""),
            Some(c) => format!("'{c}'"),
        }
    }

    fn expected<T>(&self, what: &str) -> Result<T, PathError> {
        self.error(self.pos, format!("expected {what}, found {}", self.found()))
    }

    fn enter(&mut self) -> Result<(), PathError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return self.error(
                self.pos,
                format!("expression nested deeper than {MAX_NESTING} levels"),
            );
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn root_query(&mut self) -> Result<Query, PathError> {
        if !self.eat(b'$') {
            return self.expected("'$' at the start of a JSONPath query");
        }
        let query = self.query(false)?;
        if self.pos < self.bytes.len() {
            if self.bytes[self.pos..].iter().all(|&b| is_blank(b)) {
                return self.error(self.pos, "whitespace is not allowed at the end of a query");
            }
            self.skip_blank();
            return self.expected("'.', '[' or the end of the query");
        }
        Ok(query)
    }

    /// The segments after `$` or `@`.
    fn query(&mut self, relative: bool) -> Result<Query, PathError> {
        let mut segments = Vec::new();
        loop {
            let before = self.pos;
            self.skip_blank();
            match self.peek() {
                Some(b'.' | b'[') => segments.push(self.segment()?),
                _ => {
                    self.pos = before;
                    break;
                }
            }
        }
        let singular = segments.iter().all(|segment| match segment {
            Segment::Child(selectors) => {
                matches!(
                    selectors.as_slice(),
                    [Selector::Name(_) | Selector::Index(_)]
                )
            }
            Segment::Descendant(_) => false,
        });
        Ok(Query {
            relative,
            segments,
            singular,
            cache_slot: None,
        })
    }

    /// A segment, at its `.`, `..` or `[`. (This and the functions it calls
    /// on the way to a nested filter keep their frames small: they are on
    /// the recursion path of nested expressions.)
    fn segment(&mut self) -> Result<Segment, PathError> {
        let descendant = self.bytes[self.pos..].starts_with(b"..");
        let selectors = if descendant {
            self.pos += 2;
            if self.peek() == Some(b'[') {
                self.bracketed()?
            } else {
                self.dotted("..")?
            }
        } else if self.eat(b'.') {
            self.dotted(".")?
        } else {
            self.bracketed()?
        };
        Ok(if descendant {
            Segment::Descendant(selectors)
        } else {
            Segment::Child(selectors)
        })
    }

    /// The wildcard or member name after `.` or `..` (`after`).
    fn dotted(&mut self, after: &str) -> Result<Vec<Selector>, PathError> {
        match self.peek() {
            Some(b'*') => {
                self.pos += 1;
                Ok(vec![Selector::Wildcard])
            }
            Some(b) if is_blank(b) => self.error(
                self.pos,
                format!("whitespace is not allowed after '{after}'"),
            ),
            _ => match self.peek_char() {
                Some(c) if is_name_first(c) => Ok(vec![Selector::Name(self.shorthand())]),
                _ if after == "." => self.expected("a member name or '*' after '.'"),
                _ => self.expected("a member name, '*' or '[' after '..'"),
            },
        }
    }

    /// `member-name-shorthand`; the first character is known to be valid.
    fn shorthand(&mut self) -> Box<str> {
        let rest = &self.src[self.pos..];
        let len = rest
            .char_indices()
            .find(|&(_, c)| !is_name_char(c))
            .map_or(rest.len(), |(i, _)| i);
        self.pos += len;
        rest[..len].into()
    }

    /// `bracketed-selection`, at its `[`.
    fn bracketed(&mut self) -> Result<Vec<Selector>, PathError> {
        self.pos += 1;
        self.skip_blank();
        let mut selectors = vec![self.selector()?];
        loop {
            self.skip_blank();
            if self.eat(b']') {
                return Ok(selectors);
            }
            if !self.eat(b',') {
                return self.expected("',' or ']'");
            }
            self.skip_blank();
            selectors.push(self.selector()?);
        }
    }

    fn selector(&mut self) -> Result<Selector, PathError> {
        match self.peek() {
            Some(b'\'' | b'"') => Ok(Selector::Name(self.string()?.into())),
            Some(b'*') => {
                self.pos += 1;
                Ok(Selector::Wildcard)
            }
            Some(b'?') => self.filter_selector(),
            Some(b'-' | b'0'..=b'9' | b':') => self.index_or_slice(),
            _ => self.expected("a selector (a name, '*', an index, a slice or a '?' filter)"),
        }
    }

    /// `filter-selector`, at its `?`.
    fn filter_selector(&mut self) -> Result<Selector, PathError> {
        self.enter()?;
        self.pos += 1;
        self.skip_blank();
        let filter = self.or_expr()?;
        let filter = self.to_logical(filter)?;
        self.leave();
        Ok(Selector::Filter(Box::new(filter)))
    }

    fn index_or_slice(&mut self) -> Result<Selector, PathError> {
        let start = if self.peek() == Some(b':') {
            None
        } else {
            let index = self.int()?;
            let before = self.pos;
            self.skip_blank();
            if self.peek() != Some(b':') {
                self.pos = before;
                return Ok(Selector::Index(index));
            }
            Some(index)
        };
        self.pos += 1; // ':'
        self.skip_blank();
        let end = self.optional_int()?;
        let before = self.pos;
        self.skip_blank();
        let step = if self.eat(b':') {
            self.skip_blank();
            self.optional_int()?
        } else {
            self.pos = before;
            None
        };
        Ok(Selector::Slice { start, end, step })
    }

    fn optional_int(&mut self) -> Result<Option<i64>, PathError> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => self.int().map(Some),
            _ => Ok(None),
        }
    }

    /// `int`: `0`, or an optional `-` and digits without a leading zero,
    /// within ±(2^53 - 1).
    fn int(&mut self) -> Result<i64, PathError> {
        let start = self.pos;
        let negative = self.eat(b'-');
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    return self.error(start, "leading zeros are not allowed in an index");
                }
                if negative {
                    return self.error(start, "'-0' is not a valid index");
                }
                Ok(0)
            }
            Some(b'1'..=b'9') => {
                let mut value: i64 = 0;
                while let Some(digit @ b'0'..=b'9') = self.peek() {
                    value = value * 10 + i64::from(digit - b'0');
                    if value > MAX_INDEX {
                        return self
                            .error(start, "index out of range (the limit is ±9007199254740991)");
                    }
                    self.pos += 1;
                }
                Ok(if negative { -value } else { value })
            }
            _ => self.expected("a digit"),
        }
    }

    /// `string-literal`, unescaped.
    fn string(&mut self) -> Result<String, PathError> {
        let start = self.pos;
        let quote = self.bytes[start];
        self.pos += 1;
        let mut out = String::new();
        loop {
            // Copy the run of plain characters at once.
            let run = self.bytes[self.pos..]
                .iter()
                .position(|&b| b == quote || b == b'\\' || b < 0x20)
                .map_or(self.bytes.len(), |i| self.pos + i);
            out.push_str(&self.src[self.pos..run]);
            self.pos = run;
            match self.peek() {
                None => return self.error(start, "unterminated string literal"),
                Some(b) if b == quote => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => out.push(self.escape(quote)?),
                Some(b) => {
                    return self.error(
                        self.pos,
                        format!("control character U+{b:04X} must be escaped in a string literal"),
                    );
                }
            }
        }
    }

    /// One escape sequence, at its backslash.
    fn escape(&mut self, quote: u8) -> Result<char, PathError> {
        let start = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'/') => '/',
            Some(b'\\') => '\\',
            Some(b) if b == quote => b as char,
            Some(b'u') => {
                self.pos += 1;
                let unit = self.hex4(start)?;
                return match unit {
                    0xD800..=0xDBFF => {
                        if !self.bytes[self.pos..].starts_with(b"\\u") {
                            return self.error(
                                start,
                                "a high surrogate escape must be followed by a low surrogate escape",
                            );
                        }
                        let low_start = self.pos;
                        self.pos += 2;
                        let low = self.hex4(low_start)?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return self.error(
                                low_start,
                                "a high surrogate escape must be followed by a low surrogate escape",
                            );
                        }
                        let scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        self.char_from(scalar, start)
                    }
                    0xDC00..=0xDFFF => self.error(
                        start,
                        "a low surrogate escape without a high surrogate before it",
                    ),
                    _ => self.char_from(unit, start),
                };
            }
            _ => {
                let what = self.peek_char().map_or(String::new(), String::from);
                return self.error(start, format!("invalid escape sequence '\\{what}'"));
            }
        };
        self.pos += 1;
        Ok(c)
    }

    fn char_from(&self, scalar: u32, start: usize) -> Result<char, PathError> {
        match char::from_u32(scalar) {
            Some(c) => Ok(c),
            None => self.error(start, "invalid \\u escape"),
        }
    }

    /// Four hexadecimal digits (either case).
    fn hex4(&mut self, escape_start: usize) -> Result<u32, PathError> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|b| (b as char).to_digit(16));
            let Some(digit) = digit else {
                return self.error(escape_start, "a \\u escape needs four hexadecimal digits");
            };
            value = value * 16 + digit;
            self.pos += 1;
        }
        Ok(value)
    }

    // ---- filter expressions ----

    /// Whether the next bytes, after blank space, are `op`; consumes them
    /// and the blank space if so.
    fn operator(&mut self, op: &[u8]) -> bool {
        let before = self.pos;
        self.skip_blank();
        if self.bytes[self.pos..].starts_with(op) {
            self.pos += op.len();
            self.skip_blank();
            true
        } else {
            self.pos = before;
            false
        }
    }

    /// `logical-expr`: `||` of `&&` of basic expressions, in one loop (and
    /// one stack frame per nesting level).
    fn or_expr(&mut self) -> Result<Expr, PathError> {
        let mut disjuncts = Vec::new();
        let mut conjuncts = Vec::new();
        loop {
            let basic = self.basic_expr()?;
            if self.operator(b"&&") {
                self.push_logical(&mut conjuncts, basic)?;
                continue;
            }
            let conjunction = self.conjunction(&mut conjuncts, basic)?;
            if self.operator(b"||") {
                self.push_logical(&mut disjuncts, conjunction)?;
                continue;
            }
            if disjuncts.is_empty() {
                return Ok(conjunction);
            }
            self.push_logical(&mut disjuncts, conjunction)?;
            return Ok(Expr::Logical(Logical::Or(disjuncts)));
        }
    }

    fn push_logical(&self, list: &mut Vec<Logical>, expr: Expr) -> Result<(), PathError> {
        list.push(self.to_logical(expr)?);
        Ok(())
    }

    /// The `&&` of `conjuncts` (emptied) and `last`; `last` alone if there
    /// are none.
    fn conjunction(&self, conjuncts: &mut Vec<Logical>, last: Expr) -> Result<Expr, PathError> {
        if conjuncts.is_empty() {
            return Ok(last);
        }
        self.push_logical(conjuncts, last)?;
        Ok(Expr::Logical(Logical::And(core::mem::take(conjuncts))))
    }

    /// `basic-expr`: a parenthesized expression, a comparison or a test, or
    /// (for function arguments) a bare operand.
    fn basic_expr(&mut self) -> Result<Expr, PathError> {
        match self.peek() {
            Some(b'!') if self.peek_at(1) != Some(b'=') => self.not_expr(),
            Some(b'(') => Ok(Expr::Logical(self.paren_expr()?)),
            _ => self.comparison_or_operand(),
        }
    }

    /// `!` and what it negates, at the `!`.
    fn not_expr(&mut self) -> Result<Expr, PathError> {
        self.pos += 1;
        self.skip_blank();
        let negated = if self.peek() == Some(b'(') {
            self.paren_expr()?
        } else {
            let start = self.pos;
            let operand = self.operand()?;
            if let Operand::Literal(_) = operand {
                return self.error(
                    start,
                    "'!' must be followed by a query, a function call or a parenthesized expression",
                );
            }
            self.to_logical(Expr::Operand(operand, start))?
        };
        Ok(Expr::Logical(Logical::Not(Box::new(negated))))
    }

    /// A comparison, or an operand alone.
    fn comparison_or_operand(&mut self) -> Result<Expr, PathError> {
        let start = self.pos;
        let left = self.operand()?;
        let Some(op) = self.comparison_op() else {
            return Ok(Expr::Operand(left, start));
        };
        let right_start = self.pos;
        let right = self.operand()?;
        self.comparison(left, start, op, right, right_start)
    }

    fn comparison(
        &self,
        left: Operand,
        left_start: usize,
        op: CmpOp,
        right: Operand,
        right_start: usize,
    ) -> Result<Expr, PathError> {
        let left = self.comparable(left, left_start)?;
        let right = self.comparable(right, right_start)?;
        Ok(Expr::Logical(Logical::Compare(Box::new(Comparison {
            left,
            op,
            right,
        }))))
    }

    /// A comparison operator after optional blank space, and the blank space
    /// after it; `None` (consuming nothing) if there is none.
    fn comparison_op(&mut self) -> Option<CmpOp> {
        let before = self.pos;
        self.skip_blank();
        let (op, len) = match (self.peek(), self.peek_at(1)) {
            (Some(b'='), Some(b'=')) => (CmpOp::Eq, 2),
            (Some(b'!'), Some(b'=')) => (CmpOp::Ne, 2),
            (Some(b'<'), Some(b'=')) => (CmpOp::Le, 2),
            (Some(b'>'), Some(b'=')) => (CmpOp::Ge, 2),
            (Some(b'<'), _) => (CmpOp::Lt, 1),
            (Some(b'>'), _) => (CmpOp::Gt, 1),
            _ => {
                self.pos = before;
                return None;
            }
        };
        self.pos += len;
        self.skip_blank();
        Some(op)
    }

    /// `paren-expr` without its `!`, at the `(`.
    fn paren_expr(&mut self) -> Result<Logical, PathError> {
        self.enter()?;
        self.pos += 1;
        self.skip_blank();
        let inner = self.or_expr()?;
        let inner = self.to_logical(inner)?;
        self.skip_blank();
        if !self.eat(b')') {
            return self.expected("')'");
        }
        self.leave();
        Ok(inner)
    }

    /// A literal, a query or a function call.
    fn operand(&mut self) -> Result<Operand, PathError> {
        match self.peek() {
            Some(b'@') => {
                self.pos += 1;
                Ok(Operand::Query(self.query(true)?))
            }
            Some(b'$') => {
                self.pos += 1;
                let query = self.query(false)?;
                Ok(Operand::Query(self.absolute(query)))
            }
            Some(b'\'' | b'"') => Ok(Operand::Literal(Literal::String(self.string()?.into()))),
            Some(b'-' | b'0'..=b'9') => Ok(Operand::Literal(Literal::Number(self.number()?))),
            Some(b'a'..=b'z') => self.word(),
            _ => self.expected("a query, a literal, a function call or '('"),
        }
    }

    /// An absolute query inside a filter: a cache slot if not singular.
    fn absolute(&mut self, mut query: Query) -> Query {
        if !query.singular {
            query.cache_slot = Some(self.cache_slots);
            self.cache_slots += 1;
        }
        query
    }

    /// A lowercase word: a function call or `true`, `false`, `null`.
    fn word(&mut self) -> Result<Operand, PathError> {
        let start = self.pos;
        let src = self.src;
        let len = self.bytes[start..]
            .iter()
            .position(|&b| !matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
            .unwrap_or(self.bytes.len() - start);
        let name = &src[start..start + len];
        self.pos += len;
        if self.peek() == Some(b'(') {
            let func = self.function_named(name, start)?;
            return Ok(Operand::Function(Box::new(self.call(func, start)?)));
        }
        match name {
            "true" => Ok(Operand::Literal(Literal::Bool(true))),
            "false" => Ok(Operand::Literal(Literal::Bool(false))),
            "null" => Ok(Operand::Literal(Literal::Null)),
            "length" | "count" | "value" | "match" | "search" => self.error(
                self.pos,
                format!("expected '(' right after the function name '{name}'"),
            ),
            _ => self.error(start, format!("unknown literal '{name}'")),
        }
    }

    /// `number`: a JSON number, or `-0`.
    fn number(&mut self) -> Result<Num, PathError> {
        let start = self.pos;
        self.eat(b'-');
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    return self.error(start, "leading zeros are not allowed in a number");
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return self.expected("a digit"),
        }
        let mut integer = true;
        if self.eat(b'.') {
            integer = false;
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return self.expected("a digit after '.'");
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            integer = false;
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return self.expected("a digit in the exponent");
            }
            self.digits();
        }
        let text = &self.src[start..self.pos];
        if integer && let Ok(n) = text.parse::<i128>() {
            return Ok(Num::Int(n));
        }
        // The grammar checked above is a subset of what `parse` accepts;
        // out-of-range magnitudes become infinities, which still compare
        // correctly against every finite number.
        match text.parse::<f64>() {
            Ok(f) => Ok(Num::Float(f)),
            Err(_) => self.error(start, "invalid number"),
        }
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    /// The function extension called `name`.
    fn function_named(&self, name: &str, start: usize) -> Result<Func, PathError> {
        Ok(match name {
            "length" => Func::Length,
            "count" => Func::Count,
            "value" => Func::Value,
            #[cfg(feature = "std")]
            "match" => Func::Regex {
                anchored: true,
                literal: None,
            },
            #[cfg(feature = "std")]
            "search" => Func::Regex {
                anchored: false,
                literal: None,
            },
            #[cfg(not(feature = "std"))]
            "match" | "search" => {
                return self.error(
                    start,
                    format!("{name}() needs regular expressions: enable jsontape's `std` feature"),
                );
            }
            _ => return self.error(start, format!("unknown function '{name}'")),
        })
    }

    /// The arguments of a call of `func` (named at `start`), at the `(`.
    fn call(&mut self, func: Func, start: usize) -> Result<FnCall, PathError> {
        self.enter()?;
        self.pos += 1;
        self.skip_blank();
        let mut args = Vec::new();
        if self.peek() != Some(b')') {
            loop {
                let arg_start = self.pos;
                let arg = self.or_expr()?;
                args.push((arg, arg_start));
                self.skip_blank();
                if !self.eat(b',') {
                    break;
                }
                self.skip_blank();
            }
        }
        if !self.eat(b')') {
            return self.expected("',' or ')'");
        }
        self.leave();
        self.typed_call(func, args, start)
    }

    /// A call with its arguments checked against the declared parameter
    /// types, and a literal regular expression compiled.
    fn typed_call(
        &self,
        func: Func,
        raw_args: Vec<(Expr, usize)>,
        start: usize,
    ) -> Result<FnCall, PathError> {
        let name = func.name();
        let params = func.params();
        if raw_args.len() != params.len() {
            let plural = if params.len() == 1 { "" } else { "s" };
            return self.error(
                start,
                format!(
                    "{name}() takes {} argument{plural}, found {}",
                    params.len(),
                    raw_args.len()
                ),
            );
        }
        let mut args = Vec::with_capacity(params.len());
        for (i, ((expr, offset), &param)) in raw_args.into_iter().zip(params).enumerate() {
            args.push(self.argument(expr, offset, param, name, i + 1)?);
        }
        #[cfg_attr(not(feature = "std"), allow(unused_mut))]
        let mut func = func;
        #[cfg(feature = "std")]
        if let Func::Regex { anchored, literal } = &mut func
            && let Some(Arg::Value(ValueExpr::Literal(pattern))) = args.get(1)
        {
            *literal = Some(match pattern {
                Literal::String(pattern) => super::iregexp::compile(pattern, *anchored),
                _ => None,
            });
        }
        Ok(FnCall { func, args })
    }

    /// Converts an argument to its parameter's declared type (RFC 9535
    /// section 2.4.3), or rejects it.
    fn argument(
        &self,
        expr: Expr,
        offset: usize,
        param: Type,
        name: &str,
        position: usize,
    ) -> Result<Arg, PathError> {
        match param {
            Type::Value => match expr {
                Expr::Operand(operand, offset) => Ok(Arg::Value(self.value_expr(
                    operand,
                    offset,
                    &format!("argument {position} of {name}()"),
                )?)),
                Expr::Logical(_) => self.error(
                    offset,
                    format!("argument {position} of {name}() must be a value (a literal, a singular query or a function returning a value), not a logical expression"),
                ),
            },
            Type::Nodes => match expr {
                Expr::Operand(Operand::Query(query), _) => Ok(Arg::Nodes(query)),
                _ => self.error(
                    offset,
                    format!("argument {position} of {name}() must be a query"),
                ),
            },
            Type::Logical => Ok(Arg::Logical(self.to_logical(expr)?)),
        }
    }

    /// An operand of a comparison.
    fn comparable(&self, operand: Operand, offset: usize) -> Result<ValueExpr, PathError> {
        self.value_expr(operand, offset, "a comparison operand")
    }

    /// An operand where a value (ValueType) is required: a literal, a
    /// singular query, or a function returning ValueType.
    fn value_expr(
        &self,
        operand: Operand,
        offset: usize,
        role: &str,
    ) -> Result<ValueExpr, PathError> {
        match operand {
            Operand::Literal(literal) => Ok(ValueExpr::Literal(literal)),
            Operand::Query(query) if query.singular => Ok(ValueExpr::Query(query)),
            Operand::Query(_) => self.error(
                offset,
                format!("{role} must be a singular query (names and indexes only), a literal or a function returning a value"),
            ),
            Operand::Function(call) if call.func.result() == Type::Value => {
                Ok(ValueExpr::Function(call))
            }
            Operand::Function(call) => self.error(
                offset,
                format!(
                    "{role} cannot be {}(), which returns a logical value",
                    call.func.name()
                ),
            ),
        }
    }

    /// An expression where a logical expression is required: a bare query
    /// becomes an existence test.
    fn to_logical(&self, expr: Expr) -> Result<Logical, PathError> {
        match expr {
            Expr::Logical(logical) => Ok(logical),
            Expr::Operand(Operand::Query(query), _) => Ok(Logical::Exists(query)),
            Expr::Operand(Operand::Function(call), offset) => match call.func.result() {
                Type::Logical => Ok(Logical::Function(call)),
                // No function of RFC 9535 returns NodesType; one that did
                // would become an existence test here.
                Type::Value | Type::Nodes => self.error(
                    offset,
                    format!(
                        "the value returned by {}() must be compared; it is not a logical expression",
                        call.func.name()
                    ),
                ),
            },
            Expr::Operand(Operand::Literal(_), offset) => self.error(
                offset,
                "a literal must be compared; it is not a logical expression",
            ),
        }
    }
}
