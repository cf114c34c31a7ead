;; SPDX-License-Identifier: Apache-2.0
;; table-import (issue #12 item 1): fd_write placed in a table and called through
;; call_indirect. wasm2c 1.0.32 would hand the WASI host a pointer into the module's own
;; instance as its state; before the module checker refused it, this run ended in a SIGSEGV of
;; the host reported as "trap: call stack exhausted".
(module
  (type $write (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (type $write)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (table 1 funcref)
  (elem (i32.const 0) $fd_write)
  (data (i32.const 16) "written through the table\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 26))
    (call $exit (call_indirect (type $write)
      (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8) (i32.const 0)))))
