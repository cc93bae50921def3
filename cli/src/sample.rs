//! Deterministic sample documents, so `jsontape bench` runs with no data.
//!
//! Each generator uses a fixed-seed xorshift generator: the same bytes on every
//! machine and every run, so figures from different machines compare.

/// A named sample document.
pub struct Sample {
    /// What the table calls it.
    pub name: &'static str,
    /// The document.
    pub bytes: Vec<u8>,
    /// Whether it is NDJSON (one document per line) rather than one document.
    pub ndjson: bool,
}

/// The kinds of sample, as `bench --sample` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SampleKind {
    /// Social-feed objects with nested users (twitter-like).
    Feed,
    /// Coordinate pairs of ~15 significant digits (canada-like).
    Floats,
    /// Strings full of escapes and non-ASCII text.
    Escapes,
    /// Arrays and objects nested 100 deep.
    Nested,
    /// Log events, one small object per line.
    Ndjson,
    /// One 60-byte object, the typical service message.
    Small,
}

impl SampleKind {
    /// Every kind, in table order.
    pub const ALL: [SampleKind; 6] = [
        SampleKind::Feed,
        SampleKind::Floats,
        SampleKind::Escapes,
        SampleKind::Nested,
        SampleKind::Ndjson,
        SampleKind::Small,
    ];

    /// The sample of this kind (the same bytes on every run).
    pub fn generate(self) -> Sample {
        let (name, bytes, ndjson) = match self {
            SampleKind::Feed => ("feed (twitter-like)", feed(600), false),
            SampleKind::Floats => ("floats (canada-like)", floats(60_000), false),
            SampleKind::Escapes => ("escapes (strings)", escapes(4_000), false),
            SampleKind::Nested => ("nested (depth 100)", nested(100, 1_000), false),
            SampleKind::Ndjson => ("events (NDJSON)", events(3_000), true),
            SampleKind::Small => ("small (60 B object)", SMALL.as_bytes().to_vec(), false),
        };
        Sample {
            name,
            bytes,
            ndjson,
        }
    }
}

/// The typical small service message.
pub const SMALL: &str = r#"{"id":"123","name":"user","tags":["a","b"],"meta":{"v":42}}"#;

/// xorshift64*: tiny, fast, deterministic.
struct Rng(u64);

impl Rng {
    /// The next 64 random bits.
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// One of 16 short words.
    fn word(&mut self) -> &'static str {
        const WORDS: [&str; 16] = [
            "tape", "json", "fast", "lean", "parse", "index", "arena", "slice", "block", "quote",
            "value", "field", "token", "bytes", "stack", "cache",
        ];
        WORDS[self.below(WORDS.len() as u64) as usize]
    }

    /// `words` words separated by spaces.
    fn sentence(&mut self, words: u64) -> String {
        (0..words)
            .map(|_| self.word())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// An object with a `statuses` array of posts, each with a nested user.
fn feed(posts: usize) -> Vec<u8> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::from("{\"statuses\": [\n");
    for i in 0..posts {
        if i > 0 {
            out.push_str(",\n");
        }
        let id = 1_000_000_000_000 + rng.below(1 << 40);
        let words = 4 + rng.below(16);
        let text = rng.sentence(words);
        let name = rng.word();
        let followers = rng.below(100_000);
        let verified = rng.below(2) == 0;
        let tags: Vec<String> = (0..rng.below(4))
            .map(|_| format!("\"{}\"", rng.word()))
            .collect();
        out.push_str(&format!(
            "  {{\"id\": {id}, \"id_str\": \"{id}\", \"text\": \"{text} \\u2014 #{i}\", \"retweet_count\": {rc}, \
             \"favorited\": false, \"lang\": \"en\", \"geo\": null, \"tags\": [{tags}], \
             \"user\": {{\"id\": {uid}, \"screen_name\": \"{name}_{i}\", \"followers_count\": {followers}, \
             \"verified\": {verified}, \"url\": \"https:\\/\\/example.com\\/{name}\", \"score\": {score:.3}}}}}",
            rc = rng.below(500),
            tags = tags.join(", "),
            uid = rng.below(1 << 32),
            score = rng.below(1_000_000) as f64 / 997.0,
        ));
    }
    out.push_str("\n]}\n");
    out.into_bytes()
}

