#!/usr/bin/env bash
# The aarch64 (NEON) build, tested under qemu user-mode emulation on an x86_64
# Debian machine, as described in ../shared/notes/aarch64-under-qemu.md:
# Debian's rustc-web with its arm64 standard library compiles, Debian's cross
# gcc links (statically: a dynamic binary hangs at its first thread spawn under
# qemu 7.2), and qemu-aarch64-static runs the unit, integration and doc tests.
# Then the benchmarks are built (not run: emulated timings mean nothing).
#
# Runs as root without a terminal; installs the Debian packages it needs unless
# they are already installed. Uses rustup's cargo, never /usr/bin/cargo.
# Environment: JSONTAPE_CORPUS (default ../shared/corpus), PROPTEST_CASES
# (default 64), CARGO_TARGET_DIR (default target/aarch64), JSONTAPE_BACKEND
# and CI are passed through to the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=aarch64-unknown-linux-gnu
started=$SECONDS
step() { echo "== aarch64: $* ($((SECONDS - started))s)"; }

# --- packages ---------------------------------------------------------------
packages=(rustc-web libstd-rust-web-dev:arm64 gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static)

installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

missing=()
for p in "${packages[@]}"; do
    installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    step "packages already installed"
else
    step "installing ${missing[*]}"
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "not root and no sudo: cannot install ${missing[*]}" >&2; exit 1; }
        sudo=(sudo -n)
    fi
    export DEBIAN_FRONTEND=noninteractive
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        "${sudo[@]}" dpkg --add-architecture arm64
    fi
    "${sudo[@]}" apt-get update -q </dev/null
    "${sudo[@]}" apt-get install -y -q "${missing[@]}" </dev/null
fi

# --- tools ------------------------------------------------------------------
# rustup's cargo: Debian's /usr/bin/cargo (pulled in by rustc-web) hangs here.
CARGO_BIN=$(command -v cargo || true)
if [ -z "$CARGO_BIN" ] || [ "$CARGO_BIN" = /usr/bin/cargo ]; then
    CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin/cargo"
fi
[ -x "$CARGO_BIN" ] || { echo "rustup's cargo not found (looked at $CARGO_BIN)" >&2; exit 1; }

export RUSTC=/usr/bin/rustc
export RUSTDOC=/usr/bin/rustdoc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER=qemu-aarch64-static
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS="-C target-feature=+crt-static"
# RUSTFLAGS from the environment would replace the target's flags above and
# lose +crt-static (and a dynamically linked test binary hangs under qemu).
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS
# Doctests are compiled by rustdoc, which reads RUSTDOCFLAGS (for the target
# only, since --target is given), not the target's RUSTFLAGS.
export RUSTDOCFLAGS="-C target-feature=+crt-static"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/aarch64}"
export CARGO_TERM_COLOR=never
export JSONTAPE_CORPUS="${JSONTAPE_CORPUS:-$(cd .. && pwd)/shared/corpus}"
export PROPTEST_CASES="${PROPTEST_CASES:-64}"
# Everything is built once, optimized: unoptimized code under emulation makes
# the tests several times slower than compiling them optimized, and the
# benchmarks need an optimized build anyway. Debug assertions and overflow
# checks stay on, and the release and bench profiles are kept identical so
# that `cargo bench --no-run` reuses what the tests built.
# No debug info (Cargo.toml keeps line tables for profiling on x86_64): it
# only slows compiling and linking the many test binaries here.
for profile in RELEASE BENCH; do
    export "CARGO_PROFILE_${profile}_DEBUG_ASSERTIONS=true"
    export "CARGO_PROFILE_${profile}_OVERFLOW_CHECKS=true"
    export "CARGO_PROFILE_${profile}_DEBUG=false"
done

step "tools"
echo "cargo:   $CARGO_BIN ($("$CARGO_BIN" --version))"
echo "rustc:   $("$RUSTC" --version)"
echo "qemu:    $(qemu-aarch64-static --version | head -n 1)"
echo "corpus:  $JSONTAPE_CORPUS"
echo "PROPTEST_CASES=$PROPTEST_CASES JSONTAPE_BACKEND=${JSONTAPE_BACKEND:-<unset>} CARGO_TARGET_DIR=$CARGO_TARGET_DIR"

# --- which backend runs under emulation --------------------------------------
# A small program linked against the aarch64 library reports the backend that
# jsontape chooses by default; it must be NEON.
step "backend probe"
"$CARGO_BIN" build -p jsontape --lib --release --target "$TARGET"
deps="$CARGO_TARGET_DIR/$TARGET/release"
probe_dir="$CARGO_TARGET_DIR/backend-probe"
mkdir -p "$probe_dir"
cat >"$probe_dir/probe.rs" <<'EOF'
fn main() {
    let supported: Vec<&str> = jsontape::Backend::ALL
        .into_iter()
        .filter(|b| b.is_supported())
        .map(|b| b.name())
        .collect();
    println!("default backend:    {}", jsontape::backend().name());
    println!("supported backends: {}", supported.join(", "));
    println!(
        "pmull:              {}",
        std::arch::is_aarch64_feature_detected!("aes")
            && std::arch::is_aarch64_feature_detected!("pmull")
    );
}
EOF
"$RUSTC" --edition 2024 --target "$TARGET" -C linker=aarch64-linux-gnu-gcc \
    -C target-feature=+crt-static -o "$probe_dir/probe" "$probe_dir/probe.rs" \
    --extern jsontape="$deps/libjsontape.rlib" -L dependency="$deps/deps"
probe=$(env -u JSONTAPE_BACKEND timeout 120 qemu-aarch64-static "$probe_dir/probe")
echo "$probe" | sed 's/^/    /'
if ! echo "$probe" | grep -q '^default backend: *neon$'; then
    echo "expected the NEON backend under aarch64 emulation" >&2
    exit 1
fi

# --- tests ------------------------------------------------------------------
# Every step runs even if an earlier one fails, so that one run reports all
# failures; the script fails at the end if any did.
# Each step is bounded (AARCH64_STEP_TIMEOUT, default 30m), so that a hang
# under emulation fails the run instead of eating the CI budget.
failed=()
run() {
    local name=$1
    shift
    step "$name"
    if ! timeout --kill-after=30s "${AARCH64_STEP_TIMEOUT:-30m}" "$@"; then
        failed+=("$name")
    fi
}

# The unit tests and the integration tests whose results depend on the SIMD
# backend: parsing, the on-demand walk and document streams, which all run
# stage 1 through it. The serde, JSONPath and CLI suites and the doctests
# exercise logic written once above the backends; they run on x86_64 (and
# compiling every doctest for aarch64 would double this stage's time).
backend_tests=(adversarial allocations conformance differential error_positions
    fuzz_regressions guard_page limits ondemand properties stream value writer)
run "unit and backend-dependent integration tests (qemu)" \
    "$CARGO_BIN" test -p jsontape --lib "${backend_tests[@]/#/--test=}" --release \
    --no-fail-fast --target "$TARGET"
run "benchmarks build" \
    "$CARGO_BIN" bench -p jsontape --no-run --target "$TARGET"

if [ ${#failed[@]} -ne 0 ]; then
    step "FAILED: $(IFS=,; echo "${failed[*]}")"
    exit 1
fi
step "done: NEON backend tested under qemu"
