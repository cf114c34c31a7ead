// SPDX-License-Identifier: Apache-2.0
// Shapes a module from binaryen's `wasm-opt -ttf` into one the reference interpreter and a
// zvmfs job run the same way. The fuzzer's imports (logging, mostly) become defined functions
// that fold each value passed into a global. Each exported function gets a wrapper `c<N>` of type
// () -> i64 that calls it with zero arguments and returns its result's bits, followed by
// `h<N>`, a hash of the log, the mutable globals and the low 4 KiB of linear memory (where
// -ttf's masked pointers land); a last `m` hashes the whole memory. Every observable value is
// thus an i64, printed exactly by both sides.
//
// The checker keeps only `_start` and `memory` of a module's exports, so a job cannot call
// `c0`; instead `_start` is a dispatcher: its k-th call runs the k-th of the exports above and
// leaves the i64 result in memory bytes 0-7, whose own value it saves first and puts back at
// its next call. So between calls memory holds only what the module wrote, and the harness
// reads each result from the memory after a call (a trap leaves nothing to restore). Two
// binaries come out: the job's (exports `_start`, `memory`, the wrappers) and the
// reference's (the same without `_start`), so the reference calls the wrappers directly in
// the same order.

/* 64-bit FNV prime; the fold is (acc ^ value) * prime, rotated so high bits move down. */
const FOLD_PRIME = 0x100000001b3n;
/* The functions and globals prepare() adds; the hash leaves those globals out but the log. */
const OURS = 'zvm$';
const LOG_GLOBAL = OURS + 'log';

function fold(mod, acc, value)
{
	return mod.i64.rotl(mod.i64.mul(mod.i64.xor(acc, value), mod.i64.const(FOLD_PRIME)), mod.i64.const(29n));
}

/* @value of @type as the i64 of its bits (unsigned for 32-bit types). */
function asBits(binaryen, mod, type, value)
{
	switch (type) {
	case binaryen.i32:
		return mod.i64.extend_u(value);
	case binaryen.i64:
		return value;
	case binaryen.f32:
		return mod.i64.extend_u(mod.i32.reinterpret(value));
	case binaryen.f64:
		return mod.i64.reinterpret(value);
	default:
		return null;
	}
}

function zero(binaryen, mod, type)
{
	switch (type) {
	case binaryen.i32:
		return mod.i32.const(0);
	case binaryen.i64:
		return mod.i64.const(0n);
	case binaryen.f32:
		return mod.f32.const(0);
	case binaryen.f64:
		return mod.f64.const(0);
	default:
		return null;
	}
}

/* env.setTempRet0 (i32) and env.getTempRet0 () -> i32, which binaryen's JS legalisation
 * (one of -fp's passes) imports to pass the high half of an i64: one global between them, as
 * the JS glue keeps. Returns false for another signature. */
function defineTempRet(binaryen, mod, info, params, results)
{
	const TEMP = OURS + 'tempRet0';
	if (mod.getGlobal(TEMP) === 0)
		mod.addGlobal(TEMP, binaryen.i32, true, mod.i32.const(0));
	let body;
	if (info.base === 'setTempRet0' && params.length === 1 && params[0] === binaryen.i32 &&
	    results.length === 0)
		body = mod.global.set(TEMP, mod.local.get(0, binaryen.i32));
	else if (info.base === 'getTempRet0' && params.length === 0 && results.length === 1 &&
		 results[0] === binaryen.i32)
		body = mod.global.get(TEMP, binaryen.i32);
	else
		return false;
	mod.removeFunction(info.name);
	mod.addFunction(info.name, info.params, info.results, [], body);
	return true;
}

/* Replaces each imported function of `fuzzing-support` by a defined function of the same
 * name and type that folds its parameters into the log global and returns zero (or, for
 * `sleep` (ms, id) -> i32, its id, as the interpreter's does). Both sides run these same
 * definitions, so they need not match the interpreter's own imports: `call-export` and
 * `call-export-catch`, which would call back into the module's exports, are thus folds too.
 * Returns null, or the import that cannot be replaced (another module, a reference-typed
 * value, several results). */
