//! What a walk looks for: one pointer ([`Chain`]) or a trie of many ([`Trie`]).
//!
//! A query is a tree of nodes, one per prefix of the pointers' tokens; the
//! walk visits a value with the node its path reaches, descends into an
//! object or array only when the node has children, and hands every value
//! whose node ends a pointer to [`Query::found`].

use crate::path::pointer::{array_index, tokens, unescape};
use alloc::borrow::Cow;
use alloc::vec::Vec;
use core::ops::Range;

/// A value's extent in the input: `start..end`.
pub(super) type Span = (usize, usize);

/// The pointers a walk resolves, as a tree of tokens.
pub(super) trait Query {
    /// A node: the tokens of a path from the root.
    type Node: Copy;

    /// The root node, or `None` if no pointer is well formed.
    fn root(&self) -> Option<Self::Node>;

    /// Whether some pointer continues below `node`.
    fn has_children(&self, node: Self::Node) -> bool;

    /// Whether some pointer ends at `node`.
    fn wants_value(&self, node: Self::Node) -> bool;

    /// The child of `node` that an object member named `key` (decoded) reaches.
    fn child_for_key(&self, node: Self::Node, key: &[u8]) -> Option<Self::Node>;

    /// The child of `node` that array element `index` reaches.
    fn child_for_index(&self, node: Self::Node, index: usize) -> Option<Self::Node>;

    /// The one key that leads below `node` from an object, if no other can:
    /// the walk then searches the object for it instead of reading every
    /// member.
    fn sought_key(&self, node: Self::Node) -> Option<&[u8]>;

    /// Whether some child of `node` is an array index above `index`.
    fn needs_index_after(&self, node: Self::Node, index: usize) -> bool;

    /// The value at `node` spans `span`.
    fn found(&mut self, node: Self::Node, span: Span);

    /// Forgets what was found at and below `node`: a later member with the
    /// same key replaces it.
    fn clear(&mut self, node: Self::Node);
}

/// One pointer without `~` escapes, resolved without allocating: a node is
/// the rest of the pointer from there.
pub(super) struct Chain<'p> {
    pointer: &'p str,
    pub(super) found: Option<Span>,
}

/// A node of a [`Chain`]: the next token and what follows it.
#[derive(Clone, Copy)]
pub(super) struct Step<'p> {
    /// `None` where the pointer ends.
    token: Option<&'p str>,
    /// The array index the token spells, if it spells one.
    index: Option<usize>,
    /// The pointer after the token (`""` or starting with `/`).
    rest: &'p str,
}

impl<'p> Step<'p> {
    /// The node for `rest`, `""` or starting with `/`.
    fn new(rest: &'p str) -> Step<'p> {
        let Some(body) = rest.strip_prefix('/') else {
            return Step {
                token: None,
                index: None,
                rest: "",
            };
        };
        let (token, rest) = body.split_at(body.find('/').unwrap_or(body.len()));
        Step {
            token: Some(token),
            index: array_index(token),
            rest,
        }
    }
}

impl<'p> Chain<'p> {
    /// The query for `pointer`, which must not contain `~` (see [`Trie`]).
    pub(super) fn new(pointer: &'p str) -> Chain<'p> {
        Chain {
            pointer,
            found: None,
        }
    }
}

impl<'p> Query for Chain<'p> {
    type Node = Step<'p>;

    fn root(&self) -> Option<Step<'p>> {
        (self.pointer.is_empty() || self.pointer.starts_with('/')).then(|| Step::new(self.pointer))
    }

    #[inline]
    fn has_children(&self, node: Step<'p>) -> bool {
        node.token.is_some()
    }

    #[inline]
    fn wants_value(&self, node: Step<'p>) -> bool {
        node.token.is_none()
    }

