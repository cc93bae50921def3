//! Memory of a long document stream: 1 GB of NDJSON, generated on the fly by a
//! reader (never held whole), streamed through `ReadDocuments` with default
//! options, every document navigated. The peak resident set size (`VmHWM` in
//! /proc/self/status) must stay under 64 MB.
//!
//! Slow in a debug build, so ignored; run it optimized, alone:
//!
//! ```text
//! cargo test --release --test stream_memory -- --ignored --nocapture
//! ```

use std::io::{self, Read, Write};
use std::time::Instant;

use jsontape::ReadDocuments;

/// How much NDJSON the reader produces (it stops at the first line end
/// past this).
const TOTAL: u64 = 1_000_000_000;

/// Every this many bytes, a line of about 4 MB (an array of numbers): the
/// window grows for it and shrinks back.
const LARGE_EVERY: u64 = 100_000_000;

/// A reader of generated NDJSON lines: small records of every kind of value,
/// and now and then a large one.
struct Generator {
    produced: u64,
    next_large: u64,
    lines: u64,
    sum: u64,
    line: Vec<u8>,
    at: usize,
}

impl Generator {
    fn new() -> Generator {
        Generator {
            produced: 0,
            next_large: LARGE_EVERY,
            lines: 0,
            sum: 0,
            line: Vec::new(),
            at: 0,
        }
    }

    /// The next line into `self.line`.
    fn refill(&mut self) {
        self.line.clear();
        self.at = 0;
        let n = self.lines;
        self.lines += 1;
        self.sum = self.sum.wrapping_add(n);
        if self.produced >= self.next_large {
            self.next_large += LARGE_EVERY;
            write!(self.line, "{{\"id\": {n}, \"values\": [").unwrap();
            for i in 0..500_000u32 {
                write!(self.line, "{i},").unwrap();
            }
            self.line.extend_from_slice(b"0]}\n");
            return;
        }
        match n % 4 {
            0 => writeln!(
                self.line,
                r#"{{"id":{n},"user":"user-{n}","tags":["alpha","beta","gamma"],"score":{}.25,"active":true}}"#,
                n % 1000
            ),
            1 => writeln!(
                self.line,
                r#"{{"id": {n}, "text": "caf\u00e9 \"quoted\"\nline two", "geo": {{"lat": -33.8688, "lon": 151.2093}}, "ok": null}}"#
            ),
            2 => writeln!(
                self.line,
                "{{\"id\":{n},\"name\":\"日本語のテキスト ✓\",\"nested\":{{\"a\":[1,2,3,[4,5,{{\"b\":false}}]],\"c\":1e-7}}}}\r"
            ),
            _ => writeln!(
                self.line,
                r#"{{"id":{n},"items":[{{"sku":"A-{n}","qty":3,"price":9.99}},{{"sku":"B-{n}","qty":1,"price":120.5}}],"total":150.47}}"#
            ),
        }
        .unwrap();
    }
}

impl Read for Generator {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut written = 0;
        while written < buf.len() {
            if self.at == self.line.len() {
                if self.produced >= TOTAL {
                    break; // the end, after a whole line
                }
                self.refill();
            }
            let n = (buf.len() - written).min(self.line.len() - self.at);
            buf[written..written + n].copy_from_slice(&self.line[self.at..self.at + n]);
            written += n;
            self.at += n;
            self.produced += n as u64;
        }
        Ok(written)
    }
}

/// Peak resident set size of this process, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM in /proc/self/status");
    let kb: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    kb * 1024
}

#[test]
#[ignore = "1 GB: run optimized, see the file's docs"]
fn a_gigabyte_of_ndjson_in_bounded_memory() {
    let started = Instant::now();
    let mut docs = ReadDocuments::new(Generator::new());
    let (mut count, mut sum, mut errors, mut most_window) = (0u64, 0u64, 0u64, 0usize);
    while let Some(doc) = docs.next_document() {
        match doc {
            Ok(doc) => {
                let id = doc.root().get("id").and_then(|v| v.as_u64()).unwrap();
                sum = sum.wrapping_add(id);
                count += 1;
            }
            Err(e) => {
                eprintln!("{e}");
                errors += 1;
            }
        }
        most_window = most_window.max(docs.window_capacity());
    }
    let elapsed = started.elapsed();
    let generator = docs.into_inner();
    let peak = peak_rss();
    println!(
        "{} bytes, {count} documents in {:.2} s ({:.0} MB/s); window at most {} bytes; peak RSS {:.1} MB",
        generator.produced,
        elapsed.as_secs_f64(),
        generator.produced as f64 / 1e6 / elapsed.as_secs_f64(),
        most_window,
        peak as f64 / 1e6,
    );
    assert_eq!(errors, 0);
    assert!(generator.produced >= TOTAL);
    assert_eq!((count, sum), (generator.lines, generator.sum));
    assert!(peak < 64_000_000, "peak RSS {peak} bytes");
}
