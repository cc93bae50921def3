//! JSONPath (RFC 9535) over the tape.
//!
//! An expression is compiled once by [`JsonPath::parse`] into a small tree
//! ([`ast`]), checked against the RFC's grammar and its type rules for
//! function extensions, with literal `match()`/`search()` patterns compiled
//! then. [`JsonPath::query`] evaluates that tree straight over a document's
//! tape ([`eval`]): nodes are [`ValueRef`]s, nothing is converted to a
//! [`Value`](crate::Value), and strings are compared in place.
//!
//! - [`parser`]: recursive descent over the expression; recursion follows
//!   the expression's nesting, which is capped at [`MAX_NESTING`](parser::MAX_NESTING) levels.
//! - [`eval`]: a segment at a time over nodelists; descendant segments and
//!   deep equality use explicit stacks, so a document of any depth is safe.
//! - [`normalized`]: locations as parent links, written out as normalized
//!   paths (RFC 9535 section 2.7) only for the nodes finally selected.
//! - `iregexp` (with the `std` feature): I-Regexp (RFC 9485) checking and
//!   translation for the `regex` crate.

mod ast;
mod eval;
#[cfg(feature = "std")]
mod iregexp;
mod normalized;
mod parser;

pub(crate) use normalized::pointer_located;

use crate::document::ValueRef;
use crate::error::Error;
use crate::ondemand::{self, LazyValue, PathStep};
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

/// A compiled JSONPath expression (RFC 9535).
///
/// Parse an expression once with [`JsonPath::parse`] (or `str::parse`), then
/// run it over any number of documents with [`query`](JsonPath::query), which
/// returns the selected nodes in the RFC's nodelist order, or
/// [`query_located`](JsonPath::query_located), which pairs each with its
/// normalized path. Evaluation reads the document's tape directly: no tree is
/// built and no string is copied.
///
/// ```
/// use jsontape::JsonPath;
///
/// let doc = jsontape::parse(r#"{"store": {"book": [
///     {"title": "Sayings", "price": 8.95, "tags": ["quotes"]},
///     {"title": "Sword", "price": 12.99},
///     {"title": "Moby Dick", "price": 8.99, "isbn": "0-553-21311-3"}
/// ]}}"#)?;
///
/// let cheap = JsonPath::parse("$.store.book[?@.price < 10].title")?;
/// let titles: Vec<&str> = cheap.query(doc.root()).iter().filter_map(|v| v.as_str()).collect();
/// assert_eq!(titles, ["Sayings", "Moby Dick"]);
///
/// let with_isbn = JsonPath::parse("$..book[?@.isbn]")?;
/// let located = with_isbn.query_located(doc.root());
/// assert_eq!(located[0].0, "$['store']['book'][2]");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # What is supported
///
/// All of RFC 9535: `$`, child segments (`.name`, `.*`, `[...]`) and
/// descendant segments (`..name`, `..*`, `..[...]`); name selectors in either
/// quote style with every escape; the wildcard; indexes (negative from the
/// end); slices `start:end:step`; and filters `?` with `||`, `&&`, `!`,
/// parentheses, comparisons (`== != < <= > >=`), existence tests, `@` and `$`
/// queries and the function extensions `length()`, `count()`, `match()`,
/// `search()` and `value()`. Expressions are checked against the grammar
/// (including where blank space may go) and the type rules of section 2.4.3
/// (for example `length(@.*)` and `?count(@.*)` are errors). The RFC 9535
/// compliance test suite passes in full.
///
/// # Semantics worth knowing
///
/// - **Duplicate member names**, which the tape keeps: a name selector
///   (`$.a`, `$['a']`, also in filters) selects the *last* member with that
///   name, the one [`ValueRef::get`] returns. The wildcard, filter selectors
///   and descendant segments visit *every* member in document order, so two
///   members with the same name can both be selected, with the same
///   normalized path. In comparisons an object is its distinct names with
///   their last values (`{"a":1,"a":2} == {"a":2}`); `length()` of an object
///   counts its members as stored, as [`ValueRef::len`] does.
/// - **Object member order** is document order (the RFC leaves it open).
/// - **Numbers** compare by exact value across integers and floats:
///   `1 == 1.0`, and `9007199254740993` is greater than
///   `9007199254740992.0`.
/// - **Strings** compare by Unicode code point.
/// - **`match()` and `search()`** take I-Regexp patterns (RFC 9485),
///   translated for the `regex` crate as RFC 9485 section 5 describes (`.`
///   matches anything but `\n` and `\r`; `^` and `$` pass through as
///   anchors). A pattern that is not an I-Regexp, or that is too large to
///   compile, makes the function false. Literal patterns are compiled once,
///   by `parse`. Both need the `std` feature; without it an expression that
///   calls them is rejected by `parse`.
/// - **Limits**: parentheses, filters and function calls may nest 64 deep
///   in an expression; anything deeper is a [`PathError`], so no expression
///   can exhaust the stack. Documents are never walked recursively: any
///   depth the parser accepted can be queried.
#[derive(Clone)]
pub struct JsonPath {
    expression: String,
    query: ast::Query,
    cache_slots: usize,
    /// The query as steps an on-demand walk can follow, if it is made only
    /// of child segments with one name, non-negative index or wildcard each.
    steps: Option<Vec<PathStep>>,
}

