#!/usr/bin/env python3
"""Golden HELLO and HELLO_ACK metadata messages (proto/PROTOCOL.md §12, proto/driftd.proto).

An encoder independent of the Swift code (standard library only): it writes the protobuf wire format from the
field tables in driftd.proto, proto3 style (zero scalars and empty strings omitted, `accepted_codecs` packed,
`producer_id` and `limits` written when present). Run from the repository root:

    python3 tools/gen_message_fixtures.py            # writes proto/fixtures/hello_msg.bin, hello_ack_msg.bin
    python3 tools/gen_message_fixtures.py --print    # prints the hex only (pasted into MessageTests.swift)
"""
import os
import sys

VARINT, FIXED64, LEN, FIXED32 = 0, 1, 2, 5


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


def uint_field(field: int, n: int, keep_zero: bool = False) -> bytes:
    if n == 0 and not keep_zero:
        return b""
    return key(field, VARINT) + varint(n)


def len_field(field: int, data: bytes, keep_empty: bool = False) -> bytes:
    if not data and not keep_empty:
        return b""
    return key(field, LEN) + varint(len(data)) + data


def str_field(field: int, s: str) -> bytes:
    return len_field(field, s.encode("utf-8"))


# --- messages (field numbers: proto/driftd.proto) ---------------------------------------------------------------

def hello(min_v, max_v, name, version, token, codecs, producer_id=None) -> bytes:
    return (uint_field(1, min_v) + uint_field(2, max_v) + str_field(3, name) + str_field(4, version)
            + str_field(5, token) + len_field(6, b"".join(varint(c) for c in codecs))
            + (uint_field(7, producer_id, keep_zero=True) if producer_id is not None else b""))


def limits(max_frame_body, max_decoded, max_meta, max_streams) -> bytes:
    return uint_field(1, max_frame_body) + uint_field(2, max_decoded) + uint_field(3, max_meta) + uint_field(4, max_streams)


def method(mid, name, min_v, max_v) -> bytes:
    return uint_field(1, mid) + str_field(2, name) + uint_field(3, min_v) + uint_field(4, max_v)


def hello_ack(status, message, chosen, lim, keepalive_ms, methods) -> bytes:
    return (uint_field(1, status) + str_field(2, message) + uint_field(3, chosen)
            + (len_field(4, lim, keep_empty=True) if lim is not None else b"")
            + uint_field(5, keepalive_ms) + b"".join(len_field(6, m, keep_empty=True) for m in methods))


# --- the golden values (MessageTests.swift builds the same values through the Swift API) ----------------------

HELLO = hello(1, 1, "driftctl", "0.1.0", "s3cret-token", [0, 1], producer_id=42)
HELLO_ACK = hello_ack(0, "", 1, limits(16 << 20, 64 << 20, 64 << 10, 100), 10_000,
                      [method(1, "Health", 1, 1), method(3, "CheckDrift", 1, 2)])


def main() -> None:
    fixtures = {"hello_msg.bin": HELLO, "hello_ack_msg.bin": HELLO_ACK}
    for name, data in fixtures.items():
        print(f"{name} ({len(data)} bytes): {data.hex()}")
    if "--print" in sys.argv:
        return
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "proto", "fixtures")
    for name, data in fixtures.items():
        with open(os.path.join(root, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
