#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes wasm2c's C translation (and so its header) of a module importing every call of
wasi-calls.def with its signature. Usage: def wat2wasm wasm2c output.c"""
import os
import re
import subprocess
import sys
import tempfile

TYPES = {"i": "i32", "I": "i64"}


def main():
    definitions, wat2wasm, wasm2c, output = sys.argv[1:5]
    lines = ["(module"]
    with open(definitions, encoding="utf-8") as f:
        for match in re.finditer(r'^ZVM_WASI_CALL\((\w+), "(\w*)", "(\w*)"\)', f.read(), re.M):
            name, params, results = match.groups()
            func = "(func"
            if params:
                func += " (param " + " ".join(TYPES[p] for p in params) + ")"
            if results:
                func += " (result " + " ".join(TYPES[r] for r in results) + ")"
            lines.append(f'  (import "wasi_snapshot_preview1" "{name}" {func}))')
    lines.append('  (memory (export "memory") 1))')
    with tempfile.TemporaryDirectory() as scratch:
        wat = os.path.join(scratch, "imports.wat")
        wasm = os.path.join(scratch, "imports.wasm")
        with open(wat, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        subprocess.run([wat2wasm, "-o", wasm, wat], check=True)
        subprocess.run([wasm2c, "-n", "zvm", "-o", output, wasm], check=True)
    # wasm2c reports a file it could not write but still exits 0.
    header = os.path.splitext(output)[0] + ".h"
    if not os.path.exists(output) or not os.path.exists(header):
        sys.exit(f"{wasm2c} wrote no {output}")


if __name__ == "__main__":
    main()
