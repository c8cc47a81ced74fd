#!/usr/bin/env bash
# Big trees: how long `dockgen detect` and `dockgen generate --stdout` take, and how much memory
# they use, on generated repositories of 1k, 10k and 100k files (a monorepo of 50 Node services,
# each with sources and a deep node_modules, plus a root node_modules), beside a plain `find`
# over the same tree. Prints a Markdown table; ratios are dockgen / find.
#
#   bash scripts/bench-tree.sh              # 1k, 10k, 100k; release build
#   SIZES="1000 10000" RUNS=5 bash scripts/bench-tree.sh
#
# Trees are generated under ${BENCH_DIR:-/tmp/dockgen-bench} and kept for reruns. Times are
# the median of RUNS warm-cache runs (hyperfine when installed, else a timing loop); memory is
# the peak RSS from /usr/bin/time -v.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 10000 100000"}
RUNS=${RUNS:-10}
BENCH_DIR=${BENCH_DIR:-/tmp/dockgen-bench}
cargo build --release --quiet
BIN=$PWD/target/release/dockgen

generate_tree() { # DIR FILES
  python3 - "$1" "$2" <<'PY'
import os, sys
root, total = sys.argv[1], int(sys.argv[2])
services = 50
def write(path, text=""):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
count = 0
server = "const app = require('express')();\napp.get('/health', (q, r) => r.send('ok'));\napp.listen(process.env.PORT || 3000);\n"
for s in range(services):
    svc = f"{root}/svc{s:02d}"
    write(f"{svc}/package.json", '{"name": "svc%02d", "dependencies": {"express": "4"}, "scripts": {"start": "node server.js"}}\n' % s)
    write(f"{svc}/package-lock.json", '{"lockfileVersion": 3}\n')
    write(f"{svc}/server.js", server)
    count += 3
# 30% sources spread over the services in nested folders, 70% in deep node_modules.
sources = int(total * 0.3)
for i in range(max(0, sources - count)):
    s = i % services
    write(f"{root}/svc{s:02d}/src/m{i % 7}/d{i % 13}/f{i}.js", "module.exports = %d;\n" % i)
count = max(count, sources)
i = 0
while count < total:
    s = i % (services + 1)
    base = f"{root}/node_modules" if s == services else f"{root}/svc{s:02d}/node_modules"
    depth = 1 + i % 8
    path = base + "".join(f"/p{(i // 7 + d) % 40}/node_modules" for d in range(depth))
    write(f"{path}/p{i}/index.js", "module.exports = 1;\n")
    count += 1
    i += 1
PY
}

median_ms() { # command... ; prints the median wall time in ms
  local times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.1f", m/1000}'
}

hyper_ms() { # label command ; median via hyperfine when installed
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 2 --runs "$RUNS" --export-json /tmp/dockgen-bench.json -N "$1" >/dev/null 2>&1
    python3 -c 'import json; print("%.1f" % (json.load(open("/tmp/dockgen-bench.json"))["results"][0]["median"]*1000))'
  else
    # shellcheck disable=SC2086
    median_ms $1
  fi
}

peak_mb() { # command... ; peak RSS in MB
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {printf "%.1f", $2/1024}'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(awk -F: '/model name/ {gsub(/^ +/, "", $2); print $2; exit}' /proc/cpuinfo); $(date -u +%Y-%m-%d); dockgen $(git rev-parse --short HEAD)"
echo
echo "| files | find | detect | ratio | generate --stdout | ratio | find MB | detect MB | generate MB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  dir=$BENCH_DIR/tree-$n
  if [[ ! -f $dir.complete ]]; then
    rm -rf "$dir"
    generate_tree "$dir" "$n"
    touch "$dir.complete"
  fi
  files=$(find "$dir" -type f | wc -l)
  # Warm the cache.
  find "$dir" >/dev/null; "$BIN" detect "$dir" >/dev/null 2>&1 || true
  f=$(hyper_ms "find $dir -type f")
  d=$(hyper_ms "$BIN detect $dir --format json")
  g=$(hyper_ms "$BIN generate $dir --stdout")
  fm=$(peak_mb find "$dir" -type f)
  dm=$(peak_mb "$BIN" detect "$dir" --format json)
  gm=$(peak_mb "$BIN" generate "$dir" --stdout)
  rd=$(awk -v a="$d" -v b="$f" 'BEGIN {printf "%.2f", a/b}')
  rg=$(awk -v a="$g" -v b="$f" 'BEGIN {printf "%.2f", a/b}')
  echo "| $files | ${f} ms | ${d} ms | ${rd}x | ${g} ms | ${rg}x | $fm | $dm | $gm |"
done
