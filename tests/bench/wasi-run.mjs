// SPDX-License-Identifier: Apache-2.0
// wasi-run.mjs: runs a .nexe (a wasm32-wasi module) under Node's own WASI preview1, the way
// run.sh compares runtimes: `node wasi-run.mjs PROGRAM.nexe ARG...`. No preopened
// directories, no environment; stdout and stderr are the process's; the exit status is the
// program's.
import { readFile } from 'node:fs/promises';
import { argv, exit } from 'node:process';
import { WASI } from 'node:wasi';

const [program, ...args] = argv.slice(2);
if (program === undefined) {
	console.error('usage: node wasi-run.mjs PROGRAM.nexe [ARG...]');
	exit(2);
}
const wasi = new WASI({ version: 'preview1', args: [program, ...args], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(program));
// wasiImport, not getImportObject(): Debian 12's Node 18 has only the former.
const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
exit(wasi.start(instance));
