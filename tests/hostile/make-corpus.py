#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Builds the bundles of the hostile corpus from the recipes in `cases` (the fifth column), one
# OUT/<name>.tar per case that submits a bundle; `action` cases are the runner's own.
#   make-corpus.py CASES OUT HELLO_NEXE ENGINE_PROGRAMS_DIR
# A recipe is a base, then edits joined by " && ":
#   manifest                 the hello bundle (manifest + hello.nexe)
#   program NAME             NAME.nexe from the engine test programs, standard channels
#   wasm KIND                a crafted module (WASM below) as prog.nexe, standard channels
#   tar KIND                 a whole archive built by tar_KIND() below; takes no edits
# Edits of the manifest and the members:
#   -Key                     drop every line of Key
#   Key = value              replace the first Key line (append when there is none)
#   +Key = value             append one more line
#   @/dev/alias = value      replace the Channel line of that alias with "Channel = value"
#   raw:TEXT                 append TEXT as it is (\n, \r, \0 ... escapes decoded)
#   blank:N                  append N empty lines
#   outputs:N                append N write-only channels /dev/o1 ... /dev/oN
#   file:NAME=TEXT           add member NAME holding TEXT (escapes decoded)
#   image:NAME=BYTES         add member NAME, a tar image holding one file of BYTES zeros
#   compress:gz|xz|zst|bz2   compress the finished tar
import bz2
import gzip
import io
import lzma
import os
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from tarpieces import member, raw_header  # noqa: E402

GNU_MAGIC = b"ustar  \0"

BASE_MANIFEST = [
    "Version = 20130611",
    "Program = hello.nexe",
    "Memory = 67108864,0",
    "Timeout = 10",
    "Channel = /dev/null,/dev/stdin,0,0,16,1024,0,0",
    "Channel = stdout,/dev/stdout,0,0,0,0,1024,65536",
    "Channel = stderr,/dev/stderr,0,0,0,0,1024,65536",
]
# Bounds the runner's configuration sets (test-hostile.sh); the bombs are built just past them.
MAX_BYTES = 4 << 20
MAX_MEMBERS = 64
MAX_NAME = 200


def unescape(text):
    return text.encode("utf-8").decode("unicode_escape").encode("latin-1")


# ---- tar pieces ----------------------------------------------------------------------------

def pack(members, fmt=tarfile.GNU_FORMAT, end=True):
    """A tar of @members; without its end-of-archive blocks when @end is False."""
    buffer = io.BytesIO()
    archive = tarfile.open(fileobj=buffer, mode="w", format=fmt, encoding="utf-8",
                           errors="surrogateescape")
    for info, data in members:
        archive.addfile(info, io.BytesIO(data) if data else None)
    offset = archive.offset
    archive.close()
    return buffer.getvalue() if end else buffer.getvalue()[:offset]


# ---- wasm pieces ---------------------------------------------------------------------------

