(module
  (type (;0;) (func (result i64)))
  (type (;1;) (func))
  (type (;2;) (func (result f32)))
  (type (;3;) (func (result i32)))
  (type (;4;) (func (param f64) (result f32)))
  (type (;5;) (func (param f64 f64 i32 i64) (result f32)))
  (type (;6;) (func (result f64)))
  (type (;7;) (func (param f32 f32 i64) (result i32)))
  (type (;8;) (func (param f64 i64 f32 i64) (result f32)))
  (type (;9;) (func (param i64 f32 f32 i64 i32) (result f32)))
  (type (;10;) (func (param i64 i32 i32 i32 f64)))
  (type (;11;) (func (param f64 i64) (result i64)))
  (type (;12;) (func (param f32 f64 f32) (result f64)))
  (type (;13;) (func (param f64 f64 f64 f32) (result f64)))
  (type (;14;) (func (param i32 f32) (result i32)))
  (type (;15;) (func (param f64 f64 f64 i32) (result i64)))
  (type (;16;) (func (param f64 i64 i32 i32) (result i64)))
  (type (;17;) (func (param i32 i32 i64 f64) (result i32)))
  (type (;18;) (func (param i32) (result i64)))
  (type (;19;) (func (param i64) (result i32)))
  (type (;20;) (func (param i32 f64 f32) (result i32)))
  (type (;21;) (func (param i32 i64) (result f64)))
  (type (;22;) (func (param f32 f32 i64 f64) (result f32)))
  (type (;23;) (func (param f64) (result i64)))
  (type (;24;) (func (param f32) (result f32)))
  (type (;25;) (func (param f64) (result f64)))
  (type (;26;) (func (param i32)))
  (type (;27;) (func (param i64)))
  (type (;28;) (func (param f32)))
  (type (;29;) (func (param f64)))
  (func (;0;) (type 3) (result i32)
    (local f64 f32 i64 i32)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    nop
    i32.const -24202
    i32.eqz
    if  ;; label = @1
      local.get 0
      call 43
      f32.const -0x1p+5 (;=-32;)
      local.tee 1
      call 42
    else
      local.get 2
      call 41
      local.get 3
      i32.const 15
      i32.and
      i32.load offset=22
      call 40
      i64.const -254
      f64.convert_i64_u
      call 39
      call 43
      local.get 3
      return
      call 41
    end
    f32.const -0x1.fff9bap+12 (;=-8191.61;)
    call 42
    local.get 2
    local.tee 2
    local.tee 2
    global.set 0
    local.get 3
    local.tee 3
    i32.eqz
    f32.load offset=2
    call 38
    drop
    i32.const 162
    return)
  (func (;1;) (type 2) (result f32)
    (local f64 f64 f64 f32 i32 i64)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    f64.const 0x1.b3b645a1cac08p-1 (;=0.851;)
    local.set 0
    local.get 3
    return)
  (func (;2;) (type 1)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    call 1
    call 38
    drop)
  (func (;3;) (type 3) (result i32)
    (local f32 f32 f32 f32 f32 f32 f32 f32 i32 i32 f64 f64 f64 f64 f64 f64 i64)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    i32.const -18)
  (func (;4;) (type 5) (param f64 f64 i32 i64) (result f32)
    (local f32 f32 i64 i64 i64 i32 f64)
    local.get 0
    call 39
    local.set 0
    local.get 1
    call 39
    local.set 1
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    f32.const 0x1p+31 (;=2.14748e+09;)
    call 42
    local.get 5
    return)
  (func (;5;) (type 1)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    f64.const 0x0p+0 (;=0;)
    f64.const -0x1.56d8p+13 (;=-10971;)
    i32.const -255
    i64.const -12961
    call 4
    call 38
    drop)
  (func (;6;) (type 4) (param f64) (result f32)
    (local f32 i64 i64 i64 i64 i32)
    local.get 0
    call 39
    local.set 0
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    i32.const 1
    i32.const 128
    loop (result i32)  ;; label = @1
      global.get 1
      i32.eqz
      if  ;; label = @2
        i32.const 100
        global.set 1
        unreachable
      end
      global.get 1
      i32.const 1
      i32.sub
      global.set 1
      local.get 6
      i32.const 15
      i32.and
      i32.load8_s offset=22
    end
    select
    i32.const 15
    i32.and
    f32.const 0x1p+36 (;=6.87195e+10;)
    call 42
    local.get 0
    loop (result f64)  ;; label = @1
      global.get 1
      i32.eqz
      if  ;; label = @2
        i32.const 100
        global.set 1
        unreachable
      end
      global.get 1
      i32.const 1
      i32.sub
      global.set 1
      local.get 2
      call 41
      f64.const 0x1.ffffff6cp+31 (;=4.29497e+09;)
    end
    local.tee 0
    f64.copysign
    call 39
    i32.trunc_f64_s
    i32.store offset=4 align=1
    local.get 1
    return)
  (func (;7;) (type 6) (result f64)
    (local i64 i64 i32 i32 f32 f64)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    f64.const 0x0p+0 (;=0;))
  (func (;8;) (type 7) (param f32 f32 i64) (result i32)
    (local f32 i32 f64)
    local.get 0
    call 38
    local.set 0
    local.get 1
    call 38
    local.set 1
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    loop  ;; label = @1
      global.get 1
      i32.eqz
      if  ;; label = @2
        i32.const 100
        global.set 1
        unreachable
      end
      global.get 1
      i32.const 1
      i32.sub
      global.set 1
      loop  ;; label = @2
        global.get 1
        i32.eqz
        if  ;; label = @3
          i32.const 100
          global.set 1
          unreachable
        end
        global.get 1
        i32.const 1
        i32.sub
        global.set 1
        f64.const -0x1p+63 (;=-9.22337e+18;)
        i32.const -82
        call_indirect (type 4)
        call 38
        call 42
        br 0 (;@2;)
      end
      unreachable
    end
    unreachable)
  (func (;9;) (type 8) (param f64 i64 f32 i64) (result f32)
    (local i64 f64 f32 f32 f32 f32)
    local.get 0
    call 39
    local.set 0
    local.get 2
    call 38
    local.set 2
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    f32.const -0x1.ffffep+19 (;=-1.04858e+06;))
  (func (;10;) (type 0) (result i64)
    (local i32 f32)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    i64.const -126)
  (func (;11;) (type 1)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    call 10
    drop
    call 10
    drop
    call 10
    drop
    call 10
    drop
    call 10
    drop
    call 10
    drop
    call 10
    drop
    call 10
    drop
    call 10
    drop
    call 10
    drop)
  (func (;12;) (type 9) (param i64 f32 f32 i64 i32) (result f32)
    (local i32)
    local.get 1
    call 38
    local.set 1
    local.get 2
    call 38
    local.set 2
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    f32.const -0x1.7p+6 (;=-92;)
    return)
  (func (;13;) (type 1)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    i64.const -3406524
    f32.const 0x0p+0 (;=0;)
    f32.const 0x1p+32 (;=4.29497e+09;)
    i64.const -68
    i32.const -13
    call 12
    call 38
    drop)
  (func (;14;) (type 10) (param i64 i32 i32 i32 f64)
    (local f32)
    local.get 4
    call 39
    local.set 4
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    block (result f64)  ;; label = @1
      local.get 4
      f32.const 0x1p+28 (;=2.68435e+08;)
      i32.trunc_f32_s
      i32.eqz
      br_if 0 (;@1;)
      local.set 4
      return
    end
    call 43
    nop)
  (func (;15;) (type 11) (param f64 i64) (result i64)
    local.get 0
    call 39
    local.set 0
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    local.get 1)
  (func (;16;) (type 12) (param f32 f64 f32) (result f64)
    (local i64 f32)
    local.get 0
    call 38
    local.set 0
    local.get 1
    call 39
    local.set 1
    local.get 2
    call 38
    local.set 2
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    local.get 1)
  (func (;17;) (type 13) (param f64 f64 f64 f32) (result f64)
    local.get 0
    call 39
    local.set 0
    local.get 1
    call 39
    local.set 1
    local.get 2
    call 39
    local.set 2
    local.get 3
    call 38
    local.set 3
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    global.get 0
    call 41
    f32.const -0x0p+0 (;=-0;)
    local.set 3
    local.get 0
    return)
  (func (;18;) (type 14) (param i32 f32) (result i32)
    (local f32 f32)
    local.get 1
    call 38
    local.set 1
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    i32.const -25)
  (func (;19;) (type 15) (param f64 f64 f64 i32) (result i64)
    local.get 0
    call 39
    local.set 0
    local.get 1
    call 39
    local.set 1
    local.get 2
    call 39
    local.set 2
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    nop
    global.get 0)
  (func (;20;) (type 1)
    (local i32 i32 i32 i64 i64 i64 i64 f64 f64 f64 f64 f64 f32 f32)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    block  ;; label = @1
      local.get 8
      f64.const 0x0p+0 (;=0;)
      f64.add
      call 39
      drop
      call 20
      br 0 (;@1;)
    end)
  (func (;21;) (type 1)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    call 20)
  (func (;22;) (type 16) (param f64 i64 i32 i32) (result i64)
    (local i32 i32 i32 f64)
    local.get 0
    call 39
    local.set 0
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    i32.const -536870912
    local.tee 3
    i64.extend_i32_u)
  (func (;23;) (type 17) (param i32 i32 i64 f64) (result i32)
    (local i32 i64 f32 f32 f32 f64)
    local.get 3
    call 39
    local.set 3
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    f32.const 0x1.52e834p+31 (;=2.84296e+09;)
    drop
    global.get 0
    local.set 5
    i32.const -134217728
    return)
  (func (;24;) (type 1)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    i32.const 104
    i32.const 72
    i64.const -10222
    f64.const -0x1.3p+4 (;=-19;)
    call 23
    drop)
  (func (;25;) (type 18) (param i32) (result i64)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    global.get 0)
  (func (;26;) (type 19) (param i64) (result i32)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    i32.const -4318414)
  (func (;27;) (type 2) (result f32)
    (local f64)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    f32.const -0x1p+45 (;=-3.51844e+13;))
  (func (;28;) (type 1)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    call 27
    call 38
    drop)
  (func (;29;) (type 20) (param i32 f64 f32) (result i32)
    (local i32 i32 i32 f32 f32 f32 f64 f64 f64 i64)
    local.get 1
    call 39
    local.set 1
    local.get 2
    call 38
    local.set 2
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    local.get 1
    call 43
    i32.const -4
    return)
  (func (;30;) (type 1)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    i32.const -42
    f64.const 0x1p+63 (;=9.22337e+18;)
    f32.const 0x1.ffffp+31 (;=4.29493e+09;)
    call 29
    drop)
  (func (;31;) (type 21) (param i32 i64) (result f64)
    (local f64 f64)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    f32.const 0x1.28p+5 (;=37;)
    call 42
    local.get 2
    return)
  (func (;32;) (type 22) (param f32 f32 i64 f64) (result f32)
    (local i32 i32 i32 i32 f64 f64 f64 i64 f32)
    local.get 0
    call 38
    local.set 0
    local.get 1
    call 38
    local.set 1
    local.get 3
    call 39
    local.set 3
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    f32.const 0x1.f8p+7 (;=252;))
  (func (;33;) (type 1)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    f32.const 0x1.543484p-89 (;=2.147e-27;)
    f32.const -0x1p+30 (;=-1.07374e+09;)
    i64.const 65408
    f64.const -0x1p+61 (;=-2.30584e+18;)
    call 32
    call 38
    drop)
  (func (;34;) (type 2) (result f32)
    (local i64 i64 i32 i32 i32 f64 f64)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    f32.const 0x0p+0 (;=0;)
    return)
  (func (;35;) (type 2) (result f32)
    (local i32 i32 i32 f64)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    f32.const 0x1p+63 (;=9.22337e+18;)
    return)
  (func (;36;) (type 1)
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    call 35
    call 38
    drop
    call 35
    call 38
    drop
    call 35
    call 38
    drop
    call 35
    call 38
    drop)
  (func (;37;) (type 23) (param f64) (result i64)
    (local i64 i64 i64 f64 f64 i32 i32)
    local.get 0
    call 39
    local.set 0
    global.get 1
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 1
      unreachable
    end
    global.get 1
    i32.const 1
    i32.sub
    global.set 1
    loop (result i64)  ;; label = @1
      global.get 1
      i32.eqz
      if  ;; label = @2
        i32.const 100
        global.set 1
        unreachable
      end
      global.get 1
      i32.const 1
      i32.sub
      global.set 1
      i32.const 32768
      i32.const 15
      i32.and
      call 7
      call 39
      f64.store offset=4 align=1
      i64.const -21218
      f64.convert_i64_s
      call 39
      call 43
      local.get 6
      i32.const 15
      i32.and
      local.get 2
      local.tee 2
      local.get 7
      i32.eqz
      if (result f64)  ;; label = @2
        f64.const -0x1.ep+6 (;=-120;)
      else
        local.get 0
      end
      f64.const 0x0p+0 (;=0;)
      f64.ge
      local.get 6
      i32.xor
      i32.const 15
      i32.and
      i64.load8_s offset=2
      i64.gt_s
      i32.store16 offset=2
      call 35
      call 38
      i64.trunc_sat_f32_s
      local.tee 1
      call 41
      nop
      call 21
      global.get 0
      return
      br_if 0 (;@1;)
      local.get 1
    end)
  (func (;38;) (type 24) (param f32) (result f32)
    local.get 0
    local.get 0
    f32.eq
    if (result f32)  ;; label = @1
      local.get 0
    else
      f32.const 0x0p+0 (;=0;)
    end)
  (func (;39;) (type 25) (param f64) (result f64)
    local.get 0
    local.get 0
    f64.eq
    if (result f64)  ;; label = @1
      local.get 0
    else
      f64.const 0x0p+0 (;=0;)
    end)
  (func (;40;) (type 26) (param i32)
    global.get 2
    local.get 0
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 2)
  (func (;41;) (type 27) (param i64)
    global.get 2
    local.get 0
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 2)
  (func (;42;) (type 28) (param f32)
    global.get 2
    local.get 0
    i32.reinterpret_f32
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 2)
  (func (;43;) (type 29) (param f64)
    global.get 2
    local.get 0
    i64.reinterpret_f64
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 2)
  (func (;44;) (type 0) (result i64)
    (local i32 i32 i64)
    global.get 2
    local.set 2
    local.get 2
    global.get 0
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
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
  (func (;45;) (type 0) (result i64)
    (local i32 i32 i64)
    global.get 2
    local.set 2
    local.get 2
    global.get 0
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
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
  (func (;46;) (type 0) (result i64)
    call 0
    i64.extend_i32_u)
  (func (;47;) (type 0) (result i64)
    call 2
    i64.const 0)
  (func (;48;) (type 0) (result i64)
    f64.const 0x0p+0 (;=0;)
    f64.const 0x0p+0 (;=0;)
    i32.const 0
    i64.const 0
    call 4
    i32.reinterpret_f32
    i64.extend_i32_u)
  (func (;49;) (type 0) (result i64)
    call 5
    i64.const 0)
  (func (;50;) (type 0) (result i64)
    f64.const 0x0p+0 (;=0;)
    call 6
    i32.reinterpret_f32
    i64.extend_i32_u)
  (func (;51;) (type 0) (result i64)
    call 7
    i64.reinterpret_f64)
  (func (;52;) (type 0) (result i64)
    f32.const 0x0p+0 (;=0;)
    f32.const 0x0p+0 (;=0;)
    i64.const 0
    call 8
    i64.extend_i32_u)
  (func (;53;) (type 0) (result i64)
    call 11
    i64.const 0)
  (func (;54;) (type 0) (result i64)
    i64.const 0
    f32.const 0x0p+0 (;=0;)
    f32.const 0x0p+0 (;=0;)
    i64.const 0
    i32.const 0
    call 12
    i32.reinterpret_f32
    i64.extend_i32_u)
  (func (;55;) (type 0) (result i64)
    call 13
    i64.const 0)
  (func (;56;) (type 0) (result i64)
    f32.const 0x0p+0 (;=0;)
    f64.const 0x0p+0 (;=0;)
    f32.const 0x0p+0 (;=0;)
    call 16
    i64.reinterpret_f64)
  (func (;57;) (type 0) (result i64)
    i32.const 0
    f32.const 0x0p+0 (;=0;)
    call 18
    i64.extend_i32_u)
  (func (;58;) (type 0) (result i64)
    call 21
    i64.const 0)
  (func (;59;) (type 0) (result i64)
    f64.const 0x0p+0 (;=0;)
    i64.const 0
    i32.const 0
    i32.const 0
    call 22)
  (func (;60;) (type 0) (result i64)
    i32.const 0
    i32.const 0
    i64.const 0
    f64.const 0x0p+0 (;=0;)
    call 23
    i64.extend_i32_u)
  (func (;61;) (type 0) (result i64)
    call 24
    i64.const 0)
  (func (;62;) (type 0) (result i64)
    i64.const 0
    call 26
    i64.extend_i32_u)
  (func (;63;) (type 0) (result i64)
    call 28
    i64.const 0)
  (func (;64;) (type 0) (result i64)
    call 30
    i64.const 0)
  (func (;65;) (type 0) (result i64)
    call 33
    i64.const 0)
  (func (;66;) (type 0) (result i64)
    call 34
    i32.reinterpret_f32
    i64.extend_i32_u)
  (func (;67;) (type 0) (result i64)
    call 35
    i32.reinterpret_f32
    i64.extend_i32_u)
  (func (;68;) (type 0) (result i64)
    call 36
    i64.const 0)
  (func (;69;) (type 0) (result i64)
    f64.const 0x0p+0 (;=0;)
    call 37)
  (func (;70;) (type 1)
    (local i32 i64)
    global.get 4
    if  ;; label = @1
      i32.const 0
      global.get 5
      i64.store align=1
      i32.const 0
      global.set 4
    end
    global.get 3
    local.set 0
    local.get 0
    i32.const 1
    i32.add
    global.set 3
    local.get 0
    i32.const 0
    i32.eq
    if  ;; label = @1
      call 46
      local.set 1
    end
    local.get 0
    i32.const 1
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 2
    i32.eq
    if  ;; label = @1
      call 47
      local.set 1
    end
    local.get 0
    i32.const 3
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 4
    i32.eq
    if  ;; label = @1
      call 48
      local.set 1
    end
    local.get 0
    i32.const 5
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 6
    i32.eq
    if  ;; label = @1
      call 49
      local.set 1
    end
    local.get 0
    i32.const 7
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 8
    i32.eq
    if  ;; label = @1
      call 50
      local.set 1
    end
    local.get 0
    i32.const 9
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 10
    i32.eq
    if  ;; label = @1
      call 51
      local.set 1
    end
    local.get 0
    i32.const 11
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 12
    i32.eq
    if  ;; label = @1
      call 52
      local.set 1
    end
    local.get 0
    i32.const 13
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 14
    i32.eq
    if  ;; label = @1
      call 53
      local.set 1
    end
    local.get 0
    i32.const 15
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 16
    i32.eq
    if  ;; label = @1
      call 54
      local.set 1
    end
    local.get 0
    i32.const 17
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 18
    i32.eq
    if  ;; label = @1
      call 55
      local.set 1
    end
    local.get 0
    i32.const 19
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 20
    i32.eq
    if  ;; label = @1
      call 56
      local.set 1
    end
    local.get 0
    i32.const 21
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 22
    i32.eq
    if  ;; label = @1
      call 57
      local.set 1
    end
    local.get 0
    i32.const 23
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 24
    i32.eq
    if  ;; label = @1
      call 58
      local.set 1
    end
    local.get 0
    i32.const 25
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 26
    i32.eq
    if  ;; label = @1
      call 59
      local.set 1
    end
    local.get 0
    i32.const 27
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 28
    i32.eq
    if  ;; label = @1
      call 60
      local.set 1
    end
    local.get 0
    i32.const 29
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 30
    i32.eq
    if  ;; label = @1
      call 61
      local.set 1
    end
    local.get 0
    i32.const 31
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 32
    i32.eq
    if  ;; label = @1
      call 62
      local.set 1
    end
    local.get 0
    i32.const 33
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 34
    i32.eq
    if  ;; label = @1
      call 63
      local.set 1
    end
    local.get 0
    i32.const 35
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 36
    i32.eq
    if  ;; label = @1
      call 64
      local.set 1
    end
    local.get 0
    i32.const 37
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 38
    i32.eq
    if  ;; label = @1
      call 65
      local.set 1
    end
    local.get 0
    i32.const 39
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 40
    i32.eq
    if  ;; label = @1
      call 66
      local.set 1
    end
    local.get 0
    i32.const 41
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 42
    i32.eq
    if  ;; label = @1
      call 67
      local.set 1
    end
    local.get 0
    i32.const 43
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 44
    i32.eq
    if  ;; label = @1
      call 68
      local.set 1
    end
    local.get 0
    i32.const 45
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 46
    i32.eq
    if  ;; label = @1
      call 69
      local.set 1
    end
    local.get 0
    i32.const 47
    i32.eq
    if  ;; label = @1
      call 44
      local.set 1
    end
    local.get 0
    i32.const 48
    i32.eq
    if  ;; label = @1
      call 45
      local.set 1
    end
    i32.const 0
    i64.load align=1
    global.set 5
    i32.const 1
    global.set 4
    i32.const 0
    local.get 1
    i64.store align=1)
  (table (;0;) 15 15 funcref)
  (memory (;0;) 16 17)
  (global (;0;) (mut i64) (i64.const -18014398509481983))
  (global (;1;) (mut i32) (i32.const 100))
  (global (;2;) (mut i64) (i64.const 0))
  (global (;3;) (mut i32) (i32.const 0))
  (global (;4;) (mut i32) (i32.const 0))
  (global (;5;) (mut i64) (i64.const 0))
  (export "memory" (memory 0))
  (export "c0" (func 46))
  (export "h0" (func 44))
  (export "c1" (func 47))
  (export "h1" (func 44))
  (export "c2" (func 48))
  (export "h2" (func 44))
  (export "c3" (func 49))
  (export "h3" (func 44))
  (export "c4" (func 50))
  (export "h4" (func 44))
  (export "c5" (func 51))
  (export "h5" (func 44))
  (export "c6" (func 52))
  (export "h6" (func 44))
  (export "c7" (func 53))
  (export "h7" (func 44))
  (export "c8" (func 54))
  (export "h8" (func 44))
  (export "c9" (func 55))
  (export "h9" (func 44))
  (export "c10" (func 56))
  (export "h10" (func 44))
  (export "c11" (func 57))
  (export "h11" (func 44))
  (export "c12" (func 58))
  (export "h12" (func 44))
  (export "c13" (func 59))
  (export "h13" (func 44))
  (export "c14" (func 60))
  (export "h14" (func 44))
  (export "c15" (func 61))
  (export "h15" (func 44))
  (export "c16" (func 62))
  (export "h16" (func 44))
  (export "c17" (func 63))
  (export "h17" (func 44))
  (export "c18" (func 64))
  (export "h18" (func 44))
  (export "c19" (func 65))
  (export "h19" (func 44))
  (export "c20" (func 66))
  (export "h20" (func 44))
  (export "c21" (func 67))
  (export "h21" (func 44))
  (export "c22" (func 68))
  (export "h22" (func 44))
  (export "c23" (func 69))
  (export "h23" (func 44))
  (export "m" (func 45))
  (export "_start" (func 70))
  (elem (;0;) (i32.const 0) func 6 7 8 8 8 12 12 14 14 22 23 25 26 34 35)
  (data (;0;) (i32.const 0) "\a1c\d5\884o\f1z\a5\b4Z\c7;\e9\19\b6\f7\d5\c6\9a\fa8i\1a\b2\aa\c9w\82"))