function defineImports(binaryen, mod)
{
	const imports = [];
	for (let i = 0; i < mod.getNumFunctions(); i++) {
		const info = binaryen.getFunctionInfo(mod.getFunctionByIndex(i));
		if (info.module)
			imports.push(info);
	}
	for (const info of imports) {
		const params = binaryen.expandType(info.params);
		const results = binaryen.expandType(info.results);
		const what = `${info.module}.${info.base}`;
		if (info.module === 'env' && (info.base === 'setTempRet0' || info.base === 'getTempRet0')) {
			if (!defineTempRet(binaryen, mod, info, params, results))
				return what;
			continue;
		}
		if (info.module !== 'fuzzing-support' || results.length > 1)
			return what;
		let acc = mod.global.get(LOG_GLOBAL, binaryen.i64);
		for (let p = 0; p < params.length; p++) {
			const bits = asBits(binaryen, mod, params[p], mod.local.get(p, params[p]));
			if (bits === null)
				return what;
			acc = fold(mod, acc, bits);
		}
		const body = [mod.global.set(LOG_GLOBAL, acc)];
		if (info.base === 'sleep' && params.length === 2 && params[1] === binaryen.i32 &&
		    info.results === binaryen.i32) {
			body.push(mod.local.get(1, binaryen.i32));
		} else if (results.length === 1) {
			const value = zero(binaryen, mod, results[0]);
			if (value === null)
				return what;
			body.push(value);
		}
		mod.removeFunction(info.name);
		mod.addFunction(info.name, info.params, info.results, [],
				mod.block(null, body, info.results));
	}
	return null;
}

/* Bytes of memory each h<N> hashes: all of -ttf's masked accesses (pointer & 15, offsets
 * of a few dozen bytes) and bulk operations near them. The reference interpreter hashes about
 * 1 MiB/s, so the whole memory is hashed once, by `m`, at the end. */
const LOW_BYTES = 4096;
/* Where the dispatcher leaves each result for the harness. */
const RESULT_ADDRESS = 0;


/* `name`: () -> i64 folding the log, every mutable numeric global of the module, then
 * memory in 8-byte words up to @limit bytes (null: all of it). */
function addHash(binaryen, mod, memoryName, name, limit)
{
	const I = 0, N = 1, ACC = 2;
	const body = [mod.local.set(ACC, mod.global.get(LOG_GLOBAL, binaryen.i64))];
	for (let g = 0; g < mod.getNumGlobals(); g++) {
		const info = binaryen.getGlobalInfo(mod.getGlobalByIndex(g));
		if (!info.mutable || info.name.startsWith(OURS))
			continue;
		const bits = asBits(binaryen, mod, info.type, mod.global.get(info.name, info.type));
		if (bits !== null)
			body.push(mod.local.set(ACC, fold(mod, mod.local.get(ACC, binaryen.i64), bits)));
	}
	let bytes = mod.i32.shl(mod.memory.size(memoryName), mod.i32.const(16));
	if (limit !== null)
		bytes = mod.select(mod.i32.gt_u(bytes, mod.i32.const(limit)),
				   mod.i32.const(limit), bytes);
	body.push(mod.local.set(N, bytes));
	body.push(mod.local.set(I, mod.i32.const(0)));
	body.push(mod.block(`${name}$done`, [mod.loop(`${name}$next`, mod.block(null, [
		mod.br(`${name}$done`, mod.i32.ge_u(mod.local.get(I, binaryen.i32),
						    mod.local.get(N, binaryen.i32))),
		mod.local.set(ACC, fold(mod, mod.local.get(ACC, binaryen.i64),
					mod.i64.load(0, 8, mod.local.get(I, binaryen.i32), memoryName))),
		mod.local.set(I, mod.i32.add(mod.local.get(I, binaryen.i32), mod.i32.const(8))),
		mod.br(`${name}$next`),
	]))]));
	body.push(mod.local.get(ACC, binaryen.i64));
	mod.addFunction(name, binaryen.none, binaryen.i64,
			[binaryen.i32, binaryen.i32, binaryen.i64], mod.block(null, body, binaryen.i64));
}

/* `_start`: its k-th call puts back memory bytes 0-7 as the (k-1)-th left them, runs
 * @steps[k] (a () -> i64 function; none past the end) and leaves the result there. */
