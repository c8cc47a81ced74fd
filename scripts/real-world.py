#!/usr/bin/env python3
"""The real-world evaluation: dockgen on public repositories nobody on the project wrote.

For every repository of tests/real-world/repos.toml: extract the pinned commit from
MIRRORS_DIR/<owner>+<name>/repo (a bare git directory), score `dockgen detect --format json`
against the truth field by field, then for each repository with a service that can be built
here run `dockgen generate` and `dockgen verify --format json` (build, start with its compose
file, healthy, probe from the host, stop). Where the repository ships its own Dockerfile and is
buildable, that Dockerfile is built and run too, probed on the truth's port, side by side.

Prints one table per repository and a summary line, writes the raw results to
WORK/results.json, and rewrites the "Real repositories" section of BENCHMARKS.md.

Usage: real-world.py MIRRORS_DIR [--only ID,ID] [--no-build] [--work DIR]
Env:   DOCKGEN (binary), DOCKGEN_DOCKER, DOCKGEN_COMPOSE (as for `dockgen verify`)
"""

import argparse
import datetime
import fnmatch
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ["language", "version", "package_manager", "framework", "build", "start", "port", "health"]
# Runtime versions the local engine has images for; generated files are built with the first
# one at or above the chosen version (else the newest), and the table says so.
ENGINE_VERSIONS = {
    "node": ["22", "24"],  # node:20-trixie-slim is not on the local engine
    "python": ["3.11", "3.13"],
    "go": ["1.22", "1.24", "1.25", "1.26", "1.27"],
    "java": ["17", "21", "25"],
}


def sh(cmd, cwd=None, timeout=None, stdin=None):
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, input=stdin)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        return 124, e.stdout or "", f"timed out after {timeout} s"


# ---- scoring -------------------------------------------------------------------------------

def words(cmd):
    if cmd is None:
        return []
    if isinstance(cmd, list):
        ws = [str(w) for w in cmd]
        # `sh -c 'exec X'` runs X: the shell is there to expand its variables.
        if len(ws) == 3 and ws[:2] == ["sh", "-c"]:
            ws = ws[2].split()
            ws = ws[1:] if ws[:1] == ["exec"] else ws
        return ws
    return cmd.split()


def norm_word(w):
    w = w.strip("'\"")
    if w.startswith(("./", "/")):
        w = w.rsplit("/", 1)[-1]
    for ext in (".js", ".mjs", ".cjs", ".dll"):
        if w.endswith(ext):
            w = w[: -len(ext)]
    return {"mvnw": "mvn", "gradlew": "gradle"}.get(w, w)


def significant(cmd):
    """The words of a command that say what it runs: no flags, no env assignments, `python -m X`
    read as X, a Python app target as its module (app/main.py, app.main:app -> app.main)."""
    ws = [w for w in words(cmd) if not re.match(r"^[A-Z_][A-Z0-9_]*=", w)]
    if len(ws) >= 2 and re.match(r"^(python3?(\.\d+)?|.*/python3?)$", ws[0]) and ws[1] == "-m":
        ws = ws[2:]
    server = bool(ws) and ws[0].rsplit("/", 1)[-1] in ("uvicorn", "gunicorn", "fastapi", "hypercorn", "daphne")
    out = []
    flag_value = False
    for w in ws:
        # A server's options take values (--port 8000, -b :5000): those are not what it runs.
        if server and flag_value and (w == "-" or not w.startswith("-")):
            flag_value = False
            continue
        flag_value = w.startswith("-") and "=" not in w
        if w.startswith("-"):
            continue
        out.append(w.strip("'\""))
    if len(out) >= 2 and re.match(r"^(python3?(\.\d+)?|.*/python3?)$", out[0]) and out[1] in ("uvicorn", "gunicorn", "fastapi", "flask"):
        out = out[1:]
    if out and out[0] in ("uvicorn", "gunicorn", "fastapi", "hypercorn", "daphne"):
        target = [norm_target(w) for w in out[1:] if w != "run"]
        return ["asgi-wsgi-server", *target]
    # `dotnet App.dll` runs the same program as the apphost `./App`.
    if len(out) >= 2 and out[0] == "dotnet" and out[1].endswith(".dll"):
        out = out[1:]
    if len(out) >= 2 and out[0] == "node" and out[1].endswith("next/dist/bin/next"):
        out = ["next", *out[2:]]
    return [norm_word(w) for w in out]


