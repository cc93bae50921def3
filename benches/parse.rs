//! Parse throughput of jsontape against serde_json, simd-json and sonic-rs.
//!
//! See `benches/README.md` for how to run it and what each function measures.
//! In short, per document (one criterion group each, `Throughput::Bytes`):
//!
//! - `jsontape/tape`: a reused `jsontape::Parser`, parse + `root().len()`.
//! - `serde_json/value`: `serde_json::from_slice::<serde_json::Value>` (+ drop).
//! - `simd_json/tape`: copy the input into a reused padded `Vec<u8>` (simd-json
//!   mutates its input), then `simd_json::fill_tape_padded` with reused
//!   `Buffers` and a reused `Tape`, + root length.
//! - `sonic_rs/value`: `sonic_rs::from_slice::<sonic_rs::Value>` (+ drop).
//! - `memcpy/input-copy`: only the input copy that `simd_json/tape` includes.
//!
//! Before any timing, every parser must accept every document and produce the
//! same structure (a fingerprint of kinds, counts, strings and numbers), and an
//! allocation report (a counting global allocator) is printed to stderr.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use criterion::{Criterion, Throughput};
use sonic_rs::{JsonContainerTrait, JsonValueTrait};

// ---------------------------------------------------------------------------
// Counting allocator (counts only while COUNTING is set, so the timed loops pay
// one relaxed load per allocation and nothing else).

struct CountingAlloc;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static ALLOC_BYTES: AtomicU64 = AtomicU64::new(0);

#[inline(always)]
fn record(size: usize) {
    if COUNTING.load(Relaxed) {
        ALLOCS.fetch_add(1, Relaxed);
        ALLOC_BYTES.fetch_add(size as u64, Relaxed);
    }
}

// SAFETY: every method forwards to `System` unchanged; counting has no effect on
// the memory handed out.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size);
        // SAFETY: same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// Allocation calls (alloc, alloc_zeroed, realloc) and bytes requested by `f`.
fn count_allocs<R>(f: impl FnOnce() -> R) -> (u64, u64, R) {
    ALLOCS.store(0, Relaxed);
    ALLOC_BYTES.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
    let r = f();
    COUNTING.store(false, Relaxed);
    (ALLOCS.load(Relaxed), ALLOC_BYTES.load(Relaxed), r)
}

// ---------------------------------------------------------------------------
// Documents.

#[path = "support/documents.rs"]
mod documents;
use documents::{Doc, load_documents};

// ---------------------------------------------------------------------------
// Structural fingerprint, computed from each parser's own result.

#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Fingerprint {
    root_kind: &'static str,
    root_len: usize,
    nulls: u64,
    trues: u64,
    falses: u64,
    numbers: u64,
    /// Wrapping sum of `f64::to_bits` over all numbers (order-independent).
    number_bits: u64,
    strings: u64,
    string_bytes: u64,
    /// Wrapping sum of FNV-1a hashes of every string value (order-independent).
    string_hash: u64,
    arrays: u64,
    array_elems: u64,
    objects: u64,
    fields: u64,
    key_bytes: u64,
    key_hash: u64,
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

impl Fingerprint {
    fn number(&mut self, x: f64) {
        self.numbers += 1;
        self.number_bits = self.number_bits.wrapping_add(x.to_bits());
    }
    fn string(&mut self, s: &str) {
        self.strings += 1;
        self.string_bytes += s.len() as u64;
        self.string_hash = self.string_hash.wrapping_add(fnv(s));
    }
    fn key(&mut self, k: &str) {
        self.fields += 1;
        self.key_bytes += k.len() as u64;
        self.key_hash = self.key_hash.wrapping_add(fnv(k));
    }
    /// Equal apart from the numbers' bits (a peer's float rounding can differ
    /// without it doing less work).
    fn same_structure(&self, other: &Fingerprint) -> bool {
        Fingerprint {
            number_bits: 0,
            ..self.clone()
        } == Fingerprint {
            number_bits: 0,
            ..other.clone()
        }
    }
}

