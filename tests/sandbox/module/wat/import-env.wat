(module
  (import "env" "foo" (func))
  (memory (export "memory") 1)
  (func (export "_start")))