def norm_target(w):
    w = w.split(":")[0]
    if w.endswith(".py"):
        w = w[:-3]
    w = w.replace("/", ".").removeprefix("src.")
    return re.sub(r"\.[aw]sgi$", ".sgi", w)


def same_command(truth, found):
    """Same program, and every word the truth names is in what was found (a found `*.jar` glob
    matches the truth's file: its name is the build's)."""
    t, f = significant(truth), significant(found)
    if not t:
        return not f
    has = lambda w: any(w == x or ("*" in x and fnmatch.fnmatch(w, x)) for x in f)
    return bool(f) and t[0] == f[0] and all(has(w) for w in t[1:])


def norm_version(v, granularity):
    parts = str(v).split(".")
    return ".".join(parts[:granularity])


def score_service(truth, found):
    """field -> (ok: bool|None, truth text, found text). None: not scored (no truth to hold)."""
    val = lambda k: (found.get(k) or {}).get("value") if found else None
    res = {}
    res["language"] = (found is not None and found.get("language") == truth["language"], truth["language"], found and found.get("language"))
    tv, fv = truth.get("version", ""), val("version")
    if tv and truth.get("version_kind") == "minimum":
        key = lambda v: [int(x) for x in re.findall(r"\d+", str(v))]
        res["version"] = (fv is not None and key(fv) >= key(tv), f">={tv}", fv)
    elif tv:
        g = len(tv.split("."))
        res["version"] = (fv is not None and norm_version(fv, g) == tv, tv, fv)
    else:
        res["version"] = (fv is None or found["version"].get("source") in (None, ""), "(none stated)", fv)
    res["package_manager"] = (val("package_manager") == truth.get("package_manager"), truth.get("package_manager"), val("package_manager"))
    tf, ff = truth.get("framework", ""), val("framework")
    res["framework"] = ((ff or "") == tf, tf or "(none)", ff)
    tb, fb = truth.get("build", "none"), val("build")
    ts, fs = truth.get("start", ""), val("start")
    details = (found or {}).get("details") or {}
    if truth["language"] == "go" and found:
        # dockgen builds the main package it detected; the binary's name is its own choice.
        bw = words(tb)
        args = [w for i, w in enumerate(bw) if not (i > 0 and bw[i - 1] == "-o")]  # not the output
        pkg = next((w for w in reversed(args) if w == "." or w.startswith("./")), ".")
        pkg = "." if pkg.endswith(".go") else pkg.removeprefix("./").rstrip("/") or "."
        fpkg = (details.get("main_package") or {}).get("value", ".")
        res["build"] = (fpkg == pkg, f"main package {pkg}", f"main package {fpkg}")
        res["start"] = (significant(ts)[1:] == significant(fs)[1:], ts, " ".join(words(fs)) if fs else None)
    elif truth["language"] == "dotnet" and found:
        # `dotnet publish` of the same project; configuration and output folder are dockgen's.
        proj = lambda cmd: [w for w in words(cmd) if w.endswith((".csproj", ".fsproj"))]
        publishes = words(fb)[:2] == ["dotnet", "publish"]
        res["build"] = (publishes and (not proj(tb) or proj(tb) == proj(fb)), tb, " ".join(words(fb)) if fb else None)
    elif "collectstatic" in tb and (details.get("collectstatic") or {}).get("value"):
        res["build"] = (True, tb, "collectstatic at build time")
    elif tb in ("none", ""):
        res["build"] = (fb is None, tb, " ".join(words(fb)) if fb else None)
    else:
        res["build"] = (same_command(tb, fb), tb, " ".join(words(fb)) if fb else None)
    if truth["language"] == "go" and found:
        pass  # scored with the build above: the main package and the arguments
    elif ts:
        res["start"] = (same_command(ts, fs), ts, " ".join(words(fs)) if fs else None)
    else:
        # A static site: no server of its own, or dockgen's file server serving the build.
        static = fs is None or words(fs)[0].endswith("/fileserver")
        res["start"] = (static, "(static files)", " ".join(words(fs)) if fs else None)
    tp, fp = truth.get("port", 0), val("port")
    if tp == 0 and fs and words(fs)[0].endswith("/fileserver"):
        tp = fp  # the file server's port is dockgen's choice
    # A start command that sets the port itself (--port N, --bind H:N) is consistent with it.
    binds = re.search(r"(?:--port[= ]|--bind[= ]\S*:|-b \S*:)(\d+)", " ".join(words(fs)))
    own = fp is not None and binds is not None and int(binds.group(1)) == fp
    res["port"] = ((fp is None) if tp == 0 else (fp == tp or own), tp, fp)
    th, fh = [h.rstrip("/") or "/" for h in truth.get("health", [])], val("health")
    fhn = (fh.rstrip("/") or "/") if isinstance(fh, str) else None
    if not th and fs and words(fs)[0].endswith("/fileserver"):
        th = [fhn or "/"]  # the file server's health route is dockgen's choice, as its port
    if th:
        res["health"] = ((fhn or "/") in th, " ".join(th), fh)
    else:
        res["health"] = (fh is None, "(none: tcp)", fh)
    return res