fn fp_jsontape(doc: &jsontape::Document<'_>) -> Fingerprint {
    fn walk(v: jsontape::ValueRef<'_>, fp: &mut Fingerprint) {
        use jsontape::Kind;
        match v.kind() {
            Kind::Null => fp.nulls += 1,
            Kind::Bool => {
                if v.as_bool().unwrap() {
                    fp.trues += 1
                } else {
                    fp.falses += 1
                }
            }
            Kind::Number => fp.number(v.as_f64().unwrap()),
            Kind::String => fp.string(v.as_str().unwrap()),
            Kind::Array => {
                fp.arrays += 1;
                for e in v.array_iter() {
                    fp.array_elems += 1;
                    walk(e, fp);
                }
            }
            Kind::Object => {
                fp.objects += 1;
                for (k, e) in v.object_iter() {
                    fp.key(k);
                    walk(e, fp);
                }
            }
        }
    }
    let root = doc.root();
    let mut fp = Fingerprint {
        root_kind: format!("{:?}", root.kind()).leak(),
        root_len: root.len(),
        ..Default::default()
    };
    walk(root, &mut fp);
    fp
}

fn fp_serde(v: &serde_json::Value) -> Fingerprint {
    use serde_json::Value;
    fn walk(v: &Value, fp: &mut Fingerprint) {
        match v {
            Value::Null => fp.nulls += 1,
            Value::Bool(true) => fp.trues += 1,
            Value::Bool(false) => fp.falses += 1,
            Value::Number(n) => fp.number(n.as_f64().unwrap()),
            Value::String(s) => fp.string(s),
            Value::Array(a) => {
                fp.arrays += 1;
                for e in a {
                    fp.array_elems += 1;
                    walk(e, fp);
                }
            }
            Value::Object(o) => {
                fp.objects += 1;
                for (k, e) in o {
                    fp.key(k);
                    walk(e, fp);
                }
            }
        }
    }
    let (root_kind, root_len) = match v {
        Value::Null => ("Null", 0),
        Value::Bool(_) => ("Bool", 0),
        Value::Number(_) => ("Number", 0),
        Value::String(_) => ("String", 0),
        Value::Array(a) => ("Array", a.len()),
        Value::Object(o) => ("Object", o.len()),
    };
    let mut fp = Fingerprint {
        root_kind,
        root_len,
        ..Default::default()
    };
    walk(v, &mut fp);
    fp
}

fn fp_sonic(v: &sonic_rs::Value) -> Fingerprint {
    use sonic_rs::JsonType;
    fn walk(v: &sonic_rs::Value, fp: &mut Fingerprint) {
        match v.get_type() {
            JsonType::Null => fp.nulls += 1,
            JsonType::Boolean => {
                if v.as_bool().unwrap() {
                    fp.trues += 1
                } else {
                    fp.falses += 1
                }
            }
            JsonType::Number => fp.number(v.as_f64().unwrap()),
            JsonType::String => fp.string(v.as_str().unwrap()),
            JsonType::Array => {
                fp.arrays += 1;
                for e in v.as_array().unwrap().iter() {
                    fp.array_elems += 1;
                    walk(e, fp);
                }
            }
            JsonType::Object => {
                fp.objects += 1;
                for (k, e) in v.as_object().unwrap().iter() {
                    fp.key(k);
                    walk(e, fp);
                }
            }
        }
    }
    let (root_kind, root_len) = match v.get_type() {
        JsonType::Null => ("Null", 0),
        JsonType::Boolean => ("Bool", 0),
        JsonType::Number => ("Number", 0),
        JsonType::String => ("String", 0),
        JsonType::Array => ("Array", v.as_array().unwrap().len()),
        JsonType::Object => ("Object", v.as_object().unwrap().len()),
    };
    let mut fp = Fingerprint {
        root_kind,
        root_len,
        ..Default::default()
    };
    walk(v, &mut fp);
    fp
}

