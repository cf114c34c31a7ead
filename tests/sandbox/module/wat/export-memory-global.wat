(module
  (global $g i32 (i32.const 0))
  (memory 1)
  (export "memory" (global $g))
  (func (export "_start")))
