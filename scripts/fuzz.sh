#!/usr/bin/env bash
# Coverage-guided fuzzing of dockgen's input parsing with cargo-fuzz (libFuzzer), on nightly.
#
#   bash scripts/fuzz.sh                  # every target, 60 s each
#   bash scripts/fuzz.sh package_json 600 # one target, 10 minutes
#
# Targets (fuzz/fuzz_targets/, bodies in fuzz/common.rs):
#   detect_manifest  first byte picks a file (package.json, .nvmrc, pyproject.toml, poetry.lock,
#                    pom.xml, build.gradle, go.mod, sources, ...), the rest is its contents;
#                    detected at the root and as a monorepo service, then planned and rendered
#   package_json     package.json bytes beside a fixed server.js, detected, planned, rendered
#   dockgen_toml     dockgen.toml parsed, updated with a record, and read back
# A crash is saved by libFuzzer under fuzz/artifacts/<target>/; copy it to
# fuzz/regressions/<target>-<name> so `cargo test --test fuzz_smoke` replays it on stable.
# Without nightly or cargo-fuzz, `cargo test --test fuzz_smoke` runs the same target bodies on
# a few thousand deterministic mutations of the fixtures' manifests.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz.sh: no nightly toolchain; running the stable mutation test instead" >&2
  exec cargo test --test fuzz_smoke -- --nocapture
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked
fi

targets=(detect_manifest package_json dockgen_toml)
[[ $# -ge 1 ]] && targets=("$1")
seconds=${2:-60}

# Seed corpora from the fixtures (and the kept regression inputs).
for t in "${targets[@]}"; do
  corpus=fuzz/corpus/$t
  mkdir -p "$corpus"
  case $t in
    package_json)
      find tests/fixtures -name package.json -size -64k -exec sh -c 'cp "$1" "$2/$(echo "$1" | tr / _)"' _ {} "$corpus" \; ;;
    dockgen_toml)
      find tests/fixtures -name dockgen.toml -size -64k -exec sh -c 'cp "$1" "$2/$(echo "$1" | tr / _)"' _ {} "$corpus" \;
      printf '[service."."]\npreset = "node"\nport = 8080\n' > "$corpus/seed.toml" ;;
    detect_manifest)
      # The first byte picks the file name (index into fuzz/common.rs FILES).
      i=0
      for name in package.json .nvmrc .tool-versions tsconfig.json server.js next.config.js yarn.lock \
                  pyproject.toml poetry.lock requirements.txt Pipfile app.py manage.py pom.xml \
                  build.gradle build.gradle.kts application.properties go.mod main.go; do
        find tests/fixtures -name "$name" -size -64k | while read -r f; do
          { printf "\\$(printf '%03o' "$i")"; cat "$f"; } > "$corpus/$i-$(echo "$f" | tr / _)"
        done
        i=$((i + 1))
      done ;;
  esac
  cp fuzz/regressions/"$t"-* "$corpus"/ 2>/dev/null || true
done

for t in "${targets[@]}"; do
  echo "==== fuzzing $t for ${seconds}s"
  cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048
done