fn fp_simd(tape: &simd_json::Tape<'_>) -> Fingerprint {
    use simd_json::{Node, StaticNode};
    /// Walks the value at `nodes[i]`; returns the index just past it.
    fn walk(nodes: &[Node<'_>], i: usize, fp: &mut Fingerprint) -> usize {
        match nodes[i] {
            Node::Static(StaticNode::Null) => {
                fp.nulls += 1;
                i + 1
            }
            Node::Static(StaticNode::Bool(b)) => {
                if b {
                    fp.trues += 1
                } else {
                    fp.falses += 1
                }
                i + 1
            }
            Node::Static(StaticNode::I64(n)) => {
                fp.number(n as f64);
                i + 1
            }
            Node::Static(StaticNode::U64(n)) => {
                fp.number(n as f64);
                i + 1
            }
            Node::Static(StaticNode::F64(x)) => {
                fp.number(x);
                i + 1
            }
            #[allow(unreachable_patterns)]
            Node::Static(other) => panic!("unexpected simd-json static node {other:?}"),
            Node::String(s) => {
                fp.string(s);
                i + 1
            }
            Node::Array { len, .. } => {
                fp.arrays += 1;
                let mut j = i + 1;
                for _ in 0..len {
                    fp.array_elems += 1;
                    j = walk(nodes, j, fp);
                }
                j
            }
            Node::Object { len, .. } => {
                fp.objects += 1;
                let mut j = i + 1;
                for _ in 0..len {
                    let Node::String(k) = nodes[j] else {
                        panic!("simd-json object key is not a string")
                    };
                    fp.key(k);
                    j = walk(nodes, j + 1, fp);
                }
                j
            }
        }
    }
    let nodes = &tape.0[..];
    let (root_kind, root_len) = match nodes[0] {
        Node::Static(StaticNode::Null) => ("Null", 0),
        Node::Static(StaticNode::Bool(_)) => ("Bool", 0),
        Node::Static(_) => ("Number", 0),
        Node::String(_) => ("String", 0),
        Node::Array { len, .. } => ("Array", len),
        Node::Object { len, .. } => ("Object", len),
    };
    let mut fp = Fingerprint {
        root_kind,
        root_len,
        ..Default::default()
    };
    let end = walk(nodes, 0, &mut fp);
    assert_eq!(end, nodes.len(), "simd-json tape has trailing nodes");
    fp
}

// ---------------------------------------------------------------------------
// The parse routines: exactly what the timed loops run.

/// Root length of a simd-json tape: the same touch as `doc.root().len()`.
#[inline]
fn simd_root_len(tape: &simd_json::Tape<'_>) -> usize {
    match tape.0.first() {
        Some(simd_json::Node::Array { len, .. } | simd_json::Node::Object { len, .. }) => *len,
        _ => 0,
    }
}

#[inline]
fn serde_root_len(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(a) => a.len(),
        serde_json::Value::Object(o) => o.len(),
        _ => 0,
    }
}

#[inline]
fn sonic_root_len(v: &sonic_rs::Value) -> usize {
    if let Some(a) = v.as_array() {
        a.len()
    } else if let Some(o) = v.as_object() {
        o.len()
    } else {
        0
    }
}

/// simd-json's reusable state: buffers, a tape whose allocation is recycled
/// across documents (`Tape::reset`), and the padded mutable input copy.
struct SimdState {
    buffers: simd_json::Buffers,
    tape: Option<simd_json::Tape<'static>>,
    input: Vec<u8>,
}

impl SimdState {
    fn new(len: usize) -> SimdState {
        SimdState {
            buffers: simd_json::Buffers::new(len),
            tape: Some(simd_json::Tape::null().reset()),
            // Fixed length: the document, then INPUT_PADDING bytes of padding.
            input: vec![b' '; len + simd_json::INPUT_PADDING],
        }
    }

