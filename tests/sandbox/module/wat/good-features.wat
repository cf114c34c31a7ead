;; Every feature the checker takes: WASI imports with i64 parameters, tables, element and data
;; segments of each kind, globals, bulk memory, sign extension, saturating truncation and the
;; basic reference instructions.
(module
  (type $void (func))
  (type $ret_i32 (func (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (table $t 4 funcref)
  (table $ext 1 externref)
  (memory 1 16)
  (global $g (mut i32) (i32.const 8))
  (global $h i64 (i64.const -9223372036854775808))
  (global $f f32 (f32.const 1.5))
  (global $d f64 (f64.const -2.25))
  (elem (i32.const 0) $helper $helper)
  (elem $passive func $helper)
  (elem declare func $fill)
  (elem (table $t) (i32.const 2) funcref (ref.func $helper) (ref.null func))
  (elem $exprs funcref (ref.func $helper))
  (data (i32.const 16) "hello\n")
  (data $later "passive")
  (func $helper (type $ret_i32) i32.const 7)
  (func $fill (param i32 i32)
    local.get 0 i32.const 0 local.get 1 memory.fill)
  (func $math (param $x i32) (param $y i64) (result i64)
    (local $f f32) (local $d f64) (local $i i32)
    local.get $x i32.extend8_s i32.extend16_s drop
    local.get $y i64.extend32_s drop
    f32.const 1e30 i32.trunc_sat_f32_s drop
    f64.const -1 i64.trunc_sat_f64_u drop
    f32.const 2.5 f32.nearest local.set $f
    f64.const 9 f64.sqrt local.set $d
    block $out (result i32)
      loop $again
        local.get $i i32.const 1 i32.add local.tee $i
        i32.const 10 i32.lt_u br_if $again
      end
      local.get $i
      local.get $i
      br_table $out $out $out
    end
    if (result i64)
      local.get $y
    else
      i64.const 0x7fffffffffffffff
    end
    local.get $x i64.extend_i32_u
    i32.const 1
    select
    i64.const 1 i64.const 2 local.get $x select (result i64) i64.add)
  (func $start (type $void)
    i32.const 0 call_indirect (type $ret_i32) drop
    i32.const 0 table.get $t ref.is_null drop
    i32.const 1 ref.func $fill table.set $t
    table.size $t drop
    i32.const 64 i32.const 16 i32.const 6 memory.copy
    i32.const 128 i32.const 0 i32.const 7 memory.init $later
    data.drop $later
    i32.const 0 i32.const 0 i32.const 1 table.init $t $passive
    elem.drop $passive
    ref.null func i32.const 1 table.grow $t drop
    i32.const 3 ref.null func i32.const 1 table.fill $t
    i32.const 0 i32.const 1 i32.const 1 table.copy $t $t
    i32.const 1 memory.grow drop
    memory.size drop
    i32.const 1 i64.const 1000 i32.const 32 call $clock drop
    i32.const 1 i32.const 16 i32.const 1 i32.const 48 call $fd_write drop
    global.get $g global.get $g i32.load offset=4 align=2 i32.const 1 i32.add i32.store8 offset=3
    i32.const 1 i64.const 2 call $math i64.const 0 i64.ne call $exit_if
    i32.const 0 call $exit)
  (func $exit_if (param i32) local.get 0 if i32.const 1 call $exit end)
  (export "memory" (memory 0))
  (export "_start" (func $start)))
