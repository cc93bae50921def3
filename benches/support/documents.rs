//! The documents both benchmarks measure: a 59-byte object, generated ~1 KB and
//! ~10 KB documents (deterministic), and every `*.json` of the corpus's
//! `bench/` directory.

use std::path::{Path, PathBuf};

/// A named document.
pub struct Doc {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// `$JSONTAPE_CORPUS/bench`, else `<CARGO_MANIFEST_DIR>/../shared/corpus/bench`.
fn corpus_bench_dir() -> PathBuf {
    std::env::var_os("JSONTAPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
        .join("bench")
}

/// Every document, smallest first: the generated ones, then the corpus's.
pub fn load_documents() -> Vec<Doc> {
    let mut docs = vec![
        Doc {
            name: "small_59B".into(),
            bytes: br#"{"id":"123","name":"user","tags":["a","b"],"meta":{"v":42}}"#.to_vec(),
        },
        Doc {
            name: "gen_1KB".into(),
            bytes: generate(1024).into_bytes(),
        },
        Doc {
            name: "gen_10KB".into(),
            bytes: generate(10 * 1024).into_bytes(),
        },
    ];
    let dir = corpus_bench_dir();
    if dir.is_dir() {
        // Every document of the benchmark corpus, in name order.
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
        paths.sort();
        for path in paths {
            match std::fs::read(&path) {
                Ok(bytes) => docs.push(Doc {
                    name: path
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned(),
                    bytes,
                }),
                Err(e) => eprintln!("note: cannot read {}: {e}; skipping it", path.display()),
            }
        }
    } else {
        eprintln!(
            "note: corpus not found at {} (set JSONTAPE_CORPUS); benchmarking only the generated documents",
            dir.display()
        );
    }
    docs
}

/// A deterministic, realistic document of at most `target` bytes (and close to
/// it): a page of user records with string, number, bool and null fields,
/// nested arrays/objects, and a few escaped strings.
pub fn generate(target: usize) -> String {
    const FIRST: [&str; 8] = [
        "Ada", "Grace", "Linus", "Barbara", "Dennis", "Margaret", "Ken", "Frances",
    ];
    const LAST: [&str; 8] = [
        "Lovelace", "Hopper", "Torvalds", "Liskov", "Ritchie", "Hamilton", "Thompson", "Allen",
    ];
    const TAGS: [&str; 6] = ["admin", "beta", "mobile", "eu-west", "trial", "verified"];
    const NOTES: [&str; 6] = [
        "plain note",
        r#"said \"hello\" twice"#,
        r"line one\nline two",
        r"caf\u00e9 on the corner",
        r"path C:\\Users\\demo",
        "no escapes here, just a longer sentence of text",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let head = r#"{"page":1,"per_page":50,"next":null,"users":["#;
    let tail = "]}";
    let mut out = String::from(head);
    let mut count = 0usize;
    loop {
        let id = 1000 + count;
        let first = FIRST[next() % FIRST.len()];
        let last = LAST[next() % LAST.len()];
        let tag_count = next() % 3;
        let tags: Vec<String> = (0..tag_count)
            .map(|_| format!("\"{}\"", TAGS[next() % TAGS.len()]))
            .collect();
        let record = format!(
            r#"{{"id":{id},"name":"{first} {last}","email":"{}.{}@example.com","active":{},"score":{}.{:02},"balance":-{}.{},"tags":[{}],"note":"{}","address":{{"city":"Springfield","zip":"{:05}"}}}}"#,
            first.to_lowercase(),
            last.to_lowercase(),
            next() % 2 == 0,
            next() % 100,
            next() % 100,
            next() % 10000,
            next() % 1000,
            tags.join(","),
            NOTES[next() % NOTES.len()],
            next() % 100_000,
        );
        let sep = usize::from(count > 0);
        if out.len() + sep + record.len() + tail.len() > target && count > 0 {
            break;
        }
        if sep == 1 {
            out.push(',');
        }
        out.push_str(&record);
        count += 1;
    }
    out.push_str(tail);
    out
}
