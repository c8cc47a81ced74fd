#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting and lints, unit, snapshot and CLI tests, the
# third-party linters on every fixture's output, and the end-to-end tier that builds and runs
# the generated images on a local Docker engine. Installs what it needs (validators, engine).
set -euo pipefail
cd "$(dirname "$0")/.."
export SHARED_DIR=${SHARED_DIR:-$(cd .. && pwd)/shared}
export CI=${CI:-true}   # insta: fail on new or changed snapshots instead of writing them

step() { printf '\n==== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

step "format and lints"
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings

step "unit, snapshot and CLI tests"
cargo test --locked
leftover=$(find . -path ./target -prune -o \( -name '*.snap.new' -o -name '*.pending-snap' \) -print)
if [[ -n "$leftover" ]]; then
  echo "new or changed snapshots (review with cargo insta review):"; echo "$leftover"; exit 1
fi

step "third-party linters on every fixture's output"
bash scripts/validate-fixtures.sh
# dockgen's own release workflow, and the drift job the README shows, are held to what the
# generated workflows are held to.
workflows=$(mktemp -d)
cp -r .github "$workflows/"
sed -n '/^GitHub Actions:/,/^```$/p' README.md | sed '1,/^```yaml$/d; /^```$/d' \
  > "$workflows/.github/workflows/readme-drift.yml"
bash "$SHARED_DIR/validators/validate.sh" "$workflows"
rm -rf "$workflows"

step "end-to-end: build, run, healthy, non-root"
# python-fastapi-poetry cannot build on the local engine: its python stand-in trusts the
# machine's TLS proxy for pip only (PIP_CERT, SSL_CERT_FILE), and Poetry's requests library
# reads neither (it needs REQUESTS_CA_BUNDLE). Its output is still linted above.
DOCKGEN_E2E_SKIP=${DOCKGEN_E2E_SKIP-python-fastapi-poetry} bash scripts/e2e.sh
