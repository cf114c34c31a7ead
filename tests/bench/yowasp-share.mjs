// SPDX-License-Identifier: Apache-2.0
// yowasp-share.mjs: `node yowasp-share.mjs RESOURCES.js OUTDIR` writes the file tree a @yowasp
// package embeds in its resources-*.js (`filesystem`: strings are files, objects directories,
// URLs files or trees beside it) under OUTDIR, for real-programs.sh's yosys image.
import { mkdirSync, writeFileSync, copyFileSync, cpSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
const [resources, out] = process.argv.slice(2);
const { filesystem } = await import(pathToFileURL(resources).href);
function write(node, path) {
	if (typeof node === 'string' || node instanceof Uint8Array) writeFileSync(path, node);
	else if (node instanceof URL) cpSync(fileURLToPath(node), path, { recursive: true });
	else { mkdirSync(path, { recursive: true }); for (const [k, v] of Object.entries(node)) write(v, `${path}/${k}`); }
}
write(filesystem, out);
