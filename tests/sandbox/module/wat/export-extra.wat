;; Exports beyond _start and memory, as Rust's __main_void, of every kind, and with names full
;; of bytes that mean something to C: the checker drops them all, so none reaches wasm2c.
(module
  (memory (export "memory") 1)
  (table (export "__indirect_function_table") 1 funcref)
  (global (export "__heap_base") i32 (i32.const 65536))
  (func (export "_start"))
  (func (export "__main_void") (result i32) i32.const 0)
  (func (export "*/ evil(); /*"))
  (func (export "a\n#include \"/etc/passwd\"\\\n"))
  (export "\00\7f\e2\80\a8" (func 1)))
