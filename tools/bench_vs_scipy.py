#!/usr/bin/env python3
"""Side-by-side timing of driftd's statistics kernels and their numpy/scipy equivalents.

Same machine, same run, same input files. For every size n (n = m) the script

  1. writes seeded float32 data (little-endian, raw) into a data directory:
       base_{n}.f32       ~ N(0, 1)     baseline
       cur_null_{n}.f32   ~ N(0, 1)     current, no drift (independent draw)
       cur_shift_{n}.f32  ~ N(0.01, 1)  current, small shift
  2. runs `drift-bench kernels --data-dir DIR --sizes n [--reps R]` and reads its JSON lines
       {"kernel": K, "n": n, "median_s": s, "values_per_s": v, ...}
  3. times the numpy/scipy equivalent of every kernel on the same files (median of several reps,
     one untimed warm-up call first):
       profile_f32      np.isnan(x).sum(); x.mean(); x.std(); x.min(); x.max()        x = cur_null
       psi_cur_f32      edges = np.quantile(base, 9 inner deciles) and the baseline proportions are
                        precomputed (untimed); timed: np.searchsorted + np.bincount on cur_null + PSI sum
       sort_f32         np.sort(cur_null)
       ks_null_f32      scipy.stats.ks_2samp(base, cur_null)   (default method 'auto')
       ks_shift_f32     scipy.stats.ks_2samp(base, cur_shift)  (default method 'auto')
       wasserstein_f32  scipy.stats.wasserstein_distance(base, cur_null)
     (scipy sorts the baseline inside every call; driftd keeps it pre-sorted - that is the point.)
  4. prints a Markdown table (ratio = numpy/scipy time / driftd time, >1 means driftd is faster),
     optionally writes it (--markdown FILE) and the raw results plus machine facts (--json FILE).

driftd is run first for each size, then numpy/scipy, so both see the same machine state; with
--rounds K the whole sequence is repeated and the median of the per-round ratios is reported
(this box is a shared VM: compare ratios from one run, not absolute times across runs).

OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE: some machines set them for old OpenBLAS builds; they slow a
current numpy. If present, this script re-executes itself once without them (this process and
drift-bench only; nothing else is changed). --keep-openblas-env disables that.

Examples:
  tools/bench_vs_scipy.py --python-only --sizes 10000,100000,1000000
  tools/bench_vs_scipy.py --sizes 10000,100000,1000000,10000000 --markdown bench.md --json bench.json
  tools/bench_vs_scipy.py --generate-only --data-dir /tmp/drift-data --sizes 1000000
Exit status: 0 ok, 2 error (drift-bench missing or failing, bad arguments).
"""
import os
import sys

_OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
_REEXEC_MARK = "_DRIFTD_BENCH_OPENBLAS_REMOVED"
_NPY_OPT = "--npy-disable-cpu-features"


def _argv_value(opt):
    for i, a in enumerate(sys.argv):
        if a == opt and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if a.startswith(opt + "="):
            return a[len(opt) + 1:]
    return None


def _reexec_for_env():
    """Re-run this script once with the environment numpy must see at import time:
    without OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE (unless --keep-openblas-env) and with
    NPY_DISABLE_CPU_FEATURES set when --npy-disable-cpu-features is given."""
    env = dict(os.environ)
    changed = False
    if "--keep-openblas-env" not in sys.argv and _REEXEC_MARK not in env:
        present = {k: env.pop(k) for k in _OPENBLAS_VARS if k in env}
        if present:
            env[_REEXEC_MARK] = ",".join(f"{k}={v}" for k, v in present.items())
            changed = True
    npy = _argv_value(_NPY_OPT)
    if npy is not None and env.get("NPY_DISABLE_CPU_FEATURES") != npy:
        env["NPY_DISABLE_CPU_FEATURES"] = npy
        changed = True
    if changed:
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)


if __name__ == "__main__":
    _reexec_for_env()

import argparse  # noqa: E402
import contextlib  # noqa: E402
import ctypes  # noqa: E402
import datetime as _dt  # noqa: E402
import gc  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.stats as st  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DRIFT_BENCH = os.path.join(REPO_ROOT, ".build", "release", "drift-bench")
DEFAULT_SIZES = "10000,100000,1000000,10000000"
KERNELS = ("profile_f32", "psi_cur_f32", "sort_f32", "ks_null_f32", "ks_shift_f32", "wasserstein_f32")
SHIFT = 0.01
PSI_BINS = 10
PSI_EPS = 1e-6

