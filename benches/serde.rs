//! Typed deserialization (serde) of twitter.json and citm_catalog.json:
//! jsontape against serde_json, sonic-rs and simd-json, into the same structs.
//!
//! Run: `RUSTFLAGS="-C target-cpu=native" cargo bench --bench serde`, or with a
//! filter, e.g. `-- twitter` (the peers need the flag for their SIMD paths;
//! jsontape dispatches at run time either way). The documents are the
//! corpus's (`$JSONTAPE_CORPUS/bench`, else `../shared/corpus/bench`); without
//! it the bench prints a note and measures nothing.
//!
//! The types are in `support/typed.rs`: every field of both documents, unknown
//! fields denied (so no library skips what another deserializes), strings as
//! `Cow<str>` that borrow where the library can. Per document (one criterion
//! group each, `serde_<document>`, throughput in bytes), one iteration is:
//!
//! - `jsontape/parser-reused`: `Parser::deserialize` on a reused `Parser`
//!   (no tape allocation in steady state);
//! - `jsontape/from_slice`: `jsontape::from_slice` (a fresh tape each call);
//! - `jsontape/document`: `jsontape::parse` then `Document::deserialize`
//!   (borrows escaped strings from the document's arena too);
//! - `serde_json/from_slice`: `serde_json::from_slice` (built with
//!   `float_roundtrip`);
//! - `sonic_rs/from_slice`: `sonic_rs::from_slice`;
//! - `simd_json/from_slice+copy`: copy the input into a reused `Vec` (simd-json
//!   mutates its input), then `simd_json::serde::from_slice`;
//! - `simd_json/with_buffers+copy`: the same with `from_slice_with_buffers` and
//!   reused `Buffers`, simd-json's best case;
//! - `memcpy/input-copy`: only the copy the simd-json functions include.
//!
//! Every function builds the value and drops it. Before any timing, every
//! library's value must equal jsontape's (`PartialEq` on the structs), and
//! the allocations per document are printed (a counting global allocator,
//! counting only while that report runs).

use std::fmt::Debug;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use serde::Deserialize;

#[path = "support/documents.rs"]
mod documents;
#[path = "support/typed.rs"]
mod typed;
use typed::{CitmCatalog, Strings, Twitter};

// ---------------------------------------------------------------------------
// Counting allocator: the tests' own (it counts only the measuring thread, so
// the timed loops pay one thread-local read per allocation and nothing else).

#[path = "../tests/common/alloc_counter.rs"]
#[allow(dead_code)]
mod alloc_counter;

#[global_allocator]
static GLOBAL: alloc_counter::Counting = alloc_counter::Counting;

/// The allocations `f` makes.
fn count_allocs(f: impl FnOnce()) -> alloc_counter::Allocs {
    alloc_counter::measure(f).1
}

// ---------------------------------------------------------------------------
// The libraries, generic over the document's type.

/// A typed model of one document, for every input lifetime.
trait Model {
    /// The document's file name in the corpus.
    const FILE: &'static str;
    type Of<'a>: Deserialize<'a> + PartialEq + Debug + Clone + Strings;
    /// `PartialEq` across input lifetimes (the types are covariant, but a
    /// generic associated type is not known to be).
    fn same(a: &Self::Of<'_>, b: &Self::Of<'_>) -> bool;
}

struct TwitterModel;
impl Model for TwitterModel {
    const FILE: &'static str = "twitter.json";
    type Of<'a> = Twitter<'a>;
    fn same(a: &Twitter<'_>, b: &Twitter<'_>) -> bool {
        a == b
    }
}

struct CitmModel;
impl Model for CitmModel {
    const FILE: &'static str = "citm_catalog.json";
    type Of<'a> = CitmCatalog<'a>;
    fn same(a: &CitmCatalog<'_>, b: &CitmCatalog<'_>) -> bool {
        a == b
    }
}

/// simd-json's reusable state: the mutable input copy and, for
/// `from_slice_with_buffers`, its buffers.
struct Simd {
    copy: Vec<u8>,
    buffers: simd_json::Buffers,
}

