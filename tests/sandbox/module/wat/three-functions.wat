(module
  (memory (export "memory") 1)
  (func $a)
  (func $b)
  (func (export "_start") call $a call $b))