    #[inline]
    fn child_for_key(&self, node: Step<'p>, key: &[u8]) -> Option<Step<'p>> {
        (node.token?.as_bytes() == key).then(|| Step::new(node.rest))
    }

    #[inline]
    fn child_for_index(&self, node: Step<'p>, index: usize) -> Option<Step<'p>> {
        (node.index? == index).then(|| Step::new(node.rest))
    }

    #[inline]
    fn sought_key(&self, node: Step<'p>) -> Option<&[u8]> {
        node.token.map(str::as_bytes)
    }

    #[inline]
    fn needs_index_after(&self, node: Step<'p>, index: usize) -> bool {
        node.index.is_some_and(|i| i > index)
    }

    fn found(&mut self, _: Step<'p>, span: Span) {
        self.found = Some(span);
    }

    fn clear(&mut self, _: Step<'p>) {
        // Every node is on the one path.
        self.found = None;
    }
}

/// Many pointers, merged into a trie of decoded tokens so that one walk
/// resolves them all.
pub(super) struct Trie<'p> {
    nodes: Vec<TrieNode>,
    /// The children of every node, each node's contiguous and sorted by token.
    edges: Vec<Edge<'p>>,
    /// The ids of the well-formed pointers, sorted by their tokens: the
    /// pointers through any node are a contiguous range of it.
    order: Vec<usize>,
    /// What was found for each pointer, by id (position in the input list).
    pub(super) found: Vec<Option<Span>>,
}

#[derive(Default)]
struct TrieNode {
    /// Its children in `edges`.
    edges: Range<usize>,
    /// The pointers that end here, in `order`.
    targets: Range<usize>,
    /// The pointers that pass through here (ending here or below), in `order`.
    subtree: Range<usize>,
    /// The largest array index among its children's tokens.
    max_index: Option<usize>,
}

struct Edge<'p> {
    /// The decoded token.
    token: Cow<'p, str>,
    child: usize,
}

impl<'p> Trie<'p> {
    /// The trie of `pointers`; a malformed one finds nothing.
    pub(super) fn new(pointers: &[&'p str]) -> Trie<'p> {
        let decoded: Vec<Option<Vec<Cow<'p, str>>>> = pointers
            .iter()
            .map(|p| tokens(p)?.map(unescape).collect())
            .collect();
        let path = |id: usize| decoded[id].as_deref().unwrap_or_default();
        let mut order: Vec<usize> = (0..pointers.len())
            .filter(|&id| decoded[id].is_some())
            .collect();
        order.sort_by(|&a, &b| path(a).cmp(path(b)));

        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        nodes.push(TrieNode::default());
        // Nodes to fill in: id, depth, and the range of `order` through it.
        let mut work = Vec::new();
        if !order.is_empty() {
            work.push((0, 0, 0..order.len()));
        }
        while let Some((id, depth, range)) = work.pop() {
            // Sorted, the pointers that end here come first.
            let mut i = range.start;
            while i < range.end && path(order[i]).len() == depth {
                i += 1;
            }
            let targets = range.start..i;
            let first_edge = edges.len();
            let mut max_index = None;
            while i < range.end {
                let token = &path(order[i])[depth];
                let mut j = i + 1;
                while j < range.end && &path(order[j])[depth] == token {
                    j += 1;
                }
                let child = nodes.len();
                nodes.push(TrieNode::default());
                max_index = max_index.max(array_index(token));
                edges.push(Edge {
                    token: token.clone(),
                    child,
                });
                work.push((child, depth + 1, i..j));
                i = j;
            }
            let node = &mut nodes[id];
            node.targets = targets;
            node.subtree = range;
            node.edges = first_edge..edges.len();
            node.max_index = max_index;
        }
        Trie {
            nodes,
            edges,
            order,
            found: alloc::vec![None; pointers.len()],
        }
    }

    fn node(&self, id: usize) -> &TrieNode {
        &self.nodes[id]
    }

    fn children(&self, id: usize) -> &[Edge<'p>] {
        &self.edges[self.node(id).edges.clone()]
    }

    fn child_by_token(&self, id: usize, token: &[u8]) -> Option<usize> {
        let children = self.children(id);
        children
            .binary_search_by(|e| e.token.as_bytes().cmp(token))
            .ok()
            .map(|at| children[at].child)
    }
}

impl Query for Trie<'_> {
    type Node = usize;

    fn root(&self) -> Option<usize> {
        (!self.order.is_empty()).then_some(0)
    }

    #[inline]
    fn has_children(&self, node: usize) -> bool {
        !self.node(node).edges.is_empty()
    }

    #[inline]
    fn wants_value(&self, node: usize) -> bool {
        !self.node(node).targets.is_empty()
    }

    #[inline]
    fn child_for_key(&self, node: usize, key: &[u8]) -> Option<usize> {
        self.child_by_token(node, key)
    }

    #[inline]
    fn child_for_index(&self, node: usize, index: usize) -> Option<usize> {
        if self.node(node).max_index.is_none_or(|max| max < index) {
            return None;
        }
        // An index token is the canonical decimal (no leading zeros), so
        // look it up as text.
        self.child_by_token(node, itoa::Buffer::new().format(index).as_bytes())
    }

    #[inline]
    fn sought_key(&self, node: usize) -> Option<&[u8]> {
        match self.children(node) {
            [only] => Some(only.token.as_bytes()),
            _ => None,
        }
    }

    #[inline]
    fn needs_index_after(&self, node: usize, index: usize) -> bool {
        self.node(node).max_index.is_some_and(|max| max > index)
    }

    fn found(&mut self, node: usize, span: Span) {
        let targets = self.nodes[node].targets.clone();
        for &id in &self.order[targets] {
            self.found[id] = Some(span);
        }
    }

    fn clear(&mut self, node: usize) {
        let subtree = self.nodes[node].subtree.clone();
        for &id in &self.order[subtree] {
            self.found[id] = None;
        }
    }
}

/// One step of a JSONPath query the walk can follow by itself: a child
/// segment with one name, non-negative index or wildcard selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathStep {
    /// A member name, unescaped.
    Name(alloc::boxed::Box<str>),
    Index(usize),
    /// Every member or element.
    Wildcard,
}

/// A JSONPath query of [`PathStep`]s, collecting every value it selects in
/// document order (its nodelist). A node is the number of steps taken.
///
/// Names select the last member with the name, as on the tape: when a
/// member repeats a name within one object, what the earlier one found is
/// dropped. To tell "the same object" from "the next object at this step",
/// each node counts how many values were entered at it (`entered`); the mark
/// a name step leaves records that count of its object's node.
pub(super) struct Steps<'p> {
    steps: &'p [PathStep],
    pub(super) found: Vec<Span>,
    /// Per node: values entered there so far (interior mutability: the walk
    /// asks for children through `&self`).
    entered: Vec<core::cell::Cell<u32>>,
    /// Per node reached by a name: (the `entered` count of the object, the
    /// length of `found` when its member started).
    marks: Vec<Option<(u32, usize)>>,
}

