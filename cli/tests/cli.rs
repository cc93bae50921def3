//! End-to-end tests of the `jsontape` binary: every subcommand's output, exit
//! status and failures. Each test works in its own temporary directory and
//! names files relative to it, so the messages are exact.

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use std::io::Read;
use std::process::Stdio;
use tempfile::TempDir;

/// A pretty-printed document with a nested object, an escape and a number
/// whose spelling (`2.50`) must survive.
const GOOD: &str = r#"{"a": [1, 2.50, {"b": "x\ny"}], "c": {"d": null}}"#;

/// A document with a missing comma on line 3.
const BAD: &str = "{\n  \"a\": 1\n  \"b\": 2\n}\n";

/// The report for [`BAD`] as `bad.json`.
const BAD_REPORT: &str =
    "bad.json:3:3: expected ',' or '}' after object field, found '\"'\n  \"b\": 2\n  ^\n";

/// A temporary directory holding `files`.
fn dir_with(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

/// The `jsontape` command, run in `dir`.
fn jsontape(dir: &TempDir) -> Command {
    let mut command = cargo_bin_cmd!("jsontape");
    command.current_dir(dir.path());
    command
}

/// A directory with the usual fixtures: good.json, bad.json, empty.json, a
/// non-UTF-8 file, a UTF-16 file and a subdirectory.
fn fixtures() -> TempDir {
    let dir = dir_with(&[
        ("good.json", GOOD.as_bytes()),
        ("bad.json", BAD.as_bytes()),
        ("empty.json", b""),
        ("blank.json", b" \n\t\n"),
        ("latin1.json", b"[\"caf\xe9\"]"),
        ("utf16.json", b"[\x001\x00]\x00"),
    ]);
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    dir
}

// ---------------------------------------------------------------- help

#[test]
fn help_documents_the_subcommands_and_exit_codes() {
    let dir = fixtures();
    jsontape(&dir).arg("--help").assert().success().stdout(
        predicate::str::contains("validate")
            .and(predicate::str::contains("get"))
            .and(predicate::str::contains("fmt"))
            .and(predicate::str::contains("stats"))
            .and(predicate::str::contains("bench"))
            .and(predicate::str::contains("Exit status:"))
            .and(predicate::str::contains("2  usage error")),
    );
    for sub in ["validate", "get", "fmt", "stats", "bench"] {
        jsontape(&dir)
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Exit status:"));
    }
}

#[test]
fn usage_errors_exit_2() {
    let dir = fixtures();
    jsontape(&dir).assert().code(2);
    jsontape(&dir).arg("validate").assert().code(2);
    jsontape(&dir).args(["get", "good.json"]).assert().code(2);
    jsontape(&dir).args(["frobnicate"]).assert().code(2);
}

// ---------------------------------------------------------------- validate

#[test]
fn validate_accepts_valid_json_silently() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["validate", "good.json"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
}

#[test]
fn validate_reports_the_line_and_a_caret() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["validate", "bad.json"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(BAD_REPORT);
}

#[test]
fn validate_lines_the_caret_up_under_tabs_and_non_ascii_text() {
    let dir = dir_with(&[("t.json", "{\n\t\"日本\": tru}\n".as_bytes())]);
    jsontape(&dir)
        .args(["validate", "t.json"])
        .assert()
        .code(1)
        .stderr(
            "t.json:2:15: invalid literal, expected true, false or null, found '}'\n\
             \t\"日本\": tru}\n\
             \t         ^\n",
        );
}

#[test]
fn validate_points_past_the_last_token_when_the_input_ends_early() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["validate", "-"])
        .write_stdin("[1,\n 2\n\n")
        .assert()
        .code(1)
        .stderr("<stdin>:2:3: unexpected end of input\n 2\n  ^\n");
}

