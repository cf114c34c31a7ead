(module
  (type (;0;) (func (result i64)))
  (type (;1;) (func))
  (type (;2;) (func (result f32)))
  (type (;3;) (func (result i32)))
  (type (;4;) (func (result f64)))
  (type (;5;) (func (param i64 i64 f64 i64) (result f32)))
  (type (;6;) (func (param f64 i64 f32) (result i32)))
  (type (;7;) (func (param f32) (result f32)))
  (type (;8;) (func (param f64) (result f64)))
  (type (;9;) (func (param i32)))
  (type (;10;) (func (param i64)))
  (type (;11;) (func (param f32)))
  (type (;12;) (func (param f64)))
  (func (;0;) (type 2) (result f32)
    (local f32 i64 i32)
    global.get 3
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 3
      unreachable
    end
    global.get 3
    i32.const 1
    i32.sub
    global.set 3
    global.get 0
    call 13
    f32.ceil
    call 13)
  (func (;1;) (type 1)
    global.get 3
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 3
      unreachable
    end
    global.get 3
    i32.const 1
    i32.sub
    global.set 3
    call 0
    call 13
    drop
    call 0
    call 13
    drop)
  (func (;2;) (type 3) (result i32)
    global.get 3
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 3
      unreachable
    end
    global.get 3
    i32.const 1
    i32.sub
    global.set 3
    f32.const -0x1p+48 (;=-2.81475e+14;)
    i32.trunc_sat_f32_u)
  (func (;3;) (type 1)
    global.get 3
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 3
      unreachable
    end
    global.get 3
    i32.const 1
    i32.sub
    global.set 3
    call 2
    drop)
  (func (;4;) (type 4) (result f64)
    (local i64 i32 i32 i32 f32 f32 f32 f64)
    global.get 3
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 3
      unreachable
    end
    global.get 3
    i32.const 1
    i32.sub
    global.set 3
    f64.const -0x1.fep+7 (;=-255;)
    local.get 7
    f64.sub
    call 14
    local.tee 7)
  (func (;5;) (type 1)
    global.get 3
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 3
      unreachable
    end
    global.get 3
    i32.const 1
    i32.sub
    global.set 3
    call 4
    call 14
    drop
    call 4
    call 14
    drop)
  (func (;6;) (type 5) (param i64 i64 f64 i64) (result f32)
    local.get 2
    call 14
    local.set 2
    global.get 3
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 3
      unreachable
    end
    global.get 3
    i32.const 1
    i32.sub
    global.set 3
    i32.const 0
    if (result f64)  ;; label = @1
      f32.const -0x1.a66p+13 (;=-13516;)
      return
    else
      f32.const -0x1p+46 (;=-7.03687e+13;)
      global.set 0
      i32.const -88
      i32.const -28837
      i32.shl
      i32.load offset=22 align=1
      if  ;; label = @2
        i64.const 4294967217
        call 16
      else
        local.get 1
        call 16
      end
      local.get 2
    end
    f64.const 0x0p+0 (;=0;)
    local.tee 2
    f64.max
    call 14
    call 18
    f32.const -0x1p+35 (;=-3.43597e+10;)
    return)
  (func (;7;) (type 1)
    global.get 3
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 3
      unreachable
    end
    global.get 3
    i32.const 1
    i32.sub
    global.set 3
    i64.const 1
    i64.const 79
    f64.const 0x1.a4dd2f1a9fbe8p-2 (;=0.411;)
    i64.const -9223372036854775807
    call 6
    call 13
    drop
    i64.const 65535
    i64.const 12404
    f64.const -0x1.2p+3 (;=-9;)
    i64.const -9223372036854775808
    call 6
    call 13
    drop)
  (func (;8;) (type 3) (result i32)
    global.get 3
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 3
      unreachable
    end
    global.get 3
    i32.const 1
    i32.sub
    global.set 3
    loop  ;; label = @1
      global.get 3
      i32.eqz
      if  ;; label = @2
        i32.const 100
        global.set 3
        unreachable
      end
      global.get 3
      i32.const 1
      i32.sub
      global.set 3
      i32.const 254
      br_if 0 (;@1;)
      br 0 (;@1;)
    end
    unreachable)
  (func (;9;) (type 1)
    global.get 3
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 3
      unreachable
    end
    global.get 3
    i32.const 1
    i32.sub
    global.set 3
    call 8
    drop
    call 8
    drop
    call 8
    drop)
  (func (;10;) (type 2) (result f32)
    (local i64)
    global.get 3
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 3
      unreachable
    end
    global.get 3
    i32.const 1
    i32.sub
    global.set 3
    global.get 2
    call 13)
  (func (;11;) (type 1)
    global.get 3
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 3
      unreachable
    end
    global.get 3
    i32.const 1
    i32.sub
    global.set 3
    call 10
    call 13
    drop
    call 10
    call 13
    drop)
  (func (;12;) (type 6) (param f64 i64 f32) (result i32)
    (local i32 f32)
    local.get 0
    call 14
    local.set 0
    local.get 2
    call 13
    local.set 2
    global.get 3
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 3
      unreachable
    end
    global.get 3
    i32.const 1
    i32.sub
    global.set 3
    i32.const -32768
    if (result i32)  ;; label = @1
      block (result i32)  ;; label = @2
        local.get 3
        i32.const 15
        i32.and
        i32.const -69
        local.tee 3
        local.tee 3
        local.tee 3
        if (result i32)  ;; label = @3
          block  ;; label = @4
            local.get 1
            local.get 1
            i64.lt_u
            i32.eqz
            br_if 0 (;@4;)
            block  ;; label = @5
              local.get 3
              br_if 0 (;@5;)
              nop
            end
          end
          local.get 3
          i32.const 15
          i32.and
          i64.const -2305843009213693952
          i64.store16 offset=22 align=1
          local.get 0
          i64.const -2251799813685248
          local.get 1
          local.get 3
          local.get 3
          i32.eqz
          br_if 1 (;@2;)
          select
          f32.const -0x1.6e4fa8p+21 (;=-3.00082e+06;)
          call 12
        else
          loop  ;; label = @4
            global.get 3
            i32.eqz
            if  ;; label = @5
              i32.const 100
              global.set 3
              unreachable
            end
            global.get 3
            i32.const 1
            i32.sub
            global.set 3
            local.get 3
            local.tee 3
            br_if 0 (;@4;)
          end
          i32.const -32767
        end
        local.get 3
        local.get 3
        select
        if (result f32)  ;; label = @3
          nop
          i32.const -602988696
          return
        else
          f32.const -0x1p+30 (;=-1.07374e+09;)
        end
        local.tee 4
        f32.store offset=22 align=2
        local.get 3
      end
    else
      local.get 3
      local.tee 3
      drop
      i32.const -4304029
      i32.const 15
      i32.and
      i32.const 8
      i32.const 1
      memory.init 0
      i32.const -57
      drop
      loop  ;; label = @2
        global.get 3
        i32.eqz
        if  ;; label = @3
          i32.const 100
          global.set 3
          unreachable
        end
        global.get 3
        i32.const 1
        i32.sub
        global.set 3
        i32.const 101
        if (result i32)  ;; label = @3
          loop (result i32)  ;; label = @4
            global.get 3
            i32.eqz
            if  ;; label = @5
              i32.const 100
              global.set 3
              unreachable
            end
            global.get 3
            i32.const 1
            i32.sub
            global.set 3
            i64.const -1512
            local.tee 1
            local.set 1
            i32.const -88
            i32.eqz
            br_if 0 (;@4;)
            local.get 3
          end
          local.tee 3
          local.tee 3
        else
          i32.const -114
          local.tee 3
          if  ;; label = @4
            local.get 0
            local.set 0
            i32.const -88
            i32.const 15
            i32.and
            local.get 3
            i32.const 15
            i32.and
            i32.load offset=4 align=2
            i32.store8 offset=4
          end
          br 1 (;@2;)
        end
        i32.const 15
        i32.and
        global.get 1
        call 14
        f64.store offset=22 align=2
        br 0 (;@2;)
      end
      unreachable
    end
    i32.eqz
    if (result i32)  ;; label = @1
      local.get 3
    else
      local.get 3
    end
    local.set 3
    i32.const 262144)
  (func (;13;) (type 7) (param f32) (result f32)
    local.get 0
    local.get 0
    f32.eq
    if (result f32)  ;; label = @1
      local.get 0
    else
      f32.const 0x0p+0 (;=0;)
    end)
  (func (;14;) (type 8) (param f64) (result f64)
    local.get 0
    local.get 0
    f64.eq
    if (result f64)  ;; label = @1
      local.get 0
    else
      f64.const 0x0p+0 (;=0;)
    end)
  (func (;15;) (type 9) (param i32)
    global.get 4
    local.get 0
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 4)
  (func (;16;) (type 10) (param i64)
    global.get 4
    local.get 0
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 4)
  (func (;17;) (type 11) (param f32)
    global.get 4
    local.get 0
    i32.reinterpret_f32
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 4)
  (func (;18;) (type 12) (param f64)
    global.get 4
    local.get 0
    i64.reinterpret_f64
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 4)
  (func (;19;) (type 0) (result i64)
    (local i32 i32 i64)
    global.get 4
    local.set 2
    local.get 2
    global.get 0
    i32.reinterpret_f32
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 1
    i64.reinterpret_f64
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 2
    i32.reinterpret_f32
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 3
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
  (func (;20;) (type 0) (result i64)
    (local i32 i32 i64)
    global.get 4
    local.set 2
    local.get 2
    global.get 0
    i32.reinterpret_f32
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 1
    i64.reinterpret_f64
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 2
    i32.reinterpret_f32
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 3
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
  (func (;21;) (type 0) (result i64)
    call 0
    i32.reinterpret_f32
    i64.extend_i32_u)
  (func (;22;) (type 0) (result i64)
    call 1
    i64.const 0)
  (func (;23;) (type 0) (result i64)
    call 2
    i64.extend_i32_u)
  (func (;24;) (type 0) (result i64)
    call 3
    i64.const 0)
  (func (;25;) (type 0) (result i64)
    call 4
    i64.reinterpret_f64)
  (func (;26;) (type 0) (result i64)
    call 5
    i64.const 0)
  (func (;27;) (type 0) (result i64)
    call 7
    i64.const 0)
  (func (;28;) (type 0) (result i64)
    call 8
    i64.extend_i32_u)
  (func (;29;) (type 0) (result i64)
    call 9
    i64.const 0)
  (func (;30;) (type 0) (result i64)
    call 11
    i64.const 0)
  (func (;31;) (type 0) (result i64)
    f64.const 0x0p+0 (;=0;)
    i64.const 0
    f32.const 0x0p+0 (;=0;)
    call 12
    i64.extend_i32_u)
  (func (;32;) (type 1)
    (local i32 i64)
    global.get 6
    if  ;; label = @1
      i32.const 0
      global.get 7
      i64.store align=1
      i32.const 0
      global.set 6
    end
    global.get 5
    local.set 0
    local.get 0
    i32.const 1
    i32.add
    global.set 5
    local.get 0
    i32.const 0
    i32.eq
    if  ;; label = @1
      call 21
      local.set 1
    end
    local.get 0
    i32.const 1
    i32.eq
    if  ;; label = @1
      call 19
      local.set 1
    end
    local.get 0
    i32.const 2
    i32.eq
    if  ;; label = @1
      call 22
      local.set 1
    end
    local.get 0
    i32.const 3
    i32.eq
    if  ;; label = @1
      call 19
      local.set 1
    end
    local.get 0
    i32.const 4
    i32.eq
    if  ;; label = @1
      call 23
      local.set 1
    end
    local.get 0
    i32.const 5
    i32.eq
    if  ;; label = @1
      call 19
      local.set 1
    end
    local.get 0
    i32.const 6
    i32.eq
    if  ;; label = @1
      call 24
      local.set 1
    end
    local.get 0
    i32.const 7
    i32.eq
    if  ;; label = @1
      call 19
      local.set 1
    end
    local.get 0
    i32.const 8
    i32.eq
    if  ;; label = @1
      call 25
      local.set 1
    end
    local.get 0
    i32.const 9
    i32.eq
    if  ;; label = @1
      call 19
      local.set 1
    end
    local.get 0
    i32.const 10
    i32.eq
    if  ;; label = @1
      call 26
      local.set 1
    end
    local.get 0
    i32.const 11
    i32.eq
    if  ;; label = @1
      call 19
      local.set 1
    end
    local.get 0
    i32.const 12
    i32.eq
    if  ;; label = @1
      call 27
      local.set 1
    end
    local.get 0
    i32.const 13
    i32.eq
    if  ;; label = @1
      call 19
      local.set 1
    end
    local.get 0
    i32.const 14
    i32.eq
    if  ;; label = @1
      call 28
      local.set 1
    end
    local.get 0
    i32.const 15
    i32.eq
    if  ;; label = @1
      call 19
      local.set 1
    end
    local.get 0
    i32.const 16
    i32.eq
    if  ;; label = @1
      call 29
      local.set 1
    end
    local.get 0
    i32.const 17
    i32.eq
    if  ;; label = @1
      call 19
      local.set 1
    end
    local.get 0
    i32.const 18
    i32.eq
    if  ;; label = @1
      call 30
      local.set 1
    end
    local.get 0
    i32.const 19
    i32.eq
    if  ;; label = @1
      call 19
      local.set 1
    end
    local.get 0
    i32.const 20
    i32.eq
    if  ;; label = @1
      call 31
      local.set 1
    end
    local.get 0
    i32.const 21
    i32.eq
    if  ;; label = @1
      call 19
      local.set 1
    end
    local.get 0
    i32.const 22
    i32.eq
    if  ;; label = @1
      call 20
      local.set 1
    end
    i32.const 0
    i64.load align=1
    global.set 7
    i32.const 1
    global.set 6
    i32.const 0
    local.get 1
    i64.store align=1)
  (table (;0;) 9 9 funcref)
  (memory (;0;) 16 16)
  (global (;0;) (mut f32) (f32.const 0x0p+0 (;=0;)))
  (global (;1;) (mut f64) (f64.const 0x1.ffff59999999ap+16 (;=131071;)))
  (global (;2;) (mut f32) (f32.const -0x1.bc1ac8p-89 (;=-2.80269e-27;)))
  (global (;3;) (mut i32) (i32.const 100))
  (global (;4;) (mut i64) (i64.const 0))
  (global (;5;) (mut i32) (i32.const 0))
  (global (;6;) (mut i32) (i32.const 0))
  (global (;7;) (mut i64) (i64.const 0))
  (export "memory" (memory 0))
  (export "c0" (func 21))
  (export "h0" (func 19))
  (export "c1" (func 22))
  (export "h1" (func 19))
  (export "c2" (func 23))
  (export "h2" (func 19))
  (export "c3" (func 24))
  (export "h3" (func 19))
  (export "c4" (func 25))
  (export "h4" (func 19))
  (export "c5" (func 26))
  (export "h5" (func 19))
  (export "c6" (func 27))
  (export "h6" (func 19))
  (export "c7" (func 28))
  (export "h7" (func 19))
  (export "c8" (func 29))
  (export "h8" (func 19))
  (export "c9" (func 30))
  (export "h9" (func 19))
  (export "c10" (func 31))
  (export "h10" (func 19))
  (export "m" (func 20))
  (export "_start" (func 32))
  (elem (;0;) (i32.const 0) func 2 2 6 6 6 6 6 8 8)
  (data (;0;) (i32.const 0) "\22}8g\9d\cb\a7\a70)\ad\b0O")
  (data (;1;) "\88`\03\87\9d\86M\9f\e6C\eeH\c6\e3K\c1M\15\f2W\081I\9d(\f4a:\ee\b3")
  (data (;2;) (i32.const 13) "#\84=\db0R^\86\bf\b3\83\e2a\06\c2")
  (data (;3;) "\c5")
  (data (;4;) "@|"))
