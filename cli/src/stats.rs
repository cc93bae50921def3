//! `jsontape stats FILE`: what a document is made of, and where the memory
//! goes when jsontape and serde_json parse it.
//!
//! The shape (values by kind, object keys, maximum depth, strings that borrow
//! from the input against strings that had to be unescaped) comes from one
//! walk over the document with an explicit stack: no recursion on depth.
//! Memory is measured with the counting global allocator ([`alloc_counter`])
//! around `jsontape::parse` (the structural index, freed when the parse ends,
//! plus the tape and the arena the document keeps), `Document::to_value` (the
//! DOM on top of the tape) and `serde_json::from_slice::<serde_json::Value>`.
//! The input itself is mapped or read before measuring and counts for none
//! of them.

use crate::alloc_counter::{self, Counts};
use crate::error::{Failure, Status, stdout_result};
use crate::input::Input;
use crate::report;
use jsontape::{ArrayIter, Document, Kind, ObjectIter, ValueRef};
use std::io::{self, Write};
use std::ops::Range;
use std::path::PathBuf;

/// Arguments of `jsontape stats`.
#[derive(clap::Args)]
pub struct Args {
    /// The JSON file; `-` reads stdin.
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// Runs `stats`.
pub fn run(args: &Args) -> Result<Status, Failure> {
    let input = Input::open(&args.path)?;
    let stats = measure(input.bytes())
        .map_err(|e| report::invalid_json(input.name(), input.bytes(), &e))?;
    let text = if args.json {
        json(input.name(), &stats)
    } else {
        table(input.name(), &stats)
    };
    stdout_result(io::stdout().lock().write_all(text.as_bytes()))?;
    Ok(Status::Success)
}

/// Everything `stats` reports about one document.
#[derive(Debug)]
pub struct Stats {
    /// Input size in bytes.
    pub input_bytes: usize,
    /// What the document is made of.
    pub shape: Shape,
    /// Bytes of tape in use (8 per word).
    pub tape_bytes: usize,
    /// Bytes of unescaped string text in the arena.
    pub arena_bytes: usize,
    /// What `jsontape::parse` allocated and what the document keeps.
    pub parse: Counts,
    /// What `Document::to_value` allocated and what the `Value` keeps.
    pub value: Counts,
    /// What `serde_json::from_slice::<serde_json::Value>` allocated and what
    /// its `Value` keeps, or why serde_json rejected the document.
    pub serde_json: Result<Counts, String>,
}

/// Parses `input` with jsontape (and serde_json), measuring as it goes.
pub fn measure(input: &[u8]) -> Result<Stats, jsontape::Error> {
    let (doc, parse) = alloc_counter::measure(|| jsontape::parse(input));
    let doc = doc?;
    let shape = Shape::of(&doc);
    let (value, value_counts) = alloc_counter::measure(|| doc.to_value());
    drop(value);
    let (serde_value, serde_counts) =
        alloc_counter::measure(|| serde_json::from_slice::<serde_json::Value>(input));
    let serde_json = match serde_value {
        Ok(serde_value) => {
            drop(serde_value);
            Ok(serde_counts)
        }
        Err(e) => Err(e.to_string()),
    };
    Ok(Stats {
        input_bytes: input.len(),
        shape,
        tape_bytes: doc.tape_bytes(),
        arena_bytes: doc.arena_bytes(),
        parse,
        value: value_counts,
        serde_json,
    })
}

/// What a document is made of.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Shape {
    /// `null`s.
    pub nulls: u64,
    /// `true`s and `false`s.
    pub booleans: u64,
    /// Numbers.
    pub numbers: u64,
    /// Strings (values, not keys).
    pub strings: u64,
    /// Arrays.
    pub arrays: u64,
    /// Objects.
    pub objects: u64,
    /// Deepest nesting of arrays and objects: 0 for a scalar, 1 for `[1]`.
    pub max_depth: usize,
    /// String values, by whether they borrow from the input.
    pub string_values: Strings,
    /// Object keys, by whether they borrow from the input.
    pub keys: Strings,
}

/// Strings by where their text is.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Strings {
    /// Strings without escapes: slices of the input, no copy.
    pub borrowed: Tally,
    /// Strings with escapes, unescaped once into the arena.
    pub unescaped: Tally,
}

/// A number of strings and their total length (of the text as decoded).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// How many.
    pub count: u64,
    /// Their bytes.
    pub bytes: u64,
}

impl Strings {
    /// Counts `text`, which is either a slice of `input` (borrowed) or not
    /// (unescaped into the arena; an escape never decodes to nothing, so an
    /// empty string is always borrowed).
    fn add(&mut self, text: &str, input: &Range<*const u8>) {
        let tally = if text.is_empty() || input.contains(&text.as_ptr()) {
            &mut self.borrowed
        } else {
            &mut self.unescaped
        };
        tally.count += 1;
        tally.bytes += text.len() as u64;
    }