# ---- running -------------------------------------------------------------------------------

def extract(mirrors, repo, work):
    src = Path(mirrors) / (repo["repo"].replace("/", "+")) / "repo"
    if (src / ".git").is_dir():
        src = src / ".git"
    dest = work / repo["id"]
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if not src.is_dir():
        return None, f"no mirror at {src}"
    # A snapshot lacks its largest files (images, archives): leave out each path git cannot read.
    excluded = []
    for _ in range(50):
        archive = subprocess.run(["git", "--git-dir", str(src), "archive", repo["commit"], "--", ".", *excluded],
                                 capture_output=True)
        missing = re.search(r"invalid object \w+ \w+ for '([^']+)'", archive.stderr.decode(errors="replace"))
        if archive.returncode == 0 or not missing:
            break
        excluded.append(f":(exclude){missing.group(1)}")
    if archive.returncode != 0:
        return None, archive.stderr.decode(errors="replace").strip()[-300:]
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest, None


def engine_version(language, version):
    """The engine's version to build with when it lacks `version`: for Go and Java (whose
    stated version is a minimum) the lowest one above; for Node and Python (where older pins
    have wheels and prebuilt binaries for older runtimes) the highest one below."""
    have = ENGINE_VERSIONS.get(language)
    if not have or version is None or version in have:
        return None
    key = lambda v: [int(x) for x in re.findall(r"\d+", v)]
    try:
        above = [v for v in have if key(v) >= key(version)]
        below = [v for v in have if key(v) <= key(version)]
    except ValueError:
        return have[-1]
    if language in ("go", "java"):
        return above[0] if above else have[-1]
    return below[-1] if below else above[0]


