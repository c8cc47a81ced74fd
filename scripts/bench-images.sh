#!/usr/bin/env bash
# bench-images.sh — a benchmark, not a test: what dockgen's Dockerfile buys over a naive one.
#
# For each runnable fixture that dockgen renders (the list tests/e2e.rs runs), on the local engine:
#   generated  dockgen's multi-stage Dockerfile (runtime version pinned to one the engine has,
#              `# syntax=` line dropped, as in the e2e tier)
#   naive      one stage: FROM the full language image, COPY . ., install, build, run as root
# and for each: cold build (`--no-cache`), rebuild after appending a comment line to the app's main
# source file, final image size. For the generated build it checks in the `--progress=plain` log
# that every dependency-install step of the rebuild was CACHED. Prints a Markdown table and writes
# it, with the machine it ran on, to BENCHMARKS.md at the repo root.
#
# Env: SHARED_DIR  the shared folder (default: <repo root>/../shared)
#      FIXTURES    space-separated fixture names (default: the runnable list below)
#      OUT         the report file (default: <repo root>/BENCHMARKS.md; "-" prints only)
# Exit 1 if a rebuild re-ran a dependency install or a generated image failed to build.
set -euo pipefail

ROOT=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
SHARED_DIR=${SHARED_DIR:-$ROOT/../shared}
SHARED_DIR=$(cd "$SHARED_DIR" && pwd)
OUT=${OUT:-$ROOT/BENCHMARKS.md}
DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=1

RUNNABLE="node-express-npm node-fastify-yarn node-pnpm node-nestjs node-nextjs node-two-lockfiles
node-dev-start node-nvmrc-vs-engines python-flask-pip python-django-gunicorn python-fastapi-poetry
go-root-main go-cmd-layout go-vendor java-maven-plain rust-axum"
read -r -a fixtures <<<"$(echo "${FIXTURES:-$RUNNABLE}" | tr '\n' ' ')"

bash "$SHARED_DIR/engine/setup-engine.sh" --check >/dev/null || bash "$SHARED_DIR/engine/setup-engine.sh"
echo "bench: building dockgen (release)"
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
BIN=$ROOT/target/release/dockgen

WORK=$(mktemp -d -t dockgen-bench.XXXXXX)
images=()
cleanup() {
  if (( ${#images[@]} > 0 )); then "$DOCKER" rmi -f "${images[@]}" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.0f MB", b / 1000000 }'; }

# build DIR TAG LOG [extra args...] — timed build; prints the seconds.
build() {
  local dir=$1 tag=$2 log=$3; shift 3
  local t0; t0=$(now)
  if ! "$DOCKER" build --progress=plain "$@" -t "$tag" "$dir" >"$log" 2>&1; then
    echo "bench: build of $tag failed; last 40 lines:" >&2
    tail -n 40 "$log" >&2
    return 1
  fi
  secs "$t0" "$(now)"
}

# The facts the benchmark needs, from dockgen's own plan and detect JSON, as shell assignments.
facts() {  # facts DIR
  local plan detect
  plan=$("$BIN" generate --plan --format json "$1") && detect=$("$BIN" detect --format json "$1") || return 1
  python3 - "$plan" "$detect" <<'PY'
import json, shlex, sys
plan, detect = json.loads(sys.argv[1]), json.loads(sys.argv[2])
a = plan["services"][0]["answers"]
v = lambda k: (a.get(k) or {}).get("value")
out = {
    "LANGUAGE": detect["services"][0].get("language") or "",
    "VERSION": v("version") or "",
    "PM": v("package_manager") or "",
    "BUILD": " ".join(v("build") or []),
    # A compiled binary's preset names the binary, not a start command.
    "START": " ".join(v("start") or ([f"/app/{v('bin')}"] if v("bin") else [])),
}
for k, val in out.items():
    print("%s=%s" % (k, shlex.quote(str(val))))
PY
}

# The version the engine has an image for, if the fixture asks for one it lacks.
pin_for() {  # pin_for LANGUAGE VERSION
  case $1 in
    node) [[ $2 == 20 || $2 == 22 ]] || echo 22 ;;
    python) [[ $2 == 3.11 ]] || echo 3.11 ;;
    go) [[ $2 == 1.22 ]] || echo 1.22 ;;
    java) [[ $2 == 17 ]] || echo 17 ;;
    rust) [[ $2 == 1 || $2 == 1.97 || $2 == 1.85 ]] || echo 1 ;;
  esac
}