INTERESTING_FLAGS = (
    "sse4_2", "avx", "avx2", "fma", "bmi2", "f16c",
    "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl", "avx512ifma", "avx512vbmi",
    "avx512_vbmi2", "avx512_vnni", "avx512_bitalg", "avx512_vpopcntdq", "avx512_bf16", "avx512_fp16",
    "avx_vnni", "amx_tile", "amx_int8", "amx_bf16",
)


# --------------------------------------------------------------------------------------------
# machine facts (also imported by bench_compare_csv.py)
# --------------------------------------------------------------------------------------------

def die(msg):
    sys.stderr.write(f"error: {msg}\n")
    sys.exit(2)


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def cpu_facts():
    text = _read("/proc/cpuinfo")
    blocks = [b for b in text.split("\n\n") if b.strip()]
    first = {}
    for line in (blocks[0].splitlines() if blocks else []):
        if ":" in line:
            k, v = line.split(":", 1)
            first[k.strip()] = v.strip()
    flags = set(first.get("flags", "").split())
    caches = []
    base = "/sys/devices/system/cpu/cpu0/cache"
    if os.path.isdir(base):
        for idx in sorted(os.listdir(base)):
            d = os.path.join(base, idx)
            lvl, typ, size = (_read(os.path.join(d, f)).strip() for f in ("level", "type", "size"))
            if lvl:
                caches.append(f"L{lvl}{'d' if typ == 'Data' else 'i' if typ == 'Instruction' else ''} {size}")
    return {
        "model_name": first.get("model name", platform.processor() or "?"),
        "vendor_id": first.get("vendor_id"),
        "family_model_stepping": f"{first.get('cpu family')}/{first.get('model')}/{first.get('stepping')}",
        "logical_cpus": len(blocks) or os.cpu_count(),
        "mhz": first.get("cpu MHz"),
        "flags_summary": [f for f in INTERESTING_FLAGS if f in flags],
        "flags_missing": [f for f in INTERESTING_FLAGS if f not in flags],
        "caches_cpu0": caches,
    }


def os_facts():
    mem = next((l.split(":", 1)[1].strip() for l in _read("/proc/meminfo").splitlines()
                if l.startswith("MemTotal")), None)
    pretty = next((l.split("=", 1)[1].strip().strip('"') for l in _read("/etc/os-release").splitlines()
                   if l.startswith("PRETTY_NAME=")), None)
    return {"os": pretty, "kernel": platform.release(), "mem_total": mem,
            "loadavg": _read("/proc/loadavg").strip()}


def numpy_simd():
    try:
        from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__
        return {"baseline": list(__cpu_baseline__),
                "found": [f for f in __cpu_dispatch__ if __cpu_features__.get(f)],
                "not_found": [f for f in __cpu_dispatch__ if not __cpu_features__.get(f)]}
    except Exception:  # older/newer layout: fall back to numpy.show_runtime()'s text
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                np.show_runtime()
            except Exception as e:  # pragma: no cover
                return {"error": repr(e)}
        return {"show_runtime": buf.getvalue()}


def blas_facts():
    """Which OpenBLAS kernel numpy/scipy run (threadpoolctl if installed, else ask the library)."""
    try:
        import threadpoolctl
        return [{k: i.get(k) for k in ("internal_api", "version", "architecture", "num_threads", "filepath")}
                for i in threadpoolctl.threadpool_info()]
    except Exception:
        pass
    out = []
    libs = sorted({l.split()[-1] for l in _read("/proc/self/maps").splitlines()
                   if "openblas" in l.lower() and ".so" in l})
    for path in libs:
        rec = {"filepath": path}
        try:
            lib = ctypes.CDLL(path)
            for key, names in (("architecture", ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename",
                                                 "openblas_get_corename")),
                               ("config", ("scipy_openblas_get_config64_", "scipy_openblas_get_config",
                                           "openblas_get_config"))):
                for name in names:
                    fn = getattr(lib, name, None)
                    if fn is not None:
                        fn.restype = ctypes.c_char_p
                        rec[key] = fn().decode()
                        break
        except OSError as e:
            rec["error"] = str(e)
        out.append(rec)
    return out


