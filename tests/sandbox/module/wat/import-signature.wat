;; fd_write with the wrong signature: wasm2c 1.0.32 would declare it as given, and the call
;; would reach the host's four-parameter function.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")))
