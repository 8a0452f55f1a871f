#!/usr/bin/env python3
"""Summarises scripts/serve_tail_probe.sh's runs (stdlib only) into BENCHMARKS.md.

Usage: serve_tail_probe_report.py PROBE_DIR BENCHMARKS.md
Reads every PROBE_DIR/probe-*.jsonl; per variant, the medians over its runs. The section sits between
<!-- serve-tail-probe:begin --> and <!-- serve-tail-probe:end -->; it replaces an earlier one there, or is
appended; the rest of the file is kept byte for byte.
"""
import json
import os
import sys
from pathlib import Path

BEGIN = "<!-- serve-tail-probe:begin -->"
END = "<!-- serve-tail-probe:end -->"


def med(xs):
    xs = sorted(xs)
    n = len(xs)
    return 0 if n == 0 else (xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2)


def main():
    work, output = Path(sys.argv[1]), Path(sys.argv[2])
    files = sorted(work.glob("probe-*.jsonl"))
    runs = [json.loads(l) for f in files for l in f.read_text().splitlines() if l.strip()]
    if not runs:
        sys.exit("serve_tail_probe_report: no runs in " + str(work))
    by = {}
    for r in runs:
        by.setdefault(r["variant"], []).append(r)
    loads = [float(r["loadavg"].split()[0]) for r in runs]
    clients = sorted({r["clients"] for r in runs})
    out = [BEGIN, "### Serving: where the latency tail comes from", "",
           f"Produced by `scripts/serve_tail_probe.sh` ({len(runs)} runs in {len(files)} invocations, variants "
           "interleaved round by round): one `ml2tensor serve` with batching on (`--max-batch-rows 256 "
           f"--max-queue-delay-us 200`) serving `rf500_d8` (compiled once to .onnx), {', '.join(map(str, clients))} "
           "closed-loop one-row JSON clients, 3 s warm-up, 10 s measured. Per run, from the server process: GC "
           "pauses in the measured window (`-Xlog:gc`, wall time), CPU time and the time its threads were runnable "
           "but waiting for a core (run-queue wait, summed over threads from `/proc/PID/task/*/schedstat`), both "
           "per second of wall time. Medians over each variant's runs; on "
           f"{os.cpu_count()} cores shared with other work: 1-minute load average {min(loads):.1f}–{max(loads):.1f} "
           "over these runs.", "",
           "| variant | runs | load | rows/s | p50 ms | p99 ms | p99.9 ms | GC pauses | longest GC pause ms | server CPU core-s/s | server run-queue wait thread-s/s | CPU ms per request |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for v, rs in by.items():
        l = [float(r["loadavg"].split()[0]) for r in rs]
        out.append(f"| {v} | {len(rs)} | {min(l):.1f}–{max(l):.1f} | {med(r['rows_per_s'] for r in rs):,.0f} | "
                   f"{med(r['p50_ms'] for r in rs):.1f} | {med(r['p99_ms'] for r in rs):.1f} | "
                   f"{med(r['p999_ms'] for r in rs):.1f} | {med(r['gc_pauses'] for r in rs):g} | "
                   f"{med(r['gc_pause_ms_max'] for r in rs):.1f} | {med(r['server_cpu_s_per_s'] for r in rs):.2f} | "
                   f"{med(r['server_runqueue_wait_s_per_s'] for r in rs):.2f} | "
                   f"{med(1000 * r['server_cpu_s_per_s'] / r['rows_per_s'] for r in rs if r['rows_per_s']):.2f} |")
    out.append("")
    out.append(f"Variants: {'; '.join(sorted(by))} (names from the script's `--variant NAME|JVM OPTS|SERVE ARGS`; "
               "`default` = the launcher's JVM, G1).")
    out.append(END)
    section = "\n".join(out) + "\n"
    text = output.read_text() if output.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        text = head + section + ("\n" + tail if tail else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    output.write_text(text)
    print(section)


if __name__ == "__main__":
    main()
