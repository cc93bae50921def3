//! The walk: one pass over the input, reading the containers on the paths of
//! a [`Query`] token by token and skipping every other value.
//!
//! Like stage 2 it is a loop over an explicit stack, never a recursion; the
//! stack holds only the containers on a path, so it is as deep as the
//! longest pointer, whatever the nesting of the input.

use super::query::Query;
use super::stream::{Fault, Seek, Stream};
use crate::arch::Kernel;
use crate::error::ErrorKind;
use crate::inline_stack::InlineStack;
use crate::stage2::string::{self, StringSpan};
use alloc::string::String;

/// What the value being walked sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// The top level.
    Root,
    Object,
    Array,
}

/// A container on a path (or the top level).
#[derive(Clone, Copy)]
struct Frame<N> {
    context: Context,
    node: N,
    /// Offset of its opening bracket.
    start: usize,
    /// In an array, the index of the current element.
    index: usize,
    /// Whether its own value is wanted too (recorded when it closes).
    record: bool,
    /// Whether a container around it still needs the input after its end;
    /// when not, an array whose wanted elements are all done ends the walk.
    outer_needs_rest: bool,
    /// Whether this is an object searched for one key
    /// ([`Query::sought_key`]) rather than read member by member.
    seek: bool,
}

impl<N: Copy> Frame<N> {
    /// Whether this container needs the input after its current child.
    #[inline(always)]
    fn needs_rest<Q: Query<Node = N>>(&self, query: &Q) -> bool {
        self.outer_needs_rest
            || match self.context {
                Context::Root => false,
                // A later member may repeat a key.
                Context::Object => true,
                Context::Array => self.record || query.needs_index_after(self.node, self.index),
            }
    }
}

/// Walks `input` once, reporting what `query` looks for to it.
#[inline(always)]
pub(super) fn walk<K: Kernel, Q: Query>(
    kernel: K,
    input: &[u8],
    query: &mut Q,
) -> Result<(), Fault> {
    let Some(root) = query.root() else {
        return Ok(());
    };
    let mut walker = Walker {
        kernel,
        input,
        stream: Stream::new(kernel, input),
        scratch: String::new(),
    };
    walker.run(query, root)
}

struct Walker<'a, K> {
    kernel: K,
    input: &'a [u8],
    stream: Stream<'a, K>,
    /// Escaped keys are decoded here.
    scratch: String,
}

