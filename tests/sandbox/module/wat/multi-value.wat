(module
  (memory (export "memory") 1)
  (func $pair (result i32 i32) i32.const 1 i32.const 2)
  (func (export "_start")))
