#!/usr/bin/env bash
# eda-playground's one developer script.
#
#   ./run.sh serve   install what is missing, then serve the app at http://127.0.0.1:8080 (rebuilds on save)
#   ./run.sh test    install what is missing, then run every test: native, wasm in headless Chromium, end-to-end
#   ./run.sh size    build release; print raw, gzip and brotli bytes: each file, the first view, the whole
#   ./run.sh setup   only install what is missing
#   ./run.sh split-profile   record what the Playground runs first (tools/split-profile.txt)
#
# Setup is idempotent and pinned, and downloads nothing but registry packages (crates.io, npm,
# Debian). The missing tools install in parallel, each with its own log; setup prints what it
# installs and how long each took. With everything present it takes seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132.0.0"          # wasm-opt "version 132"; Debian's binaryen is too old for today's rustc
TOOLS_DIR="${EDA_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/eda-playground}"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# Where `cargo install` puts binaries (cargo reads CARGO_INSTALL_ROOT itself; set it to measure a
# clean install without touching ~/.cargo/bin, see the README).
INSTALL_ROOT="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}"
export PATH="$TOOLS_DIR/node_modules/.bin:$INSTALL_ROOT/bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The wasm-bindgen version the build uses, from Cargo.lock (wasm-bindgen-cli must equal it).
lock_wasm_bindgen() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# --- parallel installs ---------------------------------------------------------------------
# Each missing tool installs as a background job with its own log; `finish_jobs` waits for all
# of them and prints how long each took. The tools are independent, so on 2 cores the downloads,
# the npm and apt installs and the two Rust builds' serial stretches (resolving, linking) overlap.

JOBS_DIR=""
JOB_NAMES=()

start_job() { # NAME COMMAND...
  local name=$1 id=${#JOB_NAMES[@]}; shift
  [ -n "$JOBS_DIR" ] || JOBS_DIR="$(mktemp -d "${TMPDIR:-/tmp}/eda-setup.XXXXXX")"
  say "installing $name (log: $JOBS_DIR/$id.log)"
  JOB_NAMES+=("$name")
  (
    start=$SECONDS
    rc=0
    "$@" >"$JOBS_DIR/$id.log" 2>&1 || rc=$?
    echo "$rc $((SECONDS - start))" >"$JOBS_DIR/$id.result"
  ) &
}

finish_jobs() {
  [ "${#JOB_NAMES[@]}" -gt 0 ] || return 0
  local started=$SECONDS id name rc secs failed=""
  wait
  for id in "${!JOB_NAMES[@]}"; do
    name=${JOB_NAMES[$id]}
    read -r rc secs <"$JOBS_DIR/$id.result" || { rc=1; secs=0; }
    if [ "$rc" = 0 ]; then
      printf '    %-34s %3dm%02ds\n' "$name" $((secs / 60)) $((secs % 60)) >&2
    else
      printf '    %-34s FAILED after %ds; last lines of %s:\n' "$name" "$secs" "$JOBS_DIR/$id.log" >&2
      tail -n 20 "$JOBS_DIR/$id.log" >&2
      failed="$failed $name"
    fi
  done
  say "installed in $(((SECONDS - started) / 60))m$(((SECONDS - started) % 60))s (wall clock, in parallel)"
  JOB_NAMES=()
  [ -z "$failed" ] || die "could not install:$failed"
}

# `cargo install` with the fastest profile that still runs the tools well: they spend their time
# in I/O and in child processes (cargo, wasm-opt), so opt-level 1 without LTO and with parallel
# codegen is plenty, and builds in a fraction of the time of their own fat-LTO release profiles.
fast_cargo_install() {
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    CARGO_PROFILE_RELEASE_LTO=false \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_DEBUG=0 \
    CARGO_PROFILE_RELEASE_INCREMENTAL=false \
    cargo install "$@"
}

install_chromium() {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver
}

# Starts the installs of what the build needs (without waiting for them).
start_build_tools() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup first"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  local wbg
  wbg="$(lock_wasm_bindgen)"
  [ -n "$wbg" ] || die "no wasm-bindgen in Cargo.lock"
  grep -q "^wasm_bindgen = \"$wbg\"" Trunk.toml ||
    die "Trunk.toml [tools] wasm_bindgen must equal Cargo.lock's wasm-bindgen $wbg"
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    # No default features: Trunk runs offline here (Trunk.toml), so it needs neither its HTTPS
    # client nor its update check.
    start_job "trunk $TRUNK_VERSION" \
      fast_cargo_install trunk --version "$TRUNK_VERSION" --locked --no-default-features
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ]; then
    # Not --locked: its lock file names a crate version this registry mirror lacks. No default
    # features: the test runner speaks plain HTTP to chromedriver on loopback, so no TLS stack.
    start_job "wasm-bindgen-cli $wbg" \
      fast_cargo_install wasm-bindgen-cli --version "$wbg" --force --no-default-features
  fi
  if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    mkdir -p "$TOOLS_DIR"
    start_job "binaryen $BINARYEN_VERSION (npm)" \
      npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION"
  fi
}

