;; The same import in a passive segment of expressions (the second segment), copied into the
;; table by table.init: every element segment mode goes through the same wasm2c table.
(module
  (type $write (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (type $write)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 0) $helper)
  (elem $p funcref (ref.null func) (ref.func $fd_write))
  (func $helper)
  (func (export "_start")
    (table.init $p (i32.const 0) (i32.const 0) (i32.const 2))))
