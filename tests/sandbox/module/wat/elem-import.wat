;; Issue #12 item 1: a WASI import placed in a table by an active element segment and called
;; through call_indirect. wasm2c 1.0.32 stores the address of the instance's import pointer
;; field as the entry's host state, so fd_write would take the module's instance for the host.
(module
  (type $write (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (type $write)))
  (memory (export "memory") 1)
  (table 1 funcref)
  (elem (i32.const 0) $fd_write)
  (func (export "_start")
    (drop (call_indirect (type $write)
      (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8) (i32.const 0)))))
