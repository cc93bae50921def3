#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets into fuzz/corpus/<target>/.

The seeds come from the shared corpus, read in place ($JSONTAPE_CORPUS, else
../shared/corpus beside the repository) and never committed: every
JSONTestSuite file, slices of the benchmark documents, and a few hand-written
inputs aimed at block boundaries, escapes and numbers. parser_reuse gets
NUL-separated groups of them, since it splits its input on NUL bytes.

Usage: python3 scripts/fuzz_seeds.py   (from anywhere; idempotent)
"""
import hashlib
import json
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = pathlib.Path(os.environ.get("JSONTAPE_CORPUS", ROOT.parent / "shared" / "corpus"))
TARGETS = ["parse_backends", "differential", "round_trip", "parser_reuse", "dom", "typed", "query", "stream"]
# libFuzzer's default -max_len is 4096; slices stay under it.
SLICE_LENGTHS = [64, 200, 1000, 4000]


def hand_written():
    yield b'{"id":"123","name":"user","tags":["a","b"],"meta":{"v":42}}'
    for pad in (0, 30, 58, 61, 62, 63, 64, 65):
        yield b'["' + b"x" * pad + b'\\\\\\"\\u00e9\\ud83d\\ude00", -0.0, 1e-7]'
        yield b" " * pad + b"[-65.613616999999977,43.420273000000009,18446744073709551616]"
    yield b"[1.7976931348623157e308,4.9e-324,2.2250738585072014e-308,123456789012345678901234567890]"
    yield b'[true,false,null,{"":[[[]]],"a":{},"a":1}]'
    yield b'"\\/\\b\\f\\n\\r\\t\\"\\\\"'


def typed_seeds():
    """Documents that fit the typed target's types (fuzz/src/oracles.rs, mod typed)."""
    yield b'{"flag":true,"small":7,"count":-3,"ratio":0.5,"name":"n\\u00e9","note":null,"tags":["a","b"]}'
    yield b'{"scores":{"x":1.5,"y":-0.0},"by_id":{"-12":1,"0":2},"by_code":{"255":false},"type":"t"}'
    yield b'{"shape":"Point","shapes":[{"Circle":2.5},{"Rect":[1,2]},{"Poly":{"sides":3,"name":"tri"}},{"Group":["Point"]}]}'
    yield b'{"event":{"type":"Move","x":1,"y":-2},"loose":[null,1,-1,1.5,true,"Point","s",[1,"a"],{"k":{"type":"Ping"}}]}'
    yield b'{"wide":-170141183460469231731687303715884105728,"wide_unsigned":340282366920938463463374607431768211455}'
    yield b'{"pair":[1,"x"],"json":{"a":[1,2.0,-0,1e400]},"child":{"child":{"name":"deep"}},"kind":"k"}'
    yield b'[{"Circle":1},{"Rect":[255,0]},"Point",{"Group":[{"Poly":{"sides":0}}]}]'
    yield b'{"type":"Say","text":"hi","to":["a"],"loud":true}'
    yield b'{"type":"kv","a":1,"b":[true,{"c":null}]}'
    yield b'{"id":1,"extra":[1,2],"more":{"x":"y"}}'
    yield b'[255,-9223372036854775808,1e-7,"s",false,null]'
    yield b'["plain","esc\\"aped","\\ud83d\\ude00"]'


def query_seeds():
    """`selector NUL document` from the JSONPath compliance test suite."""
    cts = json.loads((CORPUS / "conformance" / "jsonpath-cts" / "cts.json").read_text())
    for test in cts["tests"]:
        document = json.dumps(test.get("document", None)).encode()
        yield test["selector"].encode() + b"\0" + document


def stream_seeds():
    """A control byte (framing, window, read size) and a stream: slices of
    the NDJSON corpus file, and hand-written streams with bad lines, CRLF,
    blank lines, a byte order mark and a cut end."""
    ndjson = (CORPUS / "ndjson" / "amazon_cellphones.ndjson").read_bytes()
    streams = [ndjson[:length] for length in SLICE_LENGTHS]
    streams.append(b'\xef\xbb\xbf{"a":1}\r\n\r\n[1,]\n  \n"x\x01"\n{"b":\n[2]')
    streams.append(b'1 2 [3]{"k":"v"}\n"s" tru\n{"cut": [1,')
    for control in (0, 1, 0x32, 0x47, 0xF8, 0xFF):
        for stream in streams:
            yield bytes([control]) + stream


def seeds():
    parsing = CORPUS / "conformance" / "JSONTestSuite"
    for path in sorted(parsing.glob("*/*.json")):
        yield path.read_bytes()
    for path in sorted((CORPUS / "bench").glob("*.json")):
        data = path.read_bytes()
        for length in SLICE_LENGTHS:
            yield data[:length]
            middle = len(data) // 2
            yield data[middle : middle + length]
    yield from hand_written()


def write(directory, data):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main():
    if not CORPUS.is_dir():
        raise SystemExit(f"corpus not found at {CORPUS} (set JSONTAPE_CORPUS)")
    all_seeds = list(seeds())
    for target in TARGETS:
        directory = ROOT / "fuzz" / "corpus" / target
        if target == "parser_reuse":
            small = [s for s in all_seeds if len(s) < 1000]
            groups = [b"\0".join(small[i : i + 4]) for i in range(0, len(small), 4)]
            for group in groups:
                write(directory, group)
        else:
            for seed in all_seeds:
                write(directory, seed)
        if target == "typed":
            for seed in typed_seeds():
                write(directory, seed)
        if target == "query":
            for seed in query_seeds():
                write(directory, seed)
        if target == "stream":
            for seed in stream_seeds():
                write(directory, seed)
    print(f"{len(all_seeds)} seeds per target in {ROOT / 'fuzz' / 'corpus'}")


if __name__ == "__main__":
    main()
