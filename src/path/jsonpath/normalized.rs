//! Locations of selected nodes, and their normalized paths (RFC 9535
//! section 2.7).
//!
//! The evaluator is generic over a [`Trail`]: [`NoTrail`] records nothing
//! (for [`JsonPath::query`](super::JsonPath::query) and for every query
//! inside a filter), [`PathTrail`] records each step once in an arena of
//! parent links, so a location is one index however deep the node is, and
//! the text of a path is only written for the nodes finally selected.

use crate::Kind;
use crate::document::ValueRef;
use crate::path::pointer;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

/// One step from a node to a child.
#[derive(Debug, Clone, Copy)]
pub(super) enum Step<'d> {
    /// An object member, by its (unescaped) name.
    Member(&'d str),
    /// An array element, by its non-negative index.
    Element(usize),
}

/// Where the evaluator records the location of the nodes it visits.
pub(super) trait Trail<'d> {
    /// A node's location.
    type Loc: Copy;

    /// The location of the node the query starts at.
    fn root(&mut self) -> Self::Loc;

    /// The location of the child `step` of the node at `parent`.
    fn child(&mut self, parent: Self::Loc, step: Step<'d>) -> Self::Loc;
}

/// Records nothing.
pub(super) struct NoTrail;

impl<'d> Trail<'d> for NoTrail {
    type Loc = ();

    #[inline(always)]
    fn root(&mut self) {}

    #[inline(always)]
    fn child(&mut self, (): (), _: Step<'d>) {}
}

/// Records every step as (parent, step); a location is an index into it.
pub(super) struct PathTrail<'d> {
    steps: Vec<(usize, Step<'d>)>,
}

/// The root's location: no step.
const ROOT: usize = usize::MAX;

impl<'d> Trail<'d> for PathTrail<'d> {
    type Loc = usize;

    fn root(&mut self) -> usize {
        ROOT
    }

    fn child(&mut self, parent: usize, step: Step<'d>) -> usize {
        self.steps.push((parent, step));
        self.steps.len() - 1
    }
}

impl<'d> PathTrail<'d> {
    pub(super) fn new() -> PathTrail<'d> {
        PathTrail { steps: Vec::new() }
    }

    /// The normalized path of the node at `loc`, such as `$['a'][0]`.
    fn write_path(&self, loc: usize, scratch: &mut Vec<Step<'d>>, out: &mut String) {
        scratch.clear();
        let mut at = loc;
        while let Some(&(parent, step)) = self.steps.get(at) {
            scratch.push(step);
            at = parent;
        }
        out.push('$');
        for &step in scratch.iter().rev() {
            push_step(step, out);
        }
    }
}

/// Writes normalized paths, remembering the last parent's: consecutive
/// nodes usually are siblings (a wildcard, a slice, a filter), and their
/// shared prefix is written once.
pub(super) struct Renderer<'t, 'd> {
    trail: &'t PathTrail<'d>,
    scratch: Vec<Step<'d>>,
    /// The location whose path `prefix` holds.
    parent: Option<usize>,
    prefix: String,
}

impl<'t, 'd> Renderer<'t, 'd> {
    pub(super) fn new(trail: &'t PathTrail<'d>) -> Renderer<'t, 'd> {
        Renderer {
            trail,
            scratch: Vec::new(),
            parent: None,
            prefix: String::new(),
        }
    }

    /// The normalized path of the node at `loc`.
    pub(super) fn render(&mut self, loc: usize) -> String {
        let Some(&(parent, step)) = self.trail.steps.get(loc) else {
            return String::from("$");
        };
        if self.parent != Some(parent) {
            self.prefix.clear();
            self.trail
                .write_path(parent, &mut self.scratch, &mut self.prefix);
            self.parent = Some(parent);
        }
        let mut out = String::with_capacity(self.prefix.len() + 16);
        out.push_str(&self.prefix);
        push_step(step, &mut out);
        out
    }
}

