#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes the seed corpus of fuzz-bundle: small tars, good and hostile, each under 10 KB.
# Run from anywhere: python3 tests/channels/bundle/make-corpus.py; the files land in corpus/ beside it.
import bz2
import gzip
import io
import lzma
import os
import shutil
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib"))
from tarpieces import member, raw_header  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
MANIFEST = b"Version = 20130611\nProgram = prog.nexe\nMemory = 65536,0\n"
NEXE = b"\0asm\1\0\0\0"


def tar(members, fmt=tarfile.PAX_FORMAT):
    buffer = io.BytesIO()
    archive = tarfile.open(fileobj=buffer, mode="w", format=fmt, encoding="utf-8")
    for info, data in members:
        archive.addfile(info, io.BytesIO(data) if data else None)
    end = archive.offset + 1024  # drop tarfile's padding to a 10 KiB record
    archive.close()
    return buffer.getvalue()[:end]


def good():
    return [
        member("manifest", MANIFEST),
        member("prog.nexe", NEXE),
        member("data", kind=tarfile.DIRTYPE),
        member("data/in.txt", b"hello\n"),
    ]


def seeds():
    yield "good-ustar.tar", tar(good(), tarfile.USTAR_FORMAT)
    yield "good-pax.tar", tar(good() + [member("d\u00e9j\u00e0/\u65e5\u672c.txt", b"utf8")])
    yield "good-gnu-longname.tar", tar(good() + [member("l" * 150, b"long")], tarfile.GNU_FORMAT)
    yield "good.tar.gz", gzip.compress(tar(good()), mtime=0)
    yield "good.tar.xz", lzma.compress(tar(good()))
    yield "dot-prefixes.tar", tar(
        [member("./", kind=tarfile.DIRTYPE), member("./manifest", MANIFEST),
         member("./a/b/c/", kind=tarfile.DIRTYPE), member("./a//b/./x", b"x")],
        tarfile.GNU_FORMAT)
    yield "symlink.tar", tar(good() + [member("link", kind=tarfile.SYMTYPE, link="/etc"),
                                       member("link/passwd", b"owned")])
    yield "hardlink.tar", tar(good() + [member("h", kind=tarfile.LNKTYPE, link="manifest")])
    yield "devices.tar", tar(good() + [member("null", kind=tarfile.CHRTYPE),
                                       member("fifo", kind=tarfile.FIFOTYPE)])
    yield "dotdot.tar", tar([member("manifest", MANIFEST), member("../escape", b"x")],
                            tarfile.USTAR_FORMAT)
    yield "duplicate.tar", tar(good() + [member("./manifest", MANIFEST)])
    yield "clash.tar", tar(good() + [member("data/in.txt/x", b"x")])
    yield "deep.tar", tar([member("manifest", MANIFEST), member("a/" * 7 + "f", b"deep")])
    yield "no-manifest.tar", tar([member("prog.nexe", NEXE)])
    yield "no-members.tar", b"\0" * 1024
    yield "lying-realsize.tar", tar([member("manifest", MANIFEST),
                                     member("big", b"B" * 3000, pax={"SCHILY.realsize": "1"})])
    yield "gnu-sparse-1.0.tar", tar([member("manifest", MANIFEST), member(
        "GNUSparseFile.0/s", b"1\n0\n4\n".ljust(512, b"\0") + b"data",
        pax={"GNU.sparse.major": "1", "GNU.sparse.minor": "0",
             "GNU.sparse.name": "s", "GNU.sparse.realsize": "1099511627776"})])
    yield "base256-size.tar", (tar([member("manifest", MANIFEST)], tarfile.GNU_FORMAT)[:-1024]
                               + raw_header(b"huge", b"0", b"\x80" + b"\0" * 6 + b"\1" + b"\0" * 4)
                               + b"\0" * 1024)
    yield "good.tar.bz2", bz2.compress(tar(good()))
    if shutil.which("zstd"):
        yield "good.tar.zst", subprocess.run(["zstd", "-q", "-c"], input=tar(good()),
                                             check=True, capture_output=True).stdout


def main():
    os.makedirs(CORPUS, exist_ok=True)
    for name, data in seeds():
        assert len(data) < 10 * 1024, name
        with open(os.path.join(CORPUS, name), "wb") as out:
            out.write(data)


if __name__ == "__main__":
    main()
