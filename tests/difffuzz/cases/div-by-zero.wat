(module
  (type (;0;) (func (result i64)))
  (type (;1;) (func (param i64)))
  (type (;2;) (func))
  (type (;3;) (func (param f32 f32 i32 f32 f64) (result i64)))
  (type (;4;) (func (result f64)))
  (type (;5;) (func (param i64) (result f32)))
  (type (;6;) (func (param f32) (result f32)))
  (type (;7;) (func (param f64) (result f64)))
  (type (;8;) (func (param i32)))
  (type (;9;) (func (param f32)))
  (type (;10;) (func (param f64)))
  (func (;0;) (type 1) (param i64)
    (local f64 f64 f64 i64 i64 i32)
    global.get 17
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 17
      unreachable
    end
    global.get 17
    i32.const 1
    i32.sub
    global.set 17
    i32.const 65432
    local.get 6
    i32.div_s
    i32.const 15
    i32.and
    i32.load16_s offset=2
    local.tee 6
    i32.const 15
    i32.and
    global.get 7
    call 5
    f32.store offset=22 align=1
    local.get 6
    i32.const 15
    i32.and
    f64.load offset=22
    call 6
    local.set 2)
  (func (;1;) (type 3) (param f32 f32 i32 f32 f64) (result i64)
    (local i32 i32 f32 i64 i64 f64)
    local.get 0
    call 5
    local.set 0
    local.get 1
    call 5
    local.set 1
    local.get 3
    call 5
    local.set 3
    local.get 4
    call 6
    local.set 4
    global.get 17
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 17
      unreachable
    end
    global.get 17
    i32.const 1
    i32.sub
    global.set 17
    local.get 6
    i32.const 15
    i32.and
    local.get 7
    local.tee 1
    f32.store offset=22 align=2
    f64.const -0x1.38p+6 (;=-78;)
    local.tee 4
    drop
    local.get 10
    call 10
    i64.const -1073741824
    return)
  (func (;2;) (type 2)
    global.get 17
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 17
      unreachable
    end
    global.get 17
    i32.const 1
    i32.sub
    global.set 17
    f32.const 0x1p+4 (;=16;)
    f32.const -0x1.fffeecp+13 (;=-16383.9;)
    i32.const 2147483647
    f32.const 0x1p+63 (;=9.22337e+18;)
    f64.const 0x1.fffffffffff71p+42 (;=8.79609e+12;)
    call 1
    drop
    f32.const 0x1p+0 (;=1;)
    f32.const -0x1p+53 (;=-9.0072e+15;)
    i32.const -115
    f32.const -0x1.33b646p+0 (;=-1.202;)
    f64.const 0x1p+36 (;=6.87195e+10;)
    call 1
    drop)
  (func (;3;) (type 4) (result f64)
    global.get 17
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 17
      unreachable
    end
    global.get 17
    i32.const 1
    i32.sub
    global.set 17
    global.get 14
    call 6)
  (func (;4;) (type 5) (param i64) (result f32)
    (local i32 f64 f32)
    global.get 17
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 17
      unreachable
    end
    global.get 17
    i32.const 1
    i32.sub
    global.set 17
    i32.const 255
    if (result i32)  ;; label = @1
      i32.const 65489
    else
      global.get 1
      drop
      i32.const 16
    end
    i32.const 15
    i32.and
    f32.load offset=22
    call 5)
  (func (;5;) (type 6) (param f32) (result f32)
    local.get 0
    local.get 0
    f32.eq
    if (result f32)  ;; label = @1
      local.get 0
    else
      f32.const 0x0p+0 (;=0;)
    end)
  (func (;6;) (type 7) (param f64) (result f64)
    local.get 0
    local.get 0
    f64.eq
    if (result f64)  ;; label = @1
      local.get 0
    else
      f64.const 0x0p+0 (;=0;)
    end)
  (func (;7;) (type 8) (param i32)
    global.get 18
    local.get 0
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 18)
  (func (;8;) (type 1) (param i64)
    global.get 18
    local.get 0
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 18)
  (func (;9;) (type 9) (param f32)
    global.get 18
    local.get 0
    i32.reinterpret_f32
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 18)
  (func (;10;) (type 10) (param f64)
    global.get 18
    local.get 0
    i64.reinterpret_f64
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 18)
  (func (;11;) (type 0) (result i64)
    (local i32 i32 i64)
    global.get 18
    local.set 2
    local.get 2
    global.get 1
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 2
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 4
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 5
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 10
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 12
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 17
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    i32.const 4096
    memory.size
    i32.const 16
    i32.shl
    memory.size
    i32.const 16
    i32.shl
    i32.const 4096
    i32.gt_u
    select
    local.set 1
    i32.const 0
    local.set 0
    block  ;; label = @1
      loop  ;; label = @2
        local.get 0
        local.get 1
        i32.ge_u
        br_if 1 (;@1;)
        local.get 2
        local.get 0
        i64.load
        i64.xor
        i64.const 1099511628211
        i64.mul
        i64.const 29
        i64.rotl
        local.set 2
        local.get 0
        i32.const 8
        i32.add
        local.set 0
        br 0 (;@2;)
      end
      unreachable
    end
    local.get 2)
  (func (;12;) (type 0) (result i64)
    (local i32 i32 i64)
    global.get 18
    local.set 2
    local.get 2
    global.get 1
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 2
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 4
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 5
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 10
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 12
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 17
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    memory.size
    i32.const 16
    i32.shl
    local.set 1
    i32.const 0
    local.set 0
    block  ;; label = @1
      loop  ;; label = @2
        local.get 0
        local.get 1
        i32.ge_u
        br_if 1 (;@1;)
        local.get 2
        local.get 0
        i64.load
        i64.xor
        i64.const 1099511628211
        i64.mul
        i64.const 29
        i64.rotl
        local.set 2
        local.get 0
        i32.const 8
        i32.add
        local.set 0
        br 0 (;@2;)
      end
      unreachable
    end
    local.get 2)
  (func (;13;) (type 0) (result i64)
    i64.const 0
    call 0
    i64.const 0)
  (func (;14;) (type 0) (result i64)
    f32.const 0x0p+0 (;=0;)
    f32.const 0x0p+0 (;=0;)
    i32.const 0
    f32.const 0x0p+0 (;=0;)
    f64.const 0x0p+0 (;=0;)
    call 1)
  (func (;15;) (type 0) (result i64)
    call 2
    i64.const 0)
  (func (;16;) (type 0) (result i64)
    i64.const 0
    call 4
    i32.reinterpret_f32
    i64.extend_i32_u)
  (func (;17;) (type 2)
    (local i32 i64)
    global.get 20
    if  ;; label = @1
      i32.const 0
      global.get 21
      i64.store align=1
      i32.const 0
      global.set 20
    end
    global.get 19
    local.set 0
    local.get 0
    i32.const 1
    i32.add
    global.set 19
    local.get 0
    i32.const 0
    i32.eq
    if  ;; label = @1
      call 13
      local.set 1
    end
    local.get 0
    i32.const 1
    i32.eq
    if  ;; label = @1
      call 11
      local.set 1
    end
    local.get 0
    i32.const 2
    i32.eq
    if  ;; label = @1
      call 14
      local.set 1
    end
    local.get 0
    i32.const 3
    i32.eq
    if  ;; label = @1
      call 11
      local.set 1
    end
    local.get 0
    i32.const 4
    i32.eq
    if  ;; label = @1
      call 15
      local.set 1
    end
    local.get 0
    i32.const 5
    i32.eq
    if  ;; label = @1
      call 11
      local.set 1
    end
    local.get 0
    i32.const 6
    i32.eq
    if  ;; label = @1
      call 16
      local.set 1
    end
    local.get 0
    i32.const 7
    i32.eq
    if  ;; label = @1
      call 11
      local.set 1
    end
    local.get 0
    i32.const 8
    i32.eq
    if  ;; label = @1
      call 12
      local.set 1
    end
    i32.const 0
    i64.load align=1
    global.set 21
    i32.const 1
    global.set 20
    i32.const 0
    local.get 1
    i64.store align=1)
  (table (;0;) 7 funcref)
  (memory (;0;) 16 16)
  (global (;0;) i64 (i64.const -66))
  (global (;1;) (mut i32) (i32.const 253782842))
  (global (;2;) (mut i32) (i32.const -128))
  (global (;3;) i32 (i32.const -54))
  (global (;4;) (mut i32) (i32.const -1073741824))
  (global (;5;) (mut i32) (i32.const -22))
  (global (;6;) i64 (i64.const -2))
  (global (;7;) f32 (f32.const -0x1.3214p+14 (;=-19589;)))
  (global (;8;) i64 (i64.const 127))
  (global (;9;) i32 (i32.const -32210))
  (global (;10;) (mut i64) (i64.const -58041401559))
  (global (;11;) f64 (f64.const -0x1.fd9999999999ap+3 (;=-15.925;)))
  (global (;12;) (mut i64) (i64.const 15700))
  (global (;13;) i64 (i64.const -620147189))
  (global (;14;) f64 (f64.const 0x0p+0 (;=0;)))
  (global (;15;) i64 (i64.const -1125899906842624))
  (global (;16;) f64 (f64.const -0x1p+39 (;=-5.49756e+11;)))
  (global (;17;) (mut i32) (i32.const 100))
  (global (;18;) (mut i64) (i64.const 0))
  (global (;19;) (mut i32) (i32.const 0))
  (global (;20;) (mut i32) (i32.const 0))
  (global (;21;) (mut i64) (i64.const 0))
  (export "memory" (memory 0))
  (export "c0" (func 13))
  (export "h0" (func 11))
  (export "c1" (func 14))
  (export "h1" (func 11))
  (export "c2" (func 15))
  (export "h2" (func 11))
  (export "c3" (func 16))
  (export "h3" (func 11))
  (export "m" (func 12))
  (export "_start" (func 17))
  (elem (;0;) (i32.const 0) func)
  (data (;0;) "@\02\d5E#\c6ZQ\a0r:\81\f2\8c\15\c5/\d8\18w\88@\c0\8a\e1\c0\fd.i#\90")
  (data (;1;) (i32.const 0) "")
  (data (;2;) "~\9b\be\07")
  (data (;3;) "\8aC\e0\d2\b3w\8b\ed\b7\90\96\b1\9f\cf\1c\cd7\da\0f.\f4E\91\d9\0b4\12\19\18\a9")
  (data (;4;) "\b9,p\c0\e0C\15pH\8d\1b(2\cf\c7\0a\c2[d\a0\af\08\e3\e4")
  (data (;5;) "\a87\14")
  (data (;6;) "\acz\b0V\84\aa"))
