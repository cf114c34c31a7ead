;; SPDX-License-Identifier: Apache-2.0
;; unknown-import: a module that imports a function no WASI host provides, so the engine
;; must refuse it before it runs.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "env" "launch_missiles" (func $launch (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $launch (i32.const 1)))
    (call $proc_exit (i32.const 0))))
