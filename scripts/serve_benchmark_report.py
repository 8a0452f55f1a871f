#!/usr/bin/env python3
"""Writes the "Serving" section of BENCHMARKS.md from scripts/serve_benchmark.sh's results (stdlib only).

Usage: serve_benchmark_report.py RESULTS.jsonl BENCHMARKS.md [--soak SOAK.json] [--seconds S] [--delay-us U]
The section sits between <!-- serve-benchmark:begin --> and <!-- serve-benchmark:end -->; it replaces
an earlier one there, or is appended; the rest of the file is kept byte for byte.
"""
import argparse
import json
import os
import platform
from pathlib import Path

BEGIN = "<!-- serve-benchmark:begin -->"
END = "<!-- serve-benchmark:end -->"


def med(xs):
    xs = sorted(xs)
    n = len(xs)
    return 0 if n == 0 else (xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results", type=Path)
    ap.add_argument("output", type=Path)
    ap.add_argument("--soak", type=Path, action="append",
                    help="soak summary (soak.json); repeatable; default out/serve-soak/soak.json")
    ap.add_argument("--seconds", default="10")
    ap.add_argument("--delay-us", default="200")
    a = ap.parse_args()
    rows = [json.loads(l) for l in a.results.read_text().splitlines() if l.strip()]
    closed = [r for r in rows if "model" in r and r.get("loop", "closed") == "closed"]
    rated = [r for r in rows if "model" in r and r.get("loop") == "rate"]
    cells = {}
    for r in closed:
        label = r["model"] if r.get("protocol", "rest") == "rest" else f"{r['model']} ({r['protocol']})"
        cells.setdefault((r["mode"], label, r["clients"]), []).append(r)
    servers = {r["mode"]: r for r in rows if "peak_rss_kb" in r}
    stats = [r for r in rows if "stats_model" in r]
    drain = next((r for r in rows if r["mode"] == "drain"), None)
    machine = next((r for r in rows if r["mode"] == "machine"), {})
    load = [r.get("loadavg_start") or r.get("loadavg_end") for r in rows if r["mode"] in ("machine", "machine_end")]
    rounds = machine.get("rounds", 1)
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    loads = [x for r in closed for x in (r.get("load1_start"), r.get("load1_end")) if x is not None]
    opts = machine.get("java_opts") or ""
    out = [BEGIN, "## Serving: `ml2tensor serve` under load", "",
           f"Produced by `scripts/serve_benchmark.sh` (loopback only) on {os.cpu_count()} cores ({cpu}), "
           f"{platform.system()} — the server **and** the load generator share these cores. Closed loop: each "
           "client keeps one keep-alive HTTP/1.1 connection and sends one-row v2 JSON `infer` requests (rows of "
           "the model's `input.csv` in turn), waiting for each answer; latency is from sending a request to the "
           "end of its answer. "
           + (f"Each server first gets {machine['server_warmup_s']} s of 64 clients per model (JIT warm-up), then "
              if machine.get("server_warmup_s") else "")
           + f"2 s warm-up and {a.seconds} s measured per run. *Batching on*: `--max-batch-rows 256 --max-queue-delay-us {a.delay_us}`; "
           "*off*: `--max-batch-rows 1` (one ONNX Runtime call per request — what serving the model without a "
           "batcher does), the same workers (one per core, each ORT call single-threaded) in both. Both servers run "
           f"at once and the runs alternate on/off (off/on in the next round), {rounds} rounds; the table gives "
           "the median over the rounds, and the ratio of each round's on/off pair. Models from "
           "`conformance-tests/fixtures/make_large_models.py`: `rf500_d8` = scikit-learn RandomForestClassifier, "
           "500 trees, depth 8, 28 features; `logreg5` = LogisticRegression, 5 classes, 28 features (source pickles "
           "compiled at server start with `--strategy auto`)."
           + (f" Server JVM options: `{opts}`." if opts else " Server JVM options: the launcher's defaults.")
           + (f" Load average (1/5/15 min) at the start and end of the run: {load[0]} and {load[-1]}; the "
              f"1-minute load average over the runs ranged {min(loads):.1f}–{max(loads):.1f} (column *load*) — "
              "other processes shared the machine, so latencies (p99 above all) include scheduling delays."
              if len(load) == 2 and loads else ""), "",
           "Coordinated omission: in a closed loop a stalled request holds back its client's next requests without "
           "their being measured, so the closed-loop percentiles understate what independent callers would see "
           "during stalls. The *fixed-rate* line below corrects for it (each client on a schedule, latency counted "
           "from the scheduled send time, as wrk2 does).", "",
           "| model | clients | load | batching: rows/s | p50 ms | p99 ms | no batching: rows/s | p50 ms | p99 ms | throughput ratio (per round) | errors |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    target = None
    cpu_rows = []
    for model in ("rf500_d8", "logreg5", "rf500_d8 (grpc-raw)"):
        for c in sorted({k[2] for k in cells if k[1] == model}):
            b = cells.get(("batching", model, c))
            n = cells.get(("nobatching", model, c))
            if not b or not n:
                continue
            ratios = []
            for rb in b:
                rn = next((x for x in n if x.get("round") == rb.get("round")), None)
                if rn and rn["rows_per_s"]:
                    ratios.append(rb["rows_per_s"] / rn["rows_per_s"])
            bt, nt = med(x["rows_per_s"] for x in b), med(x["rows_per_s"] for x in n)
            ratio = bt / nt if nt else float("inf")
            cl = [x for r in b + n for x in (r.get("load1_start"), r.get("load1_end")) if x is not None]
            errs = sum(r["errors"] + r["lost"] for r in b), sum(r["errors"] + r["lost"] for r in n)
            out.append(f"| {model} | {c} | {min(cl):.1f}–{max(cl):.1f} | {bt:,.0f} | {med(x['p50_ms'] for x in b):.2f} | "
                       f"{med(x['p99_ms'] for x in b):.2f} | {nt:,.0f} | {med(x['p50_ms'] for x in n):.2f} | "
                       f"{med(x['p99_ms'] for x in n):.2f} | {ratio:.2f}× ({', '.join(f'{x:.1f}×' for x in ratios)}) | "
                       f"{errs[0]} / {errs[1]} |")
            for mode, rs in (("batching", b), ("nobatching", n)):
                with_cpu = [r for r in rs if r.get("server_cpu_s", -1) >= 0 and r["requests"]]
                if with_cpu:
                    cpu_rows.append((model, c, mode, med(r["rows_per_s"] for r in with_cpu),
                                     med(1e6 * r["server_cpu_s"] / r["requests"] for r in with_cpu),
                                     med(1e6 * r["gen_cpu_s"] / r["requests"] for r in with_cpu),
                                     med(r["server_cpu_s"] / r["seconds"] for r in with_cpu),
                                     med(r["gen_cpu_s"] / r["seconds"] for r in with_cpu)))
            if model == "rf500_d8" and c == 64:
                best = min(b, key=lambda x: x["p99_ms"])
                target = (ratio, min(ratios) if ratios else ratio, med(x["p99_ms"] for x in b), best)
    out.append("")
    if any(k[1].endswith("(grpc-raw)") for k in cells):
        out.append("*rf500_d8 (grpc-raw)*: the same model and servers over gRPC `ModelInfer` with `raw_input_contents` "
                   "(`GrpcLoadGenerator --raw`: the 64 clients are HTTP/2 streams on one connection, one event-loop "
                   "thread), interleaved with the REST runs.")
        out.append("")
    if cpu_rows:
        out.append("Where the CPU goes (medians over the rounds; CPU time of the measured phase divided by the requests "
                   "answered in it: the server process from `/proc/PID/stat`, the load generator's own process; "
                   "*cores* = CPU seconds per second of the run):")
        out.append("")
        out.append("| model | clients | mode | rows/s | server CPU µs/request | generator CPU µs/request | server cores | generator cores |")
        out.append("|---|---:|---|---:|---:|---:|---:|---:|")
        for model, c, mode, rps, su, gu, sc, gc in cpu_rows:
            out.append(f"| {model} | {c} | {mode} | {rps:,.0f} | {su:.0f} | {gu:.0f} | {sc:.2f} | {gc:.2f} |")
        out.append("")
    for r in rated:
        out.append(f"Fixed rate, coordinated omission corrected: {r['mode']} `{r['model']}`, {r['clients']} clients at "
                   f"{r['target_rate']:,.0f} requests/s (half its closed-loop throughput): {r['rows_per_s']:,.0f} rows/s "
                   f"answered, p50 {r['p50_ms']:.2f} ms, p90 {r['p90_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, p99.9 "
                   f"{r['p999_ms']:.2f} ms, max {r['max_ms']:.2f} ms (load average {r['load1_start']}–{r['load1_end']}).")
    if rated:
        out.append("")
    if target:
        ratio, worst, p99, best = target
        out.append(f"Target (issue 16): with 64 one-row clients on the 500-tree forest, batching ≥ 5× the "
                   f"throughput of no batching — measured **{ratio:.2f}×** (lowest round {worst:.2f}×): "
                   f"**{'met' if worst >= 5 else 'not met'}**; with p99 < 20 ms — measured **{p99:.2f} ms** "
                   f"(median over the rounds; best round {best['p99_ms']:.2f} ms at load average "
                   f"{best.get('load1_start')}): **{'met' if p99 < 20 else 'not met'}**"
                   + ("" if p99 < 20 else (" in any round" if best["p99_ms"] >= 20 else
                                           " (met only in the quietest round)") +
                      " on this shared machine: see the load column") + ".")
        out.append("")
    if stats:
        out.append("Rows per ONNX Runtime call (from the server's `ml2tensor_batch_rows` / `ml2tensor_batch_requests` "
                   "metrics, over all runs of a mode including warm-ups): " + "; ".join(
                       f"{r['mode']} {r['stats_model']}: {r['calls']:,} calls, {r['mean_batch_rows']:.1f} rows and "
                       f"{r['mean_batch_requests']:.1f} requests per call" for r in stats) + ".")
        out.append("")
    if servers:
        out.append("Server peak RSS (VmHWM, both models loaded, after all runs of the mode): " + ", ".join(
            f"{m} {s['peak_rss_kb'] / 1024:.0f} MiB (exit {s['exit']})" for m, s in servers.items()) + ".")
        out.append("")
    if drain:
        answered = drain["requests"] + drain["errors"]
        out.append(f"Drain under load: 64 clients on `rf500_d8`, SIGTERM after 3 s of load — {answered:,} requests "
                   f"answered ({drain['requests']:,} × 200, {drain['errors']} × 503 once draining), "
                   f"**{drain['lost']} lost** (sent but never answered); server exit status **{drain['exit']}**.")
        out.append("")
    soaks = [p for p in (a.soak or [Path("out/serve-soak/soak.json")]) if p.exists()]
    for path in soaks:
        soak = json.loads(path.read_text())
        rate = soak.get("rate", 0)
        opts = soak.get("java_opts", "")
        cmd = (f"scripts/serve_soak.sh --minutes {soak['minutes']}" + (f" --rate {rate:g}" if rate else "")
               + (f"` with `ML2TENSOR_JAVA_OPTS={opts}" if opts else ""))
        out.append(f"Soak (`{cmd}`): {soak['minutes']} minutes of "
                   f"{soak['clients']} clients on `{soak['model']}`, batching on"
                   + (f", {rate:,.0f} requests/s on a fixed schedule" if rate else ", closed loop")
                   + f", server heap {'`' + opts + '`' if opts else 'the JVM default (no -Xmx)'}: {soak['requests']:,} requests, "
                   f"{soak['rows_per_s']:,.0f} rows/s, p50 {soak['p50_ms']:.2f} ms, p99 {soak['p99_ms']:.2f} ms, "
                   f"{soak['errors'] + soak['lost']} errors; RSS every 10 s ({soak['samples']} samples): "
                   f"{soak['rss_start_mib']:.0f} MiB at the start, {soak['rss_after_warmup_mib']:.0f} MiB after the "
                   f"{soak['warmup_minutes']:g}-minute warm-up, {soak['rss_end_mib']:.0f} MiB at the end, max "
                   f"{soak['rss_max_mib']:.0f} MiB; after the warm-up a least-squares slope of "
                   f"{soak['slope_mib_per_min']:+.3f} MiB/min (fitted growth {soak['fitted_growth_mib']:+.1f} MiB over "
                   f"the window, residual noise σ {soak['residual_sd_mib']:.1f} MiB): "
                   f"**{'flat' if soak['flat'] else 'growing'}** (flat = fitted growth below max(3σ, 2% of the mean "
                   f"RSS)); server exit {soak['exit']}; load average {soak['loadavg_start']} at the start, "
                   f"{soak['loadavg_end']} at the end (1-minute samples {soak['load1_min']:.1f}–{soak['load1_max']:.1f}).")
        tsv = path.with_name("rss.tsv")
        if tsv.exists():
            pts = [l.split("\t") for l in tsv.read_text().splitlines() if l.count("\t") == 2]
            step = max(60, 60 * (len(pts) // 60 + 1))  # at most about 10 points
            curve, mark = [], 0
            for t, kb, ld in pts:
                if int(t) >= mark:
                    curve.append(f"{int(t) // 60} min {int(kb) / 1024:.0f} MiB (load {float(ld):.0f})")
                    mark = (int(t) // step + 1) * step
            out.append("")
            out.append(f"RSS curve of the soak (from `{tsv}`): " + ", ".join(curve) + f", end "
                       f"{int(pts[-1][1]) / 1024:.0f} MiB.")
        out.append("")
    text = a.output.read_text() if a.output.exists() else "# Benchmarks\n"
    if not soaks:
        # No new soak summary: keep the soak lines of the section being replaced (with their own dates and
        # commands), so that regenerating the load test does not drop an earlier soak's result.
        previous = text.split(BEGIN, 1)[1].split(END, 1)[0] if BEGIN in text and END in text else ""
        kept = [l for l in previous.splitlines() if l.startswith(("Soak (", "RSS curve of the soak"))]
        if kept:
            out.append("Soak: not part of this run; the latest soak results, kept from the previous section:")
            out.append("")
            for line in kept:
                out.extend([line, ""])
        else:
            out.append("Soak: not part of this run (`scripts/serve_soak.sh --minutes 30` runs it; its summary is "
                       "added here).")
    out.append(END)
    section = "\n".join(out) + "\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        text = head + section + ("\n" + tail if tail else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    a.output.write_text(text)


if __name__ == "__main__":
    main()
