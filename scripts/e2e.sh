#!/usr/bin/env bash
# e2e.sh — the end-to-end tier: start the local Docker engine (idempotent; ~4 s when warm), make
# sure Docker Compose v5 is installed (install-validators.sh, a no-op when installed), then build,
# run and probe the image dockgen generates for every runnable fixture (tests/e2e.rs).
#
# Extra arguments go to the test binary, e.g. `scripts/e2e.sh node_pnpm` runs one fixture.
# Env: SHARED_DIR  the shared folder (default: <repo root>/../shared)
#      DOCKGEN_E2E_SKIP  space-separated fixtures to report as skipped (builds this engine cannot do)
set -euo pipefail

ROOT=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
SHARED_DIR=${SHARED_DIR:-$ROOT/../shared}
SHARED_DIR=$(cd "$SHARED_DIR" && pwd)

echo "e2e: starting the engine"
bash "$SHARED_DIR/engine/setup-engine.sh"
echo "e2e: installing validators (Docker Compose v5) if missing"
bash "$SHARED_DIR/validators/install-validators.sh" >/dev/null

cd "$ROOT"
DOCKGEN_E2E=1 cargo test --release --test e2e --test e2e_backing --test e2e_state -- --nocapture --test-threads=1 "$@"