def machine_facts():
    now = _dt.datetime.now(_dt.timezone.utc)
    return {
        "date_utc": now.isoformat(timespec="seconds"),
        "cpu": cpu_facts(),
        "system": os_facts(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "numpy_simd": numpy_simd(),
        "blas": blas_facts(),
        "openblas_env_removed": os.environ.get(_REEXEC_MARK, ""),
        "openblas_env_present": {k: os.environ[k] for k in _OPENBLAS_VARS if k in os.environ},
        "NPY_DISABLE_CPU_FEATURES": os.environ.get("NPY_DISABLE_CPU_FEATURES", ""),
        "DRIFT_TARGET_CPU": os.environ.get("DRIFT_TARGET_CPU", "(unset: Package.swift default)"),
    }


def zen4_avx512_sort_risk(f):
    """numpy's x86-simd-sort AVX-512 path uses memory-destination vcompress, microcoded and very slow
    on AMD Zen 4 (numpy/x86-simd-sort#6): np.sort (and scipy KS/Wasserstein, which sort) then run
    several times slower than numpy's own AVX2 path on the same CPU."""
    cpu, simd = f["cpu"], f["numpy_simd"]
    return (cpu.get("vendor_id") == "AuthenticAMD" and cpu.get("family_model_stepping", "").startswith("25/")
            and "avx512f" in cpu.get("flags_summary", []) and "X86_V4" in simd.get("found", []))


def facts_markdown(f):
    cpu, sysf, simd = f["cpu"], f["system"], f["numpy_simd"]
    blas = ", ".join(f"{b.get('architecture', '?')} ({os.path.basename(b.get('filepath', '?'))})" for b in f["blas"])
    lines = [
        f"- date (UTC): {f['date_utc']}",
        f"- CPU: {cpu['model_name']} (vendor {cpu['vendor_id']}, family/model/stepping {cpu['family_model_stepping']}), "
        f"{cpu['logical_cpus']} logical CPUs; caches cpu0: {', '.join(cpu['caches_cpu0']) or '?'}",
        f"- CPU flags: {' '.join(cpu['flags_summary'])}" +
        (f"; **absent**: {' '.join(cpu['flags_missing'])}" if cpu["flags_missing"] else ""),
        f"- system: {sysf['os']}, kernel {sysf['kernel']}, RAM {sysf['mem_total']}, loadavg at start {sysf['loadavg']}"
        + (f", at end {sysf['loadavg_end']}" if sysf.get("loadavg_end") else ""),
        f"- Python {f['python']}, numpy {f['numpy']}, scipy {f['scipy']}",
    ]
    if "baseline" in simd:
        lines.append(f"- numpy SIMD: baseline {' '.join(simd['baseline'])}; dispatch found {' '.join(simd['found'])}"
                     + (f"; not found {' '.join(simd['not_found'])}" if simd["not_found"] else ""))
    if blas:
        lines.append(f"- OpenBLAS core: {blas}" + (f" (removed for this run: {f['openblas_env_removed']})"
                                                    if f["openblas_env_removed"] else ""))
    if f.get("NPY_DISABLE_CPU_FEATURES"):
        lines.append(f"- NPY_DISABLE_CPU_FEATURES={f['NPY_DISABLE_CPU_FEATURES']} (numpy dispatch restricted for this run)")
    if zen4_avx512_sort_risk(f):
        lines.append("- **WARNING**: AMD Zen 4 with numpy's AVX-512 sort dispatch: `np.sort` (and the sorts inside "
                     "`ks_2samp`/`wasserstein_distance`) run several times slower here than numpy's AVX2 path "
                     "(memory-destination vcompress is microcoded on Zen 4, numpy/x86-simd-sort#6). For numpy's best "
                     "on this CPU re-run with `--npy-disable-cpu-features 'X86_V4 AVX512_ICL AVX512_SPR'`.")
    if f.get("openblas_env_present"):
        lines.append(f"- WARNING: OpenBLAS overrides still set: {f['openblas_env_present']}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------

def data_paths(data_dir, n):
    return {name: os.path.join(data_dir, f"{name}_{n}.f32") for name in ("base", "cur_null", "cur_shift")}


def generate(data_dir, n, seed):
    rng = np.random.default_rng([seed, n])
    p = data_paths(data_dir, n)
    rng.standard_normal(n, dtype=np.float32).astype("<f4", copy=False).tofile(p["base"])
    rng.standard_normal(n, dtype=np.float32).astype("<f4", copy=False).tofile(p["cur_null"])
    (rng.standard_normal(n, dtype=np.float32) + np.float32(SHIFT)).astype("<f4", copy=False).tofile(p["cur_shift"])
    return p


def load(data_dir, n):
    out = {}
    for name, path in data_paths(data_dir, n).items():
        a = np.fromfile(path, dtype="<f4")
        if a.size != n:
            die(f"{path} has {a.size} values, expected {n}")
        out[name] = a.astype(np.float32, copy=False)
    return out


# --------------------------------------------------------------------------------------------
# numpy/scipy kernels: prepare(d) does the untimed baseline work and returns the timed callable
# --------------------------------------------------------------------------------------------

def _prep_profile(d):
    x = d["cur_null"]

    def run():
        return {"nan": int(np.isnan(x).sum()), "mean": float(x.mean()), "std": float(x.std()),
                "min": float(x.min()), "max": float(x.max())}
    return run


def _prep_psi(d):
    base, x = d["base"], d["cur_null"]
    edges = np.quantile(base, np.linspace(0.0, 1.0, PSI_BINS + 1)[1:-1]).astype(base.dtype)
    ref = np.bincount(np.searchsorted(edges, base, side="right"), minlength=PSI_BINS) / base.size
    ref = np.clip(ref, PSI_EPS, None)

    def run():
        cur = np.bincount(np.searchsorted(edges, x, side="right"), minlength=PSI_BINS) / x.size
        cur = np.clip(cur, PSI_EPS, None)
        return {"psi": float(np.sum((cur - ref) * np.log(cur / ref))), "counts": (cur * x.size).round().astype(int).tolist()}
    return run


def _prep_sort(d):
    x = d["cur_null"]

    def run():
        s = np.sort(x)
        return {"first": float(s[0]), "last": float(s[-1])}
    return run


def _prep_ks(which):
    def prep(d):
        base, x = d["base"], d[which]

        def run():
            r = st.ks_2samp(base, x)
            return {"statistic": float(r.statistic), "pvalue": float(r.pvalue)}
        return run
    return prep


def _prep_wasserstein(d):
    base, x = d["base"], d["cur_null"]

    def run():
        return {"distance": float(st.wasserstein_distance(base, x))}
    return run


PY_KERNELS = {
    "profile_f32": _prep_profile,
    "psi_cur_f32": _prep_psi,
    "sort_f32": _prep_sort,
    "ks_null_f32": _prep_ks("cur_null"),
    "ks_shift_f32": _prep_ks("cur_shift"),
    "wasserstein_f32": _prep_wasserstein,
}


def default_reps(n):
    if n <= 10_000:
        return 31
    if n <= 100_000:
        return 15
    if n <= 1_000_000:
        return 7
    return 3


def time_python(kernel, d, reps):
    fn = PY_KERNELS[kernel](d)
    result = fn()  # warm-up (first-call imports, page faults)
    times, cpu = [], []  # wall (what is compared) and process CPU time (less disturbed by other tenants)
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for _ in range(reps):
            c0 = time.process_time()
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
    finally:
        if gc_was:
            gc.enable()
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "cpu_median_s": statistics.median(cpu), "reps": reps, "times_s": times, "cpu_times_s": cpu,
            "result": result}


# --------------------------------------------------------------------------------------------
# drift-bench
# --------------------------------------------------------------------------------------------

def run_drift_bench(exe, data_dir, n, reps, timeout):
    cmd = [exe, "kernels", "--data-dir", data_dir, "--sizes", str(n)]
    if reps is not None:
        cmd += ["--reps", str(reps)]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=None, text=True, timeout=timeout)
    except FileNotFoundError:
        die(f"drift-bench not found at {exe} (build it, pass --drift-bench, or use --python-only)")
    except subprocess.TimeoutExpired:
        die(f"{shlex.join(cmd)} timed out after {timeout} s")
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.stderr.write(p.stdout)
        die(f"{shlex.join(cmd)} exited with {p.returncode}")
    recs = {}
    for line in p.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError:
            sys.stderr.write(f"warning: unparsable drift-bench line: {line[:200]}\n")
            continue
        if r.get("kernel") and int(r.get("n", -1)) == n and "median_s" in r:
            recs[r["kernel"]] = r
    if not recs:
        die(f"{shlex.join(cmd)} printed no result lines for n={n}")
    return recs, wall, cmd


