(module
  (type (;0;) (func (result i64)))
  (type (;1;) (func (param i32 f64 f32 i32 i32) (result i32)))
  (type (;2;) (func))
  (type (;3;) (func (param i32)))
  (type (;4;) (func (param f32) (result f32)))
  (type (;5;) (func (param f64) (result f64)))
  (type (;6;) (func (result i32)))
  (type (;7;) (func (param i64)))
  (type (;8;) (func (param f32)))
  (type (;9;) (func (param f64)))
  (type (;10;) (func (param i32 i32)))
  (func (;0;) (type 1) (param i32 f64 f32 i32 i32) (result i32)
    (local i64 f64)
    local.get 1
    call 5
    local.set 1
    local.get 2
    call 4
    local.set 2
    global.get 2
    i32.eqz
    if  ;; label = @1
      i32.const 16
      global.set 2
      unreachable
    end
    global.get 2
    i32.const 1
    i32.sub
    global.set 2
    local.get 3
    i32.const 341
    i32.const 170
    select
    i32.eqz
    if (result f32)  ;; label = @1
      global.get 2
      i32.eqz
      if  ;; label = @2
        i32.const 16
        global.set 2
        unreachable
      end
      global.get 2
      i32.const 1
      i32.sub
      global.set 2
      local.get 2
      local.set 2
      block  ;; label = @2
        i32.const 536870913
        if  ;; label = @3
          block  ;; label = @4
            local.get 4
            i32.extend16_s
            i32.const 15
            i32.and
            loop (result i32)  ;; label = @5
              global.get 2
              i32.eqz
              if  ;; label = @6
                i32.const 16
                global.set 2
                unreachable
              end
              global.get 2
              i32.const 1
              i32.sub
              global.set 2
              i32.const -512
              local.tee 0
              i32.clz
              drop
              global.get 2
              i32.eqz
              if  ;; label = @6
                i32.const 16
                global.set 2
                unreachable
              end
              global.get 2
              i32.const 1
              i32.sub
              global.set 2
              i32.const 2147483647
              i32.extend8_s
              local.set 0
              i64.const -22719
              i64.const -21385
              i64.shl
              i32.wrap_i64
              local.get 1
              local.get 2
              local.get 0
              local.get 3
              local.get 4
              select
              i32.const 15
              i32.and
              i32.load16_s offset=3 align=1
              local.tee 0
              local.get 6
              f32.const -0x1p+31 (;=-2.14748e+09;)
              local.get 3
              local.get 3
              local.get 0
              call_indirect (type 1)
              local.get 1
              global.get 0
              call 4
              i32.const 32768
              i32.const -65536
              local.tee 0
              i32.const 0
              call_indirect (type 1)
              i32.const -1992
              i32.eqz
              if (result i32)  ;; label = @6
                i32.const -19594
              else
                local.get 4
              end
              if (result i32)  ;; label = @6
                local.get 5
                local.set 5
                br 2 (;@4;)
              else
                i32.const -10724
                i32.const 15
                i32.and
                i32.load8_u offset=3
              end
              i32.const 0
              call_indirect (type 1)
              i32.eqz
              br_if 0 (;@5;)
              i32.const -107
              local.tee 4
            end
            i32.store16 offset=4 align=1
            loop  ;; label = @5
              global.get 2
              i32.eqz
              if  ;; label = @6
                i32.const 16
                global.set 2
                unreachable
              end
              global.get 2
              i32.const 1
              i32.sub
              global.set 2
              i32.const -268435456
              drop
              loop (result i32)  ;; label = @6
                global.get 2
                i32.eqz
                if  ;; label = @7
                  i32.const 16
                  global.set 2
                  unreachable
                end
                global.get 2
                i32.const 1
                i32.sub
                global.set 2
                i32.const -1
              end
              drop
              local.get 0
              if (result i32)  ;; label = @6
                nop
                loop (result i32)  ;; label = @7
                  global.get 2
                  i32.eqz
                  if  ;; label = @8
                    i32.const 16
                    global.set 2
                    unreachable
                  end
                  global.get 2
                  i32.const 1
                  i32.sub
                  global.set 2
                  f32.const 0x1p+63 (;=9.22337e+18;)
                  local.set 2
                  local.get 4
                  br_if 0 (;@7;)
                  local.get 4
                end
              else
                i32.const 99
                local.tee 0
              end
              drop
              local.get 0
              i32.const 15
              i32.and
              f64.load offset=22 align=4
              call 5
              f64.trunc
              call 5
              drop
              local.get 1
              local.set 1
              br 3 (;@2;)
            end
            unreachable
          end
        else
          global.get 2
          i32.eqz
          if  ;; label = @4
            i32.const 16
            global.set 2
            unreachable
          end
          global.get 2
          i32.const 1
          i32.sub
          global.set 2
          loop (result i32)  ;; label = @4
            global.get 2
            i32.eqz
            if  ;; label = @5
              i32.const 16
              global.set 2
              unreachable
            end
            global.get 2
            i32.const 1
            i32.sub
            global.set 2
            local.get 1
            local.set 1
            local.get 0
            i32.eqz
            br_if 0 (;@4;)
            i32.const 65466
          end
          i32.const 15
          i32.and
          i32.load offset=2
          i32.eqz
          if (result f64)  ;; label = @4
            f64.const -0x1.872b020c49ba6p-2 (;=-0.382;)
          else
            local.get 3
            return
          end
          local.set 1
          br 1 (;@2;)
        end
      end
      i32.const -32767
      return
    else
      local.get 2
      local.set 2
      local.get 2
      local.tee 2
    end
    i32.trunc_f32_s
    local.tee 0
    local.tee 4
    drop
    f64.const 0x1p+63 (;=9.22337e+18;)
    local.set 1
    i32.const -7518350
    return)
  (func (;1;) (type 2)
    global.get 2
    i32.eqz
    if  ;; label = @1
      i32.const 16
      global.set 2
      unreachable
    end
    global.get 2
    i32.const 1
    i32.sub
    global.set 2
    i32.const 235
    f64.const 0x0p+0 (;=0;)
    f32.const -0x1.f71ec4p+22 (;=-8.24312e+06;)
    i32.const -256
    i32.const 541750637
    call 0
    drop
    i32.const 6488
    f64.const 0x1.b096452660f67p+34 (;=2.90304e+10;)
    f32.const 0x0p+0 (;=0;)
    i32.const -122
    i32.const -8388609
    call 0
    drop)
  (func (;2;) (type 0) (result i64)
    (local i32 f32 i64 f64)
    global.get 2
    i32.eqz
    if  ;; label = @1
      i32.const 16
      global.set 2
      unreachable
    end
    global.get 2
    i32.const 1
    i32.sub
    global.set 2
    loop (result f32)  ;; label = @1
      global.get 2
      i32.eqz
      if  ;; label = @2
        i32.const 16
        global.set 2
        unreachable
      end
      global.get 2
      i32.const 1
      i32.sub
      global.set 2
      loop  ;; label = @2
        global.get 2
        i32.eqz
        if  ;; label = @3
          i32.const 16
          global.set 2
          unreachable
        end
        global.get 2
        i32.const 1
        i32.sub
        global.set 2
        loop (result f32)  ;; label = @3
          global.get 2
          i32.eqz
          if  ;; label = @4
            i32.const 16
            global.set 2
            unreachable
          end
          global.get 2
          i32.const 1
          i32.sub
          global.set 2
          nop
          global.get 0
          call 4
        end
        call 9
        loop (result i32)  ;; label = @3
          global.get 2
          i32.eqz
          if  ;; label = @4
            i32.const 16
            global.set 2
            unreachable
          end
          global.get 2
          i32.const 1
          i32.sub
          global.set 2
          nop
          i32.const -7
          call 8
          i32.const 2097152
          local.tee 0
          drop
          local.get 0
          i32.eqz
          br_if 0 (;@3;)
          local.get 0
          i32.const -10481
          local.tee 0
          i32.const -112
          select
        end
        i32.eqz
        if  ;; label = @3
          nop
          loop  ;; label = @4
            global.get 2
            i32.eqz
            if  ;; label = @5
              i32.const 16
              global.set 2
              unreachable
            end
            global.get 2
            i32.const 1
            i32.sub
            global.set 2
            global.get 0
            call 4
            call 9
            local.get 0
            i32.const 15
            i32.and
            i32.load offset=22 align=2
            local.tee 0
            f64.const -0x1p+31 (;=-2.14748e+09;)
            global.get 1
            f32.convert_i64_s
            call 4
            local.get 0
            i32.const 65471
            local.tee 0
            call 0
            call 8
            local.get 0
            br_if 0 (;@4;)
            i32.const -42
            f64.const -0x1.ep+6 (;=-120;)
            f32.const 0x1.fce978p+4 (;=31.807;)
            i32.const -970369419
            local.get 0
            i32.const 0
            call_indirect (type 1)
            local.tee 0
            local.tee 0
            drop
            f64.const 0x1p+64 (;=1.84467e+19;)
            drop
            nop
            br 0 (;@4;)
          end
          unreachable
          drop
          i64.const -79
          return
        else
          i32.const -2
          i32.const 15
          i32.and
          f32.const 0x1.00051cp+14 (;=16385.3;)
          local.tee 1
          f32.store offset=2 align=2
          br 1 (;@2;)
        end
        unreachable
        i32.eqz
        if  ;; label = @3
          f32.const 0x0p+0 (;=0;)
          local.set 1
          nop
        end
        i32.const -122
        br_if 0 (;@2;)
      end
      local.get 0
      call 8
      local.get 1
      f32.sqrt
      call 4
      local.set 1
      f32.const 0x0p+0 (;=0;)
      drop
      loop (result i32)  ;; label = @2
        global.get 2
        i32.eqz
        if  ;; label = @3
          i32.const 16
          global.set 2
          unreachable
        end
        global.get 2
        i32.const 1
        i32.sub
        global.set 2
        nop
        i32.const -1190130053
        i32.const 15
        i32.and
        i64.const -105
        i64.store offset=22 align=2
        local.get 0
        if (result i32)  ;; label = @3
          f32.const -0x1.34p+6 (;=-77;)
          local.tee 1
          local.tee 1
          local.get 1
          f32.lt
          local.tee 0
          drop
          loop (result f64)  ;; label = @4
            global.get 2
            i32.eqz
            if  ;; label = @5
              i32.const 16
              global.set 2
              unreachable
            end
            global.get 2
            i32.const 1
            i32.sub
            global.set 2
            f64.const -0x1.9p+6 (;=-100;)
            call 10
            nop
            local.get 0
            if (result f64)  ;; label = @5
              f64.const 0x1.399999999999ap+0 (;=1.225;)
            else
              global.get 0
              call 4
              local.set 1
              f64.const -0x1.73ab2p+22 (;=-6.08942e+06;)
            end
          end
          drop
          local.get 1
          local.get 1
          local.tee 1
          local.get 1
          f32.const -0x1p+46 (;=-7.03687e+13;)
          f32.sub
          call 4
          f32.max
          call 4
          f32.mul
          call 4
          drop
          loop  ;; label = @4
            global.get 2
            i32.eqz
            if  ;; label = @5
              i32.const 16
              global.set 2
              unreachable
            end
            global.get 2
            i32.const 1
            i32.sub
            global.set 2
            global.get 2
            i32.eqz
            if  ;; label = @5
              i32.const 16
              global.set 2
              unreachable
            end
            global.get 2
            i32.const 1
            i32.sub
            global.set 2
            local.get 0
            i32.const 15
            i32.and
            local.get 0
            i32.store16 offset=4 align=1
            nop
            f64.const 0x1.fffffffffffep+47 (;=2.81475e+14;)
            f64.abs
            call 5
            f64.const 0x0p+0 (;=0;)
            f64.eq
            i32.eqz
            br_if 0 (;@4;)
            i32.const -4096
            f64.const 0x0p+0 (;=0;)
            f32.const 0x0p+0 (;=0;)
            local.get 0
            i32.const -6
            local.get 0
            i32.const 64
            select
            i32.const 0
            call_indirect (type 1)
            drop
            local.get 0
            drop
            nop
            i64.const -109
            return
          end
          unreachable
        else
          block (result i32)  ;; label = @4
            local.get 0
            if (result i32)  ;; label = @5
              local.get 0
            else
              local.get 0
              local.get 0
              i32.sub
              i32.const -2147483647
              br_if 1 (;@4;)
              local.tee 0
            end
            local.get 0
            if (result i32)  ;; label = @5
              i32.const -122
            else
              i32.const -2147483647
            end
            i32.eqz
            br_if 0 (;@4;)
            drop
            f64.const 0x0p+0 (;=0;)
            drop
            i32.const 42
            i32.const 15
            i32.and
            f32.load offset=4 align=2
            call 4
            drop
            i32.const 210
            br_if 3 (;@1;)
            br 2 (;@2;)
          end
        end
        br_if 0 (;@2;)
        local.get 0
      end
      i32.eqz
      br_if 0 (;@1;)
      f32.const 0x0p+0 (;=0;)
    end
    f32.const 0x1p+34 (;=1.71799e+10;)
    i32.const 118
    select
    call 9
    i64.const -28
    return)
  (func (;3;) (type 2)
    global.get 2
    i32.eqz
    if  ;; label = @1
      i32.const 16
      global.set 2
      unreachable
    end
    global.get 2
    i32.const 1
    i32.sub
    global.set 2
    call 2
    drop)
  (func (;4;) (type 4) (param f32) (result f32)
    local.get 0
    local.get 0
    f32.eq
    if (result f32)  ;; label = @1
      local.get 0
    else
      f32.const 0x0p+0 (;=0;)
    end)
  (func (;5;) (type 5) (param f64) (result f64)
    local.get 0
    local.get 0
    f64.eq
    if (result f64)  ;; label = @1
      local.get 0
    else
      f64.const 0x0p+0 (;=0;)
    end)
  (func (;6;) (type 6) (result i32)
    (local i64)
    call 2
    local.set 0
    local.get 0
    i64.const 32
    i64.shr_u
    i32.wrap_i64
    call 11
    local.get 0
    i32.wrap_i64)
  (func (;7;) (type 7) (param i64)
    local.get 0
    i32.wrap_i64
    local.get 0
    i64.const 32
    i64.shr_u
    i32.wrap_i64
    call 12)
  (func (;8;) (type 3) (param i32)
    global.get 3
    local.get 0
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 3)
  (func (;9;) (type 8) (param f32)
    global.get 3
    local.get 0
    i32.reinterpret_f32
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 3)
  (func (;10;) (type 9) (param f64)
    global.get 3
    local.get 0
    i64.reinterpret_f64
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 3)
  (func (;11;) (type 3) (param i32)
    local.get 0
    global.set 4)
  (func (;12;) (type 10) (param i32 i32)
    global.get 3
    local.get 0
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.get 1
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 3)
  (func (;13;) (type 0) (result i64)
    (local i32 i32 i64)
    global.get 3
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
  (func (;14;) (type 0) (result i64)
    (local i32 i32 i64)
    global.get 3
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
  (func (;15;) (type 0) (result i64)
    i32.const 0
    f64.const 0x0p+0 (;=0;)
    f32.const 0x0p+0 (;=0;)
    i32.const 0
    i32.const 0
    call 0
    i64.extend_i32_u)
  (func (;16;) (type 0) (result i64)
    call 1
    i64.const 0)
  (func (;17;) (type 0) (result i64)
    call 6
    i64.extend_i32_u)
  (func (;18;) (type 0) (result i64)
    call 3
    i64.const 0)
  (func (;19;) (type 2)
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
      call 15
      local.set 1
    end
    local.get 0
    i32.const 1
    i32.eq
    if  ;; label = @1
      call 13
      local.set 1
    end
    local.get 0
    i32.const 2
    i32.eq
    if  ;; label = @1
      call 16
      local.set 1
    end
    local.get 0
    i32.const 3
    i32.eq
    if  ;; label = @1
      call 13
      local.set 1
    end
    local.get 0
    i32.const 4
    i32.eq
    if  ;; label = @1
      call 17
      local.set 1
    end
    local.get 0
    i32.const 5
    i32.eq
    if  ;; label = @1
      call 13
      local.set 1
    end
    local.get 0
    i32.const 6
    i32.eq
    if  ;; label = @1
      call 18
      local.set 1
    end
    local.get 0
    i32.const 7
    i32.eq
    if  ;; label = @1
      call 13
      local.set 1
    end
    local.get 0
    i32.const 8
    i32.eq
    if  ;; label = @1
      call 14
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
  (table (;0;) 7 funcref)
  (memory (;0;) 16 17)
  (global (;0;) f32 (f32.const 0x0p+0 (;=0;)))
  (global (;1;) i64 (i64.const 72057594037927937))
  (global (;2;) (mut i32) (i32.const 16))
  (global (;3;) (mut i64) (i64.const 0))
  (global (;4;) (mut i32) (i32.const 0))
  (global (;5;) (mut i32) (i32.const 0))
  (global (;6;) (mut i32) (i32.const 0))
  (global (;7;) (mut i64) (i64.const 0))
  (export "memory" (memory 0))
  (export "c0" (func 15))
  (export "h0" (func 13))
  (export "c1" (func 16))
  (export "h1" (func 13))
  (export "c2" (func 17))
  (export "h2" (func 13))
  (export "c3" (func 18))
  (export "h3" (func 13))
  (export "m" (func 14))
  (export "_start" (func 19))
  (elem (;0;) (i32.const 0) func 0 2 2)
  (data (;0;) "\80\93%\dd\b7\cb\ba\fdz\ffJ'n\d6\cf&l,\8f\8e\e2\9a\a9\04"))
