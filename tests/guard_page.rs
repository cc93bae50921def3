//! The parser never reads outside its input: every input is placed so that its
//! last byte sits right before a `PROT_NONE` page (and, in a second variant, so
//! that its first byte sits right after one). Any out-of-bounds read faults and
//! kills the test process, which is the failure signal. Every result must also
//! equal the result of parsing the same bytes from an ordinary `Vec`.
#![cfg(target_os = "linux")]

mod common;

use std::path::PathBuf;

use jsontape::{Backend, ErrorKind, Parser};

/// What a parse produced, in a form that can be compared across buffers:
/// the compact printing and raw text of the root, or the error's kind and
/// position.
type Outcome = Result<(String, String), (ErrorKind, usize, usize, usize)>;

fn outcome_of(result: Result<jsontape::Document<'_>, jsontape::Error>) -> Outcome {
    match result {
        Ok(doc) => {
            let root = doc.root();
            Ok((root.to_string(), root.raw_json().to_owned()))
        }
        Err(e) => Err((e.kind(), e.offset(), e.line(), e.column())),
    }
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    assert!(size > 0, "sysconf(_SC_PAGESIZE) failed");
    size as usize
}

/// Where the `PROT_NONE` page goes relative to the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guard {
    /// The input ends exactly where the protected page begins.
    After,
    /// The input begins exactly where the protected page ends.
    Before,
}

/// An anonymous mapping, unmapped on drop (also when an assertion panics).
struct Mapping {
    base: *mut u8,
    len: usize,
}

impl Mapping {
    fn new(len: usize) -> Mapping {
        // SAFETY: an anonymous private mapping with no address hint has no
        // preconditions; failure is checked below.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert_ne!(base, libc::MAP_FAILED, "mmap of {len} bytes failed");
        Mapping {
            base: base.cast(),
            len,
        }
    }

    /// Makes the page starting `offset` bytes into the mapping inaccessible.
    fn protect_page(&self, offset: usize, page: usize) {
        assert!(offset + page <= self.len && offset.is_multiple_of(page));
        // SAFETY: the range is page-aligned and inside this mapping.
        let rc = unsafe { libc::mprotect(self.base.add(offset).cast(), page, libc::PROT_NONE) };
        assert_eq!(rc, 0, "mprotect failed");
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: `base` and `len` are exactly what mmap returned and was given.
        let rc = unsafe { libc::munmap(self.base.cast(), self.len) };
        assert_eq!(rc, 0, "munmap failed");
    }
}

/// Copies `input` next to a `PROT_NONE` page and calls `f` on the copy.
fn with_guard<R>(input: &[u8], guard: Guard, f: impl FnOnce(&[u8]) -> R) -> R {
    let page = page_size();
    let pages = input.len().div_ceil(page).max(1);
    let mapping = Mapping::new((pages + 1) * page);
    let start = match guard {
        Guard::After => {
            mapping.protect_page(pages * page, page);
            pages * page - input.len()
        }
        Guard::Before => {
            mapping.protect_page(0, page);
            page
        }
    };
    // SAFETY: `start..start + input.len()` lies in the readable, writable part
    // of the mapping, which does not overlap `input`; the slice is only used
    // while `mapping` is alive.
    let guarded = unsafe {
        let dst = mapping.base.add(start);
        std::ptr::copy_nonoverlapping(input.as_ptr(), dst, input.len());
        std::slice::from_raw_parts(dst, input.len())
    };
    match guard {
        Guard::After => assert_eq!(
            guarded.as_ptr_range().end as usize,
            mapping.base as usize + pages * page
        ),
        Guard::Before => assert_eq!(guarded.as_ptr() as usize, mapping.base as usize + page),
    }
    let result = f(guarded);
    drop(mapping);
    result
}

