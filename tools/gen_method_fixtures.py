#!/usr/bin/env python3
"""Golden CheckDriftResponse metadata (proto/PROTOCOL.md §13, proto/driftd.proto).

An encoder independent of the Swift code (standard library only): it writes the protobuf wire format from the
field tables in driftd.proto, proto3 style (zero scalars, false bools and empty strings omitted; a plain double
omitted only when its bit pattern is +0.0; `optional` fields written exactly when present, even when 0;
`timings` written when any timing is non-zero). Doubles are written bit-exactly (struct '<d' / '<Q').
Run from the repository root:

    python3 tools/gen_method_fixtures.py            # writes proto/fixtures/{check_drift_response,
                                                    #   source_spec_monitoring,ingest_response}.bin
    python3 tools/gen_method_fixtures.py --print    # prints the hex only (pasted into MethodMessageTests.swift)
"""
import os
import struct
import sys

VARINT, FIXED64, LEN = 0, 1, 2


def varint(n: int) -> bytes:
    assert 0 <= n < 1 << 64
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field: int, wire_type: int) -> bytes:
    return varint(field << 3 | wire_type)


def uint_field(field: int, n: int) -> bytes:             # proto3 scalar: omitted when 0
    return key(field, VARINT) + varint(n) if n else b""


def opt_uint_field(field: int, n) -> bytes:              # optional: written when present
    return b"" if n is None else key(field, VARINT) + varint(n)


def bool_field(field: int, b: bool) -> bytes:
    return key(field, VARINT) + b"\x01" if b else b""


def double_bits(field: int, bits: int) -> bytes:
    return key(field, FIXED64) + struct.pack("<Q", bits)


def double_field(field: int, x: float) -> bytes:        # proto3 double: omitted only when +0.0
    bits = struct.unpack("<Q", struct.pack("<d", x))[0]
    return double_bits(field, bits) if bits else b""


def opt_double_field(field: int, x) -> bytes:           # optional double: written when present
    return b"" if x is None else key(field, FIXED64) + struct.pack("<d", x)


def len_field(field: int, data: bytes) -> bytes:
    return key(field, LEN) + varint(len(data)) + data


def str_field(field: int, s: str) -> bytes:
    return len_field(field, s.encode("utf-8")) if s else b""


QUIET_NAN = 0x7FF8000000000000

# --- messages (field numbers: proto/driftd.proto) ---------------------------------------------------------------


def feature_verdict(feature, kind, baseline_n, current_n, baseline_null_rate, current_null_rate, ks_d=None,
                    p_value=None, p_value_method="", psi=None, jensen_shannon=None, wasserstein=None,
                    wasserstein_normed=None, chi_square=None, chi_square_dof=None, unseen_categories=None,
                    null_rate_p_bits=None, decision=0, severity=0, reasons=(), notes=(), approximate=False,
                    ks_error_bound=None) -> bytes:
    return (str_field(1, feature) + uint_field(2, kind) + uint_field(3, baseline_n) + uint_field(4, current_n)
            + double_field(5, baseline_null_rate) + double_field(6, current_null_rate)
            + opt_double_field(7, ks_d) + opt_double_field(8, p_value) + str_field(9, p_value_method)
            + opt_double_field(10, psi) + opt_double_field(11, jensen_shannon) + opt_double_field(12, wasserstein)
            + opt_double_field(13, wasserstein_normed) + opt_double_field(14, chi_square)
            + opt_uint_field(15, chi_square_dof) + opt_uint_field(16, unseen_categories)
            + (b"" if null_rate_p_bits is None else double_bits(17, null_rate_p_bits))
            + uint_field(18, decision) + uint_field(19, severity)
            + b"".join(str_field(20, s) for s in reasons) + b"".join(str_field(21, s) for s in notes)
            + bool_field(22, approximate) + opt_double_field(23, ks_error_bound))


def server_timings(queue_wait_us, decode_us, compute_us) -> bytes:
    return uint_field(1, queue_wait_us) + uint_field(2, decode_us) + uint_field(3, compute_us)


def check_drift_response(baseline_id, verdicts, timings, approximate) -> bytes:
    return (uint_field(1, baseline_id) + b"".join(len_field(2, v) for v in verdicts)
            + (len_field(3, timings) if timings else b"") + bool_field(4, approximate))


NUMERIC, CATEGORICAL = 1, 2
STABLE, DRIFT = 1, 2
NONE, CRITICAL = 0, 2

# Verdict 1: numeric, drifted, approximate KS with an error bound; p_value present and exactly 0; wasserstein +inf.
# Verdict 2: categorical, stable; current_null_rate -0.0 (written), chi_square_dof present and 0, null_rate_p NaN.
GOLDEN = check_drift_response(
    7,
    [feature_verdict("amount", NUMERIC, 1_000_000, 10_000, 0.0, 0.0025, ks_d=0.0731, p_value=0.0,
                     p_value_method="binned", psi=0.31, wasserstein=float("inf"), wasserstein_normed=0.21,
                     decision=DRIFT, severity=CRITICAL, reasons=["ks p < 0.01", "psi 0.31 >= 0.25"],
                     approximate=True, ks_error_bound=0.004),
     feature_verdict("country", CATEGORICAL, 999_000, 10_000, 0.001, -0.0, p_value=0.32,
                     p_value_method="chi-square", jensen_shannon=0.012, chi_square=3.5, chi_square_dof=0,
                     unseen_categories=2, null_rate_p_bits=QUIET_NAN, decision=STABLE, severity=NONE,
                     notes=["2 unseen categories"])],
    server_timings(12, 340, 1875),
    True)