/// The value at `json_pointer` from `value`, and its normalized path from
/// there: the pointer's steps resolved one token at a time as
/// [`pointer::resolve`] resolves them, each written as [`push_step`] writes
/// the evaluator's.
pub(crate) fn pointer_located<'d>(
    value: ValueRef<'d>,
    json_pointer: &str,
) -> Option<(String, ValueRef<'d>)> {
    let mut path = String::from("$");
    let mut node = value;
    for token in pointer::tokens(json_pointer)? {
        let child = pointer::step(node, token)?;
        match node.kind() {
            Kind::Array => push_step(Step::Element(pointer::array_index(token)?), &mut path),
            _ => push_step(Step::Member(&pointer::unescape(token)?), &mut path),
        }
        node = child;
    }
    Some((path, node))
}

fn push_step(step: Step<'_>, out: &mut String) {
    match step {
        Step::Member(name) => {
            out.push_str("['");
            escape_name(name, out);
            out.push_str("']");
        }
        Step::Element(index) => {
            out.push('[');
            out.push_str(itoa::Buffer::new().format(index));
            out.push(']');
        }
    }
}

/// Appends `name` as the inside of a normalized path's single-quoted name:
/// `'` and `\` escaped with a backslash, the control characters with a short
/// escape (`\b \f \n \r \t`) or else `\u00xx` in lowercase hexadecimal; every
/// other character as itself.
pub(super) fn escape_name(name: &str, out: &mut String) {
    let mut plain = 0;
    for (i, c) in name.char_indices() {
        let escape = match c {
            '\'' => "\\'",
            '\\' => "\\\\",
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\0'..='\u{1f}' => "",
            _ => continue,
        };
        out.push_str(&name[plain..i]);
        if escape.is_empty() {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push_str(escape);
        }
        plain = i + c.len_utf8();
    }
    out.push_str(&name[plain..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_paths_are_the_normalized_paths_of_their_values() {
        let doc = crate::parse(r#"{"a/b": [0, {"it's\n~": {"0": true}}], "c": 1}"#).unwrap();
        let (path, value) = pointer_located(doc.root(), "/a~1b/1/it's\n~0/0").unwrap();
        assert_eq!(value.as_bool(), Some(true));
        let located = super::super::JsonPath::parse("$..*")
            .unwrap()
            .query_located(doc.root());
        assert!(
            located
                .iter()
                .any(|(p, v)| *p == path && v.raw_json() == "true"),
            "{path}"
        );
        assert_eq!(
            pointer_located(doc.root(), "").map(|(p, _)| p).as_deref(),
            Some("$")
        );
        assert!(pointer_located(doc.root(), "/a~1b/2").is_none());
        assert!(pointer_located(doc.root(), "/a~2b").is_none());
    }

    #[test]
    fn escapes_names_as_the_rfc_requires() {
        let mut out = String::new();
        escape_name("a'b\\c\u{8}\u{c}\n\r\t\u{0}\u{1f}\u{7f}é😀\"", &mut out);
        assert_eq!(out, "a\\'b\\\\c\\b\\f\\n\\r\\t\\u0000\\u001f\u{7f}é😀\"");
    }

    #[test]
    fn renders_paths_from_the_root() {
        let mut trail = PathTrail::new();
        let root = trail.root();
        let a = trail.child(root, Step::Member("a"));
        let zero = trail.child(a, Step::Element(0));
        let one = trail.child(a, Step::Element(1));
        let b = trail.child(root, Step::Member("b"));
        let mut renderer = Renderer::new(&trail);
        assert_eq!(renderer.render(root), "$");
        assert_eq!(renderer.render(zero), "$['a'][0]");
        assert_eq!(renderer.render(one), "$['a'][1]");
        assert_eq!(renderer.render(a), "$['a']");
        assert_eq!(renderer.render(b), "$['b']");
        assert_eq!(renderer.render(zero), "$['a'][0]");
    }
}