impl Simd {
    fn new(len: usize) -> Simd {
        Simd {
            copy: Vec::with_capacity(len),
            buffers: simd_json::Buffers::new(len),
        }
    }

    /// Copies `bytes` into the reused buffer (simd-json unescapes strings in
    /// place, so it needs a mutable input) and hands it out.
    #[inline]
    fn copy(&mut self, bytes: &[u8]) -> &mut [u8] {
        self.copy.clear();
        self.copy.extend_from_slice(bytes);
        &mut self.copy
    }
}

/// Runs each library on `bytes` and hands its value to `f`; the same calls
/// the timed loops make.
struct Libraries {
    parser: jsontape::Parser,
    simd: Simd,
}

impl Libraries {
    fn new(len: usize) -> Libraries {
        Libraries {
            parser: jsontape::Parser::new(),
            simd: Simd::new(len),
        }
    }

    /// The library names, in the order of [`Libraries::run`].
    const NAMES: [&'static str; 7] = [
        "jsontape/parser-reused",
        "jsontape/from_slice",
        "jsontape/document",
        "serde_json/from_slice",
        "sonic_rs/from_slice",
        "simd_json/from_slice+copy",
        "simd_json/with_buffers+copy",
    ];

    /// Deserializes `bytes` with library number `which` (see [`Self::NAMES`])
    /// and hands the value to `f`. Panics if the library rejects it.
    #[inline]
    fn run<M: Model, R>(
        &mut self,
        which: usize,
        bytes: &[u8],
        f: impl for<'a> FnOnce(M::Of<'a>) -> R,
    ) -> R {
        let name = Self::NAMES[which];
        // The value, or a panic naming the library.
        macro_rules! ok {
            ($result:expr) => {
                match $result {
                    Ok(value) => value,
                    Err(e) => panic!("{}: {name}: {e}", M::FILE),
                }
            };
        }
        match which {
            0 => f(ok!(self.parser.deserialize::<M::Of<'_>, _>(bytes))),
            1 => f(ok!(jsontape::from_slice::<M::Of<'_>>(bytes))),
            2 => {
                let doc = ok!(jsontape::parse(bytes));
                f(ok!(doc.deserialize::<M::Of<'_>>()))
            }
            3 => f(ok!(serde_json::from_slice::<M::Of<'_>>(bytes))),
            4 => f(ok!(sonic_rs::from_slice::<M::Of<'_>>(bytes))),
            5 => f(ok!(simd_json::serde::from_slice::<M::Of<'_>>(
                self.simd.copy(bytes)
            ))),
            6 => {
                let Simd { copy, buffers } = &mut self.simd;
                copy.clear();
                copy.extend_from_slice(bytes);
                f(ok!(simd_json::serde::from_slice_with_buffers::<M::Of<'_>>(
                    copy, buffers
                )))
            }
            _ => unreachable!("no library {which}"),
        }
    }
}

// ---------------------------------------------------------------------------
// Checks and allocation report.

/// Every library's value equals jsontape's; prints how many strings each
/// borrowed and copied.
fn check<M: Model>(bytes: &[u8]) {
    let reference: M::Of<'_> = jsontape::from_slice(bytes)
        .unwrap_or_else(|e| panic!("{}: jsontape::from_slice: {e}", M::FILE));
    let mut libraries = Libraries::new(bytes.len());
    let mut report = Vec::new();
    // Twice each, so that reused state (the Parser, simd-json's buffers) is
    // exercised on its second document too.
    for _ in 0..2 {
        report.clear();
        for (which, name) in Libraries::NAMES.iter().enumerate() {
            let strings = libraries.run::<M, _>(which, bytes, |value| {
                assert!(
                    M::same(&value, &reference),
                    "{}: {name} gives a different value than jsontape::from_slice",
                    M::FILE
                );
                value.strings()
            });
            report.push((*name, strings));
        }
    }
    // jsontape's other backends give the same value too.
    for backend in jsontape::Backend::ALL {
        if backend.is_supported() && backend != jsontape::backend() {
            let options = jsontape::Options::new().with_backend(backend);
            let mut parser = jsontape::Parser::with_options(options);
            let value: M::Of<'_> = parser.deserialize(bytes).unwrap();
            assert!(
                M::same(&value, &reference),
                "{}: jsontape's {} backend gives a different value",
                M::FILE,
                backend.name()
            );
        }
    }
    let cells: Vec<String> = report
        .iter()
        .map(|(name, (borrowed, owned))| format!("{name} {borrowed}/{owned}"))
        .collect();
    eprintln!(
        "check {:<18} {:>9} B  ok: every library gives the same value; strings borrowed/copied: {}",
        M::FILE,
        bytes.len(),
        cells.join(", ")
    );
}

/// Allocations per document in steady state (the second call, on reused
/// state where the API has any), each library's value dropped inside.
fn alloc_report<M: Model>(bytes: &[u8]) {
    let mut libraries = Libraries::new(bytes.len());
    let reference: M::Of<'_> = jsontape::from_slice(bytes).unwrap();
    // The value's own allocations (Vecs, Boxes, map nodes, copied strings),
    // as a floor: cloning the value allocates exactly those.
    let own = count_allocs(|| drop(black_box(reference.clone())));
    let (_, copied) = reference.strings();
    eprintln!(
        "{:<30} {:>8} {:>8} {:>12}   (cloning jsontape's value: {copied} copied strings)",
        format!("{} value clone", M::FILE),
        own.allocs,
        own.reallocs,
        own.bytes,
    );
    for (which, name) in Libraries::NAMES.iter().enumerate() {
        libraries.run::<M, _>(which, bytes, |value| drop(black_box(value)));
        let allocs = count_allocs(|| {
            libraries.run::<M, _>(which, bytes, |value| drop(black_box(value)));
        });
        eprintln!(
            "{:<30} {:>8} {:>8} {:>12}",
            name, allocs.allocs, allocs.reallocs, allocs.bytes
        );
    }
    let copy = count_allocs(|| {
        black_box(libraries.simd.copy(bytes).len());
    });
    eprintln!(
        "{:<30} {:>8} {:>8} {:>12}",
        "memcpy/input-copy", copy.allocs, copy.reallocs, copy.bytes
    );
}

// ---------------------------------------------------------------------------
// Benchmarks.

fn bench<M: Model>(c: &mut Criterion, bytes: &[u8]) {
    let name = M::FILE.trim_end_matches(".json");
    let mut group = c.benchmark_group(format!("serde_{name}"));
    group.throughput(Throughput::BytesDecimal(bytes.len() as u64));
    let mut libraries = Libraries::new(bytes.len());
    for (which, function) in Libraries::NAMES.iter().enumerate() {
        group.bench_function(*function, |b| {
            b.iter(|| {
                libraries.run::<M, _>(which, black_box(bytes), |value| {
                    black_box(&value);
                })
            })
        });
    }
    let mut simd = Simd::new(bytes.len());
    group.bench_function("memcpy/input-copy", |b| {
        b.iter(|| black_box(simd.copy(black_box(bytes))).len())
    });
    group.finish();
}

fn main() {
    let docs = documents::load_documents();
    let find = |file: &str| docs.iter().find(|d| d.name == file).map(|d| &d.bytes[..]);
    let (Some(twitter), Some(citm)) = (find(TwitterModel::FILE), find(CitmModel::FILE)) else {
        eprintln!("note: twitter.json and citm_catalog.json are needed; nothing to measure");
        return;
    };
    eprintln!("jsontape backend: {:?}", jsontape::backend());
    check::<TwitterModel>(twitter);
    check::<CitmModel>(citm);
    eprintln!();
    eprintln!("allocations per document, steady state (second call; value built and dropped):");
    eprintln!(
        "{:<30} {:>8} {:>8} {:>12}",
        "", "allocs", "reallocs", "bytes"
    );
    alloc_report::<TwitterModel>(twitter);
    alloc_report::<CitmModel>(citm);
    eprintln!();

    let mut c = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    bench::<TwitterModel>(&mut c, twitter);
    bench::<CitmModel>(&mut c, citm);
    c.final_summary();
}
