//! Addressing values inside a document: JSON Pointer (RFC 6901).

pub(crate) mod pointer;