# --- monitoring (methods 7-15, SourceSpec.monitoring) -------------------------------------------------------------


def zigzag(n: int) -> int:
    return (n << 1) ^ (n >> 63) if n >= 0 else ((-n) << 1) - 1


def sint_field(field: int, n: int) -> bytes:              # proto3 sint64: omitted when 0
    return key(field, VARINT) + varint(zigzag(n)) if n else b""


def opt_sint_field(field: int, n) -> bytes:
    return b"" if n is None else key(field, VARINT) + varint(zigzag(n))


def opt_bool_field(field: int, b) -> bytes:
    return b"" if b is None else key(field, VARINT) + varint(1 if b else 0)


def window_range(start_ms, end_ms) -> bytes:
    return sint_field(1, start_ms) + sint_field(2, end_ms)


def monitoring_spec(window_length_ms=None, window_rows=None, event_time_column="", grace_ms=None, value_cap=None,
                    max_event_age_ms=None, max_arrival_interval_ms=None, baseline_mode=0, rolling_windows=None,
                    persistence_k=None, recovery_j=None, benjamini_hochberg=None, correlation_groups=()) -> bytes:
    return (opt_uint_field(1, window_length_ms) + opt_uint_field(2, window_rows) + str_field(3, event_time_column)
            + opt_uint_field(4, grace_ms) + opt_uint_field(5, value_cap) + opt_uint_field(6, max_event_age_ms)
            + opt_uint_field(7, max_arrival_interval_ms) + uint_field(8, baseline_mode)
            + opt_uint_field(9, rolling_windows) + opt_uint_field(10, persistence_k) + opt_uint_field(11, recovery_j)
            + opt_bool_field(12, benjamini_hochberg)
            + b"".join(len_field(13, b"".join(str_field(1, f) for f in g)) for g in correlation_groups))


def feature_spec(name, type_) -> bytes:
    return str_field(1, name) + uint_field(2, type_)


def source_spec(name, features, monitoring) -> bytes:
    return (str_field(1, name) + b"".join(len_field(2, f) for f in features)
            + (b"" if monitoring is None else len_field(3, monitoring)))


def closed_window(window, baseline_id, verdicts) -> bytes:
    return len_field(1, window) + uint_field(2, baseline_id) + b"".join(len_field(3, v) for v in verdicts)


def ingest_response(rows_accepted, rows_late, duplicate, windows_touched, windows_closed) -> bytes:
    return (uint_field(1, rows_accepted) + uint_field(2, rows_late) + bool_field(3, duplicate)
            + b"".join(len_field(4, w) for w in windows_touched) + b"".join(len_field(5, c) for c in windows_closed))


ROLLING, FLOAT64, TIMESTAMP_MS, WARNING = 2, 2, 6, 1
H0 = 1_733_270_400_000          # 2024-12-04T00:00:00Z
HOUR = 3_600_000

# Rolling baseline over 24 windows, event time from a column, grace 0 (present), BH off (present, false),
# one correlation group; window_rows, value_cap and max_arrival_interval_ms absent.
GOLDEN_SOURCE_SPEC = source_spec(
    "orders", [feature_spec("amount", FLOAT64), feature_spec("ts", TIMESTAMP_MS)],
    monitoring_spec(window_length_ms=HOUR, event_time_column="ts", grace_ms=0, max_event_age_ms=86_400_000,
                    baseline_mode=ROLLING, rolling_windows=24, persistence_k=2, recovery_j=3,
                    benjamini_hochberg=False, correlation_groups=[["amount", "qty"]]))

# 9990 rows accepted, 10 late; two windows touched (one before the epoch: negative start); one window closed with
# one drifting verdict.
GOLDEN_INGEST_RESPONSE = ingest_response(
    9_990, 10, False, [window_range(H0, H0 + HOUR), window_range(-HOUR, 0)],
    [closed_window(window_range(H0 - HOUR, H0), 3,
                   [feature_verdict("amount", NUMERIC, 1000, 9_990, 0.0, 0.0, ks_d=0.25, p_value=1e-12,
                                    p_value_method="exact", decision=DRIFT, severity=WARNING)])])

FIXTURES = {"check_drift_response": GOLDEN, "source_spec_monitoring": GOLDEN_SOURCE_SPEC,
            "ingest_response": GOLDEN_INGEST_RESPONSE}


def main() -> None:
    if "--print" in sys.argv:
        for name, data in FIXTURES.items():
            print(f"{name} ({len(data)} bytes): {data.hex()}")
        return
    for name, data in FIXTURES.items():
        out = os.path.join("proto", "fixtures", name + ".bin")
        with open(out, "wb") as f:
            f.write(data)
        print(f"wrote {out} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