# The app's main source file: a file named in the start command, else a well-known entry point.
main_source() {  # main_source DIR START
  local dir=$1 word f
  for word in $2; do
    [[ -f "$dir/$word" ]] && { echo "$word"; return; }
  done
  for f in server.js index.js app.js main.js src/main.ts src/index.ts src/server.js src/index.js \
           app/page.tsx app/page.js pages/index.js app.py wsgi.py app/main.py main.py manage.py main.go src/main.rs; do
    [[ -f "$dir/$f" ]] && { echo "$f"; return; }
  done
  (cd "$dir" && find . \( -name node_modules -o -name vendor -o -name .git \) -prune -o -type f \
     \( -name 'main.go' -o -name 'Main.java' -o -name '*.go' -o -name '*.java' -o -name '*.py' -o -name '*.ts' -o -name '*.js' \) \
     -print | sort | head -n 1 | sed 's|^\./||')
}

# A line unique to this run: BuildKit would otherwise find the edited file in its cache from an
# earlier run and the "rebuild" would rebuild nothing.
RUN_ID=$(date +%s%N)
touch_source() {  # touch_source DIR FILE
  case $2 in
    *.py) echo "# bench: one changed line, run $RUN_ID" >>"$1/$2" ;;
    *) echo "// bench: one changed line, run $RUN_ID" >>"$1/$2" ;;
  esac
}

# One stage, the full language image, COPY . . before installing, root: the naive baseline.
naive_dockerfile() {  # naive_dockerfile LANGUAGE VERSION PM BUILD START DIR
  local lang=$1 version=$2 pm=$3 build_cmd=$4 start=$5 dir=$6 install
  case $lang in
    node)
      case $pm in
        yarn) install="yarn install" ;;
        pnpm) install="npm install --global pnpm@9 && pnpm install" ;;
        *) install="npm install" ;;
      esac
      printf 'FROM node:%s\nWORKDIR /app\nCOPY . .\nRUN %s\n' "$version" "$install"
      [[ -n $build_cmd ]] && printf 'RUN %s\n' "$build_cmd"
      printf 'CMD %s\n' "$start" ;;
    python)
      if [[ -f $dir/requirements.txt ]]; then install="pip install -r requirements.txt"
      else install="pip install poetry && poetry config virtualenvs.create false && poetry install --no-root"; fi
      printf 'FROM python:%s\nWORKDIR /app\nCOPY . .\nRUN %s\nCMD %s\n' "$version" "$install" "$start" ;;
    go)
      printf 'FROM golang:%s\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/bin/ ./...\nCMD %s\n' "$version" "$start" ;;
    java)
      printf 'FROM maven:3-eclipse-temurin-%s\nWORKDIR /app\nCOPY . .\nRUN mvn -B package -DskipTests\nCMD %s\n' "$version" "$start" ;;
    rust)
      local bin; bin=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])[0].rsplit("/", 1)[-1])' "$start")
      printf 'FROM rust:%s\nWORKDIR /src\nCOPY . .\nRUN cargo install --locked --path . --root /app\nCMD ["/app/bin/%s"]\n' "$version" "$bin" ;;
    *) return 1 ;;
  esac
}

