#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Runs the WASI preview 1 conformance suite (WebAssembly/wasi-testsuite) through `zvm run`.

Each NAME.wasm under the suite directory is one test; NAME.json beside it (when present) is
its spec: args, env, root (or the older dirs: the directory the program sees as "/"),
exit_code (default 0), stdout and stderr (compared as prefixes, as upstream's runner does).
Each test becomes a bundle: the module as the program, an nvram with [args], [env] and, for a
root, [fstab] access=rw over a tar of the directory (a scratch tree: the test may write, nothing
reaches the host). wasip3 directories are not wasip1 tests and are left out.

The suite is found in $ZVM_WASI_TESTSUITE, else $ZVM_SOURCE_DIR/../shared/wasi-testsuite. With
no .wasm file there, the whole test is skipped, saying where it looked. Output is TAP, with a
pass/fail count on the last comment line. Translations are cached in $ZVM_TEST_CACHE_DIR when
set (a cold run translates every module: minutes for the Rust ones).
"""
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

MEMORY = 134217728
START_SECONDS = 1700000000
TIMEOUT = 60


def suite_dir():
    explicit = os.environ.get("ZVM_WASI_TESTSUITE")
    if explicit:
        return explicit
    source = os.environ.get("ZVM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
    return os.path.normpath(os.path.join(source, "..", "shared", "wasi-testsuite"))


def find_tests(top):
    tests = []
    for directory, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if "wasip3" not in d and not d.endswith(".dir"))
        for name in sorted(files):
            if name.endswith(".wasm"):
                tests.append(os.path.join(directory, name))
    return tests


def nvram_escape(text):
    """ZRT's nvram escapes: a comma, newline, quote or backslash is written \\xHH."""
    return "".join("\\x%02x" % ord(c) if c in ',\n"\\' else c for c in text)


def nvram_arg(arg):
    escaped = nvram_escape(arg)
    return '"%s"' % escaped if (not arg or any(c.isspace() for c in arg)) else escaped


def directory_tar(path):
    """A ustar of @path's contents (regular files and directories, names relative to it)."""
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for directory, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(dirs) + sorted(files):
                full = os.path.join(directory, name)
                if os.path.islink(full) or name.endswith(".cleanup"):
                    continue
                info = tar.gettarinfo(full, arcname=os.path.relpath(full, path))
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.mtime = 0
                if info.isfile():
                    with open(full, "rb") as f:
                        tar.addfile(info, f)
                elif info.isdir():
                    tar.addfile(info)
    return data.getvalue()


def make_bundle(wasm, spec, work):
    name = os.path.splitext(os.path.basename(wasm))[0]
    members = {"test.nexe": open(wasm, "rb").read()}
    manifest = [
        "Version = 20130611",
        "Program = test.nexe",
        "Memory = %d,0" % MEMORY,
        "Timeout = %d" % TIMEOUT,
        "Channel = /dev/null,/dev/stdin,0,0,16,1024,0,0",
        "Channel = stdout,/dev/stdout,0,0,0,0,1048576,16777216",
        "Channel = stderr,/dev/stderr,0,0,0,0,1048576,16777216",
        "Channel = nvram,/dev/nvram,3,0,64,10240,0,0",
    ]
    nvram = ["[args]", "args = " + " ".join(nvram_arg(a) for a in [name] + spec.get("args", []))]
    # The program's clock starts here instead of at 0, as a real date would (tests subtract
    # from file times).
    nvram += ["[time]", "seconds = %d" % START_SECONDS]
    env = spec.get("env", {})
    if env:
        nvram.append("[env]")
        nvram += ["name=%s, value=%s" % (nvram_escape(k), nvram_escape(v)) for k, v in env.items()]
    root = spec.get("root")
    if root is None and spec.get("dirs"):
        root = spec["dirs"][0]
    if root is not None:
        tar = directory_tar(os.path.join(os.path.dirname(wasm), root))
        members["root.tar"] = tar
        blocks = len(tar) // 65536 + 2
        manifest.append("Channel = root.tar,/dev/root.tar,3,0,%d,%d,0,0" % (blocks, len(tar)))
        access = os.environ.get("ZVM_WASI_ROOT_ACCESS", "rw")
        nvram += ["[fstab]", "channel=/dev/root.tar, mountpoint=/, access=%s" % access]
    members["manifest"] = ("\n".join(manifest) + "\n").encode()
    members["nvram"] = ("\n".join(nvram) + "\n").encode()
    path = os.path.join(work, name + ".tar")
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tar:
        for member, data in sorted(members.items()):
            info = tarfile.TarInfo(member)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    os.chmod(path, 0o644)
    return path


def main():
    top = suite_dir()
    tests = find_tests(top) if os.path.isdir(top) else []
    if not tests:
        print("1..0 # SKIP no wasi-testsuite .wasm files in %s (set ZVM_WASI_TESTSUITE to a "
              "checkout of WebAssembly/wasi-testsuite's prod/testsuite-base branch)" % top)
        return 0
    build = os.path.abspath(os.environ.get("ZVM_BUILD_DIR", "build"))
    zvm = os.path.join(build, "fs", "zvm")
    sandbox = os.path.join(build, "sandbox", "zvm-sandbox")
    work = tempfile.mkdtemp(prefix="zvm-wasi-suite.")
    os.chmod(work, 0o755)
    try:
        cache = os.environ.get("ZVM_TEST_CACHE_DIR") or os.path.join(work, "cache")
        config = os.path.join(work, "zvm.conf")
        with open(config, "w") as f:
            f.write("[sandbox]\ncache_dir = %s\nsandbox_helper = %s\nuser = nobody\n"
                    % (cache, sandbox))
        print("1..%d" % len(tests))
        passed = failed = 0
        for number, wasm in enumerate(tests, 1):
            label = os.path.relpath(wasm, top)
            spec_path = os.path.splitext(wasm)[0] + ".json"
            spec = {}
            if os.path.exists(spec_path):
                with open(spec_path) as f:
                    spec = json.load(f)
            bundle = make_bundle(wasm, spec, work)
            out = os.path.join(work, "out-%d" % number)
            run = subprocess.run([zvm, "run", "--config", config, "--out", out, bundle],
                                 cwd=work, capture_output=True, text=True,
                                 timeout=TIMEOUT + 1200)
            report = run.stdout.splitlines()
            problems = []
            want = spec.get("exit_code", 0)
            if len(report) < 6:
                problems.append("no report; %s" % run.stderr.strip()[:300])
            elif report[5] != "ok":
                problems.append("exit state %s" % report[5])
            elif int(report[2]) != want:
                problems.append("exit code %s, expected %s" % (report[2], want))
            for stream in ("stdout", "stderr"):
                expected = spec.get(stream)
                if expected is None:
                    continue
                try:
                    with open(os.path.join(out, stream), errors="replace") as f:
                        got = f.read()
                except OSError:
                    got = ""
                if not got.startswith(expected):
                    problems.append("%s %r, expected %r" % (stream, got[:200], expected))
            if problems:
                failed += 1
                print("not ok %d - %s" % (number, label))
                try:
                    with open(os.path.join(out, "stderr"), errors="replace") as f:
                        tail = f.read()[-600:]
                except OSError:
                    tail = ""
                for line in problems + tail.splitlines():
                    print("#   " + line)
            else:
                passed += 1
                print("ok %d - %s" % (number, label))
            sys.stdout.flush()
        print("# wasi-testsuite: %d passed, %d failed, %d skipped of %d"
              % (passed, failed, 0, len(tests)))
        return 0 if failed == 0 or os.environ.get("ZVM_WASI_SUITE_REPORT_ONLY") else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
