(module
  (memory (export "memory") 1)
  (func $f (param v128))
  (func (export "_start")))