def binary_facts(exe):
    try:
        s = os.stat(exe)
    except OSError:
        return {"path": exe, "exists": False}
    facts = {"path": os.path.abspath(exe), "exists": True, "size": s.st_size,
             "mtime_utc": _dt.datetime.fromtimestamp(s.st_mtime, _dt.timezone.utc).isoformat(timespec="seconds")}
    swift = shutil.which("swift")
    if swift:
        try:
            facts["swift_version"] = subprocess.run([swift, "--version"], capture_output=True, text=True,
                                                    timeout=60).stdout.strip().splitlines()[0]
        except Exception:
            pass
    return facts


# --------------------------------------------------------------------------------------------
# formatting
# --------------------------------------------------------------------------------------------

def fmt_time(s):
    if s is None:
        return "—"
    if s < 1e-3:
        return f"{s * 1e6:.3g} us"
    if s < 1.0:
        return f"{s * 1e3:.3g} ms"
    return f"{s:.3g} s"


def fmt_rate(v):
    if v is None:
        return "—"
    for div, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if v >= div * 0.9995:  # no "1e+03 M/s"
            return f"{v / div:.3g} {unit}/s"
    return f"{v:.3g} /s"


def fmt_n(n):
    e = len(str(n)) - 1
    return f"1e{e}" if n == 10 ** e else f"{n:,}"


