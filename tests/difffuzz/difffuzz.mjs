// SPDX-License-Identifier: Apache-2.0
// The differential fuzzer of the translation path (docs/reliability.md, "Differential
// fuzzing"). For each seed: random bytes -> binaryen's `wasm-opt -ttf --denan` (and, for odd
// seeds, --fuzz-passes) -> a module
// prepare.mjs shapes -> on one side binaryen's interpreter (`--fuzz-exec-before`), on the
// other difffuzz-run (the module checker, wasm2c and the C compiler as for a job, the module
// run natively). Each export's result or trap and the memory hashes must agree; a mismatch
// is saved with everything needed to reproduce it.
//
//   node difffuzz.mjs --harness PATH [--seconds N | --count N] [--seed N] [--findings DIR]
//   node difffuzz.mjs --harness PATH --save-case NAME --seed N    (writes cases/NAME.*)
//
// Exit status: 0 no mismatch, 1 a mismatch (or an error of the pipeline), 77 when the pinned
// binaryen is not installed (tests/deps.sh runs `npm ci` here).
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const binaryenDir = path.join(here, 'node_modules', 'binaryen');
const SKIP = 77;

/* What wasm2c 1.0.32 translates and the checker takes (docs/engine.md §4a): no SIMD,
 * threads, exceptions, tail calls, multi-value, reference-typed values or GC. */
const FEATURE_FLAGS = ['--mvp-features', '--enable-mutable-globals', '--enable-sign-ext',
		       '--enable-nontrapping-float-to-int', '--enable-bulk-memory',
		       '--enable-bulk-memory-opt'];
/* -ttf's input: more bytes make more and longer functions. */
const MIN_INPUT = 1024, MAX_INPUT = 12288;
const TOOL_TIMEOUT_MS = 300 * 1000;

function parseArgs(argv)
{
	const args = {seconds: null, count: null, seed: null, findings: path.join(here, 'findings'),
		      harness: null, saveCase: null, verbose: false};
	for (let i = 0; i < argv.length; i++) {
		const value = () => {
			if (i + 1 >= argv.length)
				throw new Error(`${argv[i]} needs a value`);
			return argv[++i];
		};
		switch (argv[i]) {
		case '--seconds': args.seconds = Number(value()); break;
		case '--count': args.count = Number(value()); break;
		case '--seed': args.seed = BigInt(value()); break;
		case '--findings': args.findings = value(); break;
		case '--harness': args.harness = value(); break;
		case '--save-case': args.saveCase = value(); break;
		case '--verbose': args.verbose = true; break;
		default: throw new Error(`unknown argument ${argv[i]}`);
		}
	}
	if (args.harness === null)
		throw new Error('--harness PATH (difffuzz-run) is required');
	if (args.seconds === null && args.count === null)
		args.count = 1;
	return args;
}

/* splitmix64: the input bytes of a seed, the same on every machine. */
function inputBytes(seed)
{
	let state = BigInt.asUintN(64, seed);
	const next = () => {
		state = BigInt.asUintN(64, state + 0x9e3779b97f4a7c15n);
		let z = state;
		z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
		z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
		return z ^ (z >> 31n);
	};
	const length = MIN_INPUT + Number(next() % BigInt(MAX_INPUT - MIN_INPUT));
	const bytes = new Uint8Array(length);
	for (let i = 0; i < length; i += 8) {
		let word = next();
		for (let k = 0; k < 8 && i + k < length; k++, word >>= 8n)
			bytes[i + k] = Number(word & 0xffn);
	}
	return bytes;
}

/* A trap message of binaryen's interpreter as difffuzz-run names the wasm2c trap. null: the
 * interpreter's own limit (call depth), where the two sides may differ legitimately. */
function trapKind(message)
{
	if (/stack limit/.test(message))
		return null;
	if (/unreachable/.test(message))
		return 'unreachable';
	if (/\b(div|rem)_[su] by 0|divide by zero/.test(message))
		return 'div-by-zero';
	if (/of nan/.test(message))
		return 'invalid-conversion';
	if (/overflow/.test(message))
		return 'int-overflow';
	/* A call_indirect past the table's end: the interpreter says "out of bounds table
	 * access" (table.init and table.copy name themselves after it), wasm2c traps as for any
	 * other failed call_indirect. */
	if (/^out of bounds table access$/.test(message) ||
	    /call_?indirect|callTable|uninitialized table element|non-function target|null (ref|function)|signature/i.test(message))
		return 'call-indirect';
	if (/out of bounds|final > memory|highbits|offset > memory|memory access|bad memory/.test(message))
		return 'oob';
	return `other (${message})`;
}

/* The interpreter's output as difffuzz-run's lines; {lines, limited} where limited is the
 * index of the call that hit the interpreter's call depth limit (null: none did). */