def generate(dockgen, tree, multi):
    """dockgen generate with the syntax line dropped (the engine builds offline) and versions
    pinned to ones the engine has. Returns (ok, message, pins)."""
    code, out, err = sh([dockgen, "generate", "--plan", "--format", "json", str(tree)])
    if code != 0:
        return False, last_line(err), {}, {}
    plan = json.loads(out)
    sets, pins, names = [], {}, {s["path"]: s["name"] for s in plan["services"]}
    for s in plan["services"]:
        prefix = f"{s['path']}:" if multi else ""
        sets += ["--set", f"{prefix}syntax="]
        lang = s["selection"]["preset"]
        version = (s["answers"].get("version") or {}).get("value")
        pin = engine_version(lang, version)
        if pin:
            sets += ["--set", f"{prefix}version={pin}"]
            pins[s["path"]] = f"{version}->{pin}"
    code, out, err = sh([dockgen, "generate", "--force", *sets, str(tree)])
    if code == 0:
        pin_backing_images(tree / plan.get("compose_file", "compose.yaml"), pins)
    return code == 0, last_line(err) if code else "", pins, names


# Backing images dockgen writes (the current upstream majors) that the local engine does not
# have, and the stand-in each run is pinned to.
ENGINE_BACKING = {'"postgres:18"': '"postgres:17"', '"mysql:8.4"': '"mysql:8"'}


def pin_backing_images(compose, pins):
    if not compose.is_file():
        return
    text = compose.read_text()
    for upstream, here in ENGINE_BACKING.items():
        if upstream in text:
            text = text.replace(upstream, here)
            pins["backing"] = ", ".join(filter(None, [pins.get("backing"), f"{upstream.strip(chr(34))}->{here.strip(chr(34))}"]))
    compose.write_text(text)


