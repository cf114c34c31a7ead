;; Issue #12 item 5: a table the runtime cannot allocate. wasm2c 1.0.32's
;; wasm_rt_allocate_funcref_table does not check calloc, leaving 2^32 - 1 entries at NULL.
(module
  (memory (export "memory") 1)
  (table 4294967295 funcref)
  (func (export "_start")))
