;; ref.func of an import in code (built with --no-check: no segment declares it, so the
;; checker's code reader is what meets it first).
(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (table 1 funcref)
  (func (export "_start")
    (table.set 0 (i32.const 0) (ref.func $exit))))
