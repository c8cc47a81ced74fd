#!/usr/bin/env python3
# Prints the README's dockgen.toml answers table from `dockgen presets show` (run from the
# repository root after `cargo build`); tests/cli.rs checks the README keeps every answer.
import subprocess, re, collections
out = subprocess.run(["./target/debug/dockgen","presets","list"],capture_output=True,text=True).stdout
names=[l.split()[0] for l in out.splitlines() if l.strip()]
rows=collections.OrderedDict()
for n in names:
    show=subprocess.run(["./target/debug/dockgen","presets","show",n],capture_output=True,text=True).stdout
    ans=show.split("answers:\n",1)[1]
    for line in ans.splitlines():
        m=re.match(r"\s+(\S+)\s+(\w+)(, default (.*?))?(, one of (\S+))?: (.*)$", line)
        if not m: continue
        key,typ,_,default,_,choices,help=m.groups()
        rows.setdefault(key,[]).append((n,typ,default,choices,help))
print("| key | presets | type | default | meaning |")
print("|---|---|---|---|---|")
for key,entries in sorted(rows.items()):
    pres=", ".join(f"`{e[0]}`" for e in entries)
    typs=sorted(set(e[1] + (f" ({e[3]})" if e[3] else "") for e in entries))
    defs=sorted(set(e[2] for e in entries if e[2]))
    helps=[]
    for e in entries:
        if e[4] not in helps: helps.append(e[4])
    d=", ".join(f"`{x}`" for x in defs) if defs else "none (detected)"
    if len(set(e[2] for e in entries))>1 and defs:
        d="; ".join(f"{e[0]}: `{e[2]}`" if e[2] else f"{e[0]}: none" for e in entries)
    esc=lambda t: t.replace('|','\\|')
    print("| `%s` | %s | %s | %s | %s |" % (key, pres, esc(' / '.join(typs)), esc(d), esc(' / '.join(helps))))
