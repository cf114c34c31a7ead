;; SPDX-License-Identifier: Apache-2.0
;; table-huge (issue #12 item 5): a table of 2^32 - 1 entries, which wasm2c 1.0.32's runtime
;; fails to allocate without noticing (size set, data NULL), then written far into it.
(module
  (memory (export "memory") 1)
  (table 4294967295 funcref)
  (func $f)
  (elem declare func $f)
  (func (export "_start")
    (table.set 0 (i32.const 1000000) (ref.func $f))))
