#!/usr/bin/env python3
"""End-to-end timing of `driftctl compare BASELINE.csv CURRENT.csv` (and, with --evidently, of
Evidently's DataDriftPreset on the same CSVs).

Data (the setup of the performance anchors' Evidently measurement): --rows x --cols float64
N(0, 1) for the baseline and, independently drawn, for the current CSV, where the first
--shifted columns (default cols // 4, i.e. 5 of 20) are shifted by +--shift (default 0.1 sigma).
Columns are named f0..f{cols-1}; values are written as Python repr (shortest round-trip text,
what pandas' to_csv writes), so both tools parse exactly the same float64 values.

driftctl: `driftctl compare BASE CUR --json` is run --reps times (default 3); each run's wall time,
CPU time (user+sys, os.wait4) and peak RSS (GNU time %M; /usr/bin/time) are recorded; exit 0 (no
drift) and 1 (drift) are fine, anything else is an error.

Evidently (--evidently): a venv under $TMPDIR (default $TMPDIR/driftd-bench-evidently-venv) is
created on first use with `evidently>=0.7,<0.8` and `pandas<3` (evidently 0.7.x does not import
with pandas 3). For each method (default "default,ks") one process, with DO_NOT_TRACK=1, imports
evidently, loads both CSVs with pandas.read_csv and runs Report([DataDriftPreset(...)]).run(cur, ref)
--evidently-reps times (default 2). Reported: report.run median ("compute"), import + read_csv +
first run ("end to end"), process wall, report.run CPU time, peak RSS of the process, columns
flagged. --npy-disable-cpu-features 'X86_V4 AVX512_ICL AVX512_SPR' runs Evidently's numpy on its AVX2
paths (numpy's AVX-512 sort is several times slower on AMD Zen 4).

Ratios are Evidently time / driftctl end-to-end wall (median), and Evidently report.run CPU /
driftctl CPU, all measured in this run.

Examples:
  tools/bench_compare_csv.py --rows 1000000 --cols 20 --evidently --markdown csv.md --json csv.json
  tools/bench_compare_csv.py --rows 1000 --driftctl ./stub-driftctl --keep --out-dir /tmp/csvbench
  tools/bench_compare_csv.py --skip-driftctl --evidently          # Evidently figure only
Exit status: 0 ok, 2 error.
"""
import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in tools/
import bench_vs_scipy as bvs  # noqa: E402  (machine facts, formatting helpers)
import numpy as np  # noqa: E402

REPO_ROOT = os.path.dirname(HERE)
DEFAULT_DRIFTCTL = os.path.join(REPO_ROOT, ".build", "release", "driftctl")
TMP = os.environ.get("TMPDIR") or tempfile.gettempdir()
DEFAULT_VENV = os.path.join(TMP, "driftd-bench-evidently-venv")
EVIDENTLY_SPEC = ["evidently>=0.7,<0.8", "pandas<3"]

EVIDENTLY_HELPER = r'''
import json, statistics, sys, time
t0 = time.perf_counter()
import numpy as np
import pandas as pd
import scipy
import evidently
from evidently import Report
from evidently.presets import DataDriftPreset
t_import = time.perf_counter() - t0
base_csv, cur_csv, method, reps = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
t0 = time.perf_counter()
ref = pd.read_csv(base_csv)
cur = pd.read_csv(cur_csv)
t_load = time.perf_counter() - t0
kw = {} if method == "default" else {"method": method}
runs, cpus, dict_s, drifted = [], [], [], None
for _ in range(reps):
    report = Report([DataDriftPreset(**kw)])
    c0 = time.process_time()
    t0 = time.perf_counter()
    snap = report.run(current_data=cur, reference_data=ref)
    runs.append(time.perf_counter() - t0)
    cpus.append(time.process_time() - c0)
    t0 = time.perf_counter()
    d = snap.dict()
    dict_s.append(time.perf_counter() - t0)
    try:  # first metric of the preset: DriftedColumnsCount -> {"count": .., "share": ..}
        v = d["metrics"][0]["value"]
        drifted = v.get("count", v) if isinstance(v, dict) else v
        if isinstance(drifted, float) and drifted.is_integer():
            drifted = int(drifted)
    except Exception:
        drifted = None
print(json.dumps(dict(
    evidently=evidently.__version__, pandas=pd.__version__, numpy=np.__version__, scipy=scipy.__version__,
    python=sys.version.split()[0], method=method, reps=reps, rows=len(ref), cols=ref.shape[1],
    dtypes=sorted({str(t) for t in ref.dtypes}), import_s=t_import, load_s=t_load,
    run_s=runs, run_median_s=statistics.median(runs), run_cpu_s=cpus, run_cpu_median_s=statistics.median(cpus),
    dict_s=dict_s,
    e2e_first_s=t_import + t_load + runs[0], drifted=drifted)))
'''


