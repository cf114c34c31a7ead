;; SPDX-License-Identifier: Apache-2.0
;; The module "canonical_abi" that ruby+stdlib.wasm of @ruby/3.3-wasm-wasi imports for its JS host,
;; stubbed for a WASI command (images/ruby/build.sh merges it in). Generated from the
;; import section of ruby+stdlib.wasm 2.10.1: names and signatures as it imports them.
(module
  ;; nothing to drop: no JS value is ever made
  (func (export "resource_drop_js-abi-value") (param i32) nop)
  ;; a handle is the guest's own value: identity
  (func (export "resource_new_rb-abi-value") (param i32) (result i32) local.get 0)
  ;; a handle is the guest's own value: identity
  (func (export "resource_get_rb-abi-value") (param i32) (result i32) local.get 0)
)
