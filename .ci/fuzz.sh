#!/usr/bin/env bash
# Runs every fuzz target briefly under AddressSanitizer (cargo-fuzz's default),
# from seed corpora generated from the shared corpus, so that regressions
# surface on every CI run. FUZZ_SECONDS per target (default 30). Installs
# cargo-fuzz if it is missing; needs the nightly toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-30}"
targets=(parse_backends differential round_trip parser_reuse dom typed query stream)

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
python3 scripts/fuzz_seeds.py

cd fuzz
cargo +nightly fuzz build
for target in "${targets[@]}"; do
    echo "-- $target: ${seconds}s"
    # -close_fd_mask=1 silences the targets' stdout; failures go to stderr.
    cargo +nightly fuzz run "$target" -- \
        -dict=json.dict -max_len=4096 -max_total_time="$seconds" \
        -close_fd_mask=1 -print_final_stats=1 2>&1 |
        grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|thread|SUMMARY|Failing input|Done)' || true
    if [ "${PIPESTATUS[0]}" -ne 0 ]; then
        echo "fuzz target $target failed; the input is in fuzz/artifacts/$target/"
        exit 1
    fi
done
