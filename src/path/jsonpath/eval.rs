//! Evaluating a compiled query over the tape.
//!
//! A query is evaluated a segment at a time: the nodelist of one segment is
//! the input of the next, so a query of any length runs in a loop. A
//! descendant segment walks the subtree with an explicit stack, in document
//! order, and deep equality of arrays and objects uses an explicit stack too:
//! nothing here recurses on the document's depth. Filters recurse on the
//! expression's structure only, whose depth the parser bounds.
//!
//! Semantics decided where the RFC leaves room or says nothing:
//! - duplicate member names (which the tape keeps): a name selector selects
//!   the **last** member with that name, as [`ValueRef::get`] does; the
//!   wildcard, filters and descendant segments visit every member, in
//!   document order. Two members with one name have the same normalized path.
//! - object equality compares distinct names, each with its last value, so
//!   `{"a":1,"a":2}` equals `{"a":2}`; `length()` of an object counts its
//!   members as stored (duplicates included), as [`ValueRef::len`] does.

use super::ast::{
    Arg, CmpOp, FnCall, Func, Literal, Logical, Num, Query, Segment, Selector, ValueExpr,
};
use super::normalized::{Step, Trail};
use crate::Kind;
use crate::document::{ArrayIter, ObjectIter, ValueRef};
use alloc::vec;
use alloc::vec::Vec;
use core::cmp::Ordering;

/// State for one evaluation of a whole expression.
pub(super) struct Ctx<'d> {
    /// What `$` means inside filters.
    root: ValueRef<'d>,
    /// Nodelists of the non-singular absolute queries inside filters, each
    /// computed on first use (see [`Query::cache_slot`]).
    absolute: Vec<Option<Vec<ValueRef<'d>>>>,
    #[cfg(feature = "std")]
    regexes: super::iregexp::Cache,
}