    /// Both tallies together.
    fn total(&self) -> Tally {
        Tally {
            count: self.borrowed.count + self.unescaped.count,
            bytes: self.borrowed.bytes + self.unescaped.bytes,
        }
    }
}

/// An open container in the walk: the rest of its elements or fields.
enum Frame<'d> {
    /// An array's remaining elements.
    Array(ArrayIter<'d>),
    /// An object's remaining fields.
    Object(ObjectIter<'d>),
}

impl Shape {
    /// Walks `doc` in document order with an explicit stack of open
    /// containers, so any depth the parser accepted is fine.
    pub fn of(doc: &Document<'_>) -> Shape {
        let input = doc.input().as_bytes().as_ptr_range();
        let mut shape = Shape::default();
        let mut stack: Vec<Frame<'_>> = Vec::new();
        let mut next = Some(doc.root());
        loop {
            let frame = next.and_then(|value| shape.count(value, stack.len(), &input));
            if let Some(frame) = frame {
                stack.push(frame);
            }
            let Some(top) = stack.last_mut() else {
                return shape;
            };
            next = match top {
                Frame::Array(elements) => elements.next(),
                Frame::Object(fields) => fields.next().map(|(key, value)| {
                    shape.keys.add(key, &input);
                    value
                }),
            };
            if next.is_none() {
                stack.pop();
            }
        }
    }

    /// Counts `value`, found inside `open` containers; returns the frame to
    /// walk its contents if it is a container.
    fn count<'d>(
        &mut self,
        value: ValueRef<'d>,
        open: usize,
        input: &Range<*const u8>,
    ) -> Option<Frame<'d>> {
        match value.kind() {
            Kind::Null => self.nulls += 1,
            Kind::Bool => self.booleans += 1,
            Kind::Number => self.numbers += 1,
            Kind::String => {
                self.strings += 1;
                self.string_values
                    .add(value.as_str().unwrap_or_default(), input);
            }
            Kind::Array => {
                self.arrays += 1;
                self.max_depth = self.max_depth.max(open + 1);
                return Some(Frame::Array(value.array_iter()));
            }
            Kind::Object => {
                self.objects += 1;
                self.max_depth = self.max_depth.max(open + 1);
                return Some(Frame::Object(value.object_iter()));
            }
        }
        None
    }

    /// Values of every kind.
    pub fn values(&self) -> u64 {
        self.nulls + self.booleans + self.numbers + self.strings + self.arrays + self.objects
    }
}

/// The human-readable report.
pub fn table(name: &str, stats: &Stats) -> String {
    let shape = &stats.shape;
    let mut out = format!("{name}: {} bytes\n\n", group(stats.input_bytes as u64));
    out += &format!("{:<28}{:>14}\n", "values", "count");
    for (kind, count) in [
        ("objects", shape.objects),
        ("arrays", shape.arrays),
        ("strings", shape.strings),
        ("numbers", shape.numbers),
        ("booleans", shape.booleans),
        ("nulls", shape.nulls),
        ("total", shape.values()),
    ] {
        out += &format!("  {kind:<26}{:>14}\n", group(count));
    }
    out += &format!(
        "{:<28}{:>14}\n",
        "object keys",
        group(shape.keys.total().count)
    );
    out += &format!(
        "{:<28}{:>14}\n\n",
        "maximum depth",
        group(shape.max_depth as u64)
    );

    out += &format!("{:<28}{:>14}{:>14}\n", "strings", "count", "bytes");
    for (what, tally) in [
        ("values borrowed", shape.string_values.borrowed),
        ("values unescaped", shape.string_values.unescaped),
        ("keys borrowed", shape.keys.borrowed),
        ("keys unescaped", shape.keys.unescaped),
    ] {
        out += &format!(
            "  {what:<26}{:>14}{:>14}\n",
            group(tally.count),
            group(tally.bytes)
        );
    }
    out += "  borrowed: slices of the input, no copy; unescaped: decoded once into the arena\n\n";

    out += &format!(
        "{:<28}{:>14}{:>14}{:>14}{:>10}\n",
        "memory", "allocations", "allocated", "retained", "x input"
    );
    let row = |what: &str, counts: &Counts| {
        format!(
            "  {what:<26}{:>14}{:>14}{:>14}{:>10}\n",
            group(counts.allocations),
            group(counts.bytes),
            group_signed(counts.retained),
            ratio(counts.retained, stats.input_bytes),
        )
    };
    out += &row("jsontape parse", &stats.parse);
    out += &format!(
        "    tape {} bytes ({} words), arena {} bytes\n",
        group(stats.tape_bytes as u64),
        group(stats.tape_bytes as u64 / 8),
        group(stats.arena_bytes as u64)
    );
    out += &row("jsontape Value (DOM)", &stats.value);
    let both = Counts {
        allocations: stats.parse.allocations + stats.value.allocations,
        bytes: stats.parse.bytes + stats.value.bytes,
        retained: stats.parse.retained + stats.value.retained,
    };
    out += &row("jsontape parse + Value", &both);
    match &stats.serde_json {
        Ok(counts) => out += &row("serde_json::Value", counts),
        Err(e) => out += &format!("  {:<26}rejected: {e}\n", "serde_json::Value"),
    }
    out.push('\n');
    for note in [
        "allocated: bytes requested from the allocator; retained: bytes still allocated",
        "while the result lives (x input: as a multiple of the input size). The parse",
        "figures are the allocator's: the structural index (freed when the parse ends)",
        "plus the tape and arena the document keeps, spare capacity included. The input",
        "itself (memory-mapped or read) counts in none of them.",
    ] {
        out += &format!("  {note}\n");
    }
    out
}