def die(msg):
    sys.stderr.write(f"error: {msg}\n")
    sys.exit(2)


def log(msg):
    print(f"# {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------

GNU_TIME = "/usr/bin/time"
TIME_FMT = "RSSKB=%M"


def _have_gnu_time():
    if not os.access(GNU_TIME, os.X_OK):
        return False
    r = subprocess.run([GNU_TIME, "-f", TIME_FMT, "true"], capture_output=True, text=True)
    return r.returncode == 0 and "RSSKB=" in r.stderr


HAVE_GNU_TIME = _have_gnu_time()


def run_measured(cmd, env=None, stdout_path=None, timeout=None):
    """Run cmd; return (exit code, wall seconds, peak RSS bytes, stdout text, CPU seconds user+sys).

    CPU time = user+sys from os.wait4 (includes the reaped grandchild when GNU time wraps it; us
    resolution). Peak RSS comes from GNU time's %M when /usr/bin/time exists. (os.wait4's ru_maxrss is the
    fallback, but Linux folds the pre-exec image into it, i.e. this ~100 MB Python process: an
    upper bound only.) stdout/stderr go to files, so a chatty child never blocks on a full pipe."""
    out = open(stdout_path, "w+") if stdout_path else tempfile.TemporaryFile("w+")
    err = tempfile.TemporaryFile("w+")
    rss_file = tempfile.NamedTemporaryFile("w+", suffix=".rss", delete=False)
    rss_file.close()
    full = [GNU_TIME, "-f", TIME_FMT, "-o", rss_file.name] + list(cmd) if HAVE_GNU_TIME else list(cmd)
    try:
        t0 = time.perf_counter()
        p = subprocess.Popen(full, stdout=out, stderr=err, env=env, text=True)
        deadline = None if timeout is None else t0 + timeout
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.perf_counter() > deadline:
                p.kill()
                pid, status, ru = os.wait4(p.pid, 0)
                sys.stderr.write(f"error: timed out after {timeout} s: {shlex.join(cmd)}\n")
                break
            time.sleep(0.002)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
        err.seek(0)
        etext = err.read()
        rss = ru.ru_maxrss * 1024
        cpu_s = ru.ru_utime + ru.ru_stime
        if HAVE_GNU_TIME:
            with open(rss_file.name) as f:
                vals = [l[6:].strip() for l in f if l.startswith("RSSKB=")]
            rss = int(vals[-1]) * 1024 if vals and vals[-1].isdigit() else None
    finally:
        out.close()
        err.close()
        os.unlink(rss_file.name)
    if etext.strip():
        sys.stderr.write(etext if len(etext) < 4000 else etext[:2000] + "\n...\n" + etext[-2000:])
    return p.returncode, wall, rss, text, cpu_s


def fmt_bytes(b):
    if b is None:
        return "—"
    for div, unit in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if b >= div:
            return f"{b / div:.3g} {unit}"
    return f"{b} B"


# --------------------------------------------------------------------------------------------

def write_csvs(out_dir, rows, cols, shifted, shift, seed, chunk=20_000):
    base_p, cur_p = os.path.join(out_dir, "baseline.csv"), os.path.join(out_dir, "current.csv")
    manifest_p = os.path.join(out_dir, "csv_manifest.json")
    want = {"rows": rows, "cols": cols, "shifted": shifted, "shift": shift, "seed": seed, "format": "repr"}
    try:
        with open(manifest_p) as f:
            if json.load(f) == want and os.path.exists(base_p) and os.path.exists(cur_p):
                log(f"reusing CSVs in {out_dir}")
                return base_p, cur_p
    except (OSError, ValueError):
        pass
    header = ",".join(f"f{i}" for i in range(cols)) + "\n"
    t0 = time.perf_counter()
    rng_b = np.random.default_rng([seed, 0])
    rng_c = np.random.default_rng([seed, 1])
    offs = np.zeros(cols)
    offs[:shifted] = shift
    for path, rng, add in ((base_p, rng_b, None), (cur_p, rng_c, offs)):
        with open(path, "w") as f:
            f.write(header)
            for start in range(0, rows, chunk):
                a = rng.standard_normal((min(chunk, rows - start), cols))
                if add is not None:
                    a += add
                f.write("\n".join(",".join(map(repr, r)) for r in a.tolist()))
                f.write("\n")
    with open(manifest_p, "w") as f:
        json.dump(want, f)
    log(f"wrote {base_p} ({fmt_bytes(os.path.getsize(base_p))}) and current.csv in {time.perf_counter() - t0:.1f} s")
    return base_p, cur_p


def count_drifted(obj):
    """Best effort: number of drifted columns in driftctl's --json report (schema owned by driftctl):
    a top-level integer count if there is one, else per-column verdict/flag entries."""
    if not isinstance(obj, dict):
        return None
    for k in ("drifted_columns", "n_drifted", "drifted_count"):
        if isinstance(obj.get(k), int) and not isinstance(obj.get(k), bool):
            return obj[k]
    cols = obj.get("columns")
    if isinstance(cols, list) and cols and all(isinstance(c, dict) for c in cols):
        flags = []
        for c in cols:
            if isinstance(c.get("verdict"), str):
                flags.append(c["verdict"].lower() in ("drift", "drifted"))
            else:
                b = next((c[k] for k in ("drift", "drifted", "is_drifted", "drift_detected")
                          if isinstance(c.get(k), bool)), None)
                if b is not None:
                    flags.append(b)
        if flags:
            return sum(flags)
    return None


def bench_driftctl(exe, base_p, cur_p, reps, extra, out_dir, timeout):
    cmd = [exe, "compare", base_p, cur_p, "--json"] + extra
    runs = []
    stdout_path = os.path.join(out_dir, "driftctl_stdout.json")
    for i in range(reps):
        code, wall, rss, text, cpu_s = run_measured(cmd, stdout_path=stdout_path, timeout=timeout)
        if code not in (0, 1):
            die(f"{shlex.join(cmd)} exited with {code}")
        runs.append({"wall_s": wall, "cpu_s": cpu_s, "peak_rss_bytes": rss, "exit": code})
        log(f"driftctl run {i + 1}/{reps}: {wall:.3f} s wall, {cpu_s:.3f} s CPU, peak RSS {fmt_bytes(rss)}, exit {code}")
    try:
        drifted = count_drifted(json.loads(text))
    except ValueError:
        drifted = None
        log("driftctl --json output is not one JSON document; drifted-column count not parsed")
    walls = [r["wall_s"] for r in runs]
    return {"command": shlex.join(cmd), "runs": runs, "wall_median_s": statistics.median(walls),
            "wall_min_s": min(walls), "wall_max_s": max(walls),
            "cpu_median_s": statistics.median(r["cpu_s"] for r in runs),
            "peak_rss_bytes": max((r["peak_rss_bytes"] or 0) for r in runs) or None, "exit": runs[-1]["exit"],
            "drifted": drifted, "stdout_tail": text[-2000:]}


def ensure_venv(venv):
    py = os.path.join(venv, "bin", "python")
    env = dict(os.environ, DO_NOT_TRACK="1")
    if os.path.exists(py) and subprocess.run([py, "-c", "import evidently, pandas"], env=env,
                                             capture_output=True).returncode == 0:
        return py
    log(f"creating Evidently venv {venv} ({' '.join(EVIDENTLY_SPEC)})")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    r = subprocess.run([py, "-m", "pip", "install", "-q", *EVIDENTLY_SPEC])
    if r.returncode != 0:
        die("pip install of evidently failed")
    return py


def bench_evidently(py, base_p, cur_p, methods, reps, out_dir, timeout, npy_disable=None):
    helper = os.path.join(out_dir, "evidently_run.py")
    with open(helper, "w") as f:
        f.write(EVIDENTLY_HELPER)
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env["DO_NOT_TRACK"] = "1"
    if npy_disable is not None:
        env["NPY_DISABLE_CPU_FEATURES"] = npy_disable
    res = []
    for m in methods:
        cmd = [py, helper, base_p, cur_p, m, str(reps)]
        log(f"Evidently method={m}: {shlex.join(cmd)}")
        code, wall, rss, text, cpu_s = run_measured(cmd, env=env, timeout=timeout)
        if code != 0:
            die(f"Evidently run (method={m}) exited with {code}")
        line = [l for l in text.splitlines() if l.startswith("{")][-1]
        r = json.loads(line)
        r.update(npy_disable_cpu_features=env.get("NPY_DISABLE_CPU_FEATURES", ""), process_wall_s=wall, process_cpu_s=cpu_s, peak_rss_bytes=rss, command=shlex.join(cmd))
        log(f"Evidently {m}: run median {r['run_median_s']:.1f} s, load {r['load_s']:.1f} s, "
            f"process {wall:.1f} s, RSS {fmt_bytes(rss)}, drifted {r['drifted']}")
        res.append(r)
    return res


def render(facts, cmdline, cfg, dc, ev):
    out = [f"## driftctl compare vs Evidently, {cfg['rows']:,} rows x {cfg['cols']} float64 columns "
           f"({cfg['shifted']} shifted by +{cfg['shift']} sigma)", ""]
    out.append(bvs.facts_markdown(facts))
    if ev:
        e0 = ev[0]
        out.append(f"- Evidently {e0['evidently']}, pandas {e0['pandas']}, numpy {e0['numpy']}, scipy {e0['scipy']}, "
                   f"Python {e0['python']} (venv), DO_NOT_TRACK=1; {e0['reps']} report runs per method in one process"
                   + (f"; NPY_DISABLE_CPU_FEATURES={e0['npy_disable_cpu_features']}" if e0.get("npy_disable_cpu_features") else ""))
    out.append(f"- CSV size: baseline {fmt_bytes(cfg['baseline_bytes'])}, current {fmt_bytes(cfg['current_bytes'])}")
    out.append(f"- command: `{cmdline}`")
    out.append("")
    out.append("| tool | compute (median) | end to end | process wall | CPU time | peak RSS | columns flagged | "
               "ratio end to end (÷ driftctl) | ratio compute only (÷ driftctl end to end) | ratio CPU (÷ driftctl CPU) |")
    out.append("|---|---|---|---|---|---|---|---|---|---|")
    base = dc["wall_median_s"] if dc else None
    base_cpu = dc.get("cpu_median_s") if dc else None
    if dc:
        out.append(f"| driftctl compare --json (median of {len(dc['runs'])}) | — | {bvs.fmt_time(base)} | "
                   f"{bvs.fmt_time(base)} | {bvs.fmt_time(base_cpu)} | {fmt_bytes(dc['peak_rss_bytes'])} | "
                   f"{dc['drifted'] if dc['drifted'] is not None else '?'} (exit {dc['exit']}) | 1x | — | 1x |")
    for e in ev:
        name = "DataDriftPreset()" if e["method"] == "default" else f"DataDriftPreset(method=\"{e['method']}\")"
        r1 = bvs.fmt_ratio(e["e2e_first_s"] / base) if base else "—"
        r2 = bvs.fmt_ratio(e["run_median_s"] / base) if base else "—"
        ecpu = e.get("run_cpu_median_s")
        r3 = bvs.fmt_ratio(ecpu / base_cpu) if base_cpu and ecpu else "—"
        out.append(f"| Evidently {name} | {bvs.fmt_time(e['run_median_s'])} | {bvs.fmt_time(e['e2e_first_s'])} | "
                   f"{bvs.fmt_time(e['process_wall_s'])} | {bvs.fmt_time(ecpu)} | {fmt_bytes(e['peak_rss_bytes'])} | "
                   f"{e['drifted']} | {r1} | {r2} | {r3} |")
    out.append("")
    out.append("driftctl end to end = process start + CSV parse + all tests (wall, median). Evidently compute = "
               "`Report([...]).run(cur, ref)` median; end to end = import + 2x `pd.read_csv` + first run; "
               "process wall includes interpreter start, all runs and `snapshot.dict()`. CPU time = user+sys of the "
               "driftctl process (median) / of `report.run` (median), less disturbed by other load on a shared box. "
               "Peak RSS per process "
               "(" + ("GNU time %M" if HAVE_GNU_TIME else "os.wait4 ru_maxrss, an upper bound") + "). Evidently's default method for numeric columns with > 1000 rows is normed Wasserstein.")
    return "\n".join(out) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=float, default=1_000_000)
    ap.add_argument("--cols", type=int, default=20)
    ap.add_argument("--shifted", type=int, default=None, help="number of shifted columns (default cols // 4)")
    ap.add_argument("--shift", type=float, default=0.1, help="shift of those columns in sigma (default 0.1)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--driftctl", default=DEFAULT_DRIFTCTL, help=f"driftctl binary (default {DEFAULT_DRIFTCTL})")
    ap.add_argument("--driftctl-args", default="", help="extra arguments for driftctl compare, e.g. '--bins 10'")
    ap.add_argument("--skip-driftctl", action="store_true", help="do not run driftctl (e.g. Evidently figure only)")
    ap.add_argument("--reps", type=int, default=3, help="driftctl runs (default 3)")
    ap.add_argument("--evidently", action="store_true", help="also time Evidently in a venv")
    ap.add_argument("--evidently-methods", default="default,ks", help="comma list: default, ks, psi, wasserstein, ...")
    ap.add_argument("--evidently-reps", type=int, default=2, help="report runs per method (default 2)")
    ap.add_argument("--npy-disable-cpu-features", default=None, metavar="LIST",
                    help="NPY_DISABLE_CPU_FEATURES for the Evidently process, e.g. 'X86_V4 AVX512_ICL AVX512_SPR' "
                         "(numpy's AVX2 sort; its AVX-512 sort is slow on AMD Zen 4)")
    ap.add_argument("--venv", default=DEFAULT_VENV, help=f"Evidently venv (default {DEFAULT_VENV})")
    ap.add_argument("--out-dir", default=None, help="where CSVs and logs go (default: new temp dir under $TMPDIR)")
    ap.add_argument("--keep", action="store_true", help="keep the CSVs (and a created out dir); reused by a later "
                    "run with the same --out-dir and data parameters")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per measured process")
    ap.add_argument("--markdown", default=None)
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)

    rows = int(args.rows)
    shifted = args.cols // 4 if args.shifted is None else args.shifted
    if rows < 1 or args.cols < 1 or not 0 <= shifted <= args.cols or args.reps < 1 or args.evidently_reps < 1:
        die("bad --rows/--cols/--shifted/--reps")
    exe = os.path.abspath(args.driftctl)
    if not args.skip_driftctl and not os.access(exe, os.X_OK):
        die(f"driftctl not found/executable at {exe} (swift build -c release --product driftctl, "
            "--driftctl PATH, or --skip-driftctl)")
    if args.skip_driftctl and not args.evidently:
        die("nothing to do (--skip-driftctl without --evidently)")
    cmdline = shlex.join([os.path.relpath(sys.argv[0])] + (sys.argv[1:] if argv is None else list(argv)))

    facts = bvs.machine_facts()
    own_dir = args.out_dir is None
    out_dir = tempfile.mkdtemp(prefix="driftd-csv-bench-") if own_dir else os.path.abspath(args.out_dir)
    os.makedirs(out_dir, exist_ok=True)
    py = ensure_venv(args.venv) if args.evidently else None  # before timing anything
    try:
        base_p, cur_p = write_csvs(out_dir, rows, args.cols, shifted, args.shift, args.seed)
        cfg = {"rows": rows, "cols": args.cols, "shifted": shifted, "shift": args.shift, "seed": args.seed,
               "baseline_bytes": os.path.getsize(base_p), "current_bytes": os.path.getsize(cur_p),
               "out_dir": out_dir if args.keep else None}
        dc = None
        if not args.skip_driftctl:
            dc = bench_driftctl(exe, base_p, cur_p, args.reps, shlex.split(args.driftctl_args), out_dir, args.timeout)
            dc["binary"] = bvs.binary_facts(exe)
        ev = []
        if args.evidently:
            methods = [m for m in args.evidently_methods.split(",") if m]
            ev = bench_evidently(py, base_p, cur_p, methods, args.evidently_reps, out_dir, args.timeout,
                                 args.npy_disable_cpu_features)
        facts["system"]["loadavg_end"] = bvs._read("/proc/loadavg").strip()
        md = render(facts, cmdline, cfg, dc, ev)
        print(md)
        if args.markdown:
            with open(args.markdown, "w") as f:
                f.write(md)
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"command": cmdline, "facts": facts, "config": cfg, "driftctl": dc, "evidently": ev},
                          f, indent=1)
        return 0
    finally:
        if not args.keep:
            for name in ("baseline.csv", "current.csv", "csv_manifest.json", "evidently_run.py",
                         "driftctl_stdout.json"):
                try:
                    os.remove(os.path.join(out_dir, name))
                except OSError:
                    pass
            if own_dir:
                shutil.rmtree(out_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
