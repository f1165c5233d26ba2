#!/usr/bin/env python3
"""Summarise a JFR recording: hottest methods (self and inclusive), hottest project frames, lock/park hot spots.
usage: bench/jfr-top.py FILE.jfr [N] [FROM TO]   (needs the JDK's `jfr` tool on PATH)
FROM/TO: UTC times HH:MM:SS to keep only samples in that window (e.g. one phase; the bench log shows phase times)."""
import collections, json, subprocess, sys

def events(path, name, depth=64):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", str(depth), "--events", name, path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]

def frame_name(f):
    m = f["method"]
    return m["type"]["name"] + "." + m["name"]

def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    samples = events(path, "jdk.ExecutionSample")
    if len(sys.argv) > 4:
        lo, hi = sys.argv[3], sys.argv[4]
        samples = [e for e in samples if lo <= e["values"]["startTime"][11:19] <= hi]
    total = len(samples)
    self_c, incl_c, proj_c, thread_c = (collections.Counter() for _ in range(4))
    for e in samples:
        frames = [frame_name(f) for f in (e["values"]["stackTrace"] or {}).get("frames", [])]
        thread_c[(e["values"].get("sampledThread") or {}).get("javaName") or "?"] += 1
        if not frames:
            continue
        self_c[frames[0]] += 1
        for f in set(frames):
            incl_c[f] += 1
        for f in frames:
            if f.startswith("cloud.pinata"):
                proj_c[f] += 1
                break
    def show(title, c):
        print(f"\n== {title} (of {total} samples)")
        for k, v in c.most_common(n):
            print(f"{100.0 * v / max(total, 1):6.1f}%  {k}")
    show("self time (top frame)", self_c)
    show("inclusive time", incl_c)
    show("first project frame on the stack", proj_c)
    threads = collections.Counter()
    for k, v in thread_c.items():
        threads[k.rstrip("0123456789-").rstrip("-") or k] += v
    show("samples by thread (numbers stripped)", threads)
    for name in ("jdk.JavaMonitorEnter", "jdk.ThreadPark"):
        try:
            evs = events(path, name, 12)
        except subprocess.CalledProcessError:
            continue
        c, dur = collections.Counter(), collections.Counter()
        for e in evs:
            frames = [frame_name(f) for f in (e["values"]["stackTrace"] or {}).get("frames", [])]
            key = " <- ".join(frames[:4]) if frames else "?"
            c[key] += 1
            d = e["values"].get("duration", "PT0S")
            try:
                secs = float(d[2:-1]) if d.startswith("PT") and d.endswith("S") else 0.0
            except ValueError:
                secs = 0.0
            dur[key] += secs
        print(f"\n== {name}: {len(evs)} events (over the recording's threshold), by total blocked time")
        for k, v in dur.most_common(min(n, 12)):
            print(f"{v:8.2f}s  {c[k]:6d}x  {k}")

def thread_cpu(path):
    """Average CPU (in cores) per thread group, from jdk.ThreadCPULoad, plus JIT and GC totals."""
    evs = events(path, "jdk.ThreadCPULoad", 1)
    per = collections.defaultdict(list)
    for e in evs:
        v = e["values"]
        t = (v.get("eventThread") or {}).get("javaName") or (v.get("eventThread") or {}).get("osName") or "?"
        group = t.rstrip("0123456789-").rstrip("-#: ") or t
        per[(group, t)].append(float(v.get("user", 0)) + float(v.get("system", 0)))
    groups = collections.Counter()
    for (g, _t), loads in per.items():
        groups[g] += sum(loads) / len(loads)
    print("\n== average CPU by thread group (jdk.ThreadCPULoad; JVM-internal threads such as C2/GC appear by OS name)")
    for g, v in groups.most_common(15):
        print(f"{v:6.2f} cores  {g}")
    for name, field in (("jdk.CompilerStatistics", "totalTimeSpent"), ("jdk.GCConfiguration", None)):
        pass
    comp = events(path, "jdk.CompilerStatistics", 1)
    if comp:
        print("\nJIT: compileCount", comp[-1]["values"].get("compileCount"), "totalTimeSpent", comp[-1]["values"].get("totalTimeSpent"))
    gcs = events(path, "jdk.GarbageCollection", 1)
    total = 0.0
    for e in gcs:
        d = e["values"].get("sumOfPauses") or e["values"].get("duration") or "PT0S"
        if isinstance(d, str) and d.startswith("PT") and d.endswith("S"):
            total += float(d[2:-1])
    print(f"GC: {len(gcs)} collections, {total:.2f} s paused in total")


if __name__ == "__main__":
    main()
    thread_cpu(sys.argv[1])