impl<K: Kernel> Walker<'_, K> {
    /// The byte at `at`, an offset the stream returned (always in the input).
    #[inline(always)]
    fn byte(&self, at: usize) -> u8 {
        self.input.get(at).copied().unwrap_or(b' ')
    }

    #[inline(always)]
    fn next(&mut self) -> Result<usize, Fault> {
        match self.stream.next_token() {
            Some(at) => Ok(at),
            None => Err(self.stream.end_of_input()),
        }
    }

    #[inline(always)]
    fn run<Q: Query>(&mut self, query: &mut Q, root: Q::Node) -> Result<(), Fault> {
        let top = Frame {
            context: Context::Root,
            node: root,
            start: 0,
            index: 0,
            record: false,
            outer_needs_rest: false,
            seek: false,
        };
        let mut stack = InlineStack::new();
        let mut current = top;
        let mut node = Some(root);
        let mut at = self.next()?;
        'value: loop {
            // A value starts at `at`; `node` is where its path leads, if anywhere.
            let byte = self.byte(at);
            let descend = match node {
                Some(n) if query.has_children(n) => match byte {
                    b'{' => Some((n, Context::Object)),
                    b'[' => Some((n, Context::Array)),
                    _ => None,
                },
                _ => None,
            };
            if let Some((n, context)) = descend {
                let outer_needs_rest = current.needs_rest(query);
                stack.push(current);
                current = Frame {
                    context,
                    node: n,
                    start: at,
                    index: 0,
                    record: query.wants_value(n),
                    outer_needs_rest,
                    seek: context == Context::Object && query.sought_key(n).is_some(),
                };
                let first = match self.seek_in(query, &mut current)? {
                    Some(first) => first,
                    None => self.next()?,
                };
                match (context, self.byte(first)) {
                    (Context::Object, b'}') | (Context::Array, b']') => {
                        self.close(query, &current, first);
                        current = stack.pop().unwrap_or(top);
                    }
                    (Context::Object, b'"') => {
                        (node, at) = self.member(query, n, first)?;
                        continue 'value;
                    }
                    (Context::Object, _) => return Err((ErrorKind::ExpectedKey, first)),
                    _ => {
                        node = query.child_for_index(n, 0);
                        at = first;
                        continue 'value;
                    }
                }
            } else {
                let wanted = node.filter(|&n| query.wants_value(n));
                let end = match byte {
                    b'{' | b'[' => self.skip_container(at)? + 1,
                    b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => match wanted {
                        Some(_) => self.stream.scalar_end(at)?,
                        None => at,
                    },
                    _ => return Err((ErrorKind::ExpectedValue, at)),
                };
                if let Some(n) = wanted {
                    query.found(n, (at, end));
                }
            }
            // A value is complete: what follows depends on the container.
            loop {
                match current.context {
                    Context::Root => {
                        return match self.stream.next_token() {
                            Some(extra) => Err((ErrorKind::TrailingCharacters, extra)),
                            // A string value skipped at the top level may be unterminated.
                            None if self.stream.ends_in_string() => Err(self.stream.end_of_input()),
                            None => Ok(()),
                        };
                    }
                    Context::Object => {
                        if let Some(next) = self.seek_in(query, &mut current)? {
                            match self.byte(next) {
                                b'"' => {
                                    (node, at) = self.member(query, current.node, next)?;
                                    continue 'value;
                                }
                                b'}' => {
                                    self.close(query, &current, next);
                                    current = stack.pop().unwrap_or(top);
                                }
                                _ => return Err((ErrorKind::ExpectedCommaOrObjectEnd, next)),
                            }
                            continue;
                        }
                        let after = self.next()?;
                        match self.byte(after) {
                            b',' => {
                                let key = self.next()?;
                                if self.byte(key) != b'"' {
                                    return Err((ErrorKind::ExpectedKey, key));
                                }
                                (node, at) = self.member(query, current.node, key)?;
                                continue 'value;
                            }
                            b'}' => {
                                self.close(query, &current, after);
                                current = stack.pop().unwrap_or(top);
                            }
                            _ => return Err((ErrorKind::ExpectedCommaOrObjectEnd, after)),
                        }
                    }
                    Context::Array => {
                        if !current.record && !query.needs_index_after(current.node, current.index)
                        {
                            // No later element is wanted.
                            if !current.outer_needs_rest {
                                return Ok(());
                            }
                            let end = self.stream.skip_to_close()?;
                            if self.byte(end) != b']' {
                                return Err((ErrorKind::ExpectedCommaOrArrayEnd, end));
                            }
                            current = stack.pop().unwrap_or(top);
                            continue;
                        }
                        let after = self.next()?;
                        match self.byte(after) {
                            b',' => {
                                current.index += 1;
                                node = query.child_for_index(current.node, current.index);
                                at = self.next()?;
                                continue 'value;
                            }
                            b']' => {
                                self.close(query, &current, after);
                                current = stack.pop().unwrap_or(top);
                            }
                            _ => return Err((ErrorKind::ExpectedCommaOrArrayEnd, after)),
                        }
                    }
                }
            }
        }
    }

    /// In an object searched for one key (see [`Frame::seek`]): skips to the
    /// next member with the key or to the closing bracket, and returns that
    /// token (the key's opening quote, or the bracket). `None` when the
    /// object is read member by member: it is not searched, or the search
    /// met a key it cannot decide on, after which it is read member by
    /// member to its end.
    #[inline(always)]
    fn seek_in<Q: Query>(
        &mut self,
        query: &Q,
        frame: &mut Frame<Q::Node>,
    ) -> Result<Option<usize>, Fault> {
        if !frame.seek {
            return Ok(None);
        }
        let Some(key) = query.sought_key(frame.node) else {
            return Ok(None);
        };
        match self.stream.seek_member(key)? {
            Seek::Member => self.next().map(Some),
            Seek::Close(at) => Ok(Some(at)),
            Seek::Unsure => {
                frame.seek = false;
                Ok(None)
            }
        }
    }

    /// The container of `frame` closed at `at`: records it if it is wanted.
    #[inline(always)]
    fn close<Q: Query>(&self, query: &mut Q, frame: &Frame<Q::Node>, at: usize) {
        if frame.record {
            query.found(frame.node, (frame.start, at + 1));
        }
    }

    /// Skips the array or object opened at `at`; returns the offset of its
    /// closing bracket, which must be of the same kind.
    #[inline(always)]
    fn skip_container(&mut self, at: usize) -> Result<usize, Fault> {
        let end = self.stream.skip_to_close()?;
        let opening = self.byte(at);
        // `{` and `}`, `[` and `]` are two apart.
        if self.byte(end) != opening.wrapping_add(2) {
            let kind = match opening {
                b'{' => ErrorKind::ExpectedCommaOrObjectEnd,
                _ => ErrorKind::ExpectedCommaOrArrayEnd,
            };
            return Err((kind, end));
        }
        Ok(end)
    }

    /// An object member whose key starts at `key` (a quote), in an object at
    /// `node`: reads the key and the colon. Returns the node of the member's
    /// value (forgetting what an earlier member with the same key found) and
    /// the offset of the value.
    #[inline(always)]
    fn member<Q: Query>(
        &mut self,
        query: &mut Q,
        node: Q::Node,
        key: usize,
    ) -> Result<(Option<Q::Node>, usize), Fault> {
        let child = self.key(query, node, key)?;
        let colon = self.next()?;
        if self.byte(colon) != b':' {
            return Err((ErrorKind::ExpectedColon, colon));
        }
        let value = self.next()?;
        if let Some(child) = child {
            query.clear(child);
        }
        Ok((child, value))
    }

    /// Reads and validates the key whose opening quote is at `quote`, and
    /// returns the child of `node` it names.
    #[inline(always)]
    fn key<Q: Query>(
        &mut self,
        query: &Q,
        node: Q::Node,
        quote: usize,
    ) -> Result<Option<Q::Node>, Fault> {
        let input = self.input;
        let start = quote + 1;
        let end = self
            .kernel
            .find_quote_or_backslash(input, start)
            .ok_or((ErrorKind::UnterminatedString, quote))?;
        if input.get(end) != Some(&b'"') {
            return self.escaped_key(query, node, quote);
        }
        let raw = input.get(start..end).unwrap_or_default();
        if raw.iter().any(|b| !(0x20..0x80).contains(b)) {
            check_text(raw, start)?;
        }
        Ok(query.child_for_key(node, raw))
    }

    /// [`key`](Walker::key) for a key with escapes: decodes it into the
    /// scratch buffer, validating the escapes.
    #[inline(never)]
    fn escaped_key<Q: Query>(
        &mut self,
        query: &Q,
        node: Q::Node,
        quote: usize,
    ) -> Result<Option<Q::Node>, Fault> {
        let input = self.input;
        let end = string::string_end(self.kernel, input, quote)
            .ok_or((ErrorKind::UnterminatedString, quote))?;
        let quoted = input.get(quote..end).unwrap_or_default();
        let text = check_text(quoted, quote)?;
        self.scratch.clear();
        let parsed = string::parse_string(self.kernel, text, 0, &mut self.scratch)
            .map_err(|(kind, at)| (kind, quote + at))?;
        let decoded = match parsed.span {
            StringSpan::Input { len } => text.as_bytes().get(1..1 + len),
            StringSpan::Arena { offset, len } => self.scratch.as_bytes().get(offset..offset + len),
        };
        Ok(query.child_for_key(node, decoded.unwrap_or_default()))
    }
}

/// `bytes`, at `offset` of the input, as text: valid UTF-8 without raw
/// control characters. Reports the first offending byte.
fn check_text(bytes: &[u8], offset: usize) -> Result<&str, Fault> {
    let control = bytes.iter().position(|&b| b < 0x20);
    let text = core::str::from_utf8(bytes);
    match (control, text) {
        (None, Ok(text)) => Ok(text),
        (Some(c), Err(e)) if e.valid_up_to() < c => {
            Err((ErrorKind::InvalidUtf8, offset + e.valid_up_to()))
        }
        (Some(c), _) => Err((ErrorKind::ControlCharacterInString, offset + c)),
        (None, Err(e)) => Err((ErrorKind::InvalidUtf8, offset + e.valid_up_to())),
    }
}