function referenceLines(output)
{
	const lines = [];
	let current = null, limited = null;
	for (const line of output.split('\n')) {
		let m;
		if ((m = /^\[fuzz-exec\] export (\S+)$/.exec(line))) {
			current = m[1];
		} else if ((m = /^\[fuzz-exec\] note result: (\S+) => (-?\d+)$/.exec(line))) {
			lines.push(`${m[1]} => ${m[2]}`);
		} else if ((m = /^\[trap (.*)\]$/.exec(line)) && current !== null) {
			const kind = trapKind(m[1]);
			if (kind === null && limited === null)
				limited = lines.length;
			lines.push(`${current} trap ${kind ?? 'stack-limit'}`);
		} else if ((m = /^\[host limit (.*)\]$/.exec(line)) && current !== null) {
			if (limited === null)
				limited = lines.length;
			lines.push(`${current} host-limit ${m[1]}`);
		}
	}
	return {lines, limited};
}

/* Compares up to the first call the interpreter's own limits decided. */
function compare(reference, native)
{
	const n = reference.limited ?? reference.lines.length;
	const diff = [];
	for (let i = 0; i < Math.max(n, reference.limited === null ? native.length : 0); i++)
		if (reference.lines[i] !== native[i])
			diff.push(`call ${i}: reference "${reference.lines[i] ?? '(nothing)'}", ` +
				  `native "${native[i] ?? '(nothing)'}"`);
	/* There the native side may return or trap, but not crash. */
	if (reference.limited !== null && !/^\S+ (=>|trap) /.test(native[reference.limited] ?? ''))
		diff.push(`call ${reference.limited}: reference hit its call depth limit, native ` +
			  `"${native[reference.limited] ?? '(nothing)'}"`);
	return {diff, compared: n};
}

/* Node's own stack for binaryen's tools, in KiB: the interpreter recurses on the host stack
 * and V8's default (under 1 MiB) ends deep wasm recursion before the interpreter's own call
 * depth limit does. Below the 8 MiB main thread stack of the default `ulimit -s`. */
const NODE_STACK_KIB = 6000;

async function tool(name, args)
{
	return run(process.execPath, [`--stack-size=${NODE_STACK_KIB}`,
				      path.join(binaryenDir, 'bin', name), ...args],
		   {maxBuffer: 64 << 20, timeout: TOOL_TIMEOUT_MS});
}

/* The interpreter's output; when Node's stack ran out under it, the output up to there and a
 * line that reads as the interpreter's call depth limit at the export it was running. */
async function interpret(file)
{
	try {
		return (await tool('wasm-opt', [file, ...FEATURE_FLAGS, '--fuzz-exec-before'])).stdout;
	} catch (e) {
		if (!/Maximum call stack size exceeded/.test(e.stderr ?? ''))
			throw e;
		return e.stdout + '\n[trap stack limit]\n';
	}
}

async function harness(args, file, cache)
{
	try {
		const {stdout} = await run(args.harness, ['--cache', cache, file],
					   {maxBuffer: 64 << 20, timeout: TOOL_TIMEOUT_MS});
		return {lines: stdout.split('\n').filter(l => l !== '')};
	} catch (e) {
		if (e.code === 2)
			return {refused: e.stdout.trim()};
		throw new Error(`difffuzz-run failed on ${file}: ${e.stderr || e.message}`);
	}
}

/* One seed through both sides. Returns {skip}, {refused}, or {reference, native, diff,
 * compared}; files stay in @work. */
async function fuzzOne(binaryen, prepare, args, seed, work, cache)
{
	const input = path.join(work, 'input.bin');
	fs.writeFileSync(input, inputBytes(seed));
	const ttf = path.join(work, 'ttf.wasm');
	/* Odd seeds also get binaryen's random optimisation passes (-fp, chosen from the input):
	 * other shapes of code for wasm2c, same semantics on both sides. */
	const passes = seed % 2n === 1n ? ['--fuzz-passes'] : [];
	await tool('wasm-opt', [input, '-ttf', ...passes, '--denan', ...FEATURE_FLAGS, '-o', ttf]);
	const features = binaryen.Features.MutableGlobals | binaryen.Features.SignExt |
			 binaryen.Features.NontrappingFPToInt | binaryen.Features.BulkMemory |
			 binaryen.Features.BulkMemoryOpt;
	const prepared = prepare(binaryen, fs.readFileSync(ttf), features);
	if (prepared.skip)
		return {skip: prepared.skip};
	const job = path.join(work, 'job.wasm'), ref = path.join(work, 'reference.wasm');
	fs.writeFileSync(job, prepared.job);
	fs.writeFileSync(ref, prepared.reference);
	const [interpreted, native] = await Promise.all([
		interpret(ref),
		harness(args, job, cache),
	]);
	if (native.refused)
		return {refused: native.refused};
	const reference = referenceLines(interpreted);
	fs.writeFileSync(path.join(work, 'reference.txt'), reference.lines.join('\n') + '\n');
	fs.writeFileSync(path.join(work, 'native.txt'), native.lines.join('\n') + '\n');
	return {reference, native: native.lines, ...compare(reference, native.lines)};
}

function saveFinding(args, seed, work, result)
{
	const dir = path.join(args.findings, `seed-${seed}`);
	fs.mkdirSync(dir, {recursive: true});
	for (const name of fs.readdirSync(work))
		if (fs.statSync(path.join(work, name)).isFile())
			fs.copyFileSync(path.join(work, name), path.join(dir, name));
	fs.writeFileSync(path.join(dir, 'diff.txt'),
			 `reproduce: node ${path.relative(process.cwd(), fileURLToPath(import.meta.url))} ` +
			 `--harness ${args.harness} --seed ${seed}\n` + result.diff.join('\n') + '\n');
	return dir;
}

