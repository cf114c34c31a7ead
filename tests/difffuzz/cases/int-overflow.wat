(module
  (type (;0;) (func (result i64)))
  (type (;1;) (func))
  (type (;2;) (func (result f32)))
  (type (;3;) (func (param i32 f64 i64)))
  (type (;4;) (func (param i32 i32 i64 f32 f64 i32) (result f64)))
  (type (;5;) (func (param f64 f32)))
  (type (;6;) (func (param f32 f64 i32 f32 f32 f64) (result f64)))
  (type (;7;) (func (param f64) (result f32)))
  (type (;8;) (func (param i32) (result f32)))
  (type (;9;) (func (param f64 i32) (result f64)))
  (type (;10;) (func (param f64 f32 i64 f32) (result f32)))
  (type (;11;) (func (param f32 f32) (result i32)))
  (type (;12;) (func (result f64)))
  (type (;13;) (func (param i64 i64) (result f32)))
  (type (;14;) (func (param f64) (result i64)))
  (type (;15;) (func (param f32 f32 i32) (result i64)))
  (type (;16;) (func (param i64) (result i64)))
  (type (;17;) (func (param i32 f64 f32 f32) (result i32)))
  (type (;18;) (func (param i32 i32 f64 f64 i32) (result i32)))
  (type (;19;) (func (param i32 i32 i32) (result i32)))
  (type (;20;) (func (param f64 f32 f64 f64 f64) (result i32)))
  (type (;21;) (func (param f64 f32 f32 i32) (result i32)))
  (type (;22;) (func (param i32 f32 f32 f64 i64 i64 i32) (result f32)))
  (type (;23;) (func (param i32) (result f64)))
  (type (;24;) (func (param f32 i64)))
  (type (;25;) (func (param f64 f64 i64 f32 i64) (result f64)))
  (type (;26;) (func (param f32) (result f32)))
  (type (;27;) (func (param f64) (result f64)))
  (type (;28;) (func (param i32)))
  (type (;29;) (func (param i64)))
  (type (;30;) (func (param f32)))
  (type (;31;) (func (param f64)))
  (func (;0;) (type 3) (param i32 f64 i64)
    (local f64 f64 i64 i64 f32)
    local.get 1
    call 43
    local.set 1
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    loop  ;; label = @1
      global.get 10
      i32.eqz
      if  ;; label = @2
        i32.const 100
        global.set 10
        unreachable
      end
      global.get 10
      i32.const 1
      i32.sub
      global.set 10
      local.get 0
      br_if 0 (;@1;)
    end
    return)
  (func (;1;) (type 4) (param i32 i32 i64 f32 f64 i32) (result f64)
    (local i64 f32 f32 f32 f64 f64 i32 i32 i32 i32)
    local.get 3
    call 42
    local.set 3
    local.get 4
    call 43
    local.set 4
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    local.get 4)
  (func (;2;) (type 1)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    i32.const -28326
    i32.const -2147483648
    i64.const -10923
    f32.const 0x1p+39 (;=5.49756e+11;)
    f64.const -0x1.ffffffffffffcp+47 (;=-2.81475e+14;)
    i32.const -1
    call 1
    call 43
    drop)
  (func (;3;) (type 5) (param f64 f32)
    (local i32 i64)
    local.get 0
    call 43
    local.set 0
    local.get 1
    call 42
    local.set 1
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    global.get 2
    i32.const 15
    i32.and
    loop (result i32)  ;; label = @1
      global.get 10
      i32.eqz
      if  ;; label = @2
        i32.const 100
        global.set 10
        unreachable
      end
      global.get 10
      i32.const 1
      i32.sub
      global.set 10
      i32.const -99
      if (result i32)  ;; label = @2
        local.get 0
        local.set 0
        br 1 (;@1;)
      else
        global.get 7
      end
      i32.const 15
      i32.and
      f64.const 0x1.ffffffcep+31 (;=4.29497e+09;)
      f64.store offset=22 align=1
      loop (result i32)  ;; label = @2
        global.get 10
        i32.eqz
        if  ;; label = @3
          i32.const 100
          global.set 10
          unreachable
        end
        global.get 10
        i32.const 1
        i32.sub
        global.set 10
        i32.const -126
      end
    end
    local.tee 2
    if  ;; label = @1
      loop (result i32)  ;; label = @2
        global.get 10
        i32.eqz
        if  ;; label = @3
          i32.const 100
          global.set 10
          unreachable
        end
        global.get 10
        i32.const 1
        i32.sub
        global.set 10
        global.get 9
        call 42
        local.tee 1
        local.set 1
        local.get 2
        br_if 0 (;@2;)
        local.get 2
      end
      f64.const 0x1.00186a7ef9db2p+12 (;=4097.53;)
      global.get 4
      call 0
      loop (result i32)  ;; label = @2
        global.get 10
        i32.eqz
        if  ;; label = @3
          i32.const 100
          global.set 10
          unreachable
        end
        global.get 10
        i32.const 1
        i32.sub
        global.set 10
        local.get 2
      end
      local.set 2
    else
      nop
      local.get 2
      i32.const 15
      i32.and
      f32.load offset=22 align=2
      call 42
      f64.promote_f32
      call 43
      local.get 0
      local.tee 0
      f64.eq
      call 44
      block  ;; label = @2
        local.get 2
        i32.const 15
        i32.and
        i32.load offset=22 align=2
        i32.const 15
        i32.and
        i32.load8_s offset=1
        i32.eqz
        br_if 0 (;@2;)
      end
    end
    return
    local.tee 2
    i32.store offset=3 align=2)
  (func (;4;) (type 1)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    f64.const 0x1.5004p+14 (;=21505;)
    f32.const 0x1.4ep+7 (;=167;)
    call 3
    f64.const -0x1.fffffffffffffp+1023 (;=-1.79769e+308;)
    f32.const -0x1.5e4p+14 (;=-22416;)
    call 3)
  (func (;5;) (type 6) (param f32 f64 i32 f32 f32 f64) (result f64)
    local.get 0
    call 42
    local.set 0
    local.get 1
    call 43
    local.set 1
    local.get 3
    call 42
    local.set 3
    local.get 4
    call 42
    local.set 4
    local.get 5
    call 43
    local.set 5
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    nop
    local.get 1
    return)
  (func (;6;) (type 2) (result f32)
    (local f32 f32 f32 i64 i64 i64 i64 f64 f64 i32 i32)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    local.get 0)
  (func (;7;) (type 1)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    call 6
    call 42
    drop
    call 6
    call 42
    drop
    call 6
    call 42
    drop)
  (func (;8;) (type 7) (param f64) (result f32)
    (local i64)
    local.get 0
    call 43
    local.set 0
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    i32.const -64
    call 44
    f32.const 0x1p+32 (;=4.29497e+09;))
  (func (;9;) (type 8) (param i32) (result f32)
    (local f64 f64)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    f32.const -0x1p+63 (;=-9.22337e+18;))
  (func (;10;) (type 1)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    i32.const 65535
    call 9
    call 42
    drop
    i32.const -5
    call 9
    call 42
    drop)
  (func (;11;) (type 9) (param f64 i32) (result f64)
    (local i64)
    local.get 0
    call 43
    local.set 0
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    loop (result f64)  ;; label = @1
      global.get 10
      i32.eqz
      if  ;; label = @2
        i32.const 100
        global.set 10
        unreachable
      end
      global.get 10
      i32.const 1
      i32.sub
      global.set 10
      local.get 1
      i32.const 15
      i32.and
      drop
      i32.const 3
      local.tee 1
      f64.load offset=22 align=1
      call 43
      local.set 0
      f64.const -0x1.fffffffc0fdf4p+31 (;=-4.29497e+09;)
      return
    end)
  (func (;12;) (type 10) (param f64 f32 i64 f32) (result f32)
    (local f32 f64)
    local.get 0
    call 43
    local.set 0
    local.get 1
    call 42
    local.set 1
    local.get 3
    call 42
    local.set 3
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    local.get 3)
  (func (;13;) (type 2) (result f32)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    f32.const -0x1.1cp+6 (;=-71;)
    return)
  (func (;14;) (type 11) (param f32 f32) (result i32)
    (local i32)
    local.get 0
    call 42
    local.set 0
    local.get 1
    call 42
    local.set 1
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    i32.const -91
    i32.const 15
    i32.and
    i32.load8_s offset=3
    local.tee 2)
  (func (;15;) (type 1)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    f32.const 0x1p+32 (;=4.29497e+09;)
    f32.const 0x1p+31 (;=2.14748e+09;)
    call 14
    drop
    f32.const -0x1p+31 (;=-2.14748e+09;)
    f32.const -0x1.426294p+22 (;=-5.28196e+06;)
    call 14
    drop)
  (func (;16;) (type 12) (result f64)
    (local i64 i64 f32)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    f64.const -0x1.fffffdf3b645ap+15 (;=-65536;))
  (func (;17;) (type 1)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    call 16
    call 43
    drop)
  (func (;18;) (type 0) (result i64)
    (local f64 f32 f32 f32 i64 i64 i32)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    call 18)
  (func (;19;) (type 2) (result f32)
    (local i32 i32 f32 f32 i64 i64 f64)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    loop  ;; label = @1
      global.get 10
      i32.eqz
      if  ;; label = @2
        i32.const 100
        global.set 10
        unreachable
      end
      global.get 10
      i32.const 1
      i32.sub
      global.set 10
      f32.const 0x1.ff42p+15 (;=65441;)
      call 46
      br 0 (;@1;)
    end
    unreachable)
  (func (;20;) (type 13) (param i64 i64) (result f32)
    (local f64 f64 f64 f64 f32 f32 f32 f32 i32 i32 i64)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    f64.const 0x0p+0 (;=0;)
    call 47
    local.get 8)
  (func (;21;) (type 1)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    i64.const -68
    i64.const 65477
    call 20
    call 42
    drop
    i64.const -1
    i64.const -55
    call 20
    call 42
    drop)
  (func (;22;) (type 14) (param f64) (result i64)
    (local i32 i32 f64 i64 i64)
    local.get 0
    call 43
    local.set 0
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    i64.const -56)
  (func (;23;) (type 1)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    f64.const 0x1.ffffffffffff7p+48 (;=5.6295e+14;)
    call 22
    drop
    f64.const 0x1p+7 (;=128;)
    call 22
    drop
    f64.const 0x1.74p+6 (;=93;)
    call 22
    drop
    f64.const 0x0p+0 (;=0;)
    call 22
    drop
    f64.const 0x0p+0 (;=0;)
    call 22
    drop
    f64.const 0x1p+57 (;=1.44115e+17;)
    call 22
    drop
    f64.const 0x0p+0 (;=0;)
    call 22
    drop
    f64.const 0x1.7ced916872b02p-3 (;=0.186;)
    call 22
    drop)
  (func (;24;) (type 15) (param f32 f32 i32) (result i64)
    (local f64 i64)
    local.get 0
    call 42
    local.set 0
    local.get 1
    call 42
    local.set 1
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    call 18
    global.get 6
    i64.shl
    i64.const -32768
    i64.const 1025
    local.tee 4
    i64.rem_u
    i64.shr_s
    local.get 2
    if (result i64)  ;; label = @1
      i64.const 9223372036854775807
    else
      i64.const 96
    end
    i64.rotr)
  (func (;25;) (type 16) (param i64) (result i64)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    f64.const 0x1.000000000bc6ap+34 (;=1.71799e+10;)
    i32.trunc_f64_u
    i32.const 16
    i32.const 2097152
    select
    i32.const 15
    i32.and
    i32.load8_u offset=22
    i32.const 15
    i32.and
    i32.const -65
    i32.const 15
    i32.and
    i64.load16_u offset=22 align=1
    i64.store offset=22 align=4
    local.get 0
    return)
  (func (;26;) (type 17) (param i32 f64 f32 f32) (result i32)
    (local f32)
    local.get 1
    call 43
    local.set 1
    local.get 2
    call 42
    local.set 2
    local.get 3
    call 42
    local.set 3
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    block (result i32)  ;; label = @1
      f32.const 0x1.9a1cacp-1 (;=0.801;)
      local.set 2
      local.get 0
      i32.const 16
      i32.and
      i32.load offset=2 align=1
      loop (result i32)  ;; label = @2
        global.get 10
        i32.eqz
        if  ;; label = @3
          i32.const 100
          global.set 10
          unreachable
        end
        global.get 10
        i32.const 1
        i32.sub
        global.set 10
        loop (result i32)  ;; label = @3
          global.get 10
          i32.eqz
          if  ;; label = @4
            i32.const 100
            global.set 10
            unreachable
          end
          global.get 10
          i32.const 1
          i32.sub
          global.set 10
          call 13
          call 42
          local.set 4
          i32.const -2
          local.tee 0
          local.tee 0
          if (result i64)  ;; label = @4
            i64.const -2147483646
          else
            nop
            br 2 (;@2;)
          end
          global.get 3
          local.get 0
          i32.const 15
          i32.and
          i64.load offset=4
          i64.rotr
          global.get 7
          i32.ctz
          select
          f32.convert_i64_s
          call 42
          local.tee 2
          global.get 9
          call 42
          f32.ne
          i32.eqz
          br_if 0 (;@3;)
          global.get 2
          local.tee 0
        end
      end
      i32.eqz
      br_if 0 (;@1;)
    end)
  (func (;27;) (type 18) (param i32 i32 f64 f64 i32) (result i32)
    (local f32 f32 i32 i32 i32 i64 i64 i64 f64)
    local.get 2
    call 43
    local.set 2
    local.get 3
    call 43
    local.set 3
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    local.get 7
    local.get 8
    i32.const 15
    i32.and
    i32.load16_u offset=3
    local.get 7
    select)
  (func (;28;) (type 1)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    i32.const -117
    i32.const 355151173
    f64.const 0x1.2b4395810624ep+0 (;=1.169;)
    f64.const 0x1p+63 (;=9.22337e+18;)
    i32.const -63
    call 27
    drop)
  (func (;29;) (type 19) (param i32 i32 i32) (result i32)
    (local f32 f32 f32 i32 i64 i64)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    i32.const -255
    local.tee 1
    local.tee 0
    i32.eqz)
  (func (;30;) (type 1)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    i32.const 8192
    i32.const 65500
    i32.const 536870913
    call 29
    drop
    i32.const 32769
    i32.const -2147483647
    i32.const -2147483647
    call 29
    drop)
  (func (;31;) (type 20) (param f64 f32 f64 f64 f64) (result i32)
    (local f64)
    local.get 0
    call 43
    local.set 0
    local.get 1
    call 42
    local.set 1
    local.get 2
    call 43
    local.set 2
    local.get 3
    call 43
    local.set 3
    local.get 4
    call 43
    local.set 4
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    i32.const -3
    i32.const 15
    i32.and
    i32.load16_s offset=4)
  (func (;32;) (type 1)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    f64.const -0x1.fffffffcp+30 (;=-2.14748e+09;)
    f32.const 0x0p+0 (;=0;)
    f64.const 0x1.00065e353f7cfp+13 (;=8192.8;)
    f64.const -0x1p+64 (;=-1.84467e+19;)
    f64.const 0x0p+0 (;=0;)
    call 31
    drop)
  (func (;33;) (type 21) (param f64 f32 f32 i32) (result i32)
    (local i64 i32 i32 f32 f32 f64)
    local.get 0
    call 43
    local.set 0
    local.get 1
    call 42
    local.set 1
    local.get 2
    call 42
    local.set 2
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    loop (result i32)  ;; label = @1
      global.get 10
      i32.eqz
      if  ;; label = @2
        i32.const 100
        global.set 10
        unreachable
      end
      global.get 10
      i32.const 1
      i32.sub
      global.set 10
      nop
      loop (result i32)  ;; label = @2
        global.get 10
        i32.eqz
        if  ;; label = @3
          i32.const 100
          global.set 10
          unreachable
        end
        global.get 10
        i32.const 1
        i32.sub
        global.set 10
        f64.const 0x0p+0 (;=0;)
        i32.trunc_sat_f64_u
      end
      i32.const -11727
      local.tee 5
      i32.and
    end
    i32.const 15
    i32.and
    i32.load8_s offset=22)
  (func (;34;) (type 1)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    f64.const 0x1p+63 (;=9.22337e+18;)
    f32.const 0x1p+64 (;=1.84467e+19;)
    f32.const 0x0p+0 (;=0;)
    i32.const -951751
    call 33
    drop
    f64.const 0x1p+53 (;=9.0072e+15;)
    f32.const 0x0p+0 (;=0;)
    f32.const 0x1.08bap+15 (;=33885;)
    i32.const 163
    call 33
    drop
    f64.const -0x1p-126 (;=-1.17549e-38;)
    f32.const 0x1.3p+7 (;=152;)
    f32.const -0x1.bp+6 (;=-108;)
    i32.const -268435455
    call 33
    drop)
  (func (;35;) (type 22) (param i32 f32 f32 f64 i64 i64 i32) (result f32)
    (local i32)
    local.get 1
    call 42
    local.set 1
    local.get 2
    call 42
    local.set 2
    local.get 3
    call 43
    local.set 3
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    loop  ;; label = @1
      global.get 10
      i32.eqz
      if  ;; label = @2
        i32.const 100
        global.set 10
        unreachable
      end
      global.get 10
      i32.const 1
      i32.sub
      global.set 10
      global.get 7
      local.tee 0
      i32.eqz
      if (result i64)  ;; label = @2
        global.get 8
        local.tee 0
        i64.extend_i32_s
        drop
        global.get 7
        local.tee 0
        local.tee 6
        i32.eqz
        if  ;; label = @3
          local.get 2
          local.tee 1
          call 46
          br 2 (;@1;)
        else
          local.get 0
          drop
          i32.const 15
          drop
          nop
          local.get 1
          return
        end
        unreachable
      else
        local.get 4
        local.get 4
        i64.div_s
      end
      local.tee 4
      global.get 4
      local.tee 5
      i64.popcnt
      i64.rem_u
      f64.reinterpret_i64
      call 43
      call 47
    end
    global.get 1
    i32.const 15
    i32.and
    f32.load offset=22 align=2
    call 42)
  (func (;36;) (type 23) (param i32) (result f64)
    (local i32 i32 i32 i32 i32 i32 f32 f32 f32 i64 i64 i64 f64)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    local.get 4
    call 44
    loop  ;; label = @1
      global.get 10
      i32.eqz
      if  ;; label = @2
        i32.const 100
        global.set 10
        unreachable
      end
      global.get 10
      i32.const 1
      i32.sub
      global.set 10
      local.get 11
      call 45
      loop  ;; label = @2
        global.get 10
        i32.eqz
        if  ;; label = @3
          i32.const 100
          global.set 10
          unreachable
        end
        global.get 10
        i32.const 1
        i32.sub
        global.set 10
        local.get 0
        loop (result i32)  ;; label = @3
          global.get 10
          i32.eqz
          if  ;; label = @4
            i32.const 100
            global.set 10
            unreachable
          end
          global.get 10
          i32.const 1
          i32.sub
          global.set 10
          i32.const -122
        end
        i32.const -6159532
        select
        i32.const 15
        i32.and
        i32.load8_u offset=22
        i32.const 15
        i32.and
        i32.load16_s offset=22 align=1
        if  ;; label = @3
          local.get 0
          local.get 3
          i32.store16 offset=22
        else
          loop (result i32)  ;; label = @4
            global.get 10
            i32.eqz
            if  ;; label = @5
              i32.const 100
              global.set 10
              unreachable
            end
            global.get 10
            i32.const 1
            i32.sub
            global.set 10
            local.get 4
            local.set 6
            local.get 2
            br_if 0 (;@4;)
            i32.const -32768
          end
          call 44
        end
        local.get 12
        local.set 12
        br 1 (;@1;)
      end
      unreachable
    end
    unreachable)
  (func (;37;) (type 1)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    i32.const 524287
    call 36
    call 43
    drop)
  (func (;38;) (type 1)
    (local i64 i32 i32 f64 f64 f64)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    block  ;; label = @1
      global.get 8
      local.tee 1
      local.tee 1
      i32.eqz
      br_if 0 (;@1;)
      i32.const 65536
      i32.const 15
      i32.and
      i32.load offset=1 align=1
      call 44
    end)
  (func (;39;) (type 1)
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    call 38)
  (func (;40;) (type 24) (param f32 i64)
    (local i64 i32 i32 i32 i32 i32 f32 f32 f64 f64)
    local.get 0
    call 42
    local.set 0
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    local.get 7
    local.set 7)
  (func (;41;) (type 25) (param f64 f64 i64 f32 i64) (result f64)
    (local i64 i64 f64 i32 i32 i32 f32)
    local.get 0
    call 43
    local.set 0
    local.get 1
    call 43
    local.set 1
    local.get 3
    call 42
    local.set 3
    global.get 10
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 10
      unreachable
    end
    global.get 10
    i32.const 1
    i32.sub
    global.set 10
    local.get 9
    i32.eqz
    if (result i32)  ;; label = @1
      local.get 8
      i32.eqz
      if (result i64)  ;; label = @2
        i32.const 7
        call_indirect (type 1)
        local.get 1
        return
      else
        loop  ;; label = @3
          global.get 10
          i32.eqz
          if  ;; label = @4
            i32.const 100
            global.set 10
            unreachable
          end
          global.get 10
          i32.const 1
          i32.sub
          global.set 10
          f32.const 0x0p+0 (;=0;)
          local.get 11
          f32.div
          call 42
          drop
          i32.const 34
          local.set 10
          br 0 (;@3;)
        end
        unreachable
      end
      call 25
      call 45
      i32.const -1
    else
      i32.const -3568
    end
    i32.const 15
    i32.and
    f32.load offset=22 align=1
    call 42
    local.get 11
    f32.ge
    if (result f64)  ;; label = @1
      local.get 1
    else
      f64.const -0x1p+16 (;=-65536;)
    end)
  (func (;42;) (type 26) (param f32) (result f32)
    local.get 0
    local.get 0
    f32.eq
    if (result f32)  ;; label = @1
      local.get 0
    else
      f32.const 0x0p+0 (;=0;)
    end)
  (func (;43;) (type 27) (param f64) (result f64)
    local.get 0
    local.get 0
    f64.eq
    if (result f64)  ;; label = @1
      local.get 0
    else
      f64.const 0x0p+0 (;=0;)
    end)
  (func (;44;) (type 28) (param i32)
    global.get 11
    local.get 0
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 11)
  (func (;45;) (type 29) (param i64)
    global.get 11
    local.get 0
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 11)
  (func (;46;) (type 30) (param f32)
    global.get 11
    local.get 0
    i32.reinterpret_f32
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 11)
  (func (;47;) (type 31) (param f64)
    global.get 11
    local.get 0
    i64.reinterpret_f64
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 11)
  (func (;48;) (type 0) (result i64)
    (local i32 i32 i64)
    global.get 11
    local.set 2
    local.get 2
    global.get 4
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 6
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 10
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
  (func (;49;) (type 0) (result i64)
    (local i32 i32 i64)
    global.get 11
    local.set 2
    local.get 2
    global.get 4
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 6
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 10
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
  (func (;50;) (type 0) (result i64)
    i32.const 0
    f64.const 0x0p+0 (;=0;)
    i64.const 0
    call 0
    i64.const 0)
  (func (;51;) (type 0) (result i64)
    call 2
    i64.const 0)
  (func (;52;) (type 0) (result i64)
    f64.const 0x0p+0 (;=0;)
    f32.const 0x0p+0 (;=0;)
    call 3
    i64.const 0)
  (func (;53;) (type 0) (result i64)
    call 4
    i64.const 0)
  (func (;54;) (type 0) (result i64)
    call 6
    i32.reinterpret_f32
    i64.extend_i32_u)
  (func (;55;) (type 0) (result i64)
    call 7
    i64.const 0)
  (func (;56;) (type 0) (result i64)
    f64.const 0x0p+0 (;=0;)
    call 8
    i32.reinterpret_f32
    i64.extend_i32_u)
  (func (;57;) (type 0) (result i64)
    call 10
    i64.const 0)
  (func (;58;) (type 0) (result i64)
    f32.const 0x0p+0 (;=0;)
    f32.const 0x0p+0 (;=0;)
    call 14
    i64.extend_i32_u)
  (func (;59;) (type 0) (result i64)
    call 15
    i64.const 0)
  (func (;60;) (type 0) (result i64)
    call 17
    i64.const 0)
  (func (;61;) (type 0) (result i64)
    call 18)
  (func (;62;) (type 0) (result i64)
    call 21
    i64.const 0)
  (func (;63;) (type 0) (result i64)
    call 23
    i64.const 0)
  (func (;64;) (type 0) (result i64)
    i64.const 0
    call 25)
  (func (;65;) (type 0) (result i64)
    i32.const 0
    f64.const 0x0p+0 (;=0;)
    f32.const 0x0p+0 (;=0;)
    f32.const 0x0p+0 (;=0;)
    call 26
    i64.extend_i32_u)
  (func (;66;) (type 0) (result i64)
    i32.const 0
    i32.const 0
    f64.const 0x0p+0 (;=0;)
    f64.const 0x0p+0 (;=0;)
    i32.const 0
    call 27
    i64.extend_i32_u)
  (func (;67;) (type 0) (result i64)
    call 28
    i64.const 0)
  (func (;68;) (type 0) (result i64)
    i32.const 0
    i32.const 0
    i32.const 0
    call 29
    i64.extend_i32_u)
  (func (;69;) (type 0) (result i64)
    call 30
    i64.const 0)
  (func (;70;) (type 0) (result i64)
    f64.const 0x0p+0 (;=0;)
    f32.const 0x0p+0 (;=0;)
    f64.const 0x0p+0 (;=0;)
    f64.const 0x0p+0 (;=0;)
    f64.const 0x0p+0 (;=0;)
    call 31
    i64.extend_i32_u)
  (func (;71;) (type 0) (result i64)
    call 32
    i64.const 0)
  (func (;72;) (type 0) (result i64)
    call 34
    i64.const 0)
  (func (;73;) (type 0) (result i64)
    i32.const 0
    f32.const 0x0p+0 (;=0;)
    f32.const 0x0p+0 (;=0;)
    f64.const 0x0p+0 (;=0;)
    i64.const 0
    i64.const 0
    i32.const 0
    call 35
    i32.reinterpret_f32
    i64.extend_i32_u)
  (func (;74;) (type 0) (result i64)
    i32.const 0
    call 36
    i64.reinterpret_f64)
  (func (;75;) (type 0) (result i64)
    call 37
    i64.const 0)
  (func (;76;) (type 0) (result i64)
    call 38
    i64.const 0)
  (func (;77;) (type 0) (result i64)
    call 39
    i64.const 0)
  (func (;78;) (type 1)
    (local i32 i64)
    global.get 13
    if  ;; label = @1
      i32.const 0
      global.get 14
      i64.store align=1
      i32.const 0
      global.set 13
    end
    global.get 12
    local.set 0
    local.get 0
    i32.const 1
    i32.add
    global.set 12
    local.get 0
    i32.const 0
    i32.eq
    if  ;; label = @1
      call 50
      local.set 1
    end
    local.get 0
    i32.const 1
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 2
    i32.eq
    if  ;; label = @1
      call 51
      local.set 1
    end
    local.get 0
    i32.const 3
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 4
    i32.eq
    if  ;; label = @1
      call 52
      local.set 1
    end
    local.get 0
    i32.const 5
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 6
    i32.eq
    if  ;; label = @1
      call 53
      local.set 1
    end
    local.get 0
    i32.const 7
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 8
    i32.eq
    if  ;; label = @1
      call 54
      local.set 1
    end
    local.get 0
    i32.const 9
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 10
    i32.eq
    if  ;; label = @1
      call 55
      local.set 1
    end
    local.get 0
    i32.const 11
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 12
    i32.eq
    if  ;; label = @1
      call 56
      local.set 1
    end
    local.get 0
    i32.const 13
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 14
    i32.eq
    if  ;; label = @1
      call 57
      local.set 1
    end
    local.get 0
    i32.const 15
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 16
    i32.eq
    if  ;; label = @1
      call 58
      local.set 1
    end
    local.get 0
    i32.const 17
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 18
    i32.eq
    if  ;; label = @1
      call 59
      local.set 1
    end
    local.get 0
    i32.const 19
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 20
    i32.eq
    if  ;; label = @1
      call 60
      local.set 1
    end
    local.get 0
    i32.const 21
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 22
    i32.eq
    if  ;; label = @1
      call 61
      local.set 1
    end
    local.get 0
    i32.const 23
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 24
    i32.eq
    if  ;; label = @1
      call 62
      local.set 1
    end
    local.get 0
    i32.const 25
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 26
    i32.eq
    if  ;; label = @1
      call 63
      local.set 1
    end
    local.get 0
    i32.const 27
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 28
    i32.eq
    if  ;; label = @1
      call 64
      local.set 1
    end
    local.get 0
    i32.const 29
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 30
    i32.eq
    if  ;; label = @1
      call 65
      local.set 1
    end
    local.get 0
    i32.const 31
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 32
    i32.eq
    if  ;; label = @1
      call 66
      local.set 1
    end
    local.get 0
    i32.const 33
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 34
    i32.eq
    if  ;; label = @1
      call 67
      local.set 1
    end
    local.get 0
    i32.const 35
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 36
    i32.eq
    if  ;; label = @1
      call 68
      local.set 1
    end
    local.get 0
    i32.const 37
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 38
    i32.eq
    if  ;; label = @1
      call 69
      local.set 1
    end
    local.get 0
    i32.const 39
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 40
    i32.eq
    if  ;; label = @1
      call 70
      local.set 1
    end
    local.get 0
    i32.const 41
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 42
    i32.eq
    if  ;; label = @1
      call 71
      local.set 1
    end
    local.get 0
    i32.const 43
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 44
    i32.eq
    if  ;; label = @1
      call 72
      local.set 1
    end
    local.get 0
    i32.const 45
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 46
    i32.eq
    if  ;; label = @1
      call 73
      local.set 1
    end
    local.get 0
    i32.const 47
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 48
    i32.eq
    if  ;; label = @1
      call 74
      local.set 1
    end
    local.get 0
    i32.const 49
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 50
    i32.eq
    if  ;; label = @1
      call 75
      local.set 1
    end
    local.get 0
    i32.const 51
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 52
    i32.eq
    if  ;; label = @1
      call 76
      local.set 1
    end
    local.get 0
    i32.const 53
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 54
    i32.eq
    if  ;; label = @1
      call 77
      local.set 1
    end
    local.get 0
    i32.const 55
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 56
    i32.eq
    if  ;; label = @1
      call 49
      local.set 1
    end
    i32.const 0
    i64.load align=1
    global.set 14
    i32.const 1
    global.set 13
    i32.const 0
    local.get 1
    i64.store align=1)
  (table (;0;) 8 funcref)
  (memory (;0;) 16 16)
  (global (;0;) i64 (i64.const 197))
  (global (;1;) i32 (i32.const -12492))
  (global (;2;) i32 (i32.const 2))
  (global (;3;) i64 (i64.const 51323))
  (global (;4;) (mut i64) (i64.const -118))
  (global (;5;) i64 (i64.const 9007199254740992))
  (global (;6;) (mut i64) (i64.const -122))
  (global (;7;) i32 (i32.const -8191))
  (global (;8;) i32 (i32.const -32))
  (global (;9;) f32 (f32.const -0x1p+34 (;=-1.71799e+10;)))
  (global (;10;) (mut i32) (i32.const 100))
  (global (;11;) (mut i64) (i64.const 0))
  (global (;12;) (mut i32) (i32.const 0))
  (global (;13;) (mut i32) (i32.const 0))
  (global (;14;) (mut i64) (i64.const 0))
  (export "memory" (memory 0))
  (export "c0" (func 50))
  (export "h0" (func 48))
  (export "c1" (func 51))
  (export "h1" (func 48))
  (export "c2" (func 52))
  (export "h2" (func 48))
  (export "c3" (func 53))
  (export "h3" (func 48))
  (export "c4" (func 54))
  (export "h4" (func 48))
  (export "c5" (func 55))
  (export "h5" (func 48))
  (export "c6" (func 56))
  (export "h6" (func 48))
  (export "c7" (func 57))
  (export "h7" (func 48))
  (export "c8" (func 58))
  (export "h8" (func 48))
  (export "c9" (func 59))
  (export "h9" (func 48))
  (export "c10" (func 60))
  (export "h10" (func 48))
  (export "c11" (func 61))
  (export "h11" (func 48))
  (export "c12" (func 62))
  (export "h12" (func 48))
  (export "c13" (func 63))
  (export "h13" (func 48))
  (export "c14" (func 64))
  (export "h14" (func 48))
  (export "c15" (func 65))
  (export "h15" (func 48))
  (export "c16" (func 66))
  (export "h16" (func 48))
  (export "c17" (func 67))
  (export "h17" (func 48))
  (export "c18" (func 68))
  (export "h18" (func 48))
  (export "c19" (func 69))
  (export "h19" (func 48))
  (export "c20" (func 70))
  (export "h20" (func 48))
  (export "c21" (func 71))
  (export "h21" (func 48))
  (export "c22" (func 72))
  (export "h22" (func 48))
  (export "c23" (func 73))
  (export "h23" (func 48))
  (export "c24" (func 74))
  (export "h24" (func 48))
  (export "c25" (func 75))
  (export "h25" (func 48))
  (export "c26" (func 76))
  (export "h26" (func 48))
  (export "c27" (func 77))
  (export "h27" (func 48))
  (export "m" (func 49))
  (export "_start" (func 78))
  (elem (;0;) (i32.const 0) func 11 11 20 20 33 36 36 38)
  (data (;0;) (i32.const 0) "\80\86U[\f2\b5\945\9a-\c4Y\e7\ab\b9o#\dc"))