    /// Copies `bytes` into the reused buffer (simd-json mutates its input),
    /// parses it, and hands the tape to `f`.
    #[inline]
    fn parse<R>(
        &mut self,
        bytes: &[u8],
        f: impl FnOnce(&simd_json::Tape<'_>) -> R,
    ) -> Result<R, simd_json::Error> {
        let len = bytes.len();
        self.input[..len].copy_from_slice(bytes);
        let mut tape = self.tape.take().expect("tape present").reset();
        let result =
            simd_json::fill_tape_padded(&mut self.input, len, &mut self.buffers, &mut tape)
                .map(|()| f(&tape));
        self.tape = Some(tape.reset());
        result
    }
}

// ---------------------------------------------------------------------------
// Checks and allocation report.

fn check(doc: &Doc) {
    let bytes = &doc.bytes[..];
    let name = &doc.name;
    let mut parser = jsontape::Parser::new();
    let jt = fp_jsontape(
        &parser
            .parse(bytes)
            .unwrap_or_else(|e| panic!("{name}: jsontape rejects it: {e}")),
    );
    let sj = fp_serde(
        &serde_json::from_slice::<serde_json::Value>(bytes)
            .unwrap_or_else(|e| panic!("{name}: serde_json rejects it: {e}")),
    );
    let mut simd = SimdState::new(bytes.len());
    let si = simd
        .parse(bytes, fp_simd)
        .unwrap_or_else(|e| panic!("{name}: simd-json rejects it: {e}"));
    let so = fp_sonic(
        &sonic_rs::from_slice::<sonic_rs::Value>(bytes)
            .unwrap_or_else(|e| panic!("{name}: sonic-rs rejects it: {e}")),
    );
    for backend in other_backends() {
        let options = jsontape::Options::new().with_backend(backend);
        let mut parser = jsontape::Parser::with_options(options);
        let other = fp_jsontape(&parser.parse(bytes).unwrap());
        assert!(
            jt.same_structure(&other) && jt.number_bits == other.number_bits,
            "{name}: jsontape's {} backend disagrees with the automatic one",
            backend.name()
        );
    }
    // (simd-json unescapes strings in place, so its copy of the input is now
    // modified: that is why `simd_json/tape` must copy the input every time.)
    for (peer, fp) in [("serde_json", &sj), ("simd_json", &si), ("sonic_rs", &so)] {
        assert!(
            jt.same_structure(fp),
            "{name}: jsontape and {peer} disagree on the document's structure\n jsontape: {jt:?}\n {peer}: {fp:?}"
        );
        if jt.number_bits != fp.number_bits {
            eprintln!(
                "note: {name}: {peer} parses some numbers to different f64 bits than jsontape"
            );
        }
    }
    eprintln!(
        "check {name:<18} {:>9} B  ok: root {} of {}; {} values, {} numbers, {} strings, {} fields",
        bytes.len(),
        jt.root_kind,
        jt.root_len,
        jt.nulls + jt.trues + jt.falses + jt.numbers + jt.strings + jt.arrays + jt.objects,
        jt.numbers,
        jt.strings,
        jt.fields,
    );
}

fn alloc_report(docs: &[Doc]) {
    eprintln!();
    eprintln!("allocations per document, steady state (allocation calls / bytes requested):");
    eprintln!(
        "{:<18} {:>10} {:>20} {:>20} {:>20} {:>20} {:>20}",
        "document",
        "size",
        "jsontape/tape",
        "jsontape/value",
        "serde_json/value",
        "simd_json/tape",
        "sonic_rs/value"
    );
    let cell = |(n, b, _): (u64, u64, ())| format!("{n} / {b}");
    for doc in docs {
        let bytes = &doc.bytes[..];
        // jsontape: second parse with the same Parser.
        let mut parser = jsontape::Parser::new();
        black_box(parser.parse(bytes).unwrap().root().len());
        let jt = count_allocs(|| {
            black_box(parser.parse(bytes).unwrap().root().len());
        });
        // serde_json: no reusable state; each parse builds (and here drops) a tree.
        black_box(serde_json::from_slice::<serde_json::Value>(bytes).unwrap());
        let sj = count_allocs(|| {
            let v = serde_json::from_slice::<serde_json::Value>(bytes).unwrap();
            black_box(serde_root_len(&v));
        });
        // simd-json: second parse with the same buffers, tape and input vector.
        let mut simd = SimdState::new(bytes.len());
        black_box(simd.parse(bytes, simd_root_len).unwrap());
        let si = count_allocs(|| {
            black_box(simd.parse(bytes, simd_root_len).unwrap());
        });
        // sonic-rs: no reusable state exposed by from_slice.
        black_box(sonic_rs::from_slice::<sonic_rs::Value>(bytes).unwrap());
        let so = count_allocs(|| {
            let v = sonic_rs::from_slice::<sonic_rs::Value>(bytes).unwrap();
            black_box(sonic_root_len(&v));
        });
        // jsontape's DOM: the tape parse (allocation-free) plus `to_value`.
        let jv = count_allocs(|| {
            black_box(parser.parse(bytes).unwrap().to_value().len());
        });
        eprintln!(
            "{:<18} {:>10} {:>20} {:>20} {:>20} {:>20} {:>20}",
            doc.name,
            bytes.len(),
            cell(jt),
            cell(jv),
            cell(sj),
            cell(si),
            cell(so)
        );
    }
    eprintln!();
}

// ---------------------------------------------------------------------------
// Benchmarks.

/// Every backend this machine supports.
fn supported_backends() -> impl Iterator<Item = jsontape::Backend> {
    jsontape::Backend::ALL
        .into_iter()
        .filter(|b| b.is_supported())
}

/// The supported backends other than the automatic choice.
fn other_backends() -> impl Iterator<Item = jsontape::Backend> {
    supported_backends().filter(|&b| b != jsontape::backend())
}

fn bench_doc(c: &mut Criterion, doc: &Doc) {
    let bytes = &doc.bytes[..];
    let mut group = c.benchmark_group(&doc.name);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));

    // The automatic backend, then every other backend this machine supports.
    let mut parser = jsontape::Parser::new();
    group.bench_function("jsontape/tape", |b| {
        b.iter(|| {
            let doc = parser.parse(black_box(bytes)).unwrap();
            black_box(doc.root().len())
        })
    });
    for backend in other_backends() {
        let options = jsontape::Options::new().with_backend(backend);
        let mut parser = jsontape::Parser::with_options(options);
        group.bench_function(format!("jsontape/tape-{}", backend.name()), |b| {
            b.iter(|| {
                let doc = parser.parse(black_box(bytes)).unwrap();
                black_box(doc.root().len())
            })
        });
    }
    // Stage 1 alone, per backend.
    let mut index = Vec::new();
    for backend in supported_backends() {
        group.bench_function(format!("jsontape/stage1-{}", backend.name()), |b| {
            b.iter(|| jsontape::__bench::structural_index(backend, black_box(bytes), &mut index))
        });
    }

    group.bench_function("serde_json/value", |b| {
        b.iter(|| {
            let v = serde_json::from_slice::<serde_json::Value>(black_box(bytes)).unwrap();
            black_box(serde_root_len(&v))
        })
    });

    let mut simd = SimdState::new(bytes.len());
    group.bench_function("simd_json/tape", |b| {
        b.iter(|| black_box(simd.parse(black_box(bytes), simd_root_len).unwrap()))
    });

    group.bench_function("sonic_rs/value", |b| {
        b.iter(|| {
            let v = sonic_rs::from_slice::<sonic_rs::Value>(black_box(bytes)).unwrap();
            black_box(sonic_root_len(&v))
        })
    });

    // Parse and build a DOM (dropped after each call).
    let mut parser = jsontape::Parser::new();
    group.bench_function("dom/jsontape-value", |b| {
        b.iter(|| black_box(parser.parse(black_box(bytes)).unwrap().to_value().len()))
    });
    let mut buffers = simd_json::Buffers::new(bytes.len());
    let mut input = Vec::with_capacity(bytes.len());
    group.bench_function("dom/simd_json-borrowed-value", |b| {
        b.iter(|| {
            use simd_json::prelude::*;
            input.clear();
            input.extend_from_slice(black_box(bytes));
            let v = simd_json::to_borrowed_value_with_buffers(&mut input, &mut buffers).unwrap();
            black_box(
                v.as_array()
                    .map(|a| a.len())
                    .or(v.as_object().map(|o| o.len())),
            )
        })
    });

    // Compact serialization of a tree built beforehand (throughput is still
    // counted in input bytes).
    let parsed = jsontape::parse(bytes).unwrap();
    let value = parsed.to_value();
    group.bench_function("write/jsontape-value", |b| {
        b.iter(|| black_box(value.to_string().len()))
    });
    group.bench_function("write/jsontape-tape", |b| {
        b.iter(|| black_box(parsed.root().to_string().len()))
    });
    let serde_value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    group.bench_function("write/serde_json", |b| {
        b.iter(|| black_box(serde_json::to_string(&serde_value).unwrap().len()))
    });
    let sonic_value: sonic_rs::Value = sonic_rs::from_slice(bytes).unwrap();
    group.bench_function("write/sonic_rs", |b| {
        b.iter(|| black_box(sonic_rs::to_string(&sonic_value).unwrap().len()))
    });

    // Exactly the copy `simd_json/tape` performs, into the same kind of buffer.
    let mut copy = vec![b' '; bytes.len() + simd_json::INPUT_PADDING];
    group.bench_function("memcpy/input-copy", |b| {
        b.iter(|| {
            copy[..bytes.len()].copy_from_slice(black_box(bytes));
            black_box(&mut copy);
        })
    });

    group.finish();
}

fn main() {
    let docs = load_documents();
    eprintln!("jsontape backend: {:?}", jsontape::backend());
    for doc in &docs {
        check(doc);
    }
    alloc_report(&docs);

    let mut c = Criterion::default().configure_from_args();
    for doc in &docs {
        bench_doc(&mut c, doc);
    }
    c.final_summary();
}
