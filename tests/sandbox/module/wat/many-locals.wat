;; One parameter and ten locals: eleven in all.
(module
  (memory (export "memory") 1)
  (func $f (param i32) (local i32 i32 i32 i32 i32 i64 i64 f32 f64 f64))
  (func (export "_start")))
