#!/usr/bin/env python3
"""Writes a seed corpus for the `loader` fuzz target into corpus/loader/.

Takes small .beam files from the OTP tree and, for each, writes the original plus a
variant without the (large, never decoded) Dbgi chunk and with the literal table stored
uncompressed (LitT size 0), so that mutations reach the external-term decoder instead of
failing zlib's checksum. Also writes a few raw external terms.
"""
import os, struct, sys, zlib

root = sys.argv[1] if len(sys.argv) > 1 else "/usr/lib/erlang"
limit = int(sys.argv[2]) if len(sys.argv) > 2 else 40
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "loader")
os.makedirs(out, exist_ok=True)

def chunks(b):
    pos = 12
    while pos + 8 <= len(b):
        cid, size = b[pos:pos+4], struct.unpack(">I", b[pos+4:pos+8])[0]
        yield cid, b[pos+8:pos+8+size]
        pos += 8 + ((size + 3) & ~3)

def build(cs):
    body = b""
    for cid, d in cs:
        body += cid + struct.pack(">I", len(d)) + d + b"\0" * ((4 - len(d) % 4) % 4)
    return b"FOR1" + struct.pack(">I", len(body) + 4) + b"BEAM" + body

files = []
for d, _, fs in os.walk(root):
    files += [os.path.join(d, f) for f in fs if f.endswith(".beam")]
files.sort(key=lambda p: (os.path.getsize(p), p))
# The smallest modules, plus a few mid-sized ones with floats, binaries, maps and funs.
extra = {"rand.beam", "maps.beam", "base64.beam", "erl_bits.beam", "prim_buffer.beam"}
picked = files[:limit] + sorted(p for p in files[limit:] if os.path.basename(p) in extra)
n = 0
for p in picked:
    b = open(p, "rb").read()
    name = os.path.basename(p)[:-5]
    cs = []
    for cid, d in chunks(b):
        if cid == b"Dbgi":
            continue
        if cid == b"LitT" and struct.unpack(">I", d[:4])[0] != 0:
            d = b"\0\0\0\0" + zlib.decompress(d[4:])
        cs.append((cid, d))
    open(os.path.join(out, name + ".beam"), "wb").write(b)
    open(os.path.join(out, name + ".stripped.beam"), "wb").write(build(cs))
    n += 2
for i, t in enumerate([
    b"\x83h\x04d\x00\x01al\x00\x00\x00\x02a\x01a\x02d\x00\x01ck\x00\x02abt\x00\x00\x00\x01d\x00\x01kd\x00\x01v",
    b"\x83n\x09\x01\x00\x00\x00\x00\x00\x00\x00\x00\x01",
    b"\x83M\x00\x00\x00\x03\x03\x01\x02\x60",
    b"\x83q\x64\x00\x05lists\x64\x00\x03mapa\x02",
]):
    open(os.path.join(out, "term%d.etf" % i), "wb").write(t)
    n += 1
print("wrote %d seeds to %s" % (n, out))
