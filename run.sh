#!/usr/bin/env bash
# eda-playground's one developer script.
#
#   ./run.sh serve   install what is missing, then serve the app at http://127.0.0.1:8080 (reloads on save)
#   ./run.sh test    install what is missing, then run every test: native, wasm in headless Chromium, end-to-end
#   ./run.sh size    build release and print raw and gzip bytes of the wasm, JS and CSS
#   ./run.sh setup   only install what is missing
#
# Setup is idempotent and pinned, and downloads nothing but registry packages (crates.io, npm,
# Debian). With everything present it takes seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132.0.0"          # wasm-opt "version 132"; Debian's binaryen is too old for today's rustc
TOOLS_DIR="${EDA_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/eda-playground}"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export PATH="$TOOLS_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The wasm-bindgen version the build uses, from Cargo.lock (wasm-bindgen-cli must equal it).
lock_wasm_bindgen() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

setup_build() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup first"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (about 9 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  local wbg
  wbg="$(lock_wasm_bindgen)"
  [ -n "$wbg" ] || die "no wasm-bindgen in Cargo.lock"
  grep -q "^wasm_bindgen = \"$wbg\"" Trunk.toml ||
    die "Trunk.toml [tools] wasm_bindgen must equal Cargo.lock's wasm-bindgen $wbg"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ]; then
    say "installing wasm-bindgen-cli $wbg (about 3 minutes)"
    # Not --locked: its lock file names a crate version this registry mirror lacks.
    cargo install wasm-bindgen-cli --version "$wbg" --force
  fi
  if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    say "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm into $TOOLS_DIR"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION"
  fi
}

setup_browser() {
  if ! command -v chromium >/dev/null || [ ! -x "$CHROMEDRIVER" ]; then
    say "installing Debian's chromium and chromium-driver"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver
  fi
}

build_release() {
  say "building dist/ (release)"
  trunk build --release
}

cmd_test() {
  setup_build
  setup_browser
  local start=$SECONDS
  say "layer 1/3: native tests (cargo test)"
  cargo test
  say "layer 2/3: wasm tests in headless Chromium (wasm-bindgen-test)"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    CHROMEDRIVER="$CHROMEDRIVER" \
    cargo test --target wasm32-unknown-unknown --test browser --test browser_wordcount --test browser_compare
  say "layer 3/3: end-to-end in Chromium over WebDriver"
  build_release
  CHROMEDRIVER="$CHROMEDRIVER" cargo test --test e2e -- --ignored --test-threads=1
  say "all three layers passed in $((SECONDS - start)) s (screenshots in target/e2e/)"
}

cmd_size() {
  setup_build
  build_release
  local total_raw=0 total_gz=0 raw gz f
  printf '%-44s %10s %10s\n' "file" "raw B" "gzip B"
  for f in dist/*.wasm dist/*.js dist/*.css; do
    [ -e "$f" ] || continue
    raw=$(wc -c <"$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
    printf '%-44s %10d %10d\n' "$(basename "$f")" "$raw" "$gz"
  done
  printf '%-44s %10d %10d\n' "total (wasm + js + css)" "$total_raw" "$total_gz"
  printf 'budget: 250 KB gzip for the finished app; used %d.%d KB\n' \
    $((total_gz / 1000)) $(((total_gz % 1000) / 100))
  [ "$total_gz" -le 250000 ] || die "over the 250 KB gzip budget"
}

case "${1:-}" in
  serve) setup_build; say "serving at http://127.0.0.1:8080"; exec trunk serve ;;
  test) cmd_test ;;
  size) cmd_size ;;
  setup) setup_build; setup_browser ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