/// Why a JSONPath expression was rejected, and where: a byte offset into the
/// expression and a message.
///
/// ```
/// let err = jsontape::JsonPath::parse("$['a' 'b']").unwrap_err();
/// assert_eq!(err.offset(), 6);
/// assert_eq!(err.to_string(), r#"expected ',' or ']', found "'" at offset 6"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    offset: usize,
    message: String,
}

impl PathError {
    pub(crate) fn new(offset: usize, message: String) -> PathError {
        PathError { offset, message }
    }

    /// The byte offset in the expression where the problem was found.
    ///
    /// ```
    /// let err = jsontape::JsonPath::parse("$.a[01]").unwrap_err();
    /// assert_eq!(err.offset(), 4);
    /// ```
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What is wrong, without the offset.
    ///
    /// ```
    /// let err = jsontape::JsonPath::parse("$[?length(@.*) > 1]").unwrap_err();
    /// assert_eq!(err.offset(), 10);
    /// assert!(err.message().contains("singular query"));
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// `{message} at offset {offset}`.
///
/// ```
/// let err = jsontape::JsonPath::parse("$.a b").unwrap_err();
/// assert_eq!(err.to_string(), "expected '.', '[' or the end of the query, found 'b' at offset 4");
/// ```
impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at offset {}", self.message, self.offset)
    }
}

impl core::error::Error for PathError {}

impl JsonPath {
    /// Compiles a JSONPath expression, or says where and why it is invalid.
    ///
    /// ```
    /// use jsontape::JsonPath;
    /// assert!(JsonPath::parse("$.a[0, -1, 2:5:2]['b', \"c\"]..d").is_ok());
    /// assert!(JsonPath::parse("$[?@.price < 10 && !match(@.title, 'S.*')]").is_ok());
    ///
    /// let err = JsonPath::parse("$[?@.a == 1").unwrap_err();
    /// assert_eq!(err.offset(), 11);
    /// assert_eq!(err.message(), "expected ',' or ']', found end of expression");
    /// ```
    pub fn parse(expression: &str) -> Result<JsonPath, PathError> {
        let parsed = parser::parse(expression)?;
        Ok(JsonPath {
            expression: String::from(expression),
            steps: walk_steps(&parsed.query),
            query: parsed.query,
            cache_slots: parsed.cache_slots,
        })
    }