impl<'d> Ctx<'d> {
    pub(super) fn new(root: ValueRef<'d>, cache_slots: usize) -> Ctx<'d> {
        Ctx {
            root,
            absolute: vec![None; cache_slots],
            #[cfg(feature = "std")]
            regexes: super::iregexp::Cache::default(),
        }
    }
}

/// The nodes `query` selects from `start` (a filter's current node, or the
/// root), each with its location in `trail`.
pub(super) fn select<'d, T: Trail<'d>>(
    query: &Query,
    start: ValueRef<'d>,
    ctx: &mut Ctx<'d>,
    trail: &mut T,
) -> Vec<(ValueRef<'d>, T::Loc)> {
    let mut current = vec![(start, trail.root())];
    let mut next = Vec::new();
    for segment in &query.segments {
        next.clear();
        match segment {
            Segment::Child(selectors) => {
                for &(node, loc) in &current {
                    for selector in selectors {
                        apply(selector, node, loc, ctx, trail, &mut next);
                    }
                }
            }
            Segment::Descendant(selectors) => {
                let mut stack = Vec::new();
                for &(node, loc) in &current {
                    descend(selectors, node, loc, ctx, trail, &mut next, &mut stack);
                }
            }
        }
        core::mem::swap(&mut current, &mut next);
        if current.is_empty() {
            break;
        }
    }
    current
}

fn is_container(node: ValueRef<'_>) -> bool {
    matches!(node.kind(), Kind::Array | Kind::Object)
}

/// The children of a container, with the step to each.
enum Children<'d> {
    Array(core::iter::Enumerate<ArrayIter<'d>>),
    Object(ObjectIter<'d>),
}

impl<'d> Children<'d> {
    fn of(node: ValueRef<'d>) -> Children<'d> {
        match node.kind() {
            Kind::Object => Children::Object(node.object_iter()),
            _ => Children::Array(node.array_iter().enumerate()),
        }
    }
}

impl<'d> Iterator for Children<'d> {
    type Item = (ValueRef<'d>, Step<'d>);

    #[inline]
    fn next(&mut self) -> Option<(ValueRef<'d>, Step<'d>)> {
        match self {
            Children::Array(elements) => elements
                .next()
                .map(|(index, value)| (value, Step::Element(index))),
            Children::Object(members) => members
                .next()
                .map(|(name, value)| (value, Step::Member(name))),
        }
    }
}

/// A descendant segment from `node`: the selectors applied to the node and
/// then to each of its descendants, in document order (pre-order). Scalars
/// are skipped, since no selector selects anything from them.
fn descend<'d, T: Trail<'d>>(
    selectors: &[Selector],
    node: ValueRef<'d>,
    loc: T::Loc,
    ctx: &mut Ctx<'d>,
    trail: &mut T,
    out: &mut Vec<(ValueRef<'d>, T::Loc)>,
    stack: &mut Vec<(Children<'d>, T::Loc)>,
) {
    if !is_container(node) {
        return;
    }
    for selector in selectors {
        apply(selector, node, loc, ctx, trail, out);
    }
    stack.clear();
    stack.push((Children::of(node), loc));
    while let Some((children, parent)) = stack.last_mut() {
        let parent = *parent;
        let Some((child, step)) = children.next() else {
            stack.pop();
            continue;
        };
        if !is_container(child) {
            continue;
        }
        let child_loc = trail.child(parent, step);
        for selector in selectors {
            apply(selector, child, child_loc, ctx, trail, out);
        }
        stack.push((Children::of(child), child_loc));
    }
}

/// Appends what `selector` selects from `node`.
fn apply<'d, T: Trail<'d>>(
    selector: &Selector,
    node: ValueRef<'d>,
    loc: T::Loc,
    ctx: &mut Ctx<'d>,
    trail: &mut T,
    out: &mut Vec<(ValueRef<'d>, T::Loc)>,
) {
    match selector {
        Selector::Name(name) => {
            // The last member with the name, as `ValueRef::get` answers.
            if let Some((key, value)) = node.last_field_named(name) {
                // A field's key is a string on the tape.
                let key = key.as_str().unwrap_or_default();
                out.push((value, trail.child(loc, Step::Member(key))));
            }
        }
        Selector::Wildcard => {
            if is_container(node) {
                for (child, step) in Children::of(node) {
                    out.push((child, trail.child(loc, step)));
                }
            }
        }
        &Selector::Index(index) => {
            if let Some((index, child)) = element(node, index) {
                out.push((child, trail.child(loc, Step::Element(index))));
            }
        }
        &Selector::Slice { start, end, step } => slice(node, start, end, step, loc, trail, out),
        Selector::Filter(filter) => {
            if is_container(node) {
                for (child, step) in Children::of(node) {
                    if test(filter, child, ctx) {
                        out.push((child, trail.child(loc, step)));
                    }
                }
            }
        }
    }
}

/// Element `index` of an array (negative: from the end), with its
/// non-negative index.
fn element(node: ValueRef<'_>, index: i64) -> Option<(usize, ValueRef<'_>)> {
    if node.kind() != Kind::Array {
        return None;
    }
    let index = if index < 0 {
        let len = i64::try_from(node.len()).ok()?;
        usize::try_from(len + index).ok()?
    } else {
        usize::try_from(index).ok()?
    };
    Some((index, node.at(index)?))
}

/// An array slice, with the semantics of RFC 9535 section 2.3.4.2.
fn slice<'d, T: Trail<'d>>(
    node: ValueRef<'d>,
    start: Option<i64>,
    end: Option<i64>,
    step: Option<i64>,
    loc: T::Loc,
    trail: &mut T,
    out: &mut Vec<(ValueRef<'d>, T::Loc)>,
) {
    if node.kind() != Kind::Array {
        return;
    }
    let step = step.unwrap_or(1);
    let Ok(len) = i64::try_from(node.len()) else {
        return;
    };
    // Bounds are within ±(2^53 - 1) and the length within 2^32: no overflow.
    let normalize = |i: i64| if i >= 0 { i } else { len + i };
    match step.cmp(&0) {
        Ordering::Equal => {}
        Ordering::Greater => {
            let lower = start.map_or(0, |s| normalize(s).clamp(0, len));
            let upper = end.map_or(len, |e| normalize(e).clamp(0, len));
            if lower >= upper {
                return;
            }
            // Non-negative and at most `len`, so these conversions hold.
            let (lower, upper) = (lower as usize, upper as usize);
            let step = usize::try_from(step).unwrap_or(usize::MAX);
            let selected = node
                .array_iter()
                .enumerate()
                .take(upper)
                .skip(lower)
                .step_by(step);
            for (index, child) in selected {
                out.push((child, trail.child(loc, Step::Element(index))));
            }
        }
        Ordering::Less => {
            let upper = start.map_or(len - 1, |s| normalize(s).clamp(-1, len - 1));
            let lower = end.map_or(-1, |e| normalize(e).clamp(-1, len - 1));
            if lower >= upper {
                return;
            }
            // `upper` is in 0..len here.
            let elements: Vec<ValueRef<'d>> = node.array_iter().take(upper as usize + 1).collect();
            let mut i = upper;
            while lower < i {
                if let Some(&child) = elements.get(i as usize) {
                    out.push((child, trail.child(loc, Step::Element(i as usize))));
                }
                i += step;
            }
        }
    }
}

// ---- filters ----

/// Whether `filter` holds for the current node `current`.
fn test<'d>(filter: &Logical, current: ValueRef<'d>, ctx: &mut Ctx<'d>) -> bool {
    match filter {
        Logical::Or(operands) => operands.iter().any(|op| test(op, current, ctx)),
        Logical::And(operands) => operands.iter().all(|op| test(op, current, ctx)),
        Logical::Not(operand) => !test(operand, current, ctx),
        Logical::Exists(query) => exists(query, current, ctx),
        Logical::Compare(comparison) => {
            let left = value_of(&comparison.left, current, ctx);
            let right = value_of(&comparison.right, current, ctx);
            compare(&left, comparison.op, &right)
        }
        Logical::Function(call) => logical_function(call, current, ctx),
    }
}

/// The node a singular query selects, without building a nodelist.
fn singular<'d>(query: &Query, current: ValueRef<'d>, ctx: &Ctx<'d>) -> Option<ValueRef<'d>> {
    let mut node = if query.relative { current } else { ctx.root };
    for segment in &query.segments {
        let Segment::Child(selectors) = segment else {
            return None;
        };
        node = match selectors.as_slice() {
            [Selector::Name(name)] => node.get(name)?,
            [Selector::Index(index)] => element(node, *index)?.1,
            _ => return None,
        };
    }
    Some(node)
}

/// Calls `f` with the nodelist of `query`, evaluated from `current` (or the
/// root), reusing the cached nodelist of an absolute query.
fn with_nodes<'d, R>(
    query: &Query,
    current: ValueRef<'d>,
    ctx: &mut Ctx<'d>,
    f: impl FnOnce(&[ValueRef<'d>]) -> R,
) -> R {
    if query.singular {
        return match singular(query, current, ctx) {
            Some(node) => f(&[node]),
            None => f(&[]),
        };
    }
    let start = if query.relative { current } else { ctx.root };
    let Some(slot) = query.cache_slot else {
        return f(&nodes(query, start, ctx));
    };
    if ctx.absolute.get(slot).is_some_and(Option::is_none) {
        let list = nodes(query, start, ctx);
        if let Some(entry) = ctx.absolute.get_mut(slot) {
            *entry = Some(list);
        }
    }
    match ctx.absolute.get(slot) {
        Some(Some(list)) => f(list),
        _ => f(&nodes(query, start, ctx)),
    }
}

fn nodes<'d>(query: &Query, start: ValueRef<'d>, ctx: &mut Ctx<'d>) -> Vec<ValueRef<'d>> {
    select(query, start, ctx, &mut super::normalized::NoTrail)
        .into_iter()
        .map(|(node, ())| node)
        .collect()
}

fn exists<'d>(query: &Query, current: ValueRef<'d>, ctx: &mut Ctx<'d>) -> bool {
    with_nodes(query, current, ctx, |nodes| !nodes.is_empty())
}

/// The result of a ValueType expression.
enum Val<'p, 'd> {
    /// The special result Nothing (an absent value).
    Nothing,
    Node(ValueRef<'d>),
    Literal(&'p Literal),
    /// A computed number (`length()`, `count()`).
    Int(i128),
}

fn value_of<'p, 'd>(expr: &'p ValueExpr, current: ValueRef<'d>, ctx: &mut Ctx<'d>) -> Val<'p, 'd> {
    match expr {
        ValueExpr::Literal(literal) => Val::Literal(literal),
        ValueExpr::Query(query) => singular(query, current, ctx).map_or(Val::Nothing, Val::Node),
        ValueExpr::Function(call) => value_function(call, current, ctx),
    }
}

fn value_arg<'p, 'd>(
    arg: Option<&'p Arg>,
    current: ValueRef<'d>,
    ctx: &mut Ctx<'d>,
) -> Val<'p, 'd> {
    match arg {
        Some(Arg::Value(expr)) => value_of(expr, current, ctx),
        _ => Val::Nothing,
    }
}

/// A ValueType function: `length()`, `count()`, `value()`.
fn value_function<'p, 'd>(
    call: &'p FnCall,
    current: ValueRef<'d>,
    ctx: &mut Ctx<'d>,
) -> Val<'p, 'd> {
    match call.func {
        Func::Length => match view(&value_arg(call.args.first(), current, ctx)) {
            View::Str(s) => Val::Int(s.chars().count() as i128),
            View::Array(node) | View::Object(node) => Val::Int(node.len() as i128),
            _ => Val::Nothing,
        },
        Func::Count => match call.args.first() {
            Some(Arg::Nodes(query)) => {
                Val::Int(with_nodes(query, current, ctx, |nodes| nodes.len()) as i128)
            }
            _ => Val::Nothing,
        },
        Func::Value => match call.args.first() {
            Some(Arg::Nodes(query)) => with_nodes(query, current, ctx, |nodes| match nodes {
                [node] => Val::Node(*node),
                _ => Val::Nothing,
            }),
            _ => Val::Nothing,
        },
        #[cfg(feature = "std")]
        Func::Regex { .. } => Val::Nothing,
    }
}

/// A LogicalType function: `match()`, `search()`.
#[cfg_attr(not(feature = "std"), allow(unused_variables))]
fn logical_function<'d>(call: &FnCall, current: ValueRef<'d>, ctx: &mut Ctx<'d>) -> bool {
    match &call.func {
        #[cfg(feature = "std")]
        Func::Regex { anchored, literal } => {
            let subject = value_arg(call.args.first(), current, ctx);
            let View::Str(subject) = view(&subject) else {
                return false;
            };
            if let Some(regex) = literal {
                return regex.as_ref().is_some_and(|regex| regex.is_match(subject));
            }
            let pattern = value_arg(call.args.get(1), current, ctx);
            let View::Str(pattern) = view(&pattern) else {
                return false;
            };
            ctx.regexes.is_match(pattern, *anchored, subject)
        }
        _ => false,
    }
}

// ---- comparisons (RFC 9535 section 2.3.5.2.2) ----

/// A value seen for comparison.
#[derive(Clone, Copy)]
enum View<'a> {
    Nothing,
    Null,
    Bool(bool),
    Number(Num),
    Str(&'a str),
    Array(ValueRef<'a>),
    Object(ValueRef<'a>),
}

fn view<'a>(val: &'a Val<'_, '_>) -> View<'a> {
    match *val {
        Val::Nothing => View::Nothing,
        Val::Node(node) => view_node(node),
        Val::Int(n) => View::Number(Num::Int(n)),
        Val::Literal(literal) => match literal {
            Literal::Null => View::Null,
            Literal::Bool(b) => View::Bool(*b),
            Literal::Number(n) => View::Number(*n),
            Literal::String(s) => View::Str(s),
        },
    }
}

fn view_node(node: ValueRef<'_>) -> View<'_> {
    match node.kind() {
        Kind::Null => View::Null,
        Kind::Bool => View::Bool(node.as_bool() == Some(true)),
        Kind::Number => View::Number(number(node)),
        Kind::String => View::Str(node.as_str().unwrap_or_default()),
        Kind::Array => View::Array(node),
        Kind::Object => View::Object(node),
    }
}

/// A number node, exactly: integers as integers, the rest as `f64`.
fn number(node: ValueRef<'_>) -> Num {
    if let Some(n) = node.as_u64() {
        Num::Int(i128::from(n))
    } else if let Some(n) = node.as_i64() {
        Num::Int(i128::from(n))
    } else {
        Num::Float(node.as_f64().unwrap_or(f64::NAN))
    }
}

fn compare(left: &Val<'_, '_>, op: CmpOp, right: &Val<'_, '_>) -> bool {
    let (a, b) = (view(left), view(right));
    match op {
        CmpOp::Eq => equal(a, b),
        CmpOp::Ne => !equal(a, b),
        CmpOp::Lt => less(a, b),
        CmpOp::Le => less(a, b) || equal(a, b),
        CmpOp::Gt => less(b, a),
        CmpOp::Ge => less(b, a) || equal(a, b),
    }
}

/// `<`: numbers by value, strings by code point (which is UTF-8 byte order);
/// false for anything else.
fn less(a: View<'_>, b: View<'_>) -> bool {
    match (a, b) {
        (View::Number(a), View::Number(b)) => compare_numbers(a, b) == Some(Ordering::Less),
        (View::Str(a), View::Str(b)) => a < b,
        _ => false,
    }
}

/// `==`, deep for arrays and objects, without recursion.
fn equal(a: View<'_>, b: View<'_>) -> bool {
    match (a, b) {
        (View::Array(a), View::Array(b)) | (View::Object(a), View::Object(b)) => {
            equal_containers(a, b)
        }
        _ => equal_scalars(a, b),
    }
}

fn equal_scalars(a: View<'_>, b: View<'_>) -> bool {
    match (a, b) {
        (View::Nothing, View::Nothing) | (View::Null, View::Null) => true,
        (View::Bool(a), View::Bool(b)) => a == b,
        (View::Number(a), View::Number(b)) => compare_numbers(a, b) == Some(Ordering::Equal),
        (View::Str(a), View::Str(b)) => a == b,
        _ => false,
    }
}

fn equal_containers(a: ValueRef<'_>, b: ValueRef<'_>) -> bool {
    let mut pending = vec![(a, b)];
    while let Some((a, b)) = pending.pop() {
        if core::ptr::eq(a.document(), b.document()) && a.tape_index() == b.tape_index() {
            continue;
        }
        match (view_node(a), view_node(b)) {
            (View::Array(a), View::Array(b)) => {
                if a.len() != b.len() {
                    return false;
                }
                pending.extend(a.array_iter().zip(b.array_iter()));
            }
            (View::Object(a), View::Object(b)) => {
                let (a, b) = (distinct_members(a), distinct_members(b));
                if a.len() != b.len() {
                    return false;
                }
                for (&(name_a, value_a), &(name_b, value_b)) in a.iter().zip(&b) {
                    if name_a != name_b {
                        return false;
                    }
                    pending.push((value_a, value_b));
                }
            }
            (a, b) => {
                if !equal_scalars(a, b) {
                    return false;
                }
            }
        }
    }
    true
}

/// An object's members sorted by name, each name once with its last value.
fn distinct_members(object: ValueRef<'_>) -> Vec<(&str, ValueRef<'_>)> {
    let mut members: Vec<_> = object.object_iter().collect();
    // Reversed, then stably sorted: the last occurrence of a name comes
    // first among its equals, and `dedup` keeps the first.
    members.reverse();
    members.sort_by(|a, b| a.0.cmp(b.0));
    members.dedup_by(|later, first| later.0 == first.0);
    members
}

/// Numbers by exact value: an integer and a float compare as the real
/// numbers they are, so `1 == 1.0` but `9007199254740993 != 9007199254740992.0`.
fn compare_numbers(a: Num, b: Num) -> Option<Ordering> {
    match (a, b) {
        (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
        (Num::Float(a), Num::Float(b)) => a.partial_cmp(&b),
        (Num::Int(a), Num::Float(b)) => compare_int_float(a, b),
        (Num::Float(a), Num::Int(b)) => compare_int_float(b, a).map(Ordering::reverse),
    }
}

fn compare_int_float(int: i128, float: f64) -> Option<Ordering> {
    /// 2^127: every i128 is below it, and it is exactly representable.
    const LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    if float.is_nan() {
        return None;
    }
    if float >= LIMIT {
        return Some(Ordering::Less);
    }
    if float < -LIMIT {
        return Some(Ordering::Greater);
    }
    let whole = float.trunc();
    // Exact: `whole` is an integer within the i128 range.
    let whole_int = whole as i128;
    Some(int.cmp(&whole_int).then_with(|| {
        if float > whole {
            Ordering::Less
        } else if float < whole {
            Ordering::Greater
        } else {
            Ordering::Equal
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_and_floats_compare_exactly() {
        let cmp = |a, b| compare_numbers(a, b);
        use Num::{Float, Int};
        assert_eq!(cmp(Int(1), Float(1.0)), Some(Ordering::Equal));
        assert_eq!(cmp(Int(0), Float(-0.0)), Some(Ordering::Equal));
        assert_eq!(cmp(Int(2), Float(2.5)), Some(Ordering::Less));
        assert_eq!(cmp(Int(-2), Float(-2.5)), Some(Ordering::Greater));
        assert_eq!(cmp(Float(-2.5), Int(-2)), Some(Ordering::Less));
        // 2^53 + 1 is not representable; the float is 2^53.
        assert_eq!(
            cmp(Int(9_007_199_254_740_993), Float(9_007_199_254_740_992.0)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            cmp(
                Int(i128::from(u64::MAX)),
                Float(18_446_744_073_709_551_616.0)
            ),
            Some(Ordering::Less)
        );
        assert_eq!(
            cmp(Int(i128::MAX), Float(f64::INFINITY)),
            Some(Ordering::Less)
        );
        assert_eq!(
            cmp(Int(i128::MIN), Float(f64::NEG_INFINITY)),
            Some(Ordering::Greater)
        );
        assert_eq!(cmp(Int(i128::MIN), Float(-1.7e38)), Some(Ordering::Less));
        assert_eq!(
            cmp(Float(1e300), Float(f64::INFINITY)),
            Some(Ordering::Less)
        );
    }
}
