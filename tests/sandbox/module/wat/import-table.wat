(module
  (import "env" "table" (table 1 funcref))
  (memory (export "memory") 1)
  (func (export "_start")))
