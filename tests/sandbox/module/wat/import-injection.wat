;; Debian's wasm2c 1.0.32 copies import names unescaped into C comments.
(module
  (import "wasi_snapshot_preview1" "*/ int x; /*" (func))
  (memory (export "memory") 1)
  (func (export "_start")))