def last_line(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    errors = [l for l in lines if l.startswith("error")]
    return (errors or lines or [""])[-1][:300]


def verify(dockgen, tree, services, requests=()):
    only = [a for name in services for a in ("--service", name)]
    gets = [a for path in requests for a in ("--get", path)]
    code, out, err = sh([dockgen, "verify", "--format", "json", "--timeout", "90", *only, *gets, str(tree)], timeout=1800)
    try:
        return json.loads(out)["services"], None
    except (json.JSONDecodeError, KeyError, TypeError):
        return None, last_line(err or out)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def http_status(port, path):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
            c.settimeout(10)
            c.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
            head = c.recv(64).decode(errors="replace").split()
            return int(head[1]) if len(head) > 1 else None
    except (OSError, ValueError):
        return None


def own_dockerfile(docker, repo, tree, service):
    """Builds and runs the repository's own Dockerfile; probes the truth's port and route."""
    dockerfile = tree / repo["own_dockerfile"]
    if not dockerfile.is_file():
        return {"result": "absent"}
    text = dockerfile.read_text(errors="replace")
    dockerfile.write_text("\n".join(l for l in text.splitlines() if not l.startswith("# syntax=")) + "\n")
    tag = f"dockgen-rw-own-{repo['id']}:test"
    t0 = time.time()
    code, out, err = sh([docker, "build", "-q", "-t", tag, "-f", str(dockerfile), str(dockerfile.parent)], timeout=1200)
    if code != 0:
        return {"result": "build failed", "why": last_line(err)}
    built = round(time.time() - t0, 1)
    port, host = service.get("port") or 0, free_port()
    name = f"dockgen-rw-own-{repo['id']}"
    sh([docker, "rm", "-f", name])
    code, _, err = sh([docker, "run", "-d", "--name", name, "-p", f"127.0.0.1:{host}:{port}", tag])
    result = {"result": "start failed", "build_seconds": built, "why": last_line(err)}
    if code == 0:
        path = (service.get("health") or ["/"])[0]
        status = None
        for _ in range(45):
            status = http_status(host, path)
            if status is not None:
                break
            time.sleep(1)
        result = {"result": "answered" if status and status < 400 else "no answer",
                  "build_seconds": built, "http_status": status, "probe": f"GET {path}"}
    sh([docker, "rm", "-f", name])
    sh([docker, "rmi", "-f", tag])
    return result


# ---- report --------------------------------------------------------------------------------

def run(args):
    corpus = tomllib.loads((ROOT / "tests/real-world/repos.toml").read_text())["repo"]
    if args.only:
        keep = set(args.only.split(","))
        corpus = [r for r in corpus if r["id"] in keep]
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    dockgen = os.environ.get("DOCKGEN", str(ROOT / "target/release/dockgen"))
    docker = os.environ.get("DOCKGEN_DOCKER", "docker")
    results = []
    for repo in corpus:
        r = {"id": repo["id"], "repo": repo["repo"], "category": repo["category"], "services": []}
        results.append(r)
        tree, why = extract(args.mirrors, repo, work)
        if tree is None:
            r["error"] = why
            print(f"\n== {repo['id']}: not extracted: {why}")
            continue
        # A collection of independent samples is used one sample at a time: dockgen runs in the
        # folder a user would pick (its own warning at the root says so), and paths stay rooted.
        workdir = repo.get("workdir", "")
        run_tree = tree / workdir if workdir else tree
        code, out, err = sh([dockgen, "detect", "--format", "json", str(run_tree)])
        found = {}
        if code == 0:
            found = {rooted(workdir, s["path"]): s for s in json.loads(out)["services"]}
        else:
            r["detect_error"] = last_line(err)
        truth_paths = {s["path"] for s in repo["service"]}
        r["services_ok"] = set(found) == truth_paths
        r["services_found"] = sorted(found)
        for t in repo["service"]:
            f = found.get(t["path"])
            r["services"].append({
                "path": t["path"], "buildable": t.get("buildable", False), "why_not": t.get("why_not", ""),
                "score": score_service(t, f), "warnings": (f or {}).get("warnings", []),
            })
        if not args.no_build and any(t.get("buildable") for t in repo["service"]):
            ok, msg, pins, names = generate(dockgen, run_tree, len(found) > 1)
            names = {rooted(workdir, path): name for path, name in names.items()}
            r["generate"] = {"ok": ok, "message": msg, "pins": pins}
            for s in r["services"]:
                s["name"] = names.get(s["path"])
            if ok:
                # Only the services that can be built here (the others need what this machine lacks).
                wanted = [names[t["path"]] for t in repo["service"] if t.get("buildable") and t["path"] in names]
                if wanted:
                    # A route that uses the database, requested after the health probe.
                    routes = [t["database_route"] for t in repo["service"] if t.get("buildable") and t.get("database_route")]
                    outcomes, why = verify(dockgen, run_tree, wanted, routes)
                    r["verify"] = outcomes if outcomes is not None else {"error": why}
                else:
                    r["verify"] = {"error": "no buildable service was detected"}
            if repo.get("own_dockerfile"):
                fresh, _ = extract(args.mirrors, repo, work)
                first = next((t for t in repo["service"] if t.get("buildable")), repo["service"][0])
                r["own"] = own_dockerfile(docker, repo, fresh, first)
        print_repo(repo, r)
    (work / "results.json").write_text(json.dumps(results, indent=1, default=str))
    summary = summarize(corpus, results)
    print("\n" + summary["line"])
    if not args.only and not args.no_build:
        write_benchmarks(summary, results)
    return 0


def rooted(workdir, path):
    """A service path found under `workdir`, as a path from the repository's root."""
    if not workdir:
        return path
    return workdir if path == "." else f"{workdir}/{path}"


def print_repo(repo, r):
    print(f"\n== {repo['id']} ({repo['repo']} @ {repo['commit'][:12]}): {repo['what']}")
    if "detect_error" in r:
        print(f"   detect failed: {r['detect_error']}")
    if not r["services_ok"]:
        print(f"   services: truth {[s['path'] for s in repo['service']]}, found {r['services_found']}")
    for s in r["services"]:
        print(f"   [{s['path']}]")
        for field in FIELDS:
            ok, t, f = s["score"][field]
            mark = "ok  " if ok else "MISS"
            print(f"     {mark} {field:<16} truth: {t!s:<34} found: {f}")
        for w in s["warnings"]:
            # detect --format json: {"code", "location", "message", "answer"}
            shown = f"{w['location']}: {w['message']}" if w.get("location") else w.get("message", "")
            print(f"          warning: [{w.get('code', '')}] {shown[:200]}")
    g = r.get("generate")
    if g:
        print(f"   generate: {'ok' if g['ok'] else 'REFUSED: ' + g['message']}{' pins ' + str(g['pins']) if g['pins'] else ''}")
    v = r.get("verify")
    if isinstance(v, dict):
        print(f"   verify: {v.get('error')}")
    elif v:
        for o in v:
            if o.get("build_seconds") is None and not o.get("failure"):
                continue
            if o.get("failure"):
                f = o["failure"]
                print(f"   verify {o['name']}: FAILED at {f['step']}: {f['reason'][:200]}")
                for line in f["log"].splitlines()[-6:]:
                    print(f"       | {line[:160]}")
            else:
                print(f"   verify {o['name']}: ok: built {o['build_seconds']} s, {round((o.get('image_bytes') or 0) / 1e6, 1)} MB, healthy {o['healthy_seconds']} s, {o.get('probe')} -> {o.get('http_status')}, "
                      + "".join(f"{q} -> {c}, " for q, c in o.get("requests") or [])
                      + f"stop {o.get('stop_seconds')} s")
    if r.get("own"):
        print(f"   own Dockerfile: {r['own']}")


def summarize(corpus, results):
    per_field = {f: [0, 0] for f in FIELDS}
    services = [0, 0]
    health_exists = [0, 0]
    buildable = rendered = built = healthy = answered = 0
    own = {"tried": 0, "answered": 0}
    for repo, r in zip(corpus, results):
        services[1] += 1
        services[0] += bool(r.get("services_ok"))
        for s in r["services"]:
            for f in FIELDS:
                ok = s["score"][f][0]
                per_field[f][1] += 1
                per_field[f][0] += bool(ok)
        outcomes = r.get("verify") if isinstance(r.get("verify"), list) else []
        by_name = {o["name"]: o for o in outcomes if o.get("build_seconds") is not None or (o.get("failure") or {}).get("step") == "build"}
        n_buildable = sum(1 for s in r["services"] if s["buildable"])
        buildable += n_buildable
        if r.get("generate", {}).get("ok"):
            rendered += n_buildable
            built_here = [o for o in by_name.values() if o.get("build_seconds") is not None]
            built += min(n_buildable, len(built_here))
            healthy += min(n_buildable, sum(1 for o in built_here if o.get("healthy_seconds") is not None))
            answered += min(n_buildable, sum(1 for o in built_here if not o.get("failure")))
        if r.get("own") and r["own"].get("result") != "absent":
            own["tried"] += 1
            own["answered"] += r["own"].get("result") == "answered"
    pct = lambda a, b: f"{100 * a / b:.0f}%" if b else "n/a"
    line = (f"real-world: {len(results)} repositories, {sum(v[1] for v in per_field.values()) // len(FIELDS)} services; "
            + ", ".join(f"{f} {pct(*per_field[f])}" for f in FIELDS)
            + f"; services found {pct(*services)}; buildable {buildable}: rendered {rendered}, built {built}, healthy {healthy}, answered {answered}"
            + f"; own Dockerfiles answered {own['answered']}/{own['tried']}")
    return {"line": line, "per_field": per_field, "services": services, "buildable": buildable,
            "rendered": rendered, "built": built, "healthy": healthy, "answered": answered, "own": own, "pct": pct}


def own_reasons(results):
    """Why the repositories' own Dockerfiles did not answer, counted."""
    counts = {}
    for r in results:
        own = r.get("own") or {}
        if own.get("result") in (None, "absent", "answered"):
            continue
        why = own.get("why", own.get("result", ""))
        if "failed to do request" in why or "no such host" in why:
            why = "a base image this engine does not have"
        elif "not found" in why:
            why = "a file the build expects is not in the repository"
        counts[why] = counts.get(why, 0) + 1
    return "; ".join(f"{n}: {why}" for why, n in sorted(counts.items())) or "all answered"


def service_outcomes(r):
    """Table rows for the buildable services of one repository."""
    rows = []
    outcomes = r.get("verify") if isinstance(r.get("verify"), list) else []
    for s in r["services"]:
        if not s["buildable"]:
            continue
        gen = r.get("generate") or {}
        if not gen.get("ok"):
            result = f"refused: {gen.get('message', 'not generated')[:140]}"
        elif isinstance(r.get("verify"), dict):
            result = f"not verified: {r['verify'].get('error', '')[:140]}"
        else:
            o = next((o for o in outcomes if o.get("build_seconds") is not None or o.get("failure")), None)
            o = next((o for o in outcomes if o["name"] in (s.get("name") or "",)), o)
            if o is None:
                result = "not verified"
            elif o.get("failure"):
                f = o["failure"]
                logged = [l for l in f.get("log", "").splitlines() if l.strip()]
                telling = [l for l in logged if re.search(r"(?i)error|missing|refused|denied|not found|read-only|must be set", l)]
                last = (telling or logged)[-1:] or [""]
                result = f"miss at {f['step']}: {f['reason'][:100]}; log: `{last[0].strip()[:100]}`"
            else:
                result = f"answered: {o.get('probe')} -> {o.get('http_status') or 'open'}, healthy after {o.get('healthy_seconds')} s"
                for request, status in o.get("requests") or []:
                    result += f"; {request} (uses its database) -> {status}"
        rows.append(f"| {r['id']} | {s['path']} | {result.replace('|', '/')} |")
    return rows


def write_benchmarks(summary, results):
    pct = summary["pct"]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"
    lines = ["## Real repositories", "",
             f"`scripts/real-world.sh` on {datetime.date.today().isoformat()}, {machine}: "
             f"{len(results)} public repositories pinned in `tests/real-world/repos.toml` "
             "(truth written by reading each one), detection scored field by field, and every "
             "service that can be built offline here generated, built, started with its compose "
             "file, waited on until healthy and requested from the host (`dockgen verify`); where the "
             "truth names a route that uses the app's database (`database_route`), that route is "
             "requested too, and a service answers only when both do.", "",
             "| field | correct | of |", "|---|---|---|"]
    for f, (ok, n) in summary["per_field"].items():
        lines.append(f"| {f} | {pct(ok, n)} | {n} |")
    ok, n = summary["services"]
    lines.append(f"| services (the set of service folders) | {pct(ok, n)} | {n} repositories |")
    b = summary["buildable"]
    lines += ["", "| buildable services | rendered | built | healthy | answered |", "|---|---|---|---|---|",
              f"| {b} | {summary['rendered']} ({pct(summary['rendered'], b)}) | {summary['built']} ({pct(summary['built'], b)}) "
              f"| {summary['healthy']} ({pct(summary['healthy'], b)}) | {summary['answered']} ({pct(summary['answered'], b)}) |", "",
              f"The repositories' own Dockerfiles, built and run the same way where the repository is buildable here: "
              f"{summary['own']['answered']} of {summary['own']['tried']} answered on their port "
              f"({own_reasons(results)}).", "",
              "Every buildable service, as `dockgen verify` saw it (the miss column says why):", "",
              "| repository | service | result |", "|---|---|---|"]
    for r in results:
        for line in service_outcomes(r):
            lines.append(line)
    lines.append("")
    bench = ROOT / "BENCHMARKS.md"
    text = bench.read_text()
    section = "\n".join(lines)
    if "## Real repositories" in text:
        head, rest = text.split("## Real repositories", 1)
        nxt = rest.find("\n## ")
        text = head + section + (rest[nxt + 1:] if nxt >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    bench.write_text(text)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mirrors")
    ap.add_argument("--only")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--work", default="/tmp/dockgen-real-world")
    sys.exit(run(ap.parse_args()))
