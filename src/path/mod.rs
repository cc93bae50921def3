//! Addressing values inside a document: JSON Pointer (RFC 6901) and JSONPath
//! (RFC 9535).

pub(crate) mod jsonpath;
pub(crate) mod pointer;
