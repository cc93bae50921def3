#!/usr/bin/env python3
"""Turns criterion results of `benches/parse.rs` into the README's tables.

Usage: python3 scripts/bench_table.py NATIVE_DIR [PLAIN_DIR]

NATIVE_DIR is the criterion directory of a run built with
RUSTFLAGS="-C target-cpu=native" (peers on their SIMD paths), e.g.
target/native/criterion. PLAIN_DIR, optional, is that of a run without the
flag (how jsontape runs for users, by run-time dispatch), e.g.
target/criterion. Prints median throughput in GB/s (10^9 bytes/s) and the
ratio of jsontape (from PLAIN_DIR when given) to each peer.
"""

import json
import sys
from pathlib import Path

PEERS = ["sonic_rs/value", "simd_json/tape", "serde_json/value"]


def median_ns(directory: Path, group: str, function: str):
    path = directory / group / function.replace("/", "_") / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"]


def group_size(directory: Path, group: str):
    for bench in (directory / group).glob("*/new/benchmark.json"):
        throughput = json.loads(bench.read_text()).get("throughput") or {}
        if "Bytes" in throughput:
            return throughput["Bytes"]
    return None


def gbps(size, ns):
    return size / ns if ns else float("nan")  # bytes per ns = GB/s


def main():
    native = Path(sys.argv[1])
    plain = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    groups = sorted(
        (g.name for g in native.iterdir() if g.is_dir() and g.name != "report"),
        key=lambda g: (group_size(native, g) or 0),
    )
    backends = sorted(
        {f.name.replace("jsontape_stage1-", "") for g in groups for f in (native / g).glob("jsontape_stage1-*")}
    )
    header = ["document", "size", "jsontape"] + [p.split("/")[0] for p in PEERS]
    header += [f"vs {p.split('/')[0]}" for p in PEERS]
    header += [f"jsontape {b}" for b in backends if (native / groups[0] / f"jsontape_tape-{b}").exists()]
    header += [f"stage 1 {b}" for b in backends]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for group in groups:
        size = group_size(native, group)
        ours = median_ns(plain, group, "jsontape/tape") if plain else None
        ours = ours or median_ns(native, group, "jsontape/tape")
        peers = [median_ns(native, group, p) for p in PEERS]
        row = [group, f"{size:,} B", f"{gbps(size, ours):.2f}"]
        row += [f"{gbps(size, t):.2f}" if t else "-" for t in peers]
        row += [f"{t / ours:.2f}x" if t else "-" for t in peers]
        row += [
            f"{gbps(size, median_ns(native, group, f'jsontape/tape-{b}')):.2f}"
            for b in backends
            if (native / groups[0] / f"jsontape_tape-{b}").exists()
        ]
        row += [f"{gbps(size, median_ns(native, group, f'jsontape/stage1-{b}')):.2f}" for b in backends]
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