/// Parses `input` at both guard positions (with `jsontape::parse` and with
/// each of `parsers`, from [`common::parser_per_backend`], reused so that every
/// SIMD kernel's tail handling runs against the guard page too) and checks
/// every result against a parse from a plain `Vec`.
fn check(input: &[u8], parsers: &mut [(Backend, Parser)], what: &dyn Fn() -> String) {
    let owned = input.to_vec();
    let expected = outcome_of(jsontape::parse(&owned));
    for guard in [Guard::After, Guard::Before] {
        let fresh = with_guard(input, guard, |guarded| outcome_of(jsontape::parse(guarded)));
        assert_eq!(
            fresh,
            expected,
            "{} (guard {guard:?}, jsontape::parse)",
            what()
        );
        for (backend, parser) in parsers.iter_mut() {
            let reused = with_guard(input, guard, |guarded| outcome_of(parser.parse(guarded)));
            assert_eq!(
                reused,
                expected,
                "{} (guard {guard:?}, reused parser, backend {})",
                what(),
                backend.name()
            );
        }
    }
}

/// Every file of JSONTestSuite's `test_parsing`, sorted.
fn test_parsing_files() -> Vec<(String, Vec<u8>)> {
    let Some(dir) = common::corpus_subdir("conformance/JSONTestSuite/test_parsing") else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no files in {}", dir.display());
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

#[test]
fn the_guard_page_really_faults() {
    // A child process reads the byte just past a guarded input and must die of
    // SIGSEGV; otherwise the other tests would prove nothing.
    with_guard(b"[1]", Guard::After, |guarded| {
        let past_end = guarded.as_ptr_range().end;
        // SAFETY: the child only performs a volatile read and `_exit`, both
        // async-signal-safe; the parent only waits for it.
        unsafe {
            let pid = libc::fork();
            assert!(pid >= 0, "fork failed");
            if pid == 0 {
                std::ptr::read_volatile(past_end);
                libc::_exit(0);
            }
            let mut status = 0;
            assert_eq!(libc::waitpid(pid, &mut status, 0), pid);
            assert!(
                libc::WIFSIGNALED(status) && libc::WTERMSIG(status) == libc::SIGSEGV,
                "reading past the guarded input did not fault (status {status:#x})"
            );
        }
    });
}

#[test]
fn test_parsing_files_at_a_guard_page() {
    let files = test_parsing_files();
    let mut parsers = common::parser_per_backend();
    for (name, bytes) in &files {
        check(bytes, &mut parsers, &|| name.clone());
    }
    if !files.is_empty() {
        eprintln!("checked {} files", files.len());
    }
}

#[test]
fn truncated_test_parsing_files_at_a_guard_page() {
    let mut parsers = common::parser_per_backend();
    let mut prefixes = 0;
    for (name, bytes) in test_parsing_files() {
        if bytes.len() >= 2048 {
            continue;
        }
        for len in 0..=bytes.len() {
            check(&bytes[..len], &mut parsers, &|| {
                format!("{name} truncated to {len} bytes")
            });
            prefixes += 1;
        }
    }
    eprintln!("checked {prefixes} prefixes");
}

#[test]
fn edge_inputs_at_a_guard_page() {
    let edges: &[&[u8]] = &[
        b"1",
        b"-",
        b"1.5e3",
        b"-0",
        b"tru",
        b"true",
        b"nul",
        b"\"abc",
        b"\"ab\\",
        b"\"\\u12",
        b"[1,",
        b"{\"a\":",
        // A few more that end inside a token.
        b"",
        b"0",
        b"12345678901234567890",
        b"1e",
        b"1.",
        b"-1.5E+",
        b"fals",
        b"false",
        b"null",
        b"\"\\uD800",
        b"\"\\uD800\\",
        b"\"\\uD800\\u",
        b"\"\\uD800\\uDC0",
        b"\"\\uD800\\uDC00\"",
        "\"日本".as_bytes(),
        b"\"\xe6\x97",
        b"[\"a\",\"b\"",
        b"{\"a\":1,\"b\"",
    ];
    let mut parsers = common::parser_per_backend();
    for edge in edges {
        // The input itself and every prefix of it.
        for len in 0..=edge.len() {
            check(&edge[..len], &mut parsers, &|| {
                format!("{:?}", String::from_utf8_lossy(&edge[..len]))
            });
        }
    }
}

#[test]
fn runs_of_one_byte_at_a_guard_page() {
    let mut parsers = common::parser_per_backend();
    // Spaces, quotes and backslashes as required; a few more that stress
    // stage 1's block boundaries and the string scanner.
    for byte in [b' ', b'"', b'\\', b'[', b'1', b'\n', b'a'] {
        for len in 1..=130 {
            let input = vec![byte; len];
            check(&input, &mut parsers, &|| {
                format!("{len} x {:?}", byte as char)
            });
        }
    }
    // A string whose content is a run of backslashes, open and closed.
    for len in 0..=130 {
        let mut input = vec![b'"'];
        input.extend(std::iter::repeat_n(b'\\', len));
        check(&input, &mut parsers, &|| {
            format!("quote + {len} backslashes")
        });
        input.push(b'"');
        check(&input, &mut parsers, &|| {
            format!("quote + {len} backslashes + quote")
        });
    }
}

#[test]
fn inputs_around_block_chunk_and_page_sizes_at_a_guard_page() {
    let mut parsers = common::parser_per_backend();
    // A long document with every kind of token, escapes and multi-byte text,
    // to cut at and pad to lengths around 64-byte blocks, 4 KiB stage 1
    // chunks and pages.
    let mut long = String::from("[");
    for i in 0..400 {
        long.push_str(&format!(
            "{{\"k{i}\":[{i},-{i}.5e-3,true,false,null,\"x\\\"y\\\\\\u00e9\\uD834\\uDD1E\",\"日本\"]}},"
        ));
    }
    long.push_str("0]");
    let long = long.as_bytes();
    assert!(long.len() > 3 * 8192);
    assert!(
        jsontape::parse(long).is_ok(),
        "the long document must be valid"
    );
    let mut lengths = Vec::new();
    for boundary in [64, 128, 4096, 8192, 12288] {
        lengths.extend(boundary - 3..=boundary + 3);
    }
    for &len in &lengths {
        // A truncation of the long document.
        check(&long[..len], &mut parsers, &|| {
            format!("long document cut to {len}")
        });
        // A complete document padded with whitespace to exactly `len`.
        let mut padded = b"[1,\"a\\\\\",{\"b\":[]}]".to_vec();
        padded.resize(len, b' ');
        assert!(jsontape::parse(&padded).is_ok());
        check(&padded, &mut parsers, &|| {
            format!("padded document of {len} bytes")
        });
        // A single string of `len` bytes, closed and unclosed.
        let mut string = vec![b'a'; len];
        string[0] = b'"';
        check(&string, &mut parsers, &|| {
            format!("unclosed string of {len} bytes")
        });
        string[len - 1] = b'"';
        check(&string, &mut parsers, &|| format!("string of {len} bytes"));
        // A token at every byte: `[0,0,...,0]`, truncated to `len`.
        let mut dense = vec![b'['];
        while dense.len() < len {
            dense.extend_from_slice(b"0,");
        }
        dense.truncate(len);
        check(&dense, &mut parsers, &|| {
            format!("dense array cut to {len}")
        });
        *dense.last_mut().unwrap() = b']';
        check(&dense, &mut parsers, &|| {
            format!("dense array of {len} bytes")
        });
        // Runs of one byte.
        for byte in [b' ', b'"', b'\\'] {
            check(&vec![byte; len], &mut parsers, &|| {
                format!("{len} x {:?}", byte as char)
            });
        }
    }
    check(long, &mut parsers, &|| "the whole long document".to_owned());
}
