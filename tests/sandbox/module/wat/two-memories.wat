(module
  (memory (export "memory") 1)
  (memory $second 1)
  (func (export "_start")))