#[test]
fn validate_cuts_long_lines_around_the_column() {
    let input = format!("[{}x{}]", "1,".repeat(500), ",1".repeat(500));
    let dir = dir_with(&[("long.json", input.as_bytes())]);
    let output = jsontape(&dir)
        .args(["validate", "long.json"])
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let text = String::from_utf8(output).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "long.json:1:1002: expected a JSON value, found 'x'"
    );
    assert_eq!(lines[1].chars().count(), 122, "{}", lines[1]);
    assert!(lines[1].starts_with('…') && lines[1].ends_with('…'));
    let caret = lines[2].chars().count() - 1;
    assert_eq!(lines[1].chars().nth(caret), Some('x'));
}

#[test]
fn validate_checks_every_file_and_exits_with_the_worst_status() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["validate", "good.json", "bad.json", "good.json"])
        .assert()
        .code(1)
        .stderr(BAD_REPORT);
    jsontape(&dir)
        .args(["validate", "bad.json", "missing.json", "good.json"])
        .assert()
        .code(2)
        .stderr(format!(
            "{BAD_REPORT}jsontape: missing.json: No such file or directory\n"
        ));
}

#[test]
fn validate_reads_stdin() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["validate", "-"])
        .write_stdin(GOOD)
        .assert()
        .success()
        .stderr("");
    jsontape(&dir)
        .args(["validate", "-"])
        .write_stdin("[1, 2,]")
        .assert()
        .code(1)
        .stderr("<stdin>:1:7: expected a JSON value, found ']'\n[1, 2,]\n      ^\n");
}

#[test]
fn validate_quiet_prints_nothing() {
    let dir = fixtures();
    for (file, code) in [
        ("good.json", 0),
        ("bad.json", 1),
        ("empty.json", 1),
        ("missing.json", 2),
    ] {
        jsontape(&dir)
            .args(["validate", "--quiet", file])
            .assert()
            .code(code)
            .stdout("")
            .stderr("");
    }
}

#[test]
fn validate_ndjson_reports_every_bad_line() {
    let dir = dir_with(&[(
        "log.ndjson",
        b"{\"a\":1}\n\n[1,]\n  \n\"ok\"\r\n{\"b\" 2}\n{\"c\":\"\xff\"}\n",
    )]);
    jsontape(&dir)
        .args(["validate", "--ndjson", "log.ndjson"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            "log.ndjson:3:4: expected a JSON value, found ']'\n[1,]\n   ^\n\
             log.ndjson:6:6: expected ':' after object key, found '2'\n{\"b\" 2}\n     ^\n\
             log.ndjson:7:7: invalid UTF-8\n{\"c\":\"\u{fffd}\"}\n      ^\n\
             log.ndjson: 5 documents, 3 invalid\n",
        );
}

#[test]
fn validate_ndjson_summarizes_valid_files() {
    let dir = dir_with(&[("ok.ndjson", b"1\n[2]\n{\"3\":3}")]);
    jsontape(&dir)
        .args(["validate", "--ndjson", "ok.ndjson", "-"])
        .write_stdin("\"one\"\n")
        .assert()
        .success()
        .stderr("ok.ndjson: 3 documents, 0 invalid\n<stdin>: 1 document, 0 invalid\n");
}

#[test]
fn validate_ndjson_rejects_input_without_documents() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["validate", "--ndjson", "blank.json"])
        .assert()
        .code(1)
        .stderr("jsontape: blank.json: is empty (only blank lines)\n");
}

// ---------------------------------------------------------------- friendly failures