def uleb(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        if (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def vec(items):
    return uleb(len(items)) + b"".join(items)


def name(text):
    return uleb(len(text)) + text.encode()


def section(number, payload):
    return bytes([number]) + uleb(len(payload)) + payload


def body(code, locals_=b"\x00"):
    data = locals_ + code + b"\x0b"
    return uleb(len(data)) + data


VOID = b"\x60\x00\x00"
I32_TO_I32 = b"\x60\x01\x7f\x01\x7f"


def module(types, functions, bodies, memory_pages=1, imports=None, start=None,
           exports=True):
    """Function 0 (after the imports) is _start unless @exports is False."""
    n_imports = len(imports or [])
    parts = [b"\0asm\1\0\0\0", section(1, vec(types))]
    if imports:
        parts.append(section(2, vec(imports)))
    parts.append(section(3, vec([uleb(t) for t in functions])))
    parts.append(section(5, vec([b"\x00" + uleb(memory_pages)])))
    if exports:
        parts.append(section(7, vec([name("_start") + b"\x00" + uleb(n_imports),
                                     name("memory") + b"\x02" + uleb(0)])))
    else:
        parts.append(section(7, vec([name("memory") + b"\x02" + uleb(0)])))
    if start is not None:
        parts.append(section(8, uleb(start)))
    if bodies is not None:
        parts.append(section(10, vec(bodies)))
    return b"".join(parts)


def many_locals(count):
    """_start calls one function whose @count locals all stay live around a loop: cheap to
    check, quadratic work for the C compiler's register allocator."""
    code = bytearray(b"\x03\x40")
    for i in range(1, count):
        j = i % (count - 1) + 1
        code += (b"\x20" + uleb(i) + b"\x20" + uleb(j) + b"\x6c\x20\x00\x6a\x21" + uleb(i))
    code += b"\x20\x00\x41\x01\x6b\x22\x00\x0d\x00\x0b\x41\x00"
    for i in range(1, count):
        code += b"\x20" + uleb(i) + b"\x73"
    return module([VOID, I32_TO_I32], [0, 1],
                  [body(b"\x41\x05\x10\x01\x1a"), body(bytes(code), vec([uleb(count - 1) + b"\x7f"]))])


def many_functions(count):
    """_start plus @count small distinct functions: megabytes of C for the compiler."""
    bodies = [body(b"")]
    for i in range(count):
        bodies.append(body(b"\x20\x00\x41" + sleb(i) + b"\x6a\x41" + sleb(i * 7 + 3) + b"\x6c"))
    return module([VOID, I32_TO_I32], [0] + [1] * count, bodies)


def big_data(size):
    """A data segment of @size zero bytes: six bytes of C each ("0x00, "), written at once."""
    segment = b"\x00\x41\x00\x0b" + uleb(size) + bytes(size)
    return (module([VOID], [0], [body(b"")], memory_pages=size // 65536 + 1) +
            section(11, vec([segment])))


WASM = {
    "not-wasm": lambda ctx: b"#!/bin/sh\necho this is not a module\n",
    "empty": lambda ctx: b"",
    "truncated": lambda ctx: ctx.hello[: len(ctx.hello) // 2],
    "version-2": lambda ctx: b"\0asm\2\0\0\0" + ctx.hello[8:],
    "bad-section": lambda ctx: b"\0asm\1\0\0\0\x01\xff\xff\xff\xff\x0f\x60",
    "unknown-import": lambda ctx: module(
        [VOID], [0], [body(b"\x10\x00")],
        imports=[name("env") + name("system") + b"\x00" + uleb(0)]),
    "huge-memory": lambda ctx: module([VOID], [0], [body(b"")], memory_pages=65536),
    "start-section": lambda ctx: module([VOID], [0, 0], [body(b""), body(b"\x03\x40\x0c\x00\x0b")],
                                        start=1),
    "no-start": lambda ctx: module([VOID], [0], [body(b"")], exports=False),
    "no-code": lambda ctx: module([VOID], [0], None),
    "endless-start": lambda ctx: module([VOID], [0], [body(b"\x03\x40\x0c\x00\x0b")]),
    "big-data": lambda ctx: big_data(1 << 20),
    "many-functions": lambda ctx: many_functions(16000),
    "many-locals": lambda ctx: many_locals(18000),
    "over-function-limit": lambda ctx: module([VOID], [0] * 100001, None),
    "over-locals-limit": lambda ctx: module(
        [VOID], [0], [body(b"", vec([uleb(50001) + b"\x7f"]))]),
}


# ---- tars built whole ----------------------------------------------------------------------

class Context:
    def __init__(self, hello, programs):
        self.hello = hello
        self.programs = programs

    def good(self):
        manifest = ("\n".join(BASE_MANIFEST) + "\n").encode()
        return [member("manifest", manifest), member("hello.nexe", self.hello)]

    def good_tar(self):
        return pack(self.good(), tarfile.USTAR_FORMAT)


def zero_members(ctx, count, size=1 << 20):
    """The good bundle plus @count members of @size zero bytes each."""
    zeros = bytes(size)
    return pack(ctx.good() + [member("zeros/%03d" % i, zeros) for i in range(count)])


def compressed_zero_bomb(ctx, compress):
    """48 MiB of zeros in a few KiB: over the 4 MiB bound only once decompressed."""
    return compress(zero_members(ctx, 48))


def zstd(data):
    return subprocess.run(["zstd", "-q", "-c"], input=data, check=True,
                          capture_output=True).stdout


def tar_zip(ctx):
    buffer = io.BytesIO()
    import zipfile
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest", "\n".join(BASE_MANIFEST) + "\n")
        archive.writestr("hello.nexe", ctx.hello)
    return buffer.getvalue()


def tar_sparse_gnu(ctx):
    # An old GNU sparse member ('S'): one 512-byte chunk mapped at 1 TiB.
    sparse_map = b"%011o\0" % (1 << 40) + b"%011o\0" % 512
    extra = sparse_map + b"\0" * (96 - len(sparse_map)) + b"\0" + b"%011o\0" % ((1 << 40) + 512)
    return (pack(ctx.good(), end=False) + raw_header(b"sparse", b"S", b"%011o\0" % 512, GNU_MAGIC, extra) +
            b"S" * 512 + bytes(1024))


def tar_sparse_pax(ctx):
    return pack(ctx.good() + [member("GNUSparseFile.0/huge", b"1\n1099511627776\n4\n".ljust(512, b"\0")
                                     + b"data",
                                     pax={"GNU.sparse.major": "1", "GNU.sparse.minor": "0",
                                          "GNU.sparse.name": "huge",
                                          "GNU.sparse.realsize": "1099511627780"})],
                tarfile.PAX_FORMAT)


TARS = {
    "empty": lambda ctx: b"",
    "zero-blocks": lambda ctx: bytes(10240),
    "not-a-tar": lambda ctx: b"this is a plain text file, not a tar archive\n" * 20,
    "zip": tar_zip,
    "truncated-data": lambda ctx: ctx.good_tar()[:512 + 512 + 512 + 1000],
    "truncated-header": lambda ctx: ctx.good_tar()[:300],
    "gzip-truncated": lambda ctx: gzip.compress(ctx.good_tar(), mtime=0)[:200],
    "gzip-of-text": lambda ctx: gzip.compress(b"not a tar at all\n" * 100, mtime=0),
    "bzip2": lambda ctx: bz2.compress(ctx.good_tar()),
    "bomb-size": lambda ctx: zero_members(ctx, 1, MAX_BYTES + (1 << 20)),
    "bomb-gzip": lambda ctx: compressed_zero_bomb(ctx, lambda data: gzip.compress(data, 9, mtime=0)),
    "bomb-xz": lambda ctx: compressed_zero_bomb(ctx, lzma.compress),
    "bomb-zstd": lambda ctx: compressed_zero_bomb(ctx, zstd),
    "bomb-members": lambda ctx: pack(ctx.good() + [member("f%03d" % i, b"x")
                                                   for i in range(MAX_MEMBERS)]),
    "bomb-directories": lambda ctx: pack(ctx.good() + [member("d%03d" % i, kind=tarfile.DIRTYPE)
                                                       for i in range(MAX_MEMBERS)]),
    "sparse-gnu": tar_sparse_gnu,
    "sparse-pax": tar_sparse_pax,
    "deep-file": lambda ctx: pack(ctx.good() + [member("d/" * 40 + "f", b"deep")]),
    "deep-directory": lambda ctx: pack(ctx.good() + [member("d/" * 12, kind=tarfile.DIRTYPE)]),
    "dotdot": lambda ctx: pack(ctx.good() + [member("../x", b"x")]),
    "dotdot-inner": lambda ctx: pack(ctx.good() + [member("data/../../x", b"x")]),
    "absolute": lambda ctx: pack(ctx.good() + [member("/etc/x", b"x")]),
    "symlink": lambda ctx: pack(ctx.good() + [member("link", kind=tarfile.SYMTYPE, link="/etc")]),
    "symlink-through": lambda ctx: pack(ctx.good() + [
        member("link", kind=tarfile.SYMTYPE, link="/etc"), member("link/passwd", b"owned")]),
    "hardlink": lambda ctx: pack(ctx.good() + [member("h", kind=tarfile.LNKTYPE,
                                                      link="manifest")]),
    "hardlink-host": lambda ctx: pack(ctx.good() + [member("passwd", kind=tarfile.LNKTYPE,
                                                           link="/etc/passwd")]),
    "chardev": lambda ctx: pack(ctx.good() + [member("null", kind=tarfile.CHRTYPE)]),
    "blockdev": lambda ctx: pack(ctx.good() + [member("sda", kind=tarfile.BLKTYPE)]),
    "fifo": lambda ctx: pack(ctx.good() + [member("pipe", kind=tarfile.FIFOTYPE)]),
    "duplicate": lambda ctx: pack(ctx.good() + [member("./manifest", b"Version = 1\n")]),
    "file-then-dir": lambda ctx: pack(ctx.good() + [member("data", b"x"),
                                                    member("data/x", b"y")]),
    "overlong-name": lambda ctx: pack(ctx.good() + [member("n" * (MAX_NAME + 1), b"x")]),
    "non-utf8-name": lambda ctx: pack(ctx.good() + [member("caf\udce9.txt", b"x")]),
    "control-name": lambda ctx: pack(ctx.good() + [member("a\nb", b"x")]),
    "no-manifest": lambda ctx: pack([member("hello.nexe", ctx.hello)]),
    "manifest-directory": lambda ctx: pack([member("manifest", kind=tarfile.DIRTYPE),
                                            member("hello.nexe", ctx.hello)]),
    "manifest-huge": lambda ctx: pack([member("manifest", b"#" * (600 << 10)),
                                       member("hello.nexe", ctx.hello)]),
}


# ---- recipes -------------------------------------------------------------------------------

def apply_edit(edit, lines, members, options):
    if edit.startswith("compress:"):
        options["compress"] = edit.split(":", 1)[1]
    elif edit.startswith("image:"):
        member_name, size = edit[6:].split("=", 1)
        members[member_name] = pack([member("data/zeros.bin", bytes(int(size)))],
                                    tarfile.USTAR_FORMAT)
    elif edit.startswith("file:"):
        member_name, text = edit[5:].split("=", 1)
        members[member_name] = unescape(text)
    elif edit.startswith("blank:"):
        lines.extend([""] * int(edit[6:]))
    elif edit.startswith("outputs:"):
        lines.extend("Channel = o%d,/dev/o%d,0,0,0,0,1,1" % (i, i)
                     for i in range(1, int(edit[8:]) + 1))
    elif edit.startswith("raw:"):
        lines.append(unescape(edit[4:]).decode("latin-1"))
    elif edit.startswith("-"):
        key = edit[1:].strip()
        lines[:] = [line for line in lines if line.split("=", 1)[0].strip() != key]
    elif edit.startswith("+"):
        lines.append(edit[1:].strip())
    elif edit.startswith("@"):
        alias, value = (part.strip() for part in edit[1:].split("=", 1))
        for i, line in enumerate(lines):
            fields = line.split("=", 1)
            if (fields[0].strip() == "Channel" and len(fields) == 2 and
                    [f.strip() for f in fields[1].split(",")][1:2] == [alias]):
                lines[i] = "Channel = " + value
                break
        else:
            raise SystemExit("no channel %s to replace" % alias)
    else:
        key = edit.split("=", 1)[0].strip()
        for i, line in enumerate(lines):
            if line.split("=", 1)[0].strip() == key:
                lines[i] = edit
                break
        else:
            lines.append(edit)


def build(recipe, ctx):
    parts = [part.strip() for part in recipe.split(" && ")]
    base = parts[0].split()
    if base[0] == "tar":
        return TARS[base[1]](ctx)
    lines = list(BASE_MANIFEST)
    if base[0] == "manifest":
        members = {"hello.nexe": ctx.hello}
    elif base[0] == "program":
        program = base[1] + ".nexe"
        with open(os.path.join(ctx.programs, program), "rb") as nexe:
            members = {program: nexe.read()}
        lines[1] = "Program = " + program
    elif base[0] == "wasm":
        members = {"prog.nexe": WASM[base[1]](ctx)}
        lines[1] = "Program = prog.nexe"
    else:
        raise SystemExit("unknown recipe base: " + recipe)
    options = {}
    for edit in parts[1:]:
        apply_edit(edit, lines, members, options)
    members["manifest"] = ("\n".join(lines) + "\n").encode("latin-1")
    data = pack([member(n, members[n]) for n in sorted(members)], tarfile.USTAR_FORMAT)
    compress = options.get("compress")
    if compress == "gz":
        data = gzip.compress(data, mtime=0)
    elif compress == "xz":
        data = lzma.compress(data)
    elif compress == "bz2":
        data = bz2.compress(data)
    elif compress == "zst":
        data = zstd(data)
    return data


def read_cases(path):
    with open(path, encoding="utf-8") as cases:
        for line in cases:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            columns = [column.strip() for column in line.rstrip("\n").split("|")]
            if len(columns) < 5:
                raise SystemExit("%s: short line: %s" % (path, line.strip()))
            yield columns[0], columns[4]


def main():
    cases, out, hello, programs = sys.argv[1:5]
    os.makedirs(out, exist_ok=True)
    with open(hello, "rb") as nexe:
        ctx = Context(nexe.read(), programs)
    for case, recipe in read_cases(cases):
        if recipe.split()[0] == "action":
            continue
        with open(os.path.join(out, case + ".tar"), "wb") as bundle:
            bundle.write(build(recipe, ctx))


if __name__ == "__main__":
    main()