    /// The nodes the expression selects from `root`, in the order RFC 9535
    /// defines (document order for wildcards and descendants, selector order
    /// within a bracketed selection). A node can appear more than once (as
    /// in `$[0, 0]`).
    ///
    /// ```
    /// let doc = jsontape::parse(r#"{"a": [1, 2, 3, 4, 5], "b": {"a": 6}}"#)?;
    /// let path = jsontape::JsonPath::parse("$.a[-2:]")?;
    /// let nodes = path.query(doc.root());
    /// assert_eq!(nodes.iter().map(|v| v.raw_json()).collect::<Vec<_>>(), ["4", "5"]);
    ///
    /// let all_a = jsontape::JsonPath::parse("$..a")?;
    /// assert_eq!(all_a.query(doc.root()).len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn query<'d>(&self, root: ValueRef<'d>) -> Vec<ValueRef<'d>> {
        let mut ctx = eval::Ctx::new(root, self.cache_slots);
        eval::select(&self.query, root, &mut ctx, &mut normalized::NoTrail)
            .into_iter()
            .map(|(node, ())| node)
            .collect()
    }

    /// [`query`](JsonPath::query), with each node's normalized path (RFC 9535
    /// section 2.7): `$` followed by `['name']` and `[index]` steps, names
    /// single-quoted with `'` and `\` escaped, control characters written as
    /// `\b \f \n \r \t` or `\u00xx`.
    ///
    /// ```
    /// let doc = jsontape::parse(r#"{"it's": [10, {"x\ny": 20}]}"#)?;
    /// let path = jsontape::JsonPath::parse("$..*")?;
    /// let located = path.query_located(doc.root());
    /// let paths: Vec<&str> = located.iter().map(|(p, _)| p.as_str()).collect();
    /// assert_eq!(paths, [r"$['it\'s']", r"$['it\'s'][0]", r"$['it\'s'][1]", r"$['it\'s'][1]['x\ny']"]);
    /// assert_eq!(located[3].1.as_u64(), Some(20));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn query_located<'d>(&self, root: ValueRef<'d>) -> Vec<(String, ValueRef<'d>)> {
        let mut ctx = eval::Ctx::new(root, self.cache_slots);
        let mut trail = normalized::PathTrail::new();
        let selected = eval::select(&self.query, root, &mut ctx, &mut trail);
        let mut renderer = normalized::Renderer::new(&trail);
        selected
            .into_iter()
            .map(|(node, loc)| (renderer.render(loc), node))
            .collect()
    }

    /// The values the expression selects straight from JSON text, each with
    /// its exact text and typed accessors, in the order of
    /// [`query`](JsonPath::query).
    ///
    /// An expression of child segments that each hold one name, non-negative
    /// index or wildcard (such as `$.statuses[*].user.screen_name`) is
    /// followed in one on-demand walk over the input, as [`get`](crate::get)
    /// follows a pointer: no tape is built, values off the path are skipped,
    /// and the input is validated only as far as `get` documents. Any other
    /// expression parses the whole input first (full validation), then
    /// queries the tape.
    ///
    /// ```
    /// let input = r#"{"users": [{"name": "Ada"}, {"id": 2}, {"name": "Alan"}]}"#;
    /// let path = jsontape::JsonPath::parse("$.users[*].name")?;
    /// let names: Vec<_> = path.query_input(input)?.iter().filter_map(|v| v.as_str()).collect();
    /// assert_eq!(names, ["Ada", "Alan"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn query_input<'a, I: AsRef<[u8]> + ?Sized>(
        &self,
        input: &'a I,
    ) -> Result<Vec<LazyValue<'a>>, Error> {
        let input = input.as_ref();
        if let Some(steps) = &self.steps {
            return ondemand::select(input, steps);
        }
        let doc = crate::parse(input)?;
        let text = doc.input();
        let values = self.query(doc.root()).into_iter().map(|v| {
            let start = v.input_offset();
            let raw = &text[start..start + v.raw_json().len()];
            LazyValue::parsed(input, start, raw)
        });
        Ok(values.collect())
    }

    /// The expression, as it was given to [`parse`](JsonPath::parse).
    ///
    /// ```
    /// let path = jsontape::JsonPath::parse("$..book[ 0 ]")?;
    /// assert_eq!(path.as_str(), "$..book[ 0 ]");
    /// # Ok::<(), jsontape::PathError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.expression
    }
}

/// The expression, as it was given to [`JsonPath::parse`].
///
/// ```
/// let path: jsontape::JsonPath = "$.a[?@ > 1]".parse()?;
/// assert_eq!(path.to_string(), "$.a[?@ > 1]");
/// # Ok::<(), jsontape::PathError>(())
/// ```
impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.expression)
    }
}

impl fmt::Debug for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("JsonPath").field(&self.expression).finish()
    }
}

/// The same as [`JsonPath::parse`].
///
/// ```
/// let path: jsontape::JsonPath = "$.a".parse()?;
/// let doc = jsontape::parse(r#"{"a": true}"#)?;
/// assert_eq!(path.query(doc.root())[0].as_bool(), Some(true));
/// assert!("$.".parse::<jsontape::JsonPath>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl FromStr for JsonPath {
    type Err = PathError;

    fn from_str(expression: &str) -> Result<JsonPath, PathError> {
        JsonPath::parse(expression)
    }
}

/// The steps of `query` for an on-demand walk, if it has that simple shape.
fn walk_steps(query: &ast::Query) -> Option<Vec<PathStep>> {
    if query.relative {
        return None;
    }
    query
        .segments
        .iter()
        .map(|segment| match segment {
            ast::Segment::Child(selectors) => match selectors.as_slice() {
                [ast::Selector::Name(name)] => Some(PathStep::Name(name.clone())),
                [ast::Selector::Wildcard] => Some(PathStep::Wildcard),
                [ast::Selector::Index(i)] => usize::try_from(*i).ok().map(PathStep::Index),
                _ => None,
            },
            ast::Segment::Descendant(_) => None,
        })
        .collect()
}
