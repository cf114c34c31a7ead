# SPDX-License-Identifier: Apache-2.0
"""Tar members and hand-made headers for the tests that build hostile archives
(tests/channels/bundle/make-corpus.py, tests/hostile/make-corpus.py)."""
import tarfile


def member(name, data=b"", kind=tarfile.REGTYPE, link="", pax=None):
    """A (TarInfo, data) pair: a regular file of @data, or a member of @kind (a link to @link,
    a device 1:3, a directory...), mtime 0, with @pax headers if given."""
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    info.linkname = link
    info.mtime = 0
    if kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
        info.devmajor, info.devminor = 1, 3
    if pax:
        info.pax_headers = pax
    return info, data


def raw_header(name, kind, size_field, magic=b"ustar\x0000", extra=b""):
    """A header block written by hand, for what tarfile will not write: @size_field is the
    12 bytes of the size, @magic ustar's ("ustar\\0" "00") or GNU's ("ustar  \\0"), @extra
    the bytes from offset 386 (GNU's sparse map)."""
    block = bytearray(512)
    block[0:len(name)] = name
    block[100:108] = b"0000644\0"
    block[108:116] = b"0000000\0"
    block[116:124] = b"0000000\0"
    block[124:136] = size_field
    block[136:148] = b"00000000000\0"
    block[156:157] = kind
    block[257:265] = magic
    block[386:386 + len(extra)] = extra
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block)
