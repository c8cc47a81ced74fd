#!/usr/bin/env bash
# validate-fixtures.sh — generate every fixture with dockgen and judge the output with the shared
# third-party validators (hadolint, checkov, trivy, compose schema, dclint, ...).
#
# For each tests/fixtures/<name>: copy it to a temp folder, run `dockgen generate --with structure-test,kubernetes,bake <copy>` (every output), delete
# the copy's .dockgen/ (it holds a second copy of the generated files) and run
# `validate.sh <copy>`. The fixtures in EXPECTED_REFUSALS must be refused (malformed input,
# exit 3, or no production server, exit 2) and are SKIPPED with dockgen's reason; any other
# fixture that does not render is a failure, and so is any gating validator finding.
#
# Uses the release build of dockgen (`cargo build --release`), the same binary scripts/e2e.sh tests.
#
# Env: SHARED_DIR   the shared folder (default: <repo root>/../shared)
#      FIXTURES     space-separated fixture names or globs (default: every folder in tests/fixtures)
#      VERBOSE=1    print the validators' full output for passing fixtures too
#      KEEP=1       keep the temp folder (its path is printed)
# Exit 0 when nothing failed, 1 otherwise.
set -euo pipefail

ROOT=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
SHARED_DIR=${SHARED_DIR:-$ROOT/../shared}
SHARED_DIR=$(cd "$SHARED_DIR" && pwd)
VALIDATE=$SHARED_DIR/validators/validate.sh

echo "validate: building dockgen (release)"
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
BIN=$ROOT/target/release/dockgen

echo "validate: installing validators if missing"
install_log=$(bash "$SHARED_DIR/validators/install-validators.sh" 2>&1) || {
  echo "$install_log" >&2
  echo "validate: install-validators.sh failed" >&2
  exit 1
}

WORK=$(mktemp -d -t dockgen-fixtures.XXXXXX)
if [[ "${KEEP:-0}" == 1 ]]; then
  echo "validate: keeping $WORK"
else
  trap 'rm -rf "$WORK"' EXIT
fi

fixtures=()
if [[ -n "${FIXTURES:-}" ]]; then
  for pattern in $FIXTURES; do
    for d in "$ROOT"/tests/fixtures/$pattern/; do [[ -d "$d" ]] && fixtures+=("$(basename "$d")"); done
  done
else
  for d in "$ROOT"/tests/fixtures/*/; do fixtures+=("$(basename "$d")"); done
fi

indent() { sed 's/^/        /'; }

# Fixtures that dockgen must refuse: malformed manifests (exit 3) and apps without a production
# server (exit 2). Any other fixture that does not render is a failure.
EXPECTED_REFUSALS=" node-invalid-json java-invalid-pom python-django-no-gunicorn python-version-comment "

passed=0; failed=0; skipped=0
failed_names=()
for name in "${fixtures[@]}"; do
  copy=$WORK/fixtures/$name
  mkdir -p "$WORK/fixtures" "$WORK/reports/$name"
  cp -R "$ROOT/tests/fixtures/$name" "$copy"

  rc=0
  # A fixture's own Dockerfile or compose file is evidence for detection; dockgen's is written over it, as a user
  # who accepts it would (--force), and that is the file judged.
  force=()
  for own in Dockerfile compose.yml docker-compose.yaml docker-compose.yml; do
    [ -f "$copy/$own" ] && force=(--force)
  done
  gen_out=$("$BIN" generate --with structure-test,kubernetes,bake "${force[@]}" "$copy" 2>&1) || rc=$?
  reason=$(grep -m1 '^error:' <<<"$gen_out" || true)
  reason=${reason#error: }
  reason=${reason//"$copy"/$name}
  case $rc in
    0) ;;
    2|3)
      [[ $rc == 2 ]] && kind="not rendered" || kind="rejected input"
      if [[ $EXPECTED_REFUSALS == *" $name "* ]]; then
        printf 'SKIP  %-30s %s as expected (exit %s): %s\n' "$name" "$kind" "$rc" "${reason:-no reason printed}"
        skipped=$((skipped + 1))
      else
        printf 'FAIL  %-30s %s (exit %s): %s\n' "$name" "$kind" "$rc" "${reason:-no reason printed}"
        failed=$((failed + 1)); failed_names+=("$name")
      fi
      continue ;;
    *)
      printf 'FAIL  %-30s dockgen generate exited %s\n' "$name" "$rc"
      indent <<<"$gen_out"
      failed=$((failed + 1)); failed_names+=("$name")
      continue ;;
  esac

  # .dockgen/last/ repeats the generated files: validate each file once.
  rm -rf "$copy/.dockgen"
  vrc=0
  v_out=$(REPORT_DIR=$WORK/reports/$name bash "$VALIDATE" "$copy" 2>&1) || vrc=$?
  summary=$(grep -m1 '^---- ' <<<"$v_out" | sed 's/^---- //; s/ ----$//' || true)
  if [[ $vrc == 0 ]]; then
    printf 'PASS  %-30s %s\n' "$name" "$summary"
    passed=$((passed + 1))
    [[ "${VERBOSE:-0}" == 1 ]] && indent <<<"$v_out"
  else
    printf 'FAIL  %-30s %s\n' "$name" "${summary:-validate.sh exited $vrc}"
    indent <<<"$v_out"
    failed=$((failed + 1)); failed_names+=("$name")
  fi
done

echo
if (( failed > 0 )); then echo "failed: ${failed_names[*]}"; fi
echo "validate: $passed passed, $failed failed, $skipped skipped"
(( failed == 0 ))
