#!/usr/bin/env python3
# Usage: python3 tools/gen_frame_fixtures.py proto/fixtures   (needs the `zstd` CLI; its compressed bytes may differ
# between zstd versions, so the committed fixtures are the reference and this script documents how they were made).
# Independent (non-Swift) encoder for the golden frames in proto/fixtures. Prints hex for the Swift tests.
import struct, subprocess, sys, os

def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c ^= b
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    return c ^ 0xFFFFFFFF

def frame(ftype, flags=0, codec=0, status=0, stream=0, method=0, mver=0, deadline=0, meta=b"", body=b"", raw_len=None):
    if raw_len is None: raw_len = len(body)
    h = struct.pack("<BBBBHBBIHHIIIII", 0xDF, 0x7A, 1, ftype, flags, codec, status, stream, method, mver,
                    deadline, len(meta), len(body), raw_len, 0)
    assert len(h) == 36
    h += struct.pack("<I", crc32c(h))
    pad = (-len(meta)) % 8
    return h + meta + b"\0" * pad + body

def varint(n):
    out = bytearray()
    while n >= 0x80: out.append((n & 0x7F) | 0x80); n >>= 7
    out.append(n); return bytes(out)
def key(f, t): return varint(f << 3 | t)
def s(f, v): v = v.encode() if isinstance(v, str) else v; return key(f, 2) + varint(len(v)) + v
def u(f, v): return key(f, 0) + varint(v)

assert crc32c(b"123456789") == 0xE3069283 and crc32c(bytes(32)) == 0x8A9136AA
raw = b"drift drift drift drift drift drift\n"
z = subprocess.run(["zstd", "-q", "-c", "--no-check", "-19"], input=raw, capture_output=True, check=True).stdout
frames = {
    "hello": frame(1, deadline=5000, meta=u(1, 1) + u(2, 1) + s(3, "driftctl/0.1")),
    "request_zstd": frame(3, flags=0b10, codec=1, stream=1, method=3, mver=1, deadline=30000,
                          meta=s(1, "k-42"), body=z, raw_len=len(raw)),
    "response_not_found": frame(4, flags=0b01, status=5, stream=1, method=3, mver=1,
                                meta=u(1, 5) + s(2, "unknown source 'orders'")),
    "goaway": frame(8, status=14, meta=u(1, 7) + s(2, "shutting down") + u(3, 14)),
}
outdir = sys.argv[1]
for name, b in frames.items():
    open(os.path.join(outdir, name + ".bin"), "wb").write(b)
    print(name, len(b), b.hex())
print("zstd body", z.hex(), "raw", len(raw))
