;; SPDX-License-Identifier: Apache-2.0
;; tables: every table and bulk memory instruction the module checker takes, run through the
;; engine. Each check that fails exits with its own code; when all pass it prints "tables ok",
;; then calls past the table's end, which traps.
(module
  (type $ret (func (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (table $t 3 funcref)
  (table $big 1048000 funcref)
  (table $ext 2 externref)
  (elem (table $t) (i32.const 0) func $one $two)
  (elem $passive funcref (ref.func $three) (ref.null func))
  (elem declare func $two)
  (data $text "tables ok\n")
  (func $one (type $ret) i32.const 1)
  (func $two (type $ret) i32.const 2)
  (func $three (type $ret) i32.const 3)
  (func $check (param $ok i32) (param $code i32)
    local.get $ok i32.eqz if local.get $code call $exit end)
  (func $call (param $table_index i32) (result i32)
    local.get $table_index call_indirect $t (type $ret))
  (func (export "_start")
    ;; The active segment.
    (call $check (i32.eq (call $call (i32.const 0)) (i32.const 1)) (i32.const 10))
    (call $check (i32.eq (call $call (i32.const 1)) (i32.const 2)) (i32.const 11))
    ;; table.init from the passive segment, then elem.drop: a second init of it traps.
    (table.init $t $passive (i32.const 2) (i32.const 0) (i32.const 1))
    (call $check (i32.eq (call $call (i32.const 2)) (i32.const 3)) (i32.const 12))
    (elem.drop $passive)
    ;; ref.func, table.set/get, ref.is_null.
    (table.set $t (i32.const 0) (ref.func $two))
    (call $check (i32.eq (call $call (i32.const 0)) (i32.const 2)) (i32.const 13))
    (call $check (i32.eqz (ref.is_null (table.get $t (i32.const 0)))) (i32.const 14))
    ;; table.grow, size, fill, copy.
    (call $check (i32.eq (table.grow $t (ref.null func) (i32.const 2)) (i32.const 3)) (i32.const 15))
    (call $check (i32.eq (table.size $t) (i32.const 5)) (i32.const 16))
    (table.fill $t (i32.const 3) (ref.func $two) (i32.const 2))
    (table.copy $t $t (i32.const 1) (i32.const 3) (i32.const 1))
    (call $check (i32.eq (call $call (i32.const 4)) (i32.const 2)) (i32.const 17))
    ;; The big table, written at its far end.
    (table.set $big (i32.const 1047999) (ref.func $two))
    (call $check (i32.eqz (ref.is_null (table.get $big (i32.const 1047999)))) (i32.const 18))
    (call $check (i32.eq (table.size $big) (i32.const 1048000)) (i32.const 19))
    ;; externref: only null.
    (table.set $ext (i32.const 1) (table.get $ext (i32.const 0)))
    (call $check (ref.is_null (table.get $ext (i32.const 1))) (i32.const 20))
    ;; Bulk memory: init, copy, fill, then print.
    (memory.init $text (i32.const 100) (i32.const 0) (i32.const 10))
    (data.drop $text)
    (memory.copy (i32.const 200) (i32.const 100) (i32.const 10))
    (memory.fill (i32.const 100) (i32.const 0) (i32.const 10))
    (i32.store (i32.const 0) (i32.const 200))
    (i32.store (i32.const 4) (i32.const 10))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    ;; A table index past the end traps.
    (drop (call $call (i32.const 5)))
    (call $exit (i32.const 1))))