start_browser() {
  if ! command -v chromium >/dev/null || [ ! -x "$CHROMEDRIVER" ]; then
    start_job "chromium + chromium-driver (apt)" install_chromium
  fi
}

setup_build() { start_build_tools; finish_jobs; }
setup_all() { start_build_tools; start_browser; finish_jobs; }

build_release() {
  say "building dist/ (release)"
  trunk build --release
  # The first view's code in one module, the rest in a second one loaded after start-up.
  python3 tools/wasm_split.py dist
  precompress
}

# Writes NAME.gz (gzip -9) and NAME.br (brotli, quality 11) beside each file of dist/ where that
# is smaller, for hosts that serve precompressed files (nginx gzip_static/brotli_static, most
# CDNs and static hosts). Node's own zlib does both: nothing more to install.
precompress() {
  local files
  mapfile -d '' files < <(find dist -type f ! -name '*.gz' ! -name '*.br' -print0)
  node - "${files[@]}" <<'JS'
const fs = require('fs');
const zlib = require('zlib');
for (const file of process.argv.slice(2)) {
  const raw = fs.readFileSync(file);
  const encoded = {
    gz: zlib.gzipSync(raw, { level: 9 }),
    br: zlib.brotliCompressSync(raw, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
  };
  for (const [ext, bytes] of Object.entries(encoded)) {
    if (bytes.length < raw.length) {
      fs.writeFileSync(`${file}.${ext}`, bytes);
    } else {
      fs.rmSync(`${file}.${ext}`, { force: true });
    }
  }
}
JS
}

# Records what the Playground runs in its first seconds (tools/split-profile.txt, which
# tools/wasm_split.py reads): an instrumented build, opened by the e2e test `split_profile`.
cmd_split_profile() {
  setup_all
  local dir=target/split-profile
  rm -rf "$dir"
  say "building $dir/dist (release, every function reporting its first call)"
  trunk build --release --dist "$dir/dist"
  python3 tools/wasm_split.py --instrument "$dir/dist"
  EDA_DIST="$dir/dist" EDA_SPLIT_HITS="$PWD/$dir/hits.txt" CHROMEDRIVER="$CHROMEDRIVER" \
    cargo test --test e2e -- --ignored --exact split_profile
  python3 tools/wasm_split.py --profile "$dir/dist/functions.txt" "$dir/hits.txt"
}

cmd_test() {
  setup_all
  local start=$SECONDS
  say "layer 1/3: native tests (cargo test)"
  cargo test
  say "layer 2/3: wasm tests in headless Chromium (wasm-bindgen-test)"
  # Each test may take 60 s, not the runner's 20: the browser tests run one page, in which every
  # earlier test's app keeps running, and on a loaded 2-core machine the Playground's crash test
  # (a group waiting for its session timeout) once took longer than 20 s.
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-60}" \
    CHROMEDRIVER="$CHROMEDRIVER" \
    cargo test --target wasm32-unknown-unknown --test browser --test browser_wordcount --test browser_compare --test browser_panic
  say "layer 3/3: end-to-end in Chromium over WebDriver"
  build_release
  # The soak runs for half an hour: run it alone (see tests/e2e/soak.rs).
  CHROMEDRIVER="$CHROMEDRIVER" cargo test --test e2e -- --ignored --test-threads=1 --skip soak --skip split_profile
  say "all three layers passed in $((SECONDS - start)) s (screenshots in target/e2e/)"
}