#[test]
fn missing_files_directories_empty_and_non_utf8_inputs_fail_in_one_line() {
    let dir = fixtures();
    let cases: [(&str, i32, &str); 6] = [
        ("missing.json", 2, "missing.json: No such file or directory"),
        ("sub", 2, "sub: is a directory"),
        ("empty.json", 1, "empty.json: is empty"),
        ("blank.json", 1, "blank.json: is empty (only whitespace)"),
        (
            "latin1.json",
            1,
            "latin1.json: is not UTF-8 (invalid byte at offset 5)",
        ),
        (
            "utf16.json",
            1,
            "utf16.json: is binary or UTF-16, not JSON text (NUL byte at offset 1)",
        ),
    ];
    for (file, code, message) in cases {
        let expected = format!("jsontape: {message}\n");
        let commands: [&[&str]; 4] = [
            &["validate", file],
            &["get", file, "/a"],
            &["fmt", file],
            &["stats", file],
        ];
        for args in commands {
            jsontape(&dir)
                .args(args)
                .assert()
                .code(code)
                .stdout("")
                .stderr(expected.clone());
        }
    }
}

#[test]
fn empty_stdin_fails_in_one_line() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["validate", "-"])
        .write_stdin("")
        .assert()
        .code(1)
        .stderr("jsontape: <stdin>: is empty\n");
}

#[cfg(unix)]
#[test]
fn unreadable_files_fail_in_one_line() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fixtures();
    let path = dir.path().join("locked.json");
    std::fs::write(&path, GOOD).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        return; // root reads anything: nothing to test
    }
    jsontape(&dir)
        .args(["validate", "locked.json"])
        .assert()
        .code(2)
        .stderr("jsontape: locked.json: Permission denied\n");
}

// ---------------------------------------------------------------- get

#[test]
fn get_by_pointer_prints_the_value_compact() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["get", "good.json", "/a"])
        .assert()
        .success()
        .stdout("[1,2.50,{\"b\":\"x\\ny\"}]\n");
    jsontape(&dir)
        .args(["get", "good.json", "/a/2/b"])
        .assert()
        .success()
        .stdout("\"x\\ny\"\n");
    jsontape(&dir)
        .args(["get", "good.json", ""])
        .assert()
        .success()
        .stdout("{\"a\":[1,2.50,{\"b\":\"x\\ny\"}],\"c\":{\"d\":null}}\n");
}

#[test]
fn get_by_jsonpath_prints_one_value_per_line() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["get", "good.json", "$..*"])
        .assert()
        .success()
        .stdout(
            "[1,2.50,{\"b\":\"x\\ny\"}]\n{\"d\":null}\n1\n2.50\n{\"b\":\"x\\ny\"}\n\"x\\ny\"\nnull\n",
        );
}

#[test]
fn get_pretty_and_paths() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["get", "--pretty", "good.json", "$.a[2]"])
        .assert()
        .success()
        .stdout("{\n  \"b\": \"x\\ny\"\n}\n");
    jsontape(&dir)
        .args(["get", "--paths", "good.json", "$.a[0,1]"])
        .assert()
        .success()
        .stdout("$['a'][0]\t1\n$['a'][1]\t2.50\n");
    jsontape(&dir)
        .args(["get", "--paths", "good.json", "/a/2/b"])
        .assert()
        .success()
        .stdout("$['a'][2]['b']\t\"x\\ny\"\n");
    jsontape(&dir)
        .args(["get", "--paths", "--pretty", "good.json", "/c"])
        .assert()
        .success()
        .stdout("$['c']\t{\n  \"d\": null\n}\n");
}

#[test]
fn get_keeps_key_order_beyond_small_objects() {
    let fields: Vec<String> = (0..50).rev().map(|i| format!("\"k{i}\": {i}.0")).collect();
    let input = format!("{{\"o\": {{{}}}}}", fields.join(", "));
    let expected = format!("{{{}}}\n", fields.join(",").replace(": ", ":"));
    let dir = dir_with(&[("wide.json", input.as_bytes())]);
    jsontape(&dir)
        .args(["get", "wide.json", "/o"])
        .assert()
        .success()
        .stdout(expected);
}

