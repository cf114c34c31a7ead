;; A declarative segment naming an import, so that ref.func of it validates.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (table 1 funcref)
  (elem declare func $exit)
  (func (export "_start")
    (table.set 0 (i32.const 0) (ref.func $exit))))