/* cases/NAME.wat (wasm2wat of the job's module) and cases/NAME.expected (the reference's
 * lines): a regression case the plain suite runs without Node. */
async function saveCase(args, seed, work, result)
{
	if (result.reference.limited !== null)
		throw new Error(`seed ${seed} reaches the interpreter's call depth limit; pick another`);
	const base = path.join(here, 'cases', args.saveCase);
	fs.mkdirSync(path.dirname(base), {recursive: true});
	await run('wasm2wat', [path.join(work, 'job.wasm'), '-o', base + '.wat']);
	fs.writeFileSync(base + '.expected', `# seed ${seed}, binaryen ${binaryenVersion()}\n` +
			 result.reference.lines.join('\n') + '\n');
	console.log(`wrote ${base}.wat and ${base}.expected`);
}

function binaryenVersion()
{
	return JSON.parse(fs.readFileSync(path.join(binaryenDir, 'package.json'))).version;
}

async function main()
{
	const args = parseArgs(process.argv.slice(2));
	if (!fs.existsSync(path.join(binaryenDir, 'package.json'))) {
		console.log(`difffuzz: SKIP: binaryen is not installed in ${binaryenDir} ` +
			    '(tests/deps.sh runs `npm ci` there; needs npm and the network once)');
		return SKIP;
	}
	const {default: binaryen} = await import(path.join(binaryenDir, 'index.js'));
	const {prepare} = await import(path.join(here, 'prepare.mjs'));
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'difffuzz-'));
	const cache = path.join(root, 'cache');
	const work = path.join(root, 'work');
	fs.mkdirSync(work);

	let seed = args.seed ?? BigInt(Date.now()) * 1000n + BigInt(process.pid % 1000);
	const started = Date.now();
	const deadline = args.seconds === null ? Infinity : started + args.seconds * 1000;
	const stats = {modules: 0, calls: 0, limited: 0, skipped: 0, refused: 0, mismatches: 0};
	const refusals = new Map(), skips = new Map();
	console.log(`difffuzz: binaryen ${binaryenVersion()}, first seed ${seed}`);
	try {
		for (let i = 0; (args.count === null || i < args.count) && Date.now() < deadline;
		     i++, seed++) {
			for (const name of fs.readdirSync(work))
				fs.rmSync(path.join(work, name), {force: true});
			const result = await fuzzOne(binaryen, prepare, args, seed, work, cache);
			if (result.skip) {
				stats.skipped++;
				skips.set(result.skip, (skips.get(result.skip) ?? 0) + 1);
				if (args.verbose)
					console.log(`seed ${seed}: skipped, ${result.skip}`);
				continue;
			}
			if (result.refused) {
				stats.refused++;
				if (args.verbose)
					console.log(`seed ${seed}: ${result.refused}`);
				refusals.set(result.refused, (refusals.get(result.refused) ?? 0) + 1);
				continue;
			}
			stats.modules++;
			stats.calls += result.compared;
			if (result.reference.limited !== null)
				stats.limited++;
			if (args.verbose) {
				const traps = result.native.map(l => / trap (\S+)/.exec(l)?.[1])
							     .filter(Boolean);
				console.log(`seed ${seed}: ${result.compared} calls` +
					    (traps.length ? `, traps ${traps.join(' ')}` : '') +
					    (result.diff.length ? ', MISMATCH' : ''));
			}
			if (result.diff.length > 0) {
				stats.mismatches++;
				const dir = saveFinding(args, seed, work, result);
				console.log(`difffuzz: MISMATCH at seed ${seed}, saved in ${dir}:\n  ` +
					    result.diff.slice(0, 10).join('\n  '));
			}
			if (args.saveCase !== null)
				await saveCase(args, seed, work, result);
		}
	} finally {
		fs.rmSync(root, {recursive: true, force: true});
	}
	const seconds = (Date.now() - started) / 1000;
	console.log(`difffuzz: ${stats.modules} modules, ${stats.calls} calls compared ` +
		    `(${(stats.modules / seconds).toFixed(2)} modules/s, ` +
		    `${(stats.calls / seconds).toFixed(1)} calls/s) in ${seconds.toFixed(0)} s; ` +
		    `${stats.mismatches} mismatches; ${stats.limited} stopped early at the ` +
		    `interpreter's call depth limit; ${stats.refused} refused by the checker, ` +
		    `${stats.skipped} skipped; last seed ${seed - 1n}`);
	for (const [reason, n] of refusals)
		console.log(`difffuzz:   refused ${n}x: ${reason}`);
	for (const [reason, n] of skips)
		console.log(`difffuzz:   skipped ${n}x: ${reason}`);
	return stats.mismatches > 0 ? 1 : 0;
}

main().then(status => { process.exitCode = status; },
	    error => { console.error(`difffuzz: ${error.stack || error}`); process.exitCode = 1; });
