(module
  (memory (export "memory") 1)
  (func (export "_start")
    v128.const i32x4 1 2 3 4
    drop))