impl<'p> Steps<'p> {
    pub(super) fn new(steps: &'p [PathStep]) -> Steps<'p> {
        let nodes = steps.len() + 1;
        Steps {
            steps,
            found: Vec::new(),
            entered: (0..nodes).map(|_| core::cell::Cell::new(0)).collect(),
            marks: alloc::vec![None; nodes],
        }
    }

    /// `node + 1`, counting the value entered there.
    #[inline]
    fn enter(&self, node: usize) -> usize {
        let child = node + 1;
        let count = &self.entered[child];
        count.set(count.get().wrapping_add(1));
        child
    }
}

impl Query for Steps<'_> {
    type Node = usize;

    fn root(&self) -> Option<usize> {
        Some(0)
    }

    #[inline]
    fn has_children(&self, node: usize) -> bool {
        node < self.steps.len()
    }

    #[inline]
    fn wants_value(&self, node: usize) -> bool {
        node == self.steps.len()
    }

    #[inline]
    fn child_for_key(&self, node: usize, key: &[u8]) -> Option<usize> {
        match self.steps.get(node)? {
            PathStep::Name(name) if name.as_bytes() == key => Some(self.enter(node)),
            PathStep::Wildcard => Some(self.enter(node)),
            _ => None,
        }
    }

    #[inline]
    fn child_for_index(&self, node: usize, index: usize) -> Option<usize> {
        match self.steps.get(node)? {
            PathStep::Index(wanted) if *wanted == index => Some(self.enter(node)),
            PathStep::Wildcard => Some(self.enter(node)),
            _ => None,
        }
    }

    #[inline]
    fn sought_key(&self, node: usize) -> Option<&[u8]> {
        match self.steps.get(node)? {
            PathStep::Name(name) => Some(name.as_bytes()),
            _ => None,
        }
    }

    #[inline]
    fn needs_index_after(&self, node: usize, index: usize) -> bool {
        match self.steps.get(node) {
            Some(PathStep::Index(wanted)) => *wanted > index,
            Some(PathStep::Wildcard) => true,
            _ => false,
        }
    }

    fn found(&mut self, _: usize, span: Span) {
        self.found.push(span);
    }

    /// A member reaching `node` starts. Only a name step forgets: a wildcard
    /// keeps every member, duplicates included.
    fn clear(&mut self, node: usize) {
        if !matches!(
            self.steps.get(node.wrapping_sub(1)),
            Some(PathStep::Name(_))
        ) {
            return;
        }
        let object = self.entered[node - 1].get();
        if let Some((seen, start)) = self.marks[node]
            && seen == object
        {
            // The same object names this member again: the last wins.
            self.found.truncate(start);
        }
        self.marks[node] = Some((object, self.found.len()));
    }
}
