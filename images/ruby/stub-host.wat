;; SPDX-License-Identifier: Apache-2.0
;; The module "rb-js-abi-host" that ruby+stdlib.wasm of @ruby/3.3-wasm-wasi imports for its JS host,
;; stubbed for a WASI command (images/ruby/build.sh merges it in). Generated from the
;; import section of ruby+stdlib.wasm 2.10.1: names and signatures as it imports them.
(module
  ;; a JS bridge call: there is no JS host
  (func (export "rb_wasm_throw_prohibit_rewind_exception") (param i32) (param i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "eval-js: func(code: string) -> variant { success(handle<js-abi-value>), failure(handle<js-abi-value>) }") (param i32) (param i32) (param i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "is-js: func(value: handle<js-abi-value>) -> bool") (param i32) (result i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "instance-of: func(value: handle<js-abi-value>, klass: handle<js-abi-value>) -> bool") (param i32) (param i32) (result i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "global-this: func() -> handle<js-abi-value>")  (result i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "int-to-js-number: func(value: s32) -> handle<js-abi-value>") (param i32) (result i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "float-to-js-number: func(value: float64) -> handle<js-abi-value>") (param f64) (result i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "string-to-js-string: func(value: string) -> handle<js-abi-value>") (param i32) (param i32) (result i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "bool-to-js-bool: func(value: bool) -> handle<js-abi-value>") (param i32) (result i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "proc-to-js-function: func(value: u32) -> handle<js-abi-value>") (param i32) (result i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "rb-object-to-js-rb-value: func(raw-rb-abi-value: u32) -> handle<js-abi-value>") (param i32) (result i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "js-value-to-string: func(value: handle<js-abi-value>) -> string") (param i32) (param i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "js-value-to-integer: func(value: handle<js-abi-value>) -> variant { as-float(float64), bignum(string) }") (param i32) (param i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "export-js-value-to-host: func(value: handle<js-abi-value>) -> ()") (param i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "import-js-value-from-host: func() -> handle<js-abi-value>")  (result i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "js-value-typeof: func(value: handle<js-abi-value>) -> string") (param i32) (param i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "js-value-equal: func(lhs: handle<js-abi-value>, rhs: handle<js-abi-value>) -> bool") (param i32) (param i32) (result i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "js-value-strictly-equal: func(lhs: handle<js-abi-value>, rhs: handle<js-abi-value>) -> bool") (param i32) (param i32) (result i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "reflect-apply: func(target: handle<js-abi-value>, this-argument: handle<js-abi-value>, arguments: list<handle<js-abi-value>>) -> variant { success(handle<js-abi-value>), failure(handle<js-abi-value>) }") (param i32) (param i32) (param i32) (param i32) (param i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "reflect-get: func(target: handle<js-abi-value>, property-key: string) -> variant { success(handle<js-abi-value>), failure(handle<js-abi-value>) }") (param i32) (param i32) (param i32) (param i32) unreachable)
  ;; a JS bridge call: there is no JS host
  (func (export "reflect-set: func(target: handle<js-abi-value>, property-key: string, value: handle<js-abi-value>) -> variant { success(handle<js-abi-value>), failure(handle<js-abi-value>) }") (param i32) (param i32) (param i32) (param i32) (param i32) unreachable)
)
