//! [`InlineStack`]: the work stack of the walks that replace recursion (the
//! DOM builder, the writer).

use alloc::vec::Vec;
use core::mem::ManuallyDrop;

/// Levels a stack holds on the call stack before it allocates.
const INLINE_DEPTH: usize = 24;

/// A stack whose first [`INLINE_DEPTH`] entries live inline, so that a walk
/// over a document nested less deeply than that allocates nothing for its
/// stack; deeper levels go to a `Vec`.
///
/// Dropping it drops only the entries it holds: the inline slots are in a
/// `ManuallyDrop` and [`Drop`] pops what is left, so the slots above the top
/// (all `None`) are never visited. Letting the compiler drop the array instead
/// runs the entry type's drop glue on every slot; for the DOM builder's
/// containers that cost more than building a small document's `Value`.
pub(crate) struct InlineStack<T> {
    inline: ManuallyDrop<[Option<T>; INLINE_DEPTH]>,
    len: usize,
    spilled: Vec<T>,
}

impl<T> Drop for InlineStack<T> {
    fn drop(&mut self) {
        // Every inline slot at or above `len` is `None`; empty the rest, and
        // the array then holds nothing to drop.
        while self.pop().is_some() {}
    }
}

impl<T> InlineStack<T> {
    pub(crate) fn new() -> InlineStack<T> {
        InlineStack {
            inline: ManuallyDrop::new(core::array::from_fn(|_| None)),
            len: 0,
            spilled: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, item: T) {
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = Some(item),
            None => self.spilled.push(item),
        }
        self.len += 1;
    }

    pub(crate) fn pop(&mut self) -> Option<T> {
        self.len = self.len.checked_sub(1)?;
        match self.inline.get_mut(self.len) {
            Some(slot) => slot.take(),
            None => self.spilled.pop(),
        }
    }

    /// Entries held.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn last_mut(&mut self) -> Option<&mut T> {
        let top = self.len.checked_sub(1)?;
        match self.inline.get_mut(top) {
            Some(slot) => slot.as_mut(),
            None => self.spilled.last_mut(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spills_past_the_inline_levels_and_comes_back() {
        let mut stack = InlineStack::new();
        for i in 0..3 * INLINE_DEPTH {
            stack.push(i);
            assert_eq!(stack.last_mut().copied(), Some(i));
        }
        for i in (0..3 * INLINE_DEPTH).rev() {
            assert_eq!(stack.pop(), Some(i));
        }
        assert_eq!(stack.pop(), None);
        assert!(stack.last_mut().is_none());
    }

    #[test]
    fn dropping_drops_every_entry_left() {
        let counter = alloc::rc::Rc::new(());
        let mut stack = InlineStack::new();
        for _ in 0..INLINE_DEPTH + 5 {
            stack.push(alloc::rc::Rc::clone(&counter));
        }
        stack.pop();
        assert_eq!(alloc::rc::Rc::strong_count(&counter), INLINE_DEPTH + 5);
        drop(stack);
        assert_eq!(alloc::rc::Rc::strong_count(&counter), 1);
    }
}