function addDispatcher(binaryen, mod, memoryName, steps)
{
	const NEXT = OURS + 'next', SAVED = OURS + 'saved', BYTES = OURS + 'bytes';
	mod.addGlobal(NEXT, binaryen.i32, true, mod.i32.const(0));
	mod.addGlobal(SAVED, binaryen.i32, true, mod.i32.const(0));
	mod.addGlobal(BYTES, binaryen.i64, true, mod.i64.const(0n));
	const K = 0, RESULT = 1;
	const address = () => mod.i32.const(RESULT_ADDRESS);
	const body = [
		mod.if(mod.global.get(SAVED, binaryen.i32), mod.block(null, [
			mod.i64.store(0, 1, address(), mod.global.get(BYTES, binaryen.i64), memoryName),
			mod.global.set(SAVED, mod.i32.const(0)),
		])),
		mod.local.set(K, mod.global.get(NEXT, binaryen.i32)),
		mod.global.set(NEXT, mod.i32.add(mod.local.get(K, binaryen.i32), mod.i32.const(1))),
	];
	steps.forEach((step, k) => body.push(mod.if(
		mod.i32.eq(mod.local.get(K, binaryen.i32), mod.i32.const(k)),
		mod.local.set(RESULT, mod.call(step, [], binaryen.i64)))));
	body.push(mod.global.set(BYTES, mod.i64.load(0, 1, address(), memoryName)));
	body.push(mod.global.set(SAVED, mod.i32.const(1)));
	body.push(mod.i64.store(0, 1, address(), mod.local.get(RESULT, binaryen.i64), memoryName));
	mod.addFunction(OURS + 'start', binaryen.none, binaryen.none, [binaryen.i32, binaryen.i64],
			mod.block(null, body));
}

/*
 * Rewrites the -ttf module @bytes (a Uint8Array) with @features. Returns {job, reference,
 * exports}: the two binaries and the names of the functions the wrappers call, in order; or
 * {skip: reason} for a module outside what the harness runs.
 */
export function prepare(binaryen, bytes, features)
{
	const mod = binaryen.readBinary(bytes);
	try {
		mod.setFeatures(features);
		const memoryName = '0';
		/* -fp's passes may remove an unused memory; the job needs one, and so do the
		 * dispatcher and the hashes. */
		if (!mod.hasMemory())
			mod.setMemory(1, 1, null, [], false, false, memoryName);
		if (mod.getMemoryInfo(memoryName).initial < 1)
			return {skip: 'memory of no pages'};
		mod.addGlobal(LOG_GLOBAL, binaryen.i64, true, mod.i64.const(0n));
		const unserved = defineImports(binaryen, mod);
		if (unserved !== null)
			return {skip: `import ${unserved}`};

		const targets = [];
		const exportNames = [];
		for (let i = 0; i < mod.getNumExports(); i++) {
			const info = binaryen.getExportInfo(mod.getExportByIndex(i));
			exportNames.push(info.name);
			if (info.kind === binaryen.ExternalFunction)
				targets.push(info.value);
		}
		for (const name of exportNames)
			mod.removeExport(name);

		addHash(binaryen, mod, memoryName, OURS + 'low', LOW_BYTES);
		addHash(binaryen, mod, memoryName, OURS + 'all', null);
		const steps = [];
		const called = [];
		/* The checker refuses a start function (zvmfs runs `_start`): it becomes the first
		 * call instead, `s`, on both sides. */
		const start = mod.getStart();
		if (start !== 0) {
			const name = binaryen.getFunctionInfo(start).name;
			mod.setStart(0);
			mod.addFunction(OURS + 's', binaryen.none, binaryen.i64, [], mod.block(null,
					[mod.call(name, [], binaryen.none), mod.i64.const(0n)], binaryen.i64));
			steps.push([OURS + 's', 's'], [OURS + 'low', 'hs']);
			called.push(name);
		}
		for (const target of targets) {
			const info = binaryen.getFunctionInfo(mod.getFunction(target));
			const args = binaryen.expandType(info.params).map(t => zero(binaryen, mod, t));
			const results = binaryen.expandType(info.results);
			if (args.includes(null) || results.length > 1)
				continue;
			const call = mod.call(target, args, info.results);
			const body = results.length === 0
				     ? mod.block(null, [call, mod.i64.const(0n)], binaryen.i64)
				     : asBits(binaryen, mod, results[0], call);
			if (body === null)
				continue;
			const n = called.length;
			mod.addFunction(`${OURS}c${n}`, binaryen.none, binaryen.i64, [], body);
			steps.push([`${OURS}c${n}`, `c${n}`], [OURS + 'low', `h${n}`]);
			called.push(target);
		}
		steps.push([OURS + 'all', 'm']);
		addDispatcher(binaryen, mod, memoryName, steps.map(([internal]) => internal));
		mod.addMemoryExport(memoryName, 'memory');
		for (const [internal, external] of steps)
			mod.addFunctionExport(internal, external);
		if (!mod.validate())
			return {skip: 'the rewritten module does not validate'};
		const reference = mod.emitBinary();
		mod.addFunctionExport(OURS + 'start', '_start');
		return {job: mod.emitBinary(), reference, exports: called};
	} finally {
		mod.dispose();
	}
}