# Bytes of one dist/ file: raw, and as sent to a browser that accepts gzip or brotli (the
# precompressed file when there is one, else raw).
sizes() {
  local f=$1 raw gz br
  raw=$(wc -c <"$f")
  gz=$raw; [ -e "$f.gz" ] && gz=$(wc -c <"$f.gz")
  br=$gz; [ -e "$f.br" ] && br=$(wc -c <"$f.br")
  echo "$raw $gz $br"
}

# The files the first view needs: what index.html names (href, src, and the wasm-bindgen JS and
# wasm that static/start.js loads), plus index.html itself.
first_view_files() {
  echo dist/index.html
  # Trunk's minifier drops the quotes around attribute values.
  grep -oE '(href|src|data-js|data-wasm)=("[^"]*"|[^ >"]+)' dist/index.html |
    sed -E 's/^[a-z-]+=//; s/"//g; s/#.*//; s|^\./||' | sort -u | sed 's|^|dist/|'
}

cmd_size() {
  setup_build
  build_release
  local f raw gz br first=" " t_raw=0 t_gz=0 t_br=0 f_raw=0 f_gz=0 f_br=0 app_gz=0
  first+="$(first_view_files | tr '\n' ' ')"
  printf '%-44s %10s %10s %10s  %s\n' "file (dist/)" "raw B" "gzip B" "br B" "first view"
  while IFS= read -r f; do
    read -r raw gz br < <(sizes "$f")
    t_raw=$((t_raw + raw)); t_gz=$((t_gz + gz)); t_br=$((t_br + br))
    local mark=""
    if [[ "$first" == *" $f "* ]]; then
      mark="yes"; f_raw=$((f_raw + raw)); f_gz=$((f_gz + gz)); f_br=$((f_br + br))
    fi
    case "$f" in *.wasm | *.js | *.css) app_gz=$((app_gz + gz)) ;; esac
    printf '%-44s %10d %10d %10d  %s\n' "${f#dist/}" "$raw" "$gz" "$br" "$mark"
  done < <(find dist -type f ! -name '*.gz' ! -name '*.br' | sort)
  printf '%-44s %10d %10d %10d\n' "what every view loads first" "$f_raw" "$f_gz" "$f_br"
  # The view named in the address fetches its own module besides (data-views); a view without
  # one starts on what every view loads (the Playground of a build that is not split).
  local entry view vraw vgz vbr views
  views=$(grep -oE 'data-views=("[^"]*"|[^ >"]+)' dist/index.html | sed -E 's/^data-views=//; s/"//g' | tr ',' ' ' || true)
  [[ " $views" == *" playground:"* ]] || views="playground:none $views"
  for entry in $views; do
    view=${entry%%:*}
    vraw=0; vgz=0; vbr=0
    [ "${entry#*:}" = none ] || read -r vraw vgz vbr < <(sizes "dist/${entry#*:./}")
    printf '%-44s %10d %10d %10d\n' "first view (transfer for #/$view)" \
      "$((f_raw + vraw))" "$((f_gz + vgz))" "$((f_br + vbr))"
  done
  printf '%-44s %10d %10d %10d\n' "whole site" "$t_raw" "$t_gz" "$t_br"
  # What each crate costs in code, estimated from the names the compiler left in the module
  # before wasm-bindgen and wasm-opt (see tools/wasm_crates.py for what the estimate is).
  local module=target/wasm32-unknown-unknown/release/eda-playground.wasm
  if command -v python3 >/dev/null && [ -f "$module" ]; then
    python3 tools/wasm_crates.py "$module" 20
  fi
  printf 'budget: 250 KB gzip for the app (wasm + js + css); used %d.%d KB\n' \
    $((app_gz / 1000)) $(((app_gz % 1000) / 100))
  [ "$app_gz" -le 250000 ] || die "over the 250 KB gzip budget"
}

case "${1:-}" in
  # No live reload: Trunk injects it as an inline script, which index.html's policy refuses.
  serve) setup_build; say "serving at http://127.0.0.1:8080 (reload the page after a rebuild)"; exec trunk serve --no-autoreload ;;
  test) cmd_test ;;
  size) cmd_size ;;
  split-profile) cmd_split_profile ;;
  setup) setup_all ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
