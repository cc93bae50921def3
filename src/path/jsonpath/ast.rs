//! The compiled form of a JSONPath expression: what [`parser`](super::parser)
//! builds and [`eval`](super::eval) walks.
//!
//! The tree is well typed by construction (RFC 9535 section 2.4.3): a
//! comparison only ever holds [`ValueExpr`]s, a function argument is stored
//! already converted to its parameter's declared type ([`Arg`]), and a
//! [`Logical`] never holds a value-typed function. Its depth is bounded by
//! [`MAX_NESTING`](super::parser::MAX_NESTING), so walking it recursively is
//! safe; the number of segments and of `&&`/`||` operands is not bounded and
//! is always walked with loops.

use alloc::boxed::Box;
use alloc::vec::Vec;

/// A query: `$` or `@` followed by segments.
#[derive(Debug, Clone)]
pub(super) struct Query {
    /// Starts at `@` (the current node) rather than `$` (the root).
    pub(super) relative: bool,
    pub(super) segments: Vec<Segment>,
    /// Every segment is a child segment holding one name or index selector:
    /// the query selects at most one node and is evaluated without building
    /// a nodelist.
    pub(super) singular: bool,
    /// For a non-singular absolute query inside a filter: its slot in the
    /// per-evaluation cache. Such a query does not depend on the current
    /// node, so it is evaluated at most once per [`JsonPath::query`] call.
    ///
    /// [`JsonPath::query`]: super::JsonPath::query
    pub(super) cache_slot: Option<usize>,
}

/// A child (`.name`, `[...]`) or descendant (`..name`, `..[...]`) segment.
#[derive(Debug, Clone)]
pub(super) enum Segment {
    Child(Vec<Selector>),
    Descendant(Vec<Selector>),
}

#[derive(Debug, Clone)]
pub(super) enum Selector {
    /// A member name, unescaped.
    Name(Box<str>),
    Wildcard,
    /// An array index, within ±(2^53 - 1); negative counts from the end.
    Index(i64),
    Slice {
        start: Option<i64>,
        end: Option<i64>,
        step: Option<i64>,
    },
    Filter(Box<Logical>),
}

/// A logical expression (LogicalType).
#[derive(Debug, Clone)]
pub(super) enum Logical {
    /// Two or more operands of `||`.
    Or(Vec<Logical>),
    /// Two or more operands of `&&`.
    And(Vec<Logical>),
    Not(Box<Logical>),
    /// An existence test: the query selects at least one node.
    Exists(Query),
    Compare(Box<Comparison>),
    /// A function whose declared result type is LogicalType.
    Function(Box<FnCall>),
}

#[derive(Debug, Clone)]
pub(super) struct Comparison {
    pub(super) left: ValueExpr,
    pub(super) op: CmpOp,
    pub(super) right: ValueExpr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// An expression of ValueType: a comparable, or a ValueType argument.
#[derive(Debug, Clone)]
pub(super) enum ValueExpr {
    Literal(Literal),
    /// A singular query: the value of its node, or Nothing.
    Query(Query),
    /// A function whose declared result type is ValueType.
    Function(Box<FnCall>),
}

#[derive(Debug, Clone)]
pub(super) enum Literal {
    Null,
    Bool(bool),
    Number(Num),
    String(Box<str>),
}

/// A number compared by value: integers exactly, floats exactly against
/// integers (see [`eval`](super::eval)).
#[derive(Debug, Clone, Copy)]
pub(super) enum Num {
    /// Any integer that fits an i128, which holds every i64 and u64.
    Int(i128),
    Float(f64),
}

/// A call of a function extension, its arguments already converted to the
/// declared parameter types.
#[derive(Debug, Clone)]
pub(super) struct FnCall {
    pub(super) func: Func,
    pub(super) args: Vec<Arg>,
}

#[derive(Debug, Clone)]
pub(super) enum Arg {
    Value(ValueExpr),
    Nodes(Query),
    // A LogicalType parameter: none of the RFC's five functions declares
    // one, but the type rules are written for it.
    #[allow(dead_code)]
    Logical(Logical),
}

/// The function extensions of RFC 9535 section 2.4.
#[derive(Debug, Clone)]
pub(super) enum Func {
    Length,
    Count,
    Value,
    /// `match()` (`anchored`) or `search()`.
    #[cfg(feature = "std")]
    Regex {
        anchored: bool,
        /// For a literal pattern, compiled at parse time: `Some(None)` when
        /// the pattern is not an I-Regexp or not a string (the function is
        /// then always false). `None` for a pattern computed per node.
        literal: Option<Option<regex::Regex>>,
    },
}

/// The declared types of RFC 9535 section 2.4.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Type {
    Value,
    // Only `match()` and `search()` return it.
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    Logical,
    Nodes,
}

impl Func {
    pub(super) fn name(&self) -> &'static str {
        match self {
            Func::Length => "length",
            Func::Count => "count",
            Func::Value => "value",
            #[cfg(feature = "std")]
            Func::Regex { anchored: true, .. } => "match",
            #[cfg(feature = "std")]
            Func::Regex {
                anchored: false, ..
            } => "search",
        }
    }

    pub(super) fn params(&self) -> &'static [Type] {
        match self {
            Func::Length => &[Type::Value],
            Func::Count | Func::Value => &[Type::Nodes],
            #[cfg(feature = "std")]
            Func::Regex { .. } => &[Type::Value, Type::Value],
        }
    }

    pub(super) fn result(&self) -> Type {
        match self {
            Func::Length | Func::Count | Func::Value => Type::Value,
            #[cfg(feature = "std")]
            Func::Regex { .. } => Type::Logical,
        }
    }
}