def fmt_ratio(r):
    if r is None:
        return "—"
    txt = f"{r:,.0f}x" if r >= 100 else f"{r:.1f}x" if r >= 10 else f"{r:.2f}x"
    return f"**{txt}**" if r >= 1 else txt


def summarize(results, kernels, sizes):
    summary = []
    for n in sizes:
        for k in kernels:
            rows = [r for r in results if r["n"] == n and r["kernel"] == k]
            if not rows:
                continue
            dt = [r["driftd"]["median_s"] for r in rows if r.get("driftd")]
            pt = [r["python"]["median_s"] for r in rows if r.get("python")]
            ratios = [r["ratio"] for r in rows if r.get("ratio") is not None]
            d_med = statistics.median(dt) if dt else None
            p_med = statistics.median(pt) if pt else None
            summary.append({
                "kernel": k, "n": n, "rounds": len(rows),
                "driftd_median_s": d_med, "driftd_values_per_s": n / d_med if d_med else None,
                "python_median_s": p_med, "python_values_per_s": n / p_med if p_med else None,
                "python_cpu_median_s": statistics.median([r["python"]["cpu_median_s"] for r in rows if r.get("python")])
                if pt else None,
                "ratio": statistics.median(ratios) if ratios else None,
            })
    return summary


def render_markdown(summary, results, facts, cmdline, args, python_only):
    out = ["## driftd kernels vs numpy/scipy (float32, n = m, same files, same run)", ""]
    out.append(facts_markdown(facts))
    if not python_only and facts.get("drift_bench"):
        b = facts["drift_bench"]
        out.append(f"- drift-bench: {b['path']} (built {b.get('mtime_utc', '?')}; {b.get('swift_version', '')}); "
                   f"DRIFT_TARGET_CPU={facts['DRIFT_TARGET_CPU']}")
    out.append(f"- command: `{cmdline}`")
    reps = "driftd --reps " + (str(args.reps) if args.reps else "(its default)") + "; numpy/scipy reps " + \
        (str(args.reps) if args.reps else "31/15/7/3 at <=1e4/<=1e5/<=1e6/larger") + \
        f" after 1 warm-up; rounds {args.rounds}" + (" (ratio = median of per-round ratios)" if args.rounds > 1 else "")
    out.append(f"- timing: median; {reps}")
    out.append("")
    out.append("| kernel | n | driftd time | driftd values/s | numpy/scipy time | numpy/scipy values/s | ratio (numpy/scipy ÷ driftd) |")
    out.append("|---|---|---|---|---|---|---|")
    for s in summary:
        out.append(f"| {s['kernel']} | {fmt_n(s['n'])} | {fmt_time(s['driftd_median_s'])} | "
                   f"{fmt_rate(s['driftd_values_per_s'])} | {fmt_time(s['python_median_s'])} | "
                   f"{fmt_rate(s['python_values_per_s'])} | {fmt_ratio(s['ratio'])} |")
    out.append("")
    out.append("numpy/scipy side: profile = `np.isnan(x).sum(); x.mean(); x.std(); x.min(); x.max()`; "
               "psi_cur = `np.searchsorted` on 9 precomputed `np.quantile` decile edges of base + `np.bincount` + PSI sum; "
               "sort = `np.sort`; ks_* = `scipy.stats.ks_2samp(base, cur)` (method 'auto': exact p at n <= 10 000); "
               "wasserstein = `scipy.stats.wasserstein_distance(base, cur_null)`. values/s = n / time.")
    # cross-check: whatever result fields drift-bench prints beyond the agreed four
    checks = []
    for r in results:
        if r.get("round") != 0 or not r.get("driftd") or not r.get("python"):
            continue
        extra = {k: v for k, v in r["driftd"].items()
                 if k not in ("kernel", "n", "reps", "values_per_s") and not k.endswith("_s")}  # results, not timings
        if extra:
            checks.append(f"- {r['kernel']} n={fmt_n(r['n'])}: driftd {json.dumps(extra)} | numpy/scipy "
                          f"{json.dumps(r['python']['result'])}")
    if checks:
        out += ["", "Result cross-check (round 1):", ""] + checks
    if python_only:
        out += ["", "_python-only run: driftd columns empty._"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------

def parse_sizes(s):
    try:
        sizes = [int(float(x)) for x in s.split(",") if x.strip()]
    except ValueError:
        die(f"bad --sizes {s!r}")
    if not sizes or min(sizes) < 2:
        die("--sizes needs values >= 2")
    return sizes


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default=DEFAULT_SIZES, help=f"comma list of n (default {DEFAULT_SIZES}; 1e6 style ok)")
    ap.add_argument("--reps", type=int, default=None,
                    help="repetitions per kernel for both sides (default: drift-bench's own; numpy/scipy 31/15/7/3 by size)")
    ap.add_argument("--rounds", type=int, default=1, help="repeat the whole driftd+numpy sequence K times (default 1)")
    ap.add_argument("--drift-bench", default=DEFAULT_DRIFT_BENCH, help=f"drift-bench binary (default {DEFAULT_DRIFT_BENCH})")
    ap.add_argument("--python-only", action="store_true", help="do not run drift-bench; time numpy/scipy only")
    ap.add_argument("--generate-only", action="store_true", help="write the data files and exit (implies --keep-data)")
    ap.add_argument("--data-dir", default=None, help="where to write the .f32 files (default: new temp dir under $TMPDIR, removed)")
    ap.add_argument("--keep-data", action="store_true", help="keep the temp data dir")
    ap.add_argument("--seed", type=int, default=20240607)
    ap.add_argument("--kernels", default=",".join(KERNELS), help="comma list of kernels to report")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per drift-bench invocation")
    ap.add_argument("--markdown", default=None, help="write the Markdown table here")
    ap.add_argument("--json", default=None, help="write raw results + machine facts here")
    ap.add_argument(_NPY_OPT, default=None, metavar="LIST",
                    help="set NPY_DISABLE_CPU_FEATURES for the numpy side (re-exec), e.g. 'X86_V4 AVX512_ICL AVX512_SPR' "
                         "to use numpy's AVX2 sort on AMD Zen 4")
    ap.add_argument("--keep-openblas-env", action="store_true",
                    help="do not drop OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE (see module doc)")
    args = ap.parse_args(argv)

    sizes = parse_sizes(args.sizes)
    kernels = [k for k in args.kernels.split(",") if k]
    bad = [k for k in kernels if k not in PY_KERNELS]
    if bad:
        die(f"unknown kernel(s) {bad}; known: {list(KERNELS)}")
    if args.reps is not None and args.reps < 1 or args.rounds < 1:
        die("--reps and --rounds must be >= 1")
    run_driftd = not (args.python_only or args.generate_only)
    exe = os.path.abspath(args.drift_bench)
    if run_driftd and not os.access(exe, os.X_OK):
        die(f"drift-bench not found/executable at {exe} "
            "(swift build -c release --product drift-bench, --drift-bench PATH, or --python-only)")

    cmdline = shlex.join([os.path.relpath(sys.argv[0]) if sys.argv and sys.argv[0] else "bench_vs_scipy.py"]
                         + (sys.argv[1:] if argv is None else list(argv)))
    facts = machine_facts()
    if run_driftd:
        facts["drift_bench"] = binary_facts(exe)

    own_dir = args.data_dir is None
    data_dir = tempfile.mkdtemp(prefix="driftd-bench-") if own_dir else os.path.abspath(args.data_dir)
    os.makedirs(data_dir, exist_ok=True)
    keep = args.keep_data or args.generate_only or not own_dir
    try:
        t0 = time.perf_counter()
        for n in sizes:
            generate(data_dir, n, args.seed)
        with open(os.path.join(data_dir, "manifest.json"), "w") as f:
            json.dump({"seed": args.seed, "sizes": sizes, "shift": SHIFT, "dtype": "<f4",
                       "files": ["base_{n}.f32", "cur_null_{n}.f32", "cur_shift_{n}.f32"],
                       "generator": "numpy.random.default_rng([seed, n]).standard_normal(n, float32); "
                                    "order base, cur_null, cur_shift(+0.01)"}, f, indent=1)
        print(f"# data: {data_dir} ({len(sizes)} sizes, {time.perf_counter() - t0:.1f} s)", file=sys.stderr)
        if args.generate_only:
            return 0

        results, driftd_cmds = [], []
        for rnd in range(args.rounds):
            for n in sizes:
                drecs, dwall = {}, None
                if run_driftd:
                    drecs, dwall, dcmd = run_drift_bench(exe, data_dir, n, args.reps, args.timeout)
                    driftd_cmds.append(shlex.join(dcmd))
                    missing = [k for k in kernels if k not in drecs]
                    if missing:
                        print(f"# warning: drift-bench printed no {missing} for n={n}", file=sys.stderr)
                d = load(data_dir, n)
                reps = args.reps or default_reps(n)
                for k in kernels:
                    py = time_python(k, d, reps)
                    dr = drecs.get(k)
                    ratio = py["median_s"] / dr["median_s"] if dr and dr["median_s"] > 0 else None
                    rec = {"round": rnd, "kernel": k, "n": n, "driftd": dr, "python": py, "ratio": ratio,
                           "driftd_wall_s": dwall}
                    results.append(rec)
                    print(f"# round {rnd + 1} {k:16s} n={fmt_n(n):>5s} driftd {fmt_time(dr['median_s'] if dr else None):>9s}"
                          f"  numpy/scipy {fmt_time(py['median_s']):>9s}"
                          + (f"  ratio {ratio:.3g}x" if ratio is not None else ""), file=sys.stderr, flush=True)
                del d

        facts["system"]["loadavg_end"] = _read("/proc/loadavg").strip()
        summary = summarize(results, kernels, sizes)
        md = render_markdown(summary, results, facts, cmdline, args, not run_driftd)
        print(md)
        if args.markdown:
            with open(args.markdown, "w") as f:
                f.write(md)
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"command": cmdline, "facts": facts, "python_only": not run_driftd,
                           "config": {"sizes": sizes, "reps": args.reps, "rounds": args.rounds, "seed": args.seed,
                                      "kernels": kernels, "data_dir": data_dir if keep else None,
                                      "drift_bench_commands": driftd_cmds},
                           "summary": summary, "results": results}, f, indent=1)
        return 0
    finally:
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        elif not args.generate_only:
            print(f"# data kept in {data_dir}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
