// SPDX-License-Identifier: Apache-2.0
// wasi-run-dirs.mjs: wasi-run.mjs with preopened directories, for real-programs.sh:
// `node wasi-run-dirs.mjs GUEST=HOST,... PROGRAM.wasm ARG...` ("" for none). stdin, stdout and
// stderr are the process's; the exit status is the program's.
import { readFile } from 'node:fs/promises';
import { argv, exit } from 'node:process';
import { WASI } from 'node:wasi';

const [dirs, program, ...args] = argv.slice(2);
if (program === undefined) {
	console.error('usage: node wasi-run-dirs.mjs GUEST=HOST,... PROGRAM.wasm [ARG...]');
	exit(2);
}
const preopens = {};
for (const pair of dirs.split(',').filter((p) => p !== '')) {
	const at = pair.indexOf('=');
	preopens[pair.slice(0, at)] = pair.slice(at + 1);
}
const wasi = new WASI({ version: 'preview1', args: [program, ...args], env: {}, preopens,
	returnOnExit: true });
const module = await WebAssembly.compile(await readFile(program));
const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
exit(wasi.start(instance));