#[test]
fn get_with_no_match_prints_nothing_and_exits_1() {
    let dir = fixtures();
    for expression in ["/missing", "/a/3", "$.a[9]", "$..zz"] {
        jsontape(&dir)
            .args(["get", "good.json", expression])
            .assert()
            .code(1)
            .stdout("")
            .stderr("");
    }
}

#[test]
fn get_rejects_invalid_expressions_with_exit_2() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["get", "good.json", "$.a b"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "jsontape: invalid JSONPath expression: expected '.', '[' or the end of the query, \
             found 'b' at offset 4\n  $.a b\n      ^\n",
        );
    jsontape(&dir)
        .args(["get", "good.json", "/a~2"])
        .assert()
        .code(2)
        .stderr(
            "jsontape: invalid JSON Pointer: '~' must be followed by '0' or '1' at offset 2\n  \
             /a~2\n    ^\n",
        );
    jsontape(&dir)
        .args(["get", "good.json", "a.b"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "jsontape: EXPR must be a JSON Pointer",
        ));
    // The expression is checked before the input is read.
    jsontape(&dir)
        .args(["get", "missing.json", "$["])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid JSONPath"));
}

#[test]
fn get_validates_the_whole_document() {
    let dir = dir_with(&[("tail.json", b"{\"a\": 1, \"b\": [}")]);
    jsontape(&dir)
        .args(["get", "tail.json", "/a"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            "tail.json:1:16: expected a JSON value, found '}'\n{\"a\": 1, \"b\": [}\n               ^\n",
        );
}

#[test]
fn get_reads_stdin() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["get", "-", "$.c.d"])
        .write_stdin(GOOD)
        .assert()
        .success()
        .stdout("null\n");
}

// ---------------------------------------------------------------- fmt

/// [`GOOD`], pretty.
const GOOD_PRETTY: &str = "{\n  \"a\": [\n    1,\n    2.50,\n    {\n      \"b\": \"x\\ny\"\n    }\n  ],\n  \"c\": {\n    \"d\": null\n  }\n}\n";

#[test]
fn fmt_pretty_prints_by_default() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["fmt", "good.json"])
        .assert()
        .success()
        .stdout(GOOD_PRETTY);
    jsontape(&dir)
        .args(["fmt", "--pretty", "-"])
        .write_stdin(GOOD)
        .assert()
        .success()
        .stdout(GOOD_PRETTY);
}

#[test]
fn fmt_minifies() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["fmt", "--minify", "-"])
        .write_stdin(GOOD_PRETTY)
        .assert()
        .success()
        .stdout("{\"a\":[1,2.50,{\"b\":\"x\\ny\"}],\"c\":{\"d\":null}}\n");
    jsontape(&dir)
        .args(["fmt", "--minify", "--pretty", "good.json"])
        .assert()
        .code(2);
}

#[test]
fn fmt_writes_to_a_file_and_leaves_it_alone_on_failure() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["fmt", "good.json", "-o", "out.json"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    let out = dir.path().join("out.json");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), GOOD_PRETTY);
    jsontape(&dir)
        .args(["fmt", "bad.json", "--output", "out.json"])
        .assert()
        .code(1)
        .stderr(BAD_REPORT);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), GOOD_PRETTY);
    // In place: the input stays mapped while the new file replaces it.
    jsontape(&dir)
        .args(["fmt", "--minify", "out.json", "-o", "out.json"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "{\"a\":[1,2.50,{\"b\":\"x\\ny\"}],\"c\":{\"d\":null}}\n"
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("tmp"))
        .collect();
    names.sort();
    assert!(names.is_empty(), "temporary files left: {names:?}");
}

#[test]
fn fmt_output_errors_exit_2() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["fmt", "good.json", "-o", "sub"])
        .assert()
        .code(2)
        .stderr("jsontape: sub: is a directory\n");
    jsontape(&dir)
        .args(["fmt", "good.json", "-o", "nowhere/out.json"])
        .assert()
        .code(2)
        .stderr("jsontape: nowhere/out.json: No such file or directory\n");
}