/// A GeoJSON-like polygon: arrays of coordinate pairs with ~15 significant digits.
fn floats(points: usize) -> Vec<u8> {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let mut out = String::from("{\"type\":\"Polygon\",\"coordinates\":[[");
    for i in 0..points {
        if i > 0 {
            out.push(',');
        }
        let lon = -180.0 + rng.below(360_000_000_000) as f64 / 1e9;
        let lat = -90.0 + rng.below(180_000_000_000) as f64 / 1e9;
        out.push_str(&format!("[{lon:?},{lat:?}]"));
    }
    out.push_str("]]}");
    out.into_bytes()
}

/// Strings full of escapes and non-ASCII text.
fn escapes(entries: usize) -> Vec<u8> {
    let mut rng = Rng(0x94D0_49BB_1331_11EB);
    let pieces = [
        "plain ",
        "tab\\t",
        "quote\\\"",
        "back\\\\slash",
        "line\\nbreak",
        "\\u00e9t\\u00e9",
        "caf\u{e9} ",
        "\\ud83d\\ude00",
        "\u{65e5}\u{672c}",
        "slash\\/",
    ];
    let mut out = String::from("[");
    for i in 0..entries {
        if i > 0 {
            out.push(',');
        }
        let text: String = (0..1 + rng.below(8))
            .map(|_| pieces[rng.below(pieces.len() as u64) as usize])
            .collect();
        out.push_str(&format!(
            "{{\"key_{i}\":\"{text}\",\"n\":{}}}",
            rng.below(1000)
        ));
    }
    out.push(']');
    out.into_bytes()
}

/// `copies` documents nested `depth` deep (an array in an object, and so
/// on), in one array. serde_json refuses more than 128 levels, so it stays
/// at 100 to compare the two.
fn nested(depth: usize, copies: usize) -> Vec<u8> {
    let one = format!(
        "{}1{}",
        "{\"a\":[".repeat(depth / 2),
        "]}".repeat(depth / 2)
    );
    format!("[{}]", vec![one; copies].join(",")).into_bytes()
}

/// `lines` log events, one JSON object per line (NDJSON).
fn events(lines: usize) -> Vec<u8> {
    let mut rng = Rng(0xA076_1D64_78BD_642F);
    let levels = ["debug", "info", "info", "info", "warn", "error"];
    let mut out = String::new();
    for i in 0..lines {
        let words = 3 + rng.below(10);
        out.push_str(&format!(
            "{{\"ts\":{ts},\"level\":\"{level}\",\"msg\":\"{msg}\",\"request\":{{\"id\":\"req-{i:06}\",\
             \"path\":\"\\/api\\/{word}\",\"status\":{status},\"ms\":{ms:.3}}},\"user\":{user},\"tags\":[\"{tag}\"]}}\n",
            ts = 1_700_000_000_000u64 + i as u64 * 250 + rng.below(250),
            level = levels[rng.below(levels.len() as u64) as usize],
            msg = rng.sentence(words),
            word = rng.word(),
            status = [200, 200, 200, 201, 304, 404, 500][rng.below(7) as usize],
            ms = rng.below(2_000_000) as f64 / 1000.0,
            user = match rng.below(4) {
                0 => "null".to_owned(),
                n => (n * 1000 + rng.below(1000)).to_string(),
            },
            tag = rng.word(),
        ));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_valid_json_and_deterministic() {
        for kind in SampleKind::ALL {
            let (a, b) = (kind.generate(), kind.generate());
            assert_eq!(a.bytes, b.bytes, "{}", a.name);
            let documents: Vec<&[u8]> = if a.ndjson {
                crate::ndjson::documents(&a.bytes).map(|l| l.text).collect()
            } else {
                vec![&a.bytes]
            };
            assert!(documents.len() > if a.ndjson { 1000 } else { 0 });
            for document in documents {
                serde_json::from_slice::<serde_json::Value>(document)
                    .unwrap_or_else(|e| panic!("{}: {e}", a.name));
                jsontape::parse(document).unwrap_or_else(|e| panic!("{}: {e}", a.name));
            }
        }
    }
}