/// The report as one JSON object.
pub fn json(name: &str, stats: &Stats) -> String {
    let shape = &stats.shape;
    let tally = |t: Tally| serde_json::json!({"count": t.count, "bytes": t.bytes});
    let strings = |s: &Strings| serde_json::json!({"borrowed": tally(s.borrowed), "unescaped": tally(s.unescaped)});
    let counts = |c: &Counts| {
        serde_json::json!({
            "allocations": c.allocations,
            "bytes_allocated": c.bytes,
            "bytes_retained": c.retained,
        })
    };
    let report = serde_json::json!({
        "file": name,
        "bytes": stats.input_bytes,
        "values": {
            "object": shape.objects,
            "array": shape.arrays,
            "string": shape.strings,
            "number": shape.numbers,
            "bool": shape.booleans,
            "null": shape.nulls,
            "total": shape.values(),
        },
        "object_keys": shape.keys.total().count,
        "max_depth": shape.max_depth,
        "strings": strings(&shape.string_values),
        "keys": strings(&shape.keys),
        "tape_bytes": stats.tape_bytes,
        "tape_words": stats.tape_bytes / 8,
        "arena_bytes": stats.arena_bytes,
        "memory": {
            "jsontape_parse": counts(&stats.parse),
            "jsontape_value": counts(&stats.value),
            "serde_json_value": match &stats.serde_json {
                Ok(c) => counts(c),
                Err(e) => serde_json::json!({"error": e}),
            },
        },
    });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

/// `n` with thousands separators: `1,234,567`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
        .collect();
    groups.join(",")
}

/// [`group`] for a signed number.
fn group_signed(n: i64) -> String {
    let magnitude = group(n.unsigned_abs());
    if n < 0 {
        format!("-{magnitude}")
    } else {
        magnitude
    }
}

/// `bytes` as a multiple of the input size: `0.52x`.
fn ratio(bytes: i64, input: usize) -> String {
    format!("{:.2}x", bytes as f64 / input.max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_counts_kinds_depth_and_strings() {
        let input = r#"{"a": [1, 2.5, null, true, "x\ny", []], "k\u00e9y": {"b": {}}, "": ""}"#;
        let doc = jsontape::parse(input).unwrap();
        let shape = Shape::of(&doc);
        assert_eq!(
            (shape.objects, shape.arrays, shape.strings, shape.numbers),
            (3, 2, 2, 2)
        );
        assert_eq!((shape.booleans, shape.nulls, shape.values()), (1, 1, 11));
        assert_eq!(shape.max_depth, 3);
        let tally = |count, bytes| Tally { count, bytes };
        assert_eq!(shape.string_values.borrowed, tally(1, 0));
        assert_eq!(shape.string_values.unescaped, tally(1, 3));
        assert_eq!(shape.keys.borrowed, tally(3, 2));
        assert_eq!(shape.keys.unescaped, tally(1, 4));
        assert_eq!(
            (shape.string_values.unescaped.bytes + shape.keys.unescaped.bytes) as usize,
            doc.arena_bytes()
        );
    }

    #[test]
    fn scalars_have_depth_zero_and_deep_documents_do_not_recurse() {
        let doc = jsontape::parse("7").unwrap();
        assert_eq!(
            (Shape::of(&doc).max_depth, Shape::of(&doc).values()),
            (0, 1)
        );
        let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        let doc = jsontape::parse(&deep).unwrap();
        assert_eq!(Shape::of(&doc).max_depth, 1000);
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(1234567), "1,234,567");
        assert_eq!(group_signed(-1234), "-1,234");
    }
}