# Every dependency-install step in a plain-progress log, and whether each was CACHED.
install_steps_cached() {  # install_steps_cached LOG -> prints "yes", "NO: <step>" or "n/a"
  local log=$1 ids id bad=""
  ids=$(grep -E '^#[0-9]+ \[[^]]+\] RUN .*(npm (ci|install)|yarn (install|workspaces)|pnpm install|bun install|pip install|pip wheel|poetry install|uv (sync|pip)|pipenv|pdm (install|sync)|go mod download|dependency:go-offline|gradle.*dependencies)' "$log" \
        | grep -v -- '--global' | sed -E 's/^#([0-9]+) .*/\1/' | sort -u || true)
  [[ -z $ids ]] && { echo "n/a"; return; }
  for id in $ids; do
    grep -qE "^#$id CACHED" "$log" || bad+="$(grep -m1 -E "^#$id \[" "$log" | cut -c1-90) "
  done
  if [[ -z $bad ]]; then echo "yes"; else echo "NO: $bad"; fi
}

rows=(); left_out=(); failures=0
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for name in "${fixtures[@]}"; do
  src=$ROOT/tests/fixtures/$name
  [[ -d $src ]] || { echo "bench: no fixture $name" >&2; continue; }
  gen=$WORK/gen/$name; naive=$WORK/naive/$name
  mkdir -p "$WORK/gen" "$WORK/naive" "$WORK/logs"
  cp -R "$src" "$gen"; cp -R "$src" "$naive"
  # Cargo.lock names its registry, so a fixture commits none: written here, as in the e2e tier.
  for d in "$gen" "$naive"; do
    if [[ -f $d/Cargo.toml && ! -f $d/Cargo.lock ]]; then (cd "$d" && cargo generate-lockfile --quiet); fi
  done

  if ! assignments=$(facts "$gen" 2>/dev/null); then
    echo "bench: $name: dockgen does not render it yet, skipped"
    left_out+=("$name: dockgen does not render it")
    continue
  fi
  LANGUAGE=""; VERSION=""; PM=""; BUILD=""; START=""
  eval "$assignments"
  set_args=(); pin=$(pin_for "$LANGUAGE" "$VERSION")
  if [[ -n $pin ]]; then
    echo "bench: $name: $LANGUAGE $VERSION has no image on the local engine: --set version=$pin"
    set_args=(--set "version=$pin"); VERSION=$pin
  fi
  "$BIN" generate "$gen" "${set_args[@]}" >/dev/null
  rm -rf "$gen/.dockgen"
  sed -i '/^# syntax=/d' "$gen/Dockerfile"
  naive_dockerfile "$LANGUAGE" "$VERSION" "$PM" "$BUILD" "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1].split()))' "$START")" "$naive" >"$naive/Dockerfile.naive"
  main=$(main_source "$gen" "$START")
  echo "bench: $name ($LANGUAGE $VERSION, ${PM:-no package manager}); source file changed: $main"

  tag_gen=dockgen-bench-$name:gen; tag_naive=dockgen-bench-$name:naive
  images+=("$tag_gen" "$tag_naive")
  log=$WORK/logs/$name
  if ! gen_cold=$(build "$gen" "$tag_gen" "$log.gen-cold" --no-cache); then
    failures=$((failures + 1))
    left_out+=("$name: the dockgen image failed to build here: $(grep -m1 -E '^#[0-9]+ ERROR' "$log.gen-cold" | cut -c1-160)")
    continue
  fi
  touch_source "$gen" "$main"
  if ! gen_re=$(build "$gen" "$tag_gen" "$log.gen-re"); then failures=$((failures + 1)); continue; fi
  cached=$(install_steps_cached "$log.gen-re")
  [[ $cached == NO* ]] && failures=$((failures + 1))
  gen_size=$("$DOCKER" image inspect -f '{{.Size}}' "$tag_gen")

  naive_cold=- naive_re=- naive_size=0
  if naive_cold=$(build "$naive" "$tag_naive" "$log.naive-cold" --no-cache -f "$naive/Dockerfile.naive"); then
    touch_source "$naive" "$main"
    naive_re=$(build "$naive" "$tag_naive" "$log.naive-re" -f "$naive/Dockerfile.naive") || naive_re=-
    naive_size=$("$DOCKER" image inspect -f '{{.Size}}' "$tag_naive")
  else
    naive_cold=-
  fi
  "$DOCKER" rmi -f "$tag_gen" "$tag_naive" >/dev/null 2>&1 || true
  echo "bench: $name: cold ${gen_cold}s vs ${naive_cold}s, rebuild ${gen_re}s vs ${naive_re}s, size $(mb "$gen_size") vs $(mb "$naive_size"), deps cached: $cached"
  rows+=("| $name | ${gen_cold} s | ${naive_cold} s | $(ratio "$gen_cold" "$naive_cold") | ${gen_re} s | ${naive_re} s | $(ratio "$gen_re" "$naive_re") | $(mb "$gen_size") | $(mb "$naive_size") | $(ratio "$gen_size" "$naive_size") | $cached |")
