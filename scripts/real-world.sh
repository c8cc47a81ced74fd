#!/usr/bin/env bash
# real-world.sh MIRRORS_DIR [--only ID,ID] [--no-build] — dockgen on the public repositories of
# tests/real-world/repos.toml: detection scored against the truth, then every service that can
# be built here generated, built, started, probed and stopped with `dockgen verify`, next to the
# repository's own Dockerfile. Rewrites the "Real repositories" section of BENCHMARKS.md (on a
# full run). MIRRORS_DIR holds one bare git directory per repository: <owner>+<name>/repo.
#
# Not part of CI: the repositories come from a code host, which CI cannot reach. Starts the local
# engine (../shared/engine) and installs Docker Compose v5 (../shared/validators) if missing.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED_DIR=${SHARED_DIR:-$ROOT/../shared}
[[ $# -ge 1 ]] || { echo "usage: $0 MIRRORS_DIR [--only ID,ID] [--no-build]" >&2; exit 2; }

if [[ " $* " != *" --no-build "* ]]; then
  bash "$SHARED_DIR/engine/setup-engine.sh" >/dev/null
  bash "$SHARED_DIR/validators/install-validators.sh" >/dev/null
fi
(cd "$ROOT" && cargo build --release --locked --quiet)
export DOCKGEN="$ROOT/target/release/dockgen"
export DOCKGEN_DOCKER=${DOCKGEN_DOCKER:-/usr/bin/docker}
export DOCKGEN_COMPOSE=${DOCKGEN_COMPOSE:-$HOME/.cache/dockgen-validators/venv/bin/docker-compose}
exec python3 "$ROOT/scripts/real-world.py" "$@"
