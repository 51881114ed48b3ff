#!/usr/bin/env python3
"""Independent (non-Swift) encoder of proto/fixtures/column_block.bin, the golden ColumnBlock of PROTOCOL.md §11.

Run from the repository root: python3 tools/gen_block_fixture.py"""
import struct
def varint(n):
    out=b''
    while n>=0x80: out+=bytes([n&0x7f|0x80]); n>>=7
    return out+bytes([n])
def key(f,t): return varint(f<<3|t)
def ld(f,b): return key(f,2)+varint(len(b))+b
def vi(f,n): return key(f,0)+varint(n)
def zz(n): return (n<<1)^(n>>63)
rows=3
block=vi(1,rows)
def column(name,typ,values,validity=None,dictionary=(),enc=0,base=0):
    head=ld(1,name.encode())+vi(2,typ)+(vi(3,enc) if enc else b'')
    tail=(ld(5,validity) if validity is not None else b'')+b''.join(ld(6,d.encode()) for d in dictionary)
    vf=key(4,2)+varint(len(values))+values
    # padding: choose the first candidate (none, then 15 with k zero bytes) putting values at offset%8==0
    for k in [-1]+list(range(16)):
        pad=b'' if k<0 else ld(15,bytes(k))
        body=head+pad+vf+tail
        off=base+1+len(varint(len(body)))+len(head)+len(pad)+1+len(varint(len(values)))
        if enc!=0 or typ==4 or off%8==0: break
    return key(2,2)+varint(len(body))+body
block+=column("x",1,struct.pack('<3f',1.0,float('nan'),-2.5),validity=bytes([0b101]),base=len(block))
block+=column("c",5,struct.pack('<3I',0,0xFFFFFFFF,1),dictionary=("de","fr"),base=len(block))
vals=[struct.pack('<f',v) for v in (1.0,-2.0,float('inf'))]
bss=bytes(vals[i][k] for k in range(4) for i in range(3))
block+=column("z",1,bss,enc=1,base=len(block))
block+=vi(3,zz(1700000000000))
print(block.hex(), len(block))
open('proto/fixtures/column_block.bin','wb').write(block)