/// Runs `jsontape args` on a large document, reads a little of its output
/// and closes the pipe: the command must end quietly, without a panic.
fn assert_quiet_on_broken_pipe(args: &[&str]) {
    let row = r#"{"id": 12345, "name": "a fairly long string value", "tags": ["x", "y", "z"]}"#;
    let big = format!("[{}]", vec![row; 20_000].join(",\n"));
    let dir = dir_with(&[("big.json", big.as_bytes())]);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("jsontape"))
        .args(args)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    // Dropping stdout closed the pipe.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
    assert_eq!(stderr, "");
}

#[test]
fn fmt_ends_quietly_when_the_reader_goes_away() {
    assert_quiet_on_broken_pipe(&["fmt", "big.json"]);
}

#[test]
fn get_ends_quietly_when_the_reader_goes_away() {
    assert_quiet_on_broken_pipe(&["get", "big.json", "$[*].name"]);
}

// ---------------------------------------------------------------- stats

#[test]
fn stats_json_counts_values_strings_and_memory() {
    let dir = fixtures();
    let output = jsontape(&dir)
        .args(["stats", "--json", "good.json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stats: serde_json::Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(stats["file"], "good.json");
    assert_eq!(stats["bytes"], GOOD.len());
    assert_eq!(
        stats["values"],
        serde_json::json!({"object": 3, "array": 1, "string": 1, "number": 2,
                           "bool": 0, "null": 1, "total": 8})
    );
    assert_eq!(stats["object_keys"], 4);
    assert_eq!(stats["max_depth"], 3);
    assert_eq!(
        stats["strings"],
        serde_json::json!({"borrowed": {"count": 0, "bytes": 0},
                           "unescaped": {"count": 1, "bytes": 3}})
    );
    assert_eq!(
        stats["keys"],
        serde_json::json!({"borrowed": {"count": 4, "bytes": 4},
                           "unescaped": {"count": 0, "bytes": 0}})
    );
    assert_eq!(stats["arena_bytes"], 3);
    let tape_bytes = stats["tape_bytes"].as_u64().unwrap();
    assert_eq!(tape_bytes, 8 * stats["tape_words"].as_u64().unwrap());
    assert!(tape_bytes > 0);
    let memory = &stats["memory"];
    // The parse allocates the index, the tape and the arena; the document
    // keeps at least the tape and the arena.
    let parse = &memory["jsontape_parse"];
    assert!(parse["allocations"].as_u64().unwrap() >= 2);
    assert!(parse["bytes_retained"].as_u64().unwrap() >= tape_bytes + 3);
    // The DOM: one allocation per non-empty array or object, none resized.
    assert_eq!(memory["jsontape_value"]["allocations"], 4);
    let serde = &memory["serde_json_value"];
    assert!(serde["allocations"].as_u64().unwrap() > 4);
    assert!(serde["bytes_retained"].as_u64().unwrap() > 0);
}

#[test]
fn stats_table_is_readable() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["stats", "good.json"])
        .assert()
        .success()
        .stdout(
            predicate::str::starts_with(format!("good.json: {} bytes\n", GOOD.len()))
                .and(predicate::str::is_match(r"\n  objects +3\n").unwrap())
                .and(predicate::str::is_match(r"\nmaximum depth +3\n").unwrap())
                .and(predicate::str::is_match(r"\n  values unescaped +1 +3\n").unwrap())
                .and(
                    predicate::str::is_match(
                        r"\n    tape \d+ bytes \(\d+ words\), arena 3 bytes\n",
                    )
                    .unwrap(),
                )
                .and(predicate::str::is_match(r"\n  jsontape Value \(DOM\) +4 ").unwrap())
                .and(predicate::str::contains("serde_json::Value")),
        );
}

