;; A module that imports nothing: wasm2c then gives Z_zvm_instantiate one parameter.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    i32.const 0 i32.const 42 i32.store))
