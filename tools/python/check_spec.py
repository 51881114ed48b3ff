#!/usr/bin/env python3
"""Conformance check of a running driftd against proto/PROTOCOL.md, using only driftd_client.py (written from the
spec). Usage: check_spec.py DRIFTD_BINARY [-v] [--keep]  |  check_spec.py --fixtures-only

Starts DRIFTD_BINARY with `--port 0 --data-dir <tempdir>`, reads the port from its first stdout line, runs a scripted
session and prints one line per check (PASS/FAIL + detail). A second run with `--token-file` checks authentication.
Exit status 1 when any check fails. driftd is always stopped (SIGTERM; exiting 0 within a few seconds is a check).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import driftd_client as d  # noqa: E402
from driftd_client import pb2, STATUS  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[2] / "proto" / "fixtures"
STOP_TIMEOUT_S = 5.0


# ---------------------------------------------------------------------------------------------------------------
# Reporting

class Report:
    def __init__(self, verbose: bool = False):
        self.passed = 0
        self.failed = 0
        self.verbose = verbose

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(f"{'PASS' if ok else 'FAIL'} {name}" + (f" — {detail}" if detail else ""), flush=True)
        return ok

    def section(self, name: str, fn, *args):
        """Runs a group of checks; an unexpected exception is one FAIL naming the group."""
        try:
            return fn(*args)
        except Exception as e:  # noqa: BLE001
            self.check(f"{name} (unexpected error)", False, f"{type(e).__name__}: {e}")
            if self.verbose:
                traceback.print_exc()
            return None


def sname(code: int) -> str:
    return d.status_name(code)


# Every non-OK RESPONSE / GOAWAY seen: (what, header status, status in the message). §12: they must agree.
STATUS_PAIRS: list[tuple[str, int, int]] = []


class CheckedClient(d.DriftClient):
    """DriftClient that records, for every error RESPONSE, the header status and ErrorDetail.status."""

    def _decode_response(self, f, response_cls):
        try:
            return super()._decode_response(f, response_cls)
        except d.DriftError as e:
            STATUS_PAIRS.append((f"ErrorDetail ({d.METHOD_NAMES.get(f.method_id, f'RESPONSE method_id {f.method_id}')}"
                                 f" {e.status_name})",
                                 f.status, e.detail_status))
            raise


# ---------------------------------------------------------------------------------------------------------------
# driftd process

class Server:
    def __init__(self, binary: str, data_dir: str, extra=()):
        self.binary, self.data_dir, self.extra = binary, data_dir, list(extra)
        self.proc = None
        self.port = None
        self.first_line = ""
        self.stdout_lines: list[str] = []
        self.stderr_path = Path(data_dir).parent / (Path(data_dir).name + ".stderr")

    def start(self, timeout: float = 30.0) -> None:
        self.stderr_file = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([self.binary, "--port", "0", "--http-port", "0", "--data-dir", self.data_dir, *self.extra],
                                     stdout=subprocess.PIPE, stderr=self.stderr_file, stdin=subprocess.DEVNULL)
        got = threading.Event()

        def pump():
            for raw in self.proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.stdout_lines.append(line)
                if not got.is_set():
                    self.first_line = line
                    got.set()
            got.set()

        threading.Thread(target=pump, daemon=True).start()
        if not got.wait(timeout) or not self.first_line:
            raise RuntimeError(f"driftd printed no first line within {timeout} s (stderr: {self.stderr_tail()})")
        m = re.match(r"driftd listening on 127\.0\.0\.1:(\d+)", self.first_line)
        if not m:
            raise RuntimeError(f"unexpected first line {self.first_line!r}")
        self.port = int(m.group(1))

    def stderr_tail(self, n: int = 600) -> str:
        try:
            return self.stderr_path.read_bytes()[-n:].decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self) -> tuple[bool, str]:
        """SIGTERM, then wait; returns (exited 0 within STOP_TIMEOUT_S, detail). Kills it if it does not exit."""
        if self.proc is None:
            return False, "not started"
        if self.proc.poll() is not None:
            return False, f"had already exited with {self.proc.returncode} (stderr: {self.stderr_tail()})"
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return False, f"still running {STOP_TIMEOUT_S} s after SIGTERM: killed"
        finally:
            self.stderr_file.close()
        dt = time.monotonic() - t0
        return rc == 0, f"exit {rc} after {dt:.2f} s"

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# ---------------------------------------------------------------------------------------------------------------
# A raw connection: frames by hand, for the checks the client would refuse to make

class Raw:
    def __init__(self, port: int, timeout: float = 10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = d.FrameReader()
        self.timeout = timeout
        self.eof = False

    def send(self, data) -> None:
        if isinstance(data, d.Frame):
            data = data.encode()
        self.sock.sendall(data)

    def hello(self, **kw) -> d.Frame:
        h = pb2.Hello(min_wire_version=kw.pop("min_v", 1), max_wire_version=kw.pop("max_v", 1),
                      client_name="check_spec", client_version="1", auth_token=kw.pop("token", ""),
                      accepted_codecs=[0, 1])
        self.send(d.Frame(d.HELLO, meta=h.SerializeToString()))
        return self.recv()

    def recv(self, timeout: float | None = None) -> d.Frame | None:
        """The next frame; None on EOF (or reset). Raises TimeoutError."""
        deadline = time.monotonic() + (timeout if timeout is not None else self.timeout)
        while True:
            try:
                f = self.reader.next()
            except d.FrameSkipped as e:
                return e.header
            if f is not None:
                return f
            if self.eof:
                return None
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no frame in time")
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(1 << 20)
            except socket.timeout:
                raise TimeoutError("no frame in time") from None
            except ConnectionResetError:
                data = b""
            if not data:
                self.eof = True
            else:
                self.reader.feed(data)

    def closed(self, timeout: float = 3.0) -> bool:
        """True when the server closes the connection (EOF/reset) within `timeout`, discarding frames."""
        try:
            while True:
                if self.recv(timeout) is None:
                    return True
        except TimeoutError:
            return False
        except d.FrameError:
            return False

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def request_frame(stream: int, method: int, msg=None, body: bytes = b"", **kw) -> d.Frame:
    meta = msg.SerializeToString() if msg is not None else b""
    return d.Frame(d.REQUEST, stream_id=stream, method_id=method, method_version=kw.pop("mver", 1), meta=meta,
                   body=body, **kw)


def zstd_frame(stream: int, method: int, msg, block_bytes: bytes, **kw) -> d.Frame:
    import zstandard
    comp = zstandard.ZstdCompressor(level=3).compress(block_bytes)
    return request_frame(stream, method, msg, comp, codec=d.CODEC_ZSTD, body_raw_len=len(block_bytes), **kw)


# ---------------------------------------------------------------------------------------------------------------
# Test data

FEATURES = [("amount", d.FLOAT32), ("score", d.FLOAT64), ("count", d.INT64), ("flag", d.BOOL),
            ("country", d.CATEGORICAL)]
NUMERIC_STATS = ["ks_d", "p_value", "psi", "jensen_shannon", "wasserstein", "wasserstein_normed"]
CATEGORICAL_STATS = ["chi_square", "chi_square_dof", "p_value", "psi", "jensen_shannon", "unseen_categories"]
NUMERIC_ONLY = ["ks_d", "wasserstein", "wasserstein_normed", "ks_error_bound"]
CATEGORICAL_ONLY = ["chi_square", "chi_square_dof", "unseen_categories"]


def make_block(seed: int, n: int, shift: float = 0.0, *, split: bool = True, nulls: bool = True,
               drop=(), extra=False) -> d.Block:
    r = random.Random(seed)
    amount = [r.gauss(100.0 + shift, 15.0) for _ in range(n)]
    if nulls:  # ~1 % nulls in amount, to exercise validity bitmaps
        amount = [None if r.random() < 0.01 else a for a in amount]
    cols = [
        d.Column.float32("amount", amount),
        d.Column.float64("score", [r.random() for _ in range(n)], split=split),
        d.Column.int64("count", [r.randint(0, 20) for _ in range(n)]),
        d.Column.bool("flag", [r.random() < 0.3 for _ in range(n)]),
        d.Column.categorical("country", [r.choices(["de", "fr", "us", "uk"], [4, 3, 2, 1])[0] for _ in range(n)]),
    ]
    if extra:
        cols.append(d.Column.float32("undeclared", [1.0] * n))
    cols = [c for c in cols if c.name not in drop]
    return d.Block(cols, timestamp_unix_ms=1_700_000_000_000)


def _read_varint(b: bytes, i: int) -> tuple[int, int]:
    v = shift = 0
    while True:
        x = b[i]
        i += 1
        v |= (x & 0x7F) << shift
        shift += 7
        if not x & 0x80:
            return v, i


def value_offsets(block: bytes) -> list[tuple[int, int, int]]:
    """(type, encoding, offset of the first value byte in the block) for every column, by walking the wire format."""
    out, i = [], 0
    while i < len(block):
        key, i = _read_varint(block, i)
        if key & 7 == 0:
            _, i = _read_varint(block, i)
            continue
        ln, i = _read_varint(block, i)
        if key >> 3 == 2:
            j, end, typ, enc, voff = i, i + ln, 0, 0, None
            while j < end:
                k, j = _read_varint(block, j)
                if k & 7 == 0:
                    v, j = _read_varint(block, j)
                    typ, enc = (v, enc) if k >> 3 == 2 else (typ, v if k >> 3 == 3 else enc)
                    continue
                n, j = _read_varint(block, j)
                if k >> 3 == 4:
                    voff = j
                j += n
            out.append((typ, enc, voff))
        i += ln
    return out


def opt(msg, name):
    return getattr(msg, name) if msg.HasField(name) else None


# ---------------------------------------------------------------------------------------------------------------
# A. golden fixtures, offline

def check_fixtures(rep: Report) -> None:
    rep.check("crc32c check values (§8)",
              d.crc32c(b"123456789") == 0xE3069283 and d.crc32c(b"\0" * 32) == 0x8A9136AA
              and d.crc32c(b"\xff" * 32) == 0x62A8AB43)

    def frame_fixture(name, expect_len, expect_crc, fields, meta_msg, meta_expect, build):
        raw = (FIXTURES / name).read_bytes()
        f = d.decode_frame(raw)
        got = {k: getattr(f, k) for k in fields}
        crc = struct.unpack_from("<I", raw, 36)[0]
        msg = meta_msg.FromString(f.meta)
        meta_ok = all(getattr(msg, k) == v for k, v in meta_expect.items())
        rebuilt = build(msg)
        ok = (len(raw) == expect_len and crc == expect_crc and got == fields and meta_ok and f.encode() == raw
              and rebuilt == raw)
        rep.check(f"fixture {name}: decode + encode byte-exact", ok,
                  f"{len(raw)} B, crc 0x{crc:08X}, {f.type_name} stream {f.stream_id}, meta {msg}".replace("\n", " ")
                  if ok else f"len {len(raw)}, crc 0x{crc:08X}, fields {got}, meta {msg}, "
                             f"re-encode same: {f.encode() == raw}, from scratch same: {rebuilt == raw}")
        return f

    frame_fixture("hello.bin", 64, 0x715ACAFD,
                  dict(type=d.HELLO, stream_id=0, deadline_ms=5000, codec=0, body=b""),
                  pb2.Hello, dict(min_wire_version=1, max_wire_version=1, client_name="driftctl/0.1"),
                  lambda m: d.Frame(d.HELLO, deadline_ms=5000, meta=pb2.Hello(
                      min_wire_version=1, max_wire_version=1, client_name="driftctl/0.1").SerializeToString()).encode())
    f = frame_fixture("request_zstd.bin", 70, 0x0B87F8B3,
                      dict(type=d.REQUEST, stream_id=1, method_id=3, method_version=1,
                           flags=d.FLAG_IDEMPOTENCY_KEY_PRESENT, codec=d.CODEC_ZSTD, deadline_ms=30000,
                           body_raw_len=36),
                      pb2.ListSourcesRequest, dict(page_token="k-42"),
                      lambda m: d.Frame(d.REQUEST, stream_id=1, method_id=3, method_version=1,
                                        flags=d.FLAG_IDEMPOTENCY_KEY_PRESENT, codec=d.CODEC_ZSTD, deadline_ms=30000,
                                        meta=b"\x0a\x04k-42", body=(FIXTURES / "request_zstd.bin").read_bytes()[48:],
                                        body_raw_len=36).encode())
    body = d.decode_body(f)
    rep.check("fixture request_zstd.bin: zstd body decodes (§10)",
              body == b"drift drift drift drift drift drift\n" and len(f.body) == 22, f"{len(f.body)} -> {body!r}")
    frame_fixture("response_not_found.bin", 72, 0x0E42F6ED,
                  dict(type=d.RESPONSE, stream_id=1, method_id=3, method_version=1, flags=d.FLAG_END_STREAM,
                       status=STATUS["NOT_FOUND"], body=b""),
                  pb2.ErrorDetail, dict(status=5, message="unknown source 'orders'"),
                  lambda m: d.Frame(d.RESPONSE, stream_id=1, method_id=3, method_version=1, flags=d.FLAG_END_STREAM,
                                    status=5, meta=pb2.ErrorDetail(status=5, message="unknown source 'orders'")
                                    .SerializeToString()).encode())
    frame_fixture("goaway.bin", 64, 0x82FF0154,
                  dict(type=d.GOAWAY, stream_id=0, status=STATUS["UNAVAILABLE"], body=b""),
                  pb2.GoAway, dict(last_stream_id=7, message="shutting down", status=14),
                  lambda m: d.Frame(d.GOAWAY, status=14, meta=pb2.GoAway(last_stream_id=7, message="shutting down",
                                                                         status=14).SerializeToString()).encode())

    # column_block.bin: decode values, and encode the same block from the API byte-exact
    raw = (FIXTURES / "column_block.bin").read_bytes()
    blk = d.decode_block(raw)
    x, c, z = blk.columns
    dec_ok = (blk.row_count == 3 and blk.timestamp_unix_ms == 1_700_000_000_000
              and (x.name, x.type, x.encoding, x.values) == ("x", d.FLOAT32, d.PLAIN, [1.0, None, -2.5])
              and (c.name, c.type, c.values, c.dictionary) == ("c", d.CATEGORICAL, [0, None, 1], ["de", "fr"])
              and (z.name, z.type, z.encoding, z.values) == ("z", d.FLOAT32, d.BYTE_STREAM_SPLIT, [1.0, -2.0, math.inf]))
    fresh = d.Block([d.Column.float32("x", [1.0, None, -2.5]), d.Column.categorical("c", ["de", None, "fr"]),
                     d.Column.float32("z", [1.0, -2.0, math.inf], split=True)],
                    timestamp_unix_ms=1_700_000_000_000).encode()
    rep.check("fixture column_block.bin: decode values + encode byte-exact (§11)",
              dec_ok and blk.encode() == raw and fresh == raw and len(raw) == 90,
              f"x {x.values}, c {c.values} over {c.dictionary}, z {z.values}" if dec_ok else
              f"decoded {blk}; re-encode same {blk.encode() == raw}; fresh same {fresh == raw}")
    # alignment rule: every PLAIN column of width > 1 has its values 8-aligned
    big = make_block(9, 37).encode()
    rng = random.Random(11)
    misaligned = []
    for n in range(0, 300, 7):  # row counts and name lengths that move the offsets around
        cols = [d.Column.float32("a" * rng.randint(1, 200), [1.0] * n), d.Column.bool("b", [True] * n),
                d.Column.int64("c" * rng.randint(1, 30), list(range(n))), d.Column.categorical("d", ["x"] * n),
                d.Column.float64("e", [0.5] * n), d.Column.float64("f", [0.5] * n, split=True),
                d.Column.timestamp_ms("g", [1] * n)]
        enc = d.Block(cols, row_count=n).encode()
        misaligned += [(n, t, off) for t, e, off in value_offsets(enc) if e == 0 and t != d.BOOL and off % 8]
    rep.check("ColumnBlock encoder: PLAIN values of width > 1 start 8-byte aligned in the block (§11)",
              not misaligned, f"{misaligned[:5]}")
    rt = d.decode_block(big)
    rep.check("ColumnBlock encoder/decoder round trip (all types, nulls, BYTE_STREAM_SPLIT)",
              rt.encode() == big and [col.name for col in rt.columns] == [n for n, _ in FEATURES])

    raw = (FIXTURES / "hello_msg.bin").read_bytes()
    hello = pb2.Hello(min_wire_version=1, max_wire_version=1, client_name="driftctl", client_version="0.1.0",
                      auth_token="s3cret-token", accepted_codecs=[0, 1], producer_id=42)
    rep.check("fixture hello_msg.bin: Hello encode byte-exact (§12)",
              hello.SerializeToString() == raw and pb2.Hello.FromString(raw) == hello, f"{len(raw)} B")

    raw = (FIXTURES / "hello_ack_msg.bin").read_bytes()
    ack = pb2.HelloAck(status=0, chosen_version=1,
                       limits=pb2.ConnectionLimits(max_frame_body=16 << 20, max_decoded=64 << 20, max_meta=64 << 10,
                                                   max_concurrent_streams=100),
                       keepalive_min_interval_ms=10000,
                       methods=[pb2.MethodDescriptor(id=1, name="Health", min_version=1, max_version=1),
                                pb2.MethodDescriptor(id=3, name="CheckDrift", min_version=1, max_version=2)])
    rep.check("fixture hello_ack_msg.bin: HelloAck encode byte-exact (§12)",
              ack.SerializeToString() == raw and pb2.HelloAck.FromString(raw) == ack, f"{len(raw)} B")

    raw = (FIXTURES / "check_drift_response.bin").read_bytes()
    nan = struct.unpack("<d", bytes.fromhex("000000000000f87f"))[0]
    resp = pb2.CheckDriftResponse(
        baseline_id=7, approximate=True,
        timings=pb2.ServerTimings(queue_wait_us=12, decode_us=340, compute_us=1875),
        verdicts=[
            pb2.FeatureVerdict(feature="amount", kind=pb2.NUMERIC, baseline_n=1000000, current_n=10000,
                               current_null_rate=0.0025, ks_d=0.0731, p_value=0.0, p_value_method="binned", psi=0.31,
                               wasserstein=math.inf, wasserstein_normed=0.21, decision=pb2.DRIFT,
                               severity=pb2.CRITICAL, reasons=["ks p < 0.01", "psi 0.31 >= 0.25"], approximate=True,
                               ks_error_bound=0.004),
            pb2.FeatureVerdict(feature="country", kind=pb2.CATEGORICAL_FEATURE, baseline_n=999000, current_n=10000,
                               baseline_null_rate=0.001, current_null_rate=-0.0, p_value=0.32,
                               p_value_method="chi-square", jensen_shannon=0.012, chi_square=3.5, chi_square_dof=0,
                               unseen_categories=2, null_rate_p=nan, decision=pb2.STABLE,
                               notes=["2 unseen categories"])])
    back = pb2.CheckDriftResponse.FromString(raw)
    v0, v1 = back.verdicts
    sem_ok = (v0.HasField("p_value") and v0.p_value == 0 and not v0.HasField("jensen_shannon")
              and math.copysign(1, v1.current_null_rate) < 0 and v1.HasField("chi_square_dof")
              and struct.pack("<d", v1.null_rate_p) == bytes.fromhex("000000000000f87f"))
    rep.check("fixture check_drift_response.bin: encode byte-exact, absent vs present, -0.0, NaN bits (§13)",
              resp.SerializeToString() == raw and back.SerializeToString() == raw and sem_ok, f"{len(raw)} B")


# ---------------------------------------------------------------------------------------------------------------
# B. the main session

def check_handshake(rep: Report, port: int) -> None:
    c = CheckedClient(port=port).connect()
    ack = c.hello_ack
    rep.check("HELLO -> HELLO_ACK OK, chosen_version 1, limits announced (§12)",
              ack.status == 0 and ack.chosen_version == 1 and ack.HasField("limits")
              and ack.limits.max_frame_body > 0 and ack.limits.max_meta > 0,
              f"limits {{body {ack.limits.max_frame_body}, decoded {ack.limits.max_decoded}, meta "
              f"{ack.limits.max_meta}, streams {ack.limits.max_concurrent_streams}}}, keepalive "
              f"{ack.keepalive_min_interval_ms} ms")
    table = {m.id: (m.name, m.min_version, m.max_version) for m in ack.methods}
    want = {i: (n, 1, 1) for i, n in d.METHOD_NAMES.items()}
    rep.check("HELLO_ACK method table = §13 (ids 1-15, version 1)", table == want, f"{table}")
    c.close()

    for (lo, hi, want_status, label) in [(2, 3, "UNIMPLEMENTED", "no common wire version [2,3]"),
                                         (0, 1, "INVALID_ARGUMENT", "min_wire_version 0"),
                                         (2, 1, "INVALID_ARGUMENT", "min > max [2,1]")]:
        r = Raw(port)
        f = r.hello(min_v=lo, max_v=hi)
        if f is None or f.type != d.HELLO_ACK:
            rep.check(f"HELLO {label} -> error HELLO_ACK {want_status}", False,
                      f"got {None if f is None else f.type_name}")
            r.close()
            continue
        a = pb2.HelloAck.FromString(f.meta)
        ok = (f.status == STATUS[want_status] and a.status == f.status and not a.HasField("limits")
              and len(a.methods) == 0)
        closed = r.closed()
        rep.check(f"HELLO {label} -> error HELLO_ACK {want_status}, no limits/methods, then close (§12)",
                  ok and closed, f"header {sname(f.status)}, msg status {sname(a.status)}, {a.message!r}, "
                                 f"closed {closed}")
        r.close()


def expect_goaway(rep: Report, name: str, r: Raw, want: str) -> None:
    try:
        f = r.recv(6)
    except TimeoutError:
        rep.check(name, False, "no answer within 6 s")
        return
    if f is None:
        rep.check(name, False, "connection closed without GOAWAY")
        return
    if f.type != d.GOAWAY:
        rep.check(name, False, f"got {f.type_name} status {sname(f.status)}")
        return
    ga = pb2.GoAway.FromString(f.meta)
    STATUS_PAIRS.append((f"GoAway ({name.split(' ->')[0]})", f.status, ga.status))
    closed = r.closed()
    rep.check(name, f.status == STATUS[want] and closed,
              f"GOAWAY {sname(f.status)} (msg status {sname(ga.status)}, last_stream_id {ga.last_stream_id}, "
              f"{ga.message!r}), closed {closed}")


def check_pre_handshake(rep: Report, port: int) -> None:
    r = Raw(port)
    r.send(request_frame(1, d.SERVER_STATS, pb2.ServerStatsRequest()))
    expect_goaway(rep, "REQUEST before HELLO -> GOAWAY INVALID_ARGUMENT, close (§12 rule 1)", r, "INVALID_ARGUMENT")
    r.close()

    r = Raw(port)
    r.send(d.Frame(d.PING, meta=pb2.Ping(payload=1).SerializeToString()))
    expect_goaway(rep, "PING before HELLO -> GOAWAY INVALID_ARGUMENT (§12 rule 1)", r, "INVALID_ARGUMENT")
    r.close()

    r = Raw(port)
    r.send(b"GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: check_spec\r\n\r\n")
    expect_goaway(rep, "garbage bytes (HTTP request) -> GOAWAY INVALID_ARGUMENT, close (§3 magic)", r,
                  "INVALID_ARGUMENT")
    r.close()

    r = Raw(port)
    t0 = time.monotonic()
    r.send(b"GE")
    expect_goaway(rep, "2 bytes of bad magic -> GOAWAY INVALID_ARGUMENT at once, before 40 bytes (§5 step 1)", r,
                  "INVALID_ARGUMENT")
    rep.check("... refused within 1 s (not after the HELLO timer)", time.monotonic() - t0 < 1.0,
              f"{time.monotonic() - t0:.3f} s")
    r.close()

    r = Raw(port)
    r.send(d.Frame(d.HELLO, meta=pb2.Hello(min_wire_version=1, max_wire_version=1).SerializeToString(),
                   body=b"x" * 8))
    expect_goaway(rep, "HELLO with a body -> GOAWAY RESOURCE_EXHAUSTED (§12 rule 1, pre-handshake limits)", r,
                  "RESOURCE_EXHAUSTED")
    r.close()

    r = Raw(port)
    ack = r.hello()
    bad = bytearray(d.Frame(d.PING, meta=pb2.Ping(payload=1).SerializeToString()).encode())
    bad[36] ^= 0xFF
    r.send(bytes(bad))
    expect_goaway(rep, "after handshake: header CRC mismatch -> GOAWAY INVALID_ARGUMENT (§6)", r, "INVALID_ARGUMENT")
    r.close()

    r = Raw(port)
    r.hello()
    r.send(d.Frame(d.HELLO, meta=pb2.Hello(min_wire_version=1, max_wire_version=1).SerializeToString()))
    expect_goaway(rep, "second HELLO after the handshake -> GOAWAY INVALID_ARGUMENT (§12 rule 2)", r,
                  "INVALID_ARGUMENT")
    r.close()


def check_sources(rep: Report, c: d.DriftClient) -> None:
    created = c.create_source("orders", FEATURES)
    again = c.create_source("orders", FEATURES)
    rep.check("CreateSource new -> created true; identical definition -> created false (§13)",
              created is True and again is False, f"created {created}, then {again}")
    try:
        changed = FEATURES[:3] + [("flag", d.INT64)] + FEATURES[4:]
        c.create_source("orders", changed)
        rep.check("CreateSource different definition -> ALREADY_EXISTS (§13)", False, "answered OK")
    except d.DriftError as e:
        rep.check("CreateSource different definition -> ALREADY_EXISTS (§13)", e.status_name == "ALREADY_EXISTS",
                  f"{e.status_name}: {e.message}")
        rep.check("ALREADY_EXISTS ErrorDetail.field_path names the first differing feature (§13)",
                  e.field_path == "flag", f"field_path {e.field_path!r}")
    pol = pb2.PolicyOverrides(significance=0.05)
    try:
        c.create_source("orders", [("amount", d.FLOAT32, pol)] + FEATURES[1:])
        rep.check("CreateSource: a present policy override differs from an absent one (§13)", False, "answered OK")
    except d.DriftError as e:
        rep.check("CreateSource: a present policy override differs from an absent one (§13)",
                  e.status_name == "ALREADY_EXISTS", f"{e.status_name}")
    for label, spec in [("empty name", ("", FEATURES)), ("no features", ("empty", [])),
                        ("duplicate feature", ("dup", [("a", d.FLOAT32), ("a", d.FLOAT64)])),
                        ("type 7", ("t7", [("a", 7)])),
                        ("bins 1", ("b1", [("a", d.FLOAT32, pb2.PolicyOverrides(bins=1))])),
                        ("significance 1", ("s1", [("a", d.FLOAT32, pb2.PolicyOverrides(significance=1.0))]))]:
        try:
            c.create_source(*spec)
            rep.check(f"CreateSource {label} -> INVALID_ARGUMENT (§13)", False, "answered OK")
        except d.DriftError as e:
            rep.check(f"CreateSource {label} -> INVALID_ARGUMENT (§13)", e.status_name == "INVALID_ARGUMENT",
                      f"{e.status_name}: {e.message}")

    c.create_source("multi", FEATURES)
    c.create_source("alpha", [("v", d.FLOAT64)])
    g = c.get_source("orders")
    want = d.make_source_spec("orders", FEATURES)
    rep.check("GetSource returns the stored definition; baseline_id absent before a baseline (§13)",
              g.source == want and not g.HasField("baseline_id"),
              f"{len(g.source.features)} features, baseline_id present {g.HasField('baseline_id')}")
    try:
        c.get_source("no-such-source")
        rep.check("GetSource unknown -> NOT_FOUND", False, "answered OK")
    except d.DriftError as e:
        rep.check("GetSource unknown -> NOT_FOUND", e.status_name == "NOT_FOUND", f"{e.status_name}: {e.message}")

    lst = c.list_sources()
    names = [s.name for s in lst.sources]
    rep.check("ListSources: all sources, sorted by name, full definitions (§13)",
              names == ["alpha", "multi", "orders"] and lst.sources[2] == want and not lst.next_page_token,
              f"{names}")
    pages, token, rounds = [], "", 0
    while rounds < 10:
        p = c.list_sources(page_size=1, page_token=token)
        pages.append([s.name for s in p.sources])
        token = p.next_page_token
        rounds += 1
        if not token:
            break
    rep.check("ListSources page_size 1: pages via next_page_token", sum(pages, []) == names,
              f"pages {pages}")
    try:
        c.list_sources(page_token="not-a-token-the-server-issued")
        rep.check("ListSources foreign page_token -> INVALID_ARGUMENT (§13)", False, "answered OK")
    except d.DriftError as e:
        rep.check("ListSources foreign page_token -> INVALID_ARGUMENT (§13)", e.status_name == "INVALID_ARGUMENT",
                  f"{e.status_name}")


def check_baselines(rep: Report, c: d.DriftClient) -> dict:
    ids = {}
    try:
        c.check_drift("orders", make_block(2, 100))
        rep.check("CheckDrift before any baseline -> FAILED_PRECONDITION (§13)", False, "answered OK")
    except d.DriftError as e:
        rep.check("CheckDrift before any baseline -> FAILED_PRECONDITION (§13)",
                  e.status_name == "FAILED_PRECONDITION", f"{e.status_name}: {e.message}")
    try:
        c.put_baseline("no-such-source", make_block(1, 10))
        rep.check("PutBaseline unknown source -> NOT_FOUND (§13)", False, "answered OK")
    except d.DriftError as e:
        rep.check("PutBaseline unknown source -> NOT_FOUND (§13)", e.status_name == "NOT_FOUND", e.status_name)
    try:
        c.put_baseline("orders", make_block(1, 10, drop=("score",)))
        rep.check("PutBaseline block lacking a feature column -> INVALID_ARGUMENT (§13)", False, "answered OK")
    except d.DriftError as e:
        rep.check("PutBaseline block lacking a feature column -> INVALID_ARGUMENT (§13)",
                  e.status_name == "INVALID_ARGUMENT", f"{e.status_name}: {e.message} field_path {e.field_path!r}")

    r = c.put_baseline("orders", make_block(1, 5000))
    ids["orders"] = r.baseline_id
    g = c.get_source("orders")
    rep.check("PutBaseline one block (block_count 1, last_block) -> baseline_id > 0, rows (§13)",
              r.baseline_id > 0 and r.rows == 5000 and g.HasField("baseline_id") and g.baseline_id == r.baseline_id,
              f"baseline_id {r.baseline_id}, rows {r.rows}, sampled {r.sampled}, sample_size {r.sample_size}; "
              f"GetSource baseline_id {opt(g, 'baseline_id')}")

    # multi-block upload: 3 blocks of 2000
    name = "multi-block upload (block_count 1,2,3; rows so far; baseline_id 0 until last_block) (§13)"
    answers = []
    try:
        for i in range(3):
            blk = make_block(10 + i, 2000).encode()
            req = pb2.PutBaselineRequest(source="multi", block_count=i + 1, last_block=(i == 2))
            answers.append(c.call(d.PUT_BASELINE, req, pb2.PutBaselineResponse, body=blk))
        ok = ([a.rows for a in answers] == [2000, 4000, 6000] and [a.baseline_id for a in answers][:2] == [0, 0]
              and answers[2].baseline_id > 0)
        rep.check(name, ok, "; ".join(f"#{i + 1}: id {a.baseline_id} rows {a.rows}" for i, a in enumerate(answers)))
        ids["multi"] = answers[2].baseline_id
    except d.DriftError as e:
        rep.check(name, False, f"block {len(answers) + 1} answered {e.status_name}: {e.message}")

    # d.DriftClient.put_baseline with a list of blocks, and baseline ids increasing per source
    try:
        r2 = c.put_baseline("multi", [make_block(20, 1500), make_block(21, 1500)])
        rep.check("put_baseline(source, [2 blocks]) -> new baseline_id increasing per source (§13)",
                  r2.baseline_id > ids.get("multi", 0) and r2.rows == 3000,
                  f"baseline_id {ids.get('multi')} -> {r2.baseline_id}, rows {r2.rows}")
        ids["multi"] = r2.baseline_id
    except d.DriftError as e:
        rep.check("put_baseline(source, [2 blocks]) -> new baseline_id increasing per source (§13)", False,
                  f"{e.status_name}: {e.message}")

    # block_count out of sequence
    try:
        c.call(d.PUT_BASELINE, pb2.PutBaselineRequest(source="alpha", block_count=3, last_block=True),
               pb2.PutBaselineResponse, body=d.Block([d.Column.float64("v", [1.0, 2.0])]).encode())
        rep.check("PutBaseline block_count 3 with nothing staged -> FAILED_PRECONDITION (§13)", False, "answered OK")
    except d.DriftError as e:
        rep.check("PutBaseline block_count 3 with nothing staged -> FAILED_PRECONDITION (§13)",
                  e.status_name == "FAILED_PRECONDITION", f"{e.status_name}: {e.message}")
    try:
        c.call(d.PUT_BASELINE, pb2.PutBaselineRequest(source="alpha", block_count=0, last_block=True),
               pb2.PutBaselineResponse, body=d.Block([d.Column.float64("v", [1.0, 2.0])]).encode())
        rep.check("PutBaseline block_count 0 -> INVALID_ARGUMENT (§13)", False, "answered OK")
    except d.DriftError as e:
        rep.check("PutBaseline block_count 0 -> INVALID_ARGUMENT (§13)", e.status_name == "INVALID_ARGUMENT",
                  f"{e.status_name}: {e.message}")
    return ids


def verdict_shape_problems(v) -> list[str]:
    probs = []
    if v.kind == pb2.NUMERIC:
        probs += [f"{s} absent" for s in NUMERIC_STATS if not v.HasField(s)]
        probs += [f"{s} present" for s in CATEGORICAL_ONLY if v.HasField(s)]
        if v.p_value_method not in ("exact", "asymptotic"):
            probs.append(f"p_value_method {v.p_value_method!r}")
    elif v.kind == pb2.CATEGORICAL_FEATURE:
        probs += [f"{s} absent" for s in CATEGORICAL_STATS if not v.HasField(s)]
        probs += [f"{s} present" for s in NUMERIC_ONLY if v.HasField(s)]
        if v.p_value_method != "chi-square":
            probs.append(f"p_value_method {v.p_value_method!r}")
    else:
        probs.append(f"kind {v.kind}")
    if v.approximate or v.HasField("ks_error_bound"):
        probs.append("approximate without being asked")
    return probs


def check_drift(rep: Report, c: d.DriftClient, ids: dict) -> None:
    want_order = [n for n, _ in FEATURES]
    r = c.check_drift("orders", make_block(2, 3000), budget_ms=10000)
    order = [v.feature for v in r.verdicts]
    decisions = {v.feature: pb2.Decision.Name(v.decision) for v in r.verdicts}
    rep.check("CheckDrift same distribution -> every feature STABLE, severity NONE (§13)",
              all(v.decision == pb2.STABLE and v.severity == pb2.NONE for v in r.verdicts) and len(r.verdicts) == 5,
              f"{decisions}")
    rep.check("CheckDrift: one verdict per feature in the source's order; baseline_id of the baseline (§13)",
              order == want_order and r.baseline_id == ids.get("orders"),
              f"order {order}, baseline_id {r.baseline_id} (PutBaseline said {ids.get('orders')})")
    probs = {v.feature: verdict_shape_problems(v) for v in r.verdicts}
    kinds = {v.feature: pb2.FeatureKind.Name(v.kind) for v in r.verdicts}
    rep.check("CheckDrift verdict fields: numeric ks_d/p_value(exact|asymptotic)/psi/js/wasserstein(_normed) present, "
              "categorical chi_square/dof/p_value(chi-square)/psi/js/unseen present, the other kind's absent (§13)",
              not any(probs.values()) and kinds["country"] == "CATEGORICAL_FEATURE" and kinds["amount"] == "NUMERIC",
              f"kinds {kinds}; methods {[v.p_value_method for v in r.verdicts]}"
              + ("; problems " + str({k: p for k, p in probs.items() if p}) if any(probs.values()) else ""))
    amount = r.verdicts[0]
    rep.check("CheckDrift counts: baseline_n / current_n are non-null values, null rates reported",
              amount.baseline_n + round(amount.baseline_null_rate * 5000) == 5000
              and amount.current_n + round(amount.current_null_rate * 3000) == 3000 and amount.current_null_rate > 0,
              f"amount n {amount.baseline_n}/{amount.current_n}, null rates {amount.baseline_null_rate:.4f}/"
              f"{amount.current_null_rate:.4f}")
    rep.check("CheckDrift response: approximate false, timings present (§13)",
              not r.approximate and r.HasField("timings"),
              f"timings queue {r.timings.queue_wait_us} decode {r.timings.decode_us} compute {r.timings.compute_us} us")

    r = c.check_drift("orders", make_block(3, 3000, shift=8.0))
    decisions = {v.feature: pb2.Decision.Name(v.decision) for v in r.verdicts}
    amt = r.verdicts[0]
    rep.check("CheckDrift shifted `amount` (+0.53 sd) -> DRIFT on amount only, with reasons (§13)",
              amt.decision == pb2.DRIFT and all(v.decision == pb2.STABLE for v in r.verdicts[1:]) and amt.reasons,
              f"{decisions}; amount severity {pb2.Severity.Name(amt.severity)}, reasons {list(amt.reasons)}")

    r = c.check_drift("orders", make_block(4, 500, drop=("count",), extra=True))
    cnt = {v.feature: v for v in r.verdicts}["count"]
    notes = [n for v in r.verdicts for n in v.notes]
    rep.check("CheckDrift missing declared column -> that verdict INSUFFICIENT_DATA with a note, others answered (§13)",
              cnt.decision == pb2.INSUFFICIENT_DATA and cnt.notes and len(r.verdicts) == 5
              and r.verdicts[0].decision == pb2.STABLE,
              f"count: {pb2.Decision.Name(cnt.decision)} {list(cnt.notes)}")
    rep.check("CheckDrift undeclared column -> ignored with a note (§13)",
              any("undeclared" in n for n in notes), f"notes {notes}")
    try:
        blk = make_block(5, 100)
        blk.columns[0] = d.Column.float64("amount", [1.0] * 100)
        c.check_drift("orders", blk)
        rep.check("CheckDrift column of the wrong type -> INVALID_ARGUMENT (§13)", False, "answered OK")
    except d.DriftError as e:
        rep.check("CheckDrift column of the wrong type -> INVALID_ARGUMENT (§13)", e.status_name == "INVALID_ARGUMENT",
                  f"{e.status_name}: {e.message} field_path {e.field_path!r}")
    try:
        c.check_drift("no-such-source", make_block(5, 10))
        rep.check("CheckDrift unknown source -> NOT_FOUND (§13)", False, "answered OK")
    except d.DriftError as e:
        rep.check("CheckDrift unknown source -> NOT_FOUND (§13)", e.status_name == "NOT_FOUND", e.status_name)

    if "multi" in ids:
        r = c.check_drift("multi", make_block(30, 2000))
        rep.check("CheckDrift against the multi-block baseline: its baseline_id and row count",
                  r.baseline_id == ids["multi"] and r.verdicts[1].baseline_n == 3000
                  and all(v.decision == pb2.STABLE for v in r.verdicts),
                  f"baseline_id {r.baseline_id}, score baseline_n {r.verdicts[1].baseline_n}, "
                  f"{[pb2.Decision.Name(v.decision) for v in r.verdicts]}")


def check_connection_control(rep: Report, c: d.DriftClient, port: int) -> None:
    got = [c.ping(p) for p in (0x0123456789ABCDEF, 0xFFFFFFFFFFFFFFFF)]
    rep.check("PING -> PONG echoing the 8-byte payload (§12 rule 3)",
              got == [0x0123456789ABCDEF, 0xFFFFFFFFFFFFFFFF], f"{[hex(g) for g in got]}")

    for label, kw in [("unknown method id 99", dict(method_id=99)), ("CreateSource version 2", dict(method_id=1,
                                                                                                      method_version=2))]:
        try:
            c.call(kw["method_id"], pb2.ServerStatsRequest(), None, method_version=kw.get("method_version", 1))
            rep.check(f"{label} -> UNIMPLEMENTED (§13)", False, "answered OK")
        except d.DriftError as e:
            rep.check(f"{label} -> UNIMPLEMENTED, request-level (§13)", e.status_name == "UNIMPLEMENTED",
                      f"{e.status_name}: {e.message}")

    # corrupt zstd body: request-level INVALID_ARGUMENT, then the connection still works
    blk = make_block(6, 200).encode()
    import zstandard
    comp = bytearray(zstandard.ZstdCompressor(level=3).compress(blk))
    for i in range(8, len(comp) - 4):
        comp[i] ^= 0x5A
    try:
        c.call(d.CHECK_DRIFT, pb2.CheckDriftRequest(source="orders"), pb2.CheckDriftResponse, body=bytes(comp),
               raw_body=True, codec=d.CODEC_ZSTD, body_raw_len=len(blk))
        rep.check("corrupt zstd body -> INVALID_ARGUMENT (request-level, §11)", False, "answered OK")
    except d.DriftError as e:
        rep.check("corrupt zstd body -> INVALID_ARGUMENT (request-level, §11)",
                  e.status_name == "INVALID_ARGUMENT" and e.origin == "RESPONSE", f"{e.status_name}: {e.message}")
    try:
        ok = c.ping(7) == 7 and len(c.check_drift("orders", make_block(2, 300)).verdicts) == 5
        rep.check("... and the connection still works (PING, CheckDrift)", ok)
    except d.DriftError as e:
        rep.check("... and the connection still works (PING, CheckDrift)", False, str(e))

    for label, kw, want in [
        ("body codec 2 (lz4, reserved) -> UNIMPLEMENTED (§3)", dict(codec=2, body=blk, raw_body=True),
         "UNIMPLEMENTED"),
        ("codec 0 with body_raw_len != body_len -> INVALID_ARGUMENT (§5 step 4)",
         dict(codec=0, body=blk, raw_body=True, body_raw_len=len(blk) + 1), "INVALID_ARGUMENT"),
        ("CheckDrift without a body -> INVALID_ARGUMENT (§13)", dict(), "INVALID_ARGUMENT"),
        ("truncated ColumnBlock (codec none) -> INVALID_ARGUMENT (§11)", dict(codec=0, body=blk[:-5],
                                                                               raw_body=True), "INVALID_ARGUMENT"),
    ]:
        try:
            c.call(d.CHECK_DRIFT, pb2.CheckDriftRequest(source="orders"), pb2.CheckDriftResponse, **kw)
            rep.check(label, False, "answered OK")
        except d.DriftError as e:
            rep.check(label, e.status_name == want, f"{e.status_name}: {e.message}")
    try:
        c.call(d.SERVER_STATS, pb2.ServerStatsRequest(), pb2.ServerStatsResponse, body=b"\x08\x01")
        rep.check("ServerStats with a body -> INVALID_ARGUMENT (§13)", False, "answered OK")
    except d.DriftError as e:
        rep.check("ServerStats with a body -> INVALID_ARGUMENT (§13)", e.status_name == "INVALID_ARGUMENT",
                  f"{e.status_name}: {e.message}")
    try:
        c.call(d.GET_SOURCE, None, pb2.GetSourceResponse, meta=b"\x0a\x05ab")  # length past the end
        rep.check("malformed metadata (length past the end) -> INVALID_ARGUMENT (§6)", False, "answered OK")
    except d.DriftError as e:
        rep.check("malformed metadata (length past the end) -> INVALID_ARGUMENT (§6)",
                  e.status_name == "INVALID_ARGUMENT", f"{e.status_name}: {e.message}")
    rep.check("connection still open after the request-level errors", c.ping(8) == 8)

    # pipelining on a raw connection: send everything, then read everything
    r = Raw(port)
    r.hello()
    sent = {}
    frames = []
    for i in range(12):
        sid = 101 + 2 * i
        kind = i % 4
        if kind == 0:
            frames.append(zstd_frame(sid, d.CHECK_DRIFT, pb2.CheckDriftRequest(source="orders"),
                                     make_block(40 + i, 4000 - 300 * i).encode()))
        elif kind == 1:
            frames.append(request_frame(sid, d.GET_SOURCE, pb2.GetSourceRequest(name="orders")))
        elif kind == 2:
            frames.append(request_frame(sid, d.LIST_SOURCES, pb2.ListSourcesRequest()))
        else:
            frames.append(request_frame(sid, d.SERVER_STATS, pb2.ServerStatsRequest()))
        sent[sid] = frames[-1].method_id
    r.send(b"".join(f.encode() for f in frames))
    answers = []
    try:
        while len(answers) < len(sent):
            f = r.recv(30)
            if f is None:
                break
            if f.type == d.RESPONSE:
                answers.append(f)
    except TimeoutError:
        pass
    got = {f.stream_id: (f.method_id, f.status) for f in answers}
    order = [f.stream_id for f in answers]
    ok = (set(got) == set(sent) and all(got[s][1] == 0 for s in got)
          and all(got[s][0] == sent[s] for s in got))
    rep.check("12 pipelined requests on one connection answered by stream id (§3)", ok,
              f"{len(answers)}/{len(sent)} answered, " + ("out of order " if order != sorted(order) else "in order ")
              + f"{order}" + ("" if ok else f"; got {got}"))
    # RESPONSE carries method_id/method_version of its request?
    rep.check("RESPONSE header echoes the request's method_id (fixture response_not_found.bin does)",
              all(f.method_id == sent[f.stream_id] and f.method_version == 1 for f in answers),
              f"{[(f.stream_id, f.method_id, f.method_version) for f in answers[:3]]}")
    r.close()

    # duplicate stream id in flight: §14 "Limits" makes it a connection error (GOAWAY INVALID_ARGUMENT whose
    # last_stream_id is the highest id answered so far)
    r = Raw(port)
    r.hello()
    r.send(request_frame(3, d.SERVER_STATS, pb2.ServerStatsRequest()))
    first = r.recv(10)
    big = make_block(50, 20000).encode()
    r.send(zstd_frame(5, d.CHECK_DRIFT, pb2.CheckDriftRequest(source="orders"), big).encode()
           + zstd_frame(5, d.CHECK_DRIFT, pb2.CheckDriftRequest(source="orders"), big).encode())
    seen, ga = [], None
    try:
        while True:
            f = r.recv(20)
            if f is None:
                seen.append("EOF")
                break
            seen.append(f"{f.type_name} {sname(f.status)} stream {f.stream_id}")
            if f.type == d.GOAWAY:
                ga = pb2.GoAway.FromString(f.meta)
                seen[-1] += f" last_stream_id {ga.last_stream_id} {ga.message!r}"
    except TimeoutError:
        seen.append("timeout")
    rep.check("duplicate in-flight stream id -> GOAWAY INVALID_ARGUMENT, last_stream_id = highest answered, close "
              "(§14 Limits)",
              first is not None and first.stream_id == 3 and ga is not None and seen[-1] == "EOF"
              and "GOAWAY INVALID_ARGUMENT" in " ".join(seen) and ga.last_stream_id in (3, 5), f"{seen}")
    r.close()

    # CANCEL: a large check, cancelled at once -> CANCELLED (or its result if already done)
    blk = make_block(60, 200000, nulls=False).encode()
    call = c.check_drift_start("orders", blk)
    c.cancel(call.stream_id, "check_spec")
    try:
        call.result(60)
        rep.check("CANCEL -> RESPONSE CANCELLED (or the result if already finished) (§12 rule 4)", True,
                  "answered OK: finished before the CANCEL arrived")
    except d.DriftError as e:
        rep.check("CANCEL -> RESPONSE CANCELLED (or the result if already finished) (§12 rule 4)",
                  e.status_name == "CANCELLED", f"{e.status_name}: {e.message}")
    c.cancel(987654, "nothing")
    rep.check("CANCEL for an unknown stream is ignored (§12 rule 4)", c.ping(9) == 9)


def check_budgets(rep: Report, c: d.DriftClient) -> None:
    """Latency budgets (header deadline_ms) and allow_approximate (§13 CheckDrift, DEADLINE_EXCEEDED row)."""
    c.create_source("big", FEATURES)
    c.put_baseline("big", make_block(70, 300_000, nulls=False))
    cur = make_block(71, 100_000, shift=3.0, nulls=False).encode()
    # Three unbudgeted runs first: the cost model has an estimate after 3 answers (§14); before that a request is run
    # whatever its budget (observed: a 41 ms budget accepted and answered OK after ~800 ms).
    times = []
    for _ in range(3):
        t0 = time.monotonic()
        r = c.check_drift("big", cur)
        times.append((time.monotonic() - t0) * 1000)
    exact_ms = min(times)
    exact = r
    rep.check("CheckDrift 100k rows vs a 300k-row baseline, default budget -> exact answer",
              not r.approximate and all(v.p_value_method in ("exact", "asymptotic", "chi-square") for v in r.verdicts),
              f"{exact_ms:.0f} ms, methods {[v.p_value_method for v in r.verdicts]}")
    budget = max(5, int(exact_ms / 20))
    try:
        t0 = time.monotonic()
        c.check_drift("big", cur, budget_ms=budget, allow_approximate=False)
        rep.check(f"CheckDrift budget {budget} ms (exact needs ~{exact_ms:.0f}), allow_approximate false -> "
                  "DEADLINE_EXCEEDED at once (§14 Budgets 2)", False,
                  f"answered OK after {(time.monotonic() - t0) * 1000:.0f} ms")
    except d.DriftError as e:
        rep.check(f"CheckDrift budget {budget} ms (exact needs ~{exact_ms:.0f}), allow_approximate false -> "
                  "DEADLINE_EXCEEDED at once (§14 Budgets 2)", e.status_name == "DEADLINE_EXCEEDED",
                  f"{e.status_name} after {(time.monotonic() - t0) * 1000:.0f} ms: {e.message}")
    for budget in (max(5, int(exact_ms / 3)), max(5, int(exact_ms / 20))):
        name = (f"CheckDrift budget {budget} ms (exact needs ~{exact_ms:.0f}), allow_approximate true -> OK with "
                "approximate flagged (binned KS, ks_error_bound), or DEADLINE_EXCEEDED (§14 Budgets 2-3)")
        s0 = c.server_stats()
        t0 = time.monotonic()
        try:
            r = c.check_drift("big", cur, budget_ms=budget, allow_approximate=True)
            ms = (time.monotonic() - t0) * 1000
            s1 = c.server_stats()
            approx = [v for v in r.verdicts if v.approximate]
            flagged_ok = (r.approximate and approx
                          and all(v.p_value_method == "binned" and v.HasField("ks_error_bound")
                                  for v in approx if v.kind == pb2.NUMERIC))
            if flagged_ok:
                bad = []
                for ev, av in zip(exact.verdicts, r.verdicts):
                    if av.approximate and av.kind == pb2.NUMERIC and not (
                            av.ks_d - 1e-9 <= ev.ks_d <= av.ks_d + av.ks_error_bound + 1e-9):
                        bad.append((av.feature, ev.ks_d, av.ks_d, av.ks_error_bound))
                rep.check(f"approximate KS at budget {budget} ms: D_binned <= D_exact <= D_binned + ks_error_bound "
                          "(§14 Budgets 3)", not bad,
                          "; ".join(f"{av.feature} {av.ks_d:.4f}+{av.ks_error_bound:.4f} vs exact {ev.ks_d:.4f}"
                                    for ev, av in zip(exact.verdicts, r.verdicts) if av.HasField("ks_error_bound"))
                          + (f"; violations {bad}" if bad else ""))
            rep.check(name, bool(flagged_ok),
                      f"OK after {ms:.0f} ms, response approximate {r.approximate}, "
                      f"methods {[v.p_value_method for v in r.verdicts]}, "
                      f"ks_error_bound {[v.HasField('ks_error_bound') for v in r.verdicts]}, "
                      f"compute {r.timings.compute_us / 1000:.0f} ms; stats approximate_total "
                      f"+{s1.approximate_total - s0.approximate_total}, budget_misses_total "
                      f"+{s1.budget_misses_total - s0.budget_misses_total}")
        except d.DriftError as e:
            rep.check(name, e.status_name == "DEADLINE_EXCEEDED",
                      f"{e.status_name} after {(time.monotonic() - t0) * 1000:.0f} ms: {e.message}")


def check_status_agreement(rep: Report) -> None:
    bad = [(what, sname(h), sname(m)) for what, h, m in STATUS_PAIRS if h != m]
    rep.check("status in ErrorDetail / GoAway message equals the header status (§12, driftd.proto)", not bad,
              f"{len(STATUS_PAIRS)} error frames seen" + (f"; mismatches (header, message): {bad}" if bad else ""))


def check_stats(rep: Report, c: d.DriftClient, before) -> None:
    s = c.server_stats()
    by = {m.method_id: m.count for m in s.requests_by_method}
    fields = {f.name: getattr(s, f.name) for f in pb2.ServerStatsResponse.DESCRIPTOR.fields
              if f.name != "requests_by_method"}
    ok = (s.uptime_ms > 0 and s.requests_total >= sum(by.values()) > 0 and set(by) >= {1, 2, 3, 4, 5, 6}
          and s.errors_total > 0 and s.values_processed_total > 0 and s.bytes_received_total > 0
          and s.connections >= 1 and s.workers >= 1 and s.cancelled_total >= 0)
    rep.check("ServerStats fields (§13): uptime, requests_total >= sum(by_method), methods 1-6 counted, errors, values, "
              "bytes, connections, workers", ok, f"{fields}; by_method {by}")
    rep.check("ServerStats counters are monotonic between snapshots",
              s.requests_total > before.requests_total and s.errors_total >= before.errors_total
              and s.uptime_ms >= before.uptime_ms,
              f"requests_total {before.requests_total} -> {s.requests_total}")


class IdleWatch:
    """A connection that sends nothing; a thread notes when (and what) the server sends or closes."""

    def __init__(self, port: int):
        self.raw = Raw(port)
        self.t0 = time.monotonic()
        self.frame = None
        self.at = None
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            self.frame = self.raw.recv(10)
        except Exception as e:  # noqa: BLE001
            self.error = e
        self.at = time.monotonic() - self.t0


def check_hello_timeout(rep: Report, w: IdleWatch) -> None:
    name = "no HELLO within 5 s -> GOAWAY DEADLINE_EXCEEDED, close (§12 rule 1)"
    w.thread.join(max(0.1, w.t0 + 11 - time.monotonic()))
    r, f, dt = w.raw, w.frame, w.at
    if w.error is not None or dt is None:
        rep.check(name, False, f"nothing within 10 s ({w.error})")
        return
    if f is None or f.type != d.GOAWAY:
        rep.check(name, False, f"{'EOF' if f is None else f.type_name} after {dt:.1f} s")
        return
    STATUS_PAIRS.append(("GoAway after the HELLO timeout", f.status, pb2.GoAway.FromString(f.meta).status))
    rep.check(name, f.status == STATUS["DEADLINE_EXCEEDED"] and 4.5 <= dt <= 7 and r.closed(),
              f"GOAWAY {sname(f.status)} after {dt:.1f} s")
    r.close()


def check_shutdown_goaway(rep: Report, srv: Server) -> None:
    """§14 Draining: SIGTERM -> GOAWAY UNAVAILABLE (last_stream_id = highest received), in-flight requests answered,
    later REQUESTs unanswered, HELLO refused with HELLO_ACK UNAVAILABLE, new connections refused, exit 0."""
    busy = Raw(srv.port, timeout=30)
    busy.hello()
    idle = Raw(srv.port)
    idle.hello()
    pre = Raw(srv.port)  # connected, HELLO not sent yet
    busy.send(zstd_frame(7, d.CHECK_DRIFT, pb2.CheckDriftRequest(source="big"),
                         make_block(80, 100_000, nulls=False).encode()))
    time.sleep(0.3)
    srv.proc.send_signal(signal.SIGTERM)
    t0 = time.monotonic()
    time.sleep(0.2)
    # busy connection: GOAWAY UNAVAILABLE last 7; a REQUEST sent after it gets nothing; stream 7 still answered
    events, ga = [], None
    try:
        while True:
            f = busy.recv(15)
            if f is None:
                events.append("EOF")
                break
            if f.type == d.GOAWAY:
                ga = pb2.GoAway.FromString(f.meta)
                events.append(f"GOAWAY {sname(f.status)} last {ga.last_stream_id}")
                try:
                    busy.send(request_frame(9, d.SERVER_STATS, pb2.ServerStatsRequest()))
                except OSError:
                    pass
            else:
                events.append(f"{f.type_name} {sname(f.status)} stream {f.stream_id}")
    except (TimeoutError, d.FrameError) as e:
        events.append(f"error {e}")
    rep.check("SIGTERM drain: busy connection gets GOAWAY UNAVAILABLE last_stream_id 7, stream 7 still answered OK, "
              "a later REQUEST unanswered, then close (§14 Draining)",
              events[:1] == ["GOAWAY UNAVAILABLE last 7"] and "RESPONSE OK stream 7" in events
              and not any("stream 9" in e for e in events) and events[-1] == "EOF", f"{events}")
    try:
        f = idle.recv(3)
        ok = f is not None and f.type == d.GOAWAY and f.status == STATUS["UNAVAILABLE"]
        g = pb2.GoAway.FromString(f.meta) if f is not None and f.type == d.GOAWAY else None
        rep.check("SIGTERM drain: idle connection gets GOAWAY UNAVAILABLE last_stream_id 0 (§14)",
                  ok and g.last_stream_id == 0 and g.status == f.status,
                  f"{f.type_name if f else 'EOF'} {sname(f.status) if f else ''} "
                  f"{'' if g is None else g.message!r} last {None if g is None else g.last_stream_id}")
    except (TimeoutError, d.FrameError) as e:
        rep.check("SIGTERM drain: idle connection gets GOAWAY UNAVAILABLE last_stream_id 0 (§14)", False, str(e))
    try:
        f = pre.hello()
        a = pb2.HelloAck.FromString(f.meta) if f is not None and f.type == d.HELLO_ACK else None
        rep.check("SIGTERM drain: HELLO on a connection still handshaking -> error HELLO_ACK UNAVAILABLE (§14)",
                  a is not None and f.status == STATUS["UNAVAILABLE"],
                  "EOF" if f is None else f"{f.type_name} {sname(f.status)} {'' if a is None else a.message!r}")
    except (TimeoutError, OSError, d.FrameError) as e:
        rep.check("SIGTERM drain: HELLO on a connection still handshaking -> error HELLO_ACK UNAVAILABLE (§14)",
                  False, f"{type(e).__name__}: {e}")
    try:
        late = socket.create_connection(("127.0.0.1", srv.port), timeout=2)
        late.close()
        refused = False
    except OSError:
        refused = True
    rep.check("SIGTERM drain: new connections refused (listening socket closed) (§14)", refused)
    for r in (busy, idle, pre):
        r.close()
    try:
        rc = srv.proc.wait(max(0.1, t0 + STOP_TIMEOUT_S - time.monotonic()))
        rep.check("SIGTERM -> driftd exits 0 within 5 s", rc == 0, f"exit {rc} after {time.monotonic() - t0:.2f} s")
    except subprocess.TimeoutExpired:
        rep.check("SIGTERM -> driftd exits 0 within 5 s", False, "still running: killed")
        srv.kill()


def check_limits(rep: Report, port: int, token: str) -> None:
    """Server started with --workers 1 --max-streams-per-connection 2 --max-queued-requests 1
    --max-baseline-rows 100000 (§14 Limits with retry-after)."""
    c = CheckedClient(port=port, token=token, timeout=60).connect()
    rep.check("HELLO_ACK announces max_concurrent_streams = --max-streams-per-connection (2)",
              c.limits.max_concurrent_streams == 2, f"{c.limits.max_concurrent_streams}")
    cur = make_block(90, 100_000, nulls=False).encode()
    calls = [c.check_drift_start("big", cur)]
    time.sleep(0.1)  # the one worker picks #1 up, so #2 waits in the queue (size 1) and #3/#4 meet the stream limit
    calls += [c.check_drift_start("big", cur) for _ in range(3)]
    outcomes = []
    for call in calls:
        try:
            call.result(60)
            outcomes.append(("OK", 0, ""))
        except d.DriftError as e:
            outcomes.append((e.status_name, e.retry_after_ms, e.message))
    rep.check("3rd and 4th pipelined request over max_concurrent_streams 2 -> RESOURCE_EXHAUSTED with retry_after_ms, "
              "the first two answered OK (§14)",
              [o[0] for o in outcomes] == ["OK", "OK", "RESOURCE_EXHAUSTED", "RESOURCE_EXHAUSTED"]
              and all(o[1] > 0 for o in outcomes[2:]), f"{outcomes}")

    c2 = CheckedClient(port=port, token=token, timeout=60).connect()
    calls = [c.check_drift_start("big", cur)]
    time.sleep(0.1)
    calls.append(c.check_drift_start("big", cur))
    time.sleep(0.05)  # one running (1 worker), one queued (queue 1)
    extra = c2.check_drift_start("big", cur)
    outcomes = []
    for call in calls + [extra]:
        try:
            call.result(60)
            outcomes.append(("OK", 0, ""))
        except d.DriftError as e:
            outcomes.append((e.status_name, e.retry_after_ms, e.message))
    rep.check("request over --max-queued-requests 1 (1 worker busy, 1 queued) -> RESOURCE_EXHAUSTED, retry_after_ms "
              ">= 10 (§14)",
              [o[0] for o in outcomes] == ["OK", "OK", "RESOURCE_EXHAUSTED"] and outcomes[2][1] >= 10, f"{outcomes}")
    c2.close()

    c.create_source("rows-limit", [("v", d.FLOAT64)])
    try:
        c.put_baseline("rows-limit", d.Block([d.Column.float64("v", [float(i) for i in range(100_001)])]))
        rep.check("PutBaseline over --max-baseline-rows -> RESOURCE_EXHAUSTED (§14)", False, "answered OK")
    except d.DriftError as e:
        rep.check("PutBaseline over --max-baseline-rows -> RESOURCE_EXHAUSTED (§14)",
                  e.status_name == "RESOURCE_EXHAUSTED", f"{e.status_name}: {e.message}")
    c.close()


def run_main(rep: Report, binary: str, base: Path) -> Path:
    data = base / "data"
    srv = Server(binary, str(data))
    try:
        srv.start()
        rep.check("driftd starts, first stdout line names the port", True, srv.first_line)
    except Exception as e:  # noqa: BLE001
        rep.check("driftd starts, first stdout line names the port", False, str(e))
        srv.kill()
        return data
    idle = IdleWatch(srv.port)  # sends nothing: the 5 s HELLO timer must close it
    try:
        rep.section("handshake", check_handshake, rep, srv.port)
        rep.section("pre-handshake", check_pre_handshake, rep, srv.port)
        c = CheckedClient(port=srv.port, timeout=60).connect()
        before = c.server_stats()
        rep.section("sources", check_sources, rep, c)
        ids = rep.section("baselines", check_baselines, rep, c) or {}
        rep.section("drift", check_drift, rep, c, ids)
        rep.section("connection control", check_connection_control, rep, c, srv.port)
        rep.section("stats", check_stats, rep, c, before)
        rep.section("budgets", check_budgets, rep, c)
        c.close()
        rep.section("hello timeout", check_hello_timeout, rep, idle)
        rep.section("status agreement", check_status_agreement, rep)
        rep.section("shutdown", check_shutdown_goaway, rep, srv)
    finally:
        srv.kill()
    return data


def run_token(rep: Report, binary: str, base: Path, data: Path) -> None:
    token = "s3cret-" + os.urandom(6).hex()
    tf = base / "token"
    tf.write_text(token + "\n")
    srv = Server(binary, str(data), ["--token-file", str(tf), "--workers", "1", "--max-streams-per-connection", "2",
                                     "--max-queued-requests", "1", "--max-baseline-rows", "100000"])
    try:
        srv.start()
    except Exception as e:  # noqa: BLE001
        rep.check("driftd --token-file starts", False, str(e))
        srv.kill()
        return
    try:
        for label, tok, lo, hi in [("no token", None, 1, 1), ("wrong token", "wrong", 1, 1),
                                   ("wrong token and no common version", "wrong", 5, 6)]:
            try:
                CheckedClient(port=srv.port, token=tok, min_wire_version=lo, max_wire_version=hi).connect()
                rep.check(f"token server: {label} -> HELLO_ACK UNAUTHENTICATED (§12)", False, "handshake OK")
            except d.DriftError as e:
                rep.check(f"token server: {label} -> HELLO_ACK UNAUTHENTICATED (§12)",
                          e.status_name == "UNAUTHENTICATED" and e.origin == "HELLO_ACK",
                          f"{e.origin} {e.status_name}: {e.message!r}")
        c = CheckedClient(port=srv.port, token=token).connect()
        s = c.server_stats()
        rep.check("token server: right token -> HELLO_ACK OK, requests work", c.hello_ack.status == 0,
                  f"auth_failures_total {s.auth_failures_total}")
        rep.check("token server: auth_failures_total counts the 3 refused HELLOs", s.auth_failures_total == 3,
                  f"{s.auth_failures_total}")
        # state persisted across the restart (same data dir)
        g = c.get_source("orders")
        r = c.check_drift("orders", make_block(2, 1000))
        rep.check("restart on the same data dir: sources and baselines persisted",
                  g.HasField("baseline_id") and r.baseline_id == g.baseline_id and len(r.verdicts) == 5,
                  f"orders baseline_id {opt(g, 'baseline_id')}")
        c.close()
        rep.section("limits", check_limits, rep, srv.port, token)
    except Exception as e:  # noqa: BLE001
        rep.check("token server session (unexpected error)", False, f"{type(e).__name__}: {e}")
    finally:
        ok, detail = srv.stop()
        rep.check("token server: SIGTERM -> exits 0 within 5 s", ok, detail)
        srv.kill()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary", nargs="?", help="path to the driftd executable (omit with --fixtures-only)")
    ap.add_argument("--fixtures-only", action="store_true", help="only the offline golden-fixture checks")
    ap.add_argument("-v", "--verbose", action="store_true", help="tracebacks for unexpected errors")
    ap.add_argument("--keep", action="store_true", help="keep the temp data dir")
    args = ap.parse_args()
    rep = Report(args.verbose)
    if args.fixtures_only:
        rep.section("fixtures", check_fixtures, rep)
        print(f"check_spec: {rep.passed} passed, {rep.failed} failed")
        return 1 if rep.failed else 0
    if not args.binary:
        ap.error("DRIFTD_BINARY is required (or --fixtures-only)")
    binary = shutil.which(args.binary) or args.binary
    if not os.access(binary, os.X_OK):
        print(f"not an executable: {args.binary}", file=sys.stderr)
        return 2
    rep.section("fixtures", check_fixtures, rep)
    base = Path(tempfile.mkdtemp(prefix="driftd_check_"))
    try:
        data = run_main(rep, binary, base)
        run_token(rep, binary, base, data)
    finally:
        if args.keep:
            print(f"(kept {base})")
        else:
            shutil.rmtree(base, ignore_errors=True)
    print(f"check_spec: {rep.passed} passed, {rep.failed} failed")
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