#[test]
fn stats_walks_deep_documents_that_serde_json_rejects() {
    let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    let dir = dir_with(&[("deep.json", deep.as_bytes())]);
    let output = jsontape(&dir)
        .args(["stats", "--json", "deep.json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stats: serde_json::Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(stats["max_depth"], 1000);
    assert_eq!(stats["values"]["array"], 1000);
    let error = stats["memory"]["serde_json_value"]["error"]
        .as_str()
        .unwrap();
    assert!(error.contains("recursion limit"), "{error}");
    jsontape(&dir)
        .args(["stats", "deep.json"])
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(r"\n  serde_json::Value +rejected: recursion limit").unwrap(),
        );
}

#[test]
fn stats_reports_invalid_json() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["stats", "bad.json"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(BAD_REPORT);
}

// ---------------------------------------------------------------- bench

#[test]
fn bench_prints_a_table_of_samples() {
    let dir = fixtures();
    let output = jsontape(&dir)
        .args(["bench", "--sample", "small", "--seconds", "0.01"])
        .assert()
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("backend: "), "{text}");
    for column in ["GB/s", "allocs/op", "bytes/op"] {
        assert!(lines[1].contains(column), "{text}");
    }
    assert_eq!(lines.len(), 5, "{text}");
    for (line, parser) in lines[2..].iter().zip([
        "jsontape tape (reused Parser)",
        "jsontape Value (DOM)",
        "serde_json::Value",
    ]) {
        assert!(line.starts_with("small (60 B object)"), "{line}");
        assert!(line.contains(parser), "{line}");
    }
    // A reused Parser allocates nothing per document.
    let no_allocations = predicate::str::is_match(r" 0 +0 B +1\.00x$").unwrap();
    assert!(no_allocations.eval(lines[2]), "{}", lines[2]);
}

#[test]
fn bench_json_on_files_and_ndjson() {
    let dir = dir_with(&[
        ("a.json", GOOD.as_bytes()),
        ("b.ndjson", b"[1,2]\n\n{\"x\":1}\n"),
    ]);
    let output = jsontape(&dir)
        .args(["bench", "--json", "--seconds", "0.01", "a.json", "b.ndjson"])
        .assert()
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(output)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    for (i, line) in lines.iter().enumerate() {
        let document = if i < 3 { "a.json" } else { "b.ndjson" };
        assert_eq!(line["document"], document);
        assert!(line["gb_per_s"].as_f64().unwrap() > 0.0, "{line}");
        assert!(line["median_ns"].as_u64().is_some(), "{line}");
        assert!(line["allocations"].as_u64().is_some(), "{line}");
        assert!(line["allocated_bytes"].as_u64().is_some(), "{line}");
        assert!(line["backend"].as_str().is_some(), "{line}");
    }
    assert_eq!(lines[0]["parser"], "jsontape tape (reused Parser)");
    assert_eq!(lines[0]["allocations"], 0);
    // Directories contribute their JSON and NDJSON files.
    jsontape(&dir)
        .args(["bench", "--json", "--seconds", "0.001", "."])
        .assert()
        .success()
        .stdout(predicate::function(|out: &str| out.lines().count() == 6));
}

#[test]
fn bench_failures() {
    let dir = fixtures();
    jsontape(&dir)
        .args(["bench", "--seconds", "0.01", "bad.json"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(BAD_REPORT);
    jsontape(&dir)
        .args(["bench", "missing.json"])
        .assert()
        .code(2)
        .stderr("jsontape: missing.json: No such file or directory\n");
    jsontape(&dir)
        .args(["bench", "sub"])
        .assert()
        .code(2)
        .stderr("jsontape: sub: has no *.json, *.ndjson or *.jsonl files\n");
    for seconds in ["0", "inf", "x"] {
        jsontape(&dir)
            .args(["bench", "--seconds", seconds])
            .assert()
            .code(2);
    }
    jsontape(&dir)
        .args(["bench", "--sample", "huge"])
        .assert()
        .code(2);
}