done

table=$(
  echo "| fixture | cold: dockgen | cold: naive | ratio | rebuild: dockgen | rebuild: naive | ratio | size: dockgen | size: naive | ratio | deps install CACHED on rebuild |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
)
echo
echo "$table"

if [[ $OUT != - ]] && (( ${#rows[@]} > 0 )); then
  cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  section=$(mktemp)
  {
    echo "<!-- bench-images:begin -->"
    echo "## Images"
    echo
    echo "Generated by \`scripts/bench-images.sh\` (a benchmark, not a test). Re-run it to refresh this section."
    echo
    echo "Machine: $(nproc) CPUs ($cpu), $mem memory; Docker engine $("$DOCKER" version --format '{{.Server.Version}}'), BuildKit; $(date -u '+%Y-%m-%d %H:%M UTC')."
    echo "Load average (1/5/15 min) before the run: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg) (other builds on the machine add noise to the times)."
    echo
    echo "$table"
    echo
    echo "How it was measured:"
    echo
    echo "- **dockgen**: \`dockgen generate\` output as it is, except the \`# syntax=\` line (dropped: the local engine builds offline"
    echo "  with its built-in frontend) and the runtime version pinned to one the engine has (Node 20/22, Python 3.11, Go 1.22, Java 17)."
    echo "- **naive**: one stage \`FROM\` the full language image (\`node:<version>\`, \`python:<version>\`, \`golang:<version>\`,"
    echo "  \`maven:3-eclipse-temurin-<version>\`), \`COPY . .\`, install, build, run as root, no .dockerignore."
    echo "- **cold**: \`docker build --no-cache\`. BuildKit cache mounts (\`RUN --mount=type=cache\`, e.g. the npm cache) are not"
    echo "  cleared by \`--no-cache\` and were warm, as on a build machine that keeps its builder; the naive Dockerfile has none."
    echo "- **rebuild**: a comment line appended to the app's main source file, then the same build again with the layer cache."
    echo "  The last column checks the \`--progress=plain\` log of the dockgen rebuild: every dependency-install step must be \`CACHED\`."
    echo "- **size**: \`docker image inspect .Size\`. Caveat: on this engine the \"full\" images (\`node:22\`, \`python:3.11\`, ...) are"
    echo "  stand-ins with the slim images' content (see the engine README), so the naive sizes are far below what the real"
    echo "  full images give (\`node:22\` is about 1.1 GB upstream); the size ratios here understate dockgen's advantage."
    echo "- Ratios are dockgen / naive (below 1 is better for dockgen)."
    if (( ${#left_out[@]} > 0 )); then
      echo
      echo "Left out of the table:"
      echo
      printf -- '- %s\n' "${left_out[@]}"
    fi
    echo "<!-- bench-images:end -->"
  } >"$section"
  # Replace only this script's section; the rest of the file (other benchmarks) stays.
  if [[ -f $OUT ]] && grep -q '^<!-- bench-images:begin -->$' "$OUT"; then
    awk -v section="$section" '
      /^<!-- bench-images:begin -->$/ { while ((getline line < section) > 0) print line; skip = 1; next }
      /^<!-- bench-images:end -->$/ { skip = 0; next }
      !skip' "$OUT" >"$OUT.tmp" && mv "$OUT.tmp" "$OUT"
  else
    { [[ -f $OUT ]] && cat "$OUT" && echo; cat "$section"; } >"$OUT.tmp" && mv "$OUT.tmp" "$OUT"
  fi
  rm -f "$section"
  echo "bench: wrote $OUT"
fi
(( failures == 0 ))
