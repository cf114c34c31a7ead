(module
  (type (;0;) (func))
  (type (;1;) (func (result i64)))
  (type (;2;) (func (param i32 i64 i32) (result i32)))
  (type (;3;) (func (result f32)))
  (type (;4;) (func (param f32 f32 f64 i64) (result f32)))
  (type (;5;) (func (result i32)))
  (type (;6;) (func (param f64) (result i32)))
  (type (;7;) (func (param f64 f64) (result f64)))
  (type (;8;) (func (param f32) (result f32)))
  (type (;9;) (func (param f64) (result f64)))
  (type (;10;) (func (param i32)))
  (type (;11;) (func (param i64)))
  (type (;12;) (func (param f32)))
  (type (;13;) (func (param f64)))
  (type (;14;) (func (param i32 i32) (result i32)))
  (func (;0;) (type 2) (param i32 i64 i32) (result i32)
    (local i32 i32 i32 i32 i64 i64 f32 f32 f64 f64)
    global.get 23
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 23
      unreachable
    end
    global.get 23
    i32.const 1
    i32.sub
    global.set 23
    global.get 1
    local.tee 0)
  (func (;1;) (type 0)
    global.get 23
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 23
      unreachable
    end
    global.get 23
    i32.const 1
    i32.sub
    global.set 23
    i32.const 2048
    i64.const -21
    i32.const 65535
    call 0
    drop)
  (func (;2;) (type 3) (result f32)
    (local i32 i64 f64 f64)
    global.get 23
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 23
      unreachable
    end
    global.get 23
    i32.const 1
    i32.sub
    global.set 23
    f64.const 0x0p+0 (;=0;)
    loop (result f64)  ;; label = @1
      global.get 23
      i32.eqz
      if  ;; label = @2
        i32.const 100
        global.set 23
        unreachable
      end
      global.get 23
      i32.const 1
      i32.sub
      global.set 23
      local.get 0
      global.set 17
      local.get 1
      global.set 9
      local.get 0
      br_if 0 (;@1;)
      nop
      local.get 0
      br_if 0 (;@1;)
      local.get 3
      local.tee 2
      local.tee 2
    end
    f64.eq
    i32.const 15
    i32.and
    i32.const 32767
    i32.store8 offset=22
    f32.const 0x0p+0 (;=0;)
    return)
  (func (;3;) (type 4) (param f32 f32 f64 i64) (result f32)
    (local f32 f32 f32 f32 f32 i32 i32 i64 i64 f64)
    local.get 0
    call 11
    local.set 0
    local.get 1
    call 11
    local.set 1
    local.get 2
    call 12
    local.set 2
    global.get 23
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 23
      unreachable
    end
    global.get 23
    i32.const 1
    i32.sub
    global.set 23
    local.get 0
    local.tee 1)
  (func (;4;) (type 0)
    global.get 23
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 23
      unreachable
    end
    global.get 23
    i32.const 1
    i32.sub
    global.set 23
    f32.const 0x0p+0 (;=0;)
    f32.const 0x1.02cp+10 (;=1035;)
    f64.const -0x0p+0 (;=-0;)
    i64.const -18014398509481985
    call 3
    call 11
    drop)
  (func (;5;) (type 0)
    global.get 23
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 23
      unreachable
    end
    global.get 23
    i32.const 1
    i32.sub
    global.set 23
    global.get 13
    f64.convert_i32_s
    call 12
    call 16)
  (func (;6;) (type 0)
    global.get 23
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 23
      unreachable
    end
    global.get 23
    i32.const 1
    i32.sub
    global.set 23
    call 5)
  (func (;7;) (type 6) (param f64) (result i32)
    (local f32 i32 i64)
    local.get 0
    call 12
    local.set 0
    global.get 23
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 23
      unreachable
    end
    global.get 23
    i32.const 1
    i32.sub
    global.set 23
    global.get 0
    call 14
    i32.const -128
    i32.const -3780277
    i32.eqz
    if (result i64)  ;; label = @1
      i64.const -17179869184
    else
      global.get 9
    end
    i32.const 29
    global.get 2
    local.tee 2
    i32.const 1024
    select
    i32.eqz
    if (result i32)  ;; label = @1
      global.get 20
      call 12
      call 7
      i64.load16_s offset=22
      local.tee 3
      global.get 9
      i64.or
      call 14
      local.get 2
      i32.const -128
      i32.const 15
      i32.and
      i64.load16_u offset=3 align=1
      loop (result i64)  ;; label = @2
        global.get 23
        i32.eqz
        if  ;; label = @3
          i32.const 100
          global.set 23
          unreachable
        end
        global.get 23
        i32.const 1
        i32.sub
        global.set 23
        local.get 3
        local.tee 3
      end
      local.tee 3
      i64.xor
      global.get 5
      local.tee 3
      i64.shr_s
      i32.const -2097153
      i32.const 15
      i32.and
      i32.load16_u offset=3 align=1
      i32.const 0
      call_indirect (type 2)
      i32.eqz
      if (result f32)  ;; label = @2
        f32.const 0x1.5p+4 (;=21;)
        call 15
        global.get 15
        return
      else
        loop (result f32)  ;; label = @3
          global.get 23
          i32.eqz
          if  ;; label = @4
            i32.const 100
            global.set 23
            unreachable
          end
          global.get 23
          i32.const 1
          i32.sub
          global.set 23
          local.get 3
          global.set 9
          loop (result i64)  ;; label = @4
            global.get 23
            i32.eqz
            if  ;; label = @5
              i32.const 100
              global.set 23
              unreachable
            end
            global.get 23
            i32.const 1
            i32.sub
            global.set 23
            f32.const 0x0p+0 (;=0;)
            call 15
            local.get 2
            br_if 0 (;@4;)
            local.get 2
            i32.eqz
            if (result i64)  ;; label = @5
              local.get 3
            else
              i64.const 33
            end
          end
          local.tee 3
          call 14
          i32.const -111
          call 13
          local.get 2
          br_if 0 (;@3;)
          i32.const 1
          call_indirect (type 3)
          call 11
        end
      end
      loop (result f32)  ;; label = @2
        global.get 23
        i32.eqz
        if  ;; label = @3
          i32.const 100
          global.set 23
          unreachable
        end
        global.get 23
        i32.const 1
        i32.sub
        global.set 23
        local.get 1
        local.tee 1
      end
      f32.gt
    else
      loop (result f64)  ;; label = @2
        global.get 23
        i32.eqz
        if  ;; label = @3
          i32.const 100
          global.set 23
          unreachable
        end
        global.get 23
        i32.const 1
        i32.sub
        global.set 23
        global.get 15
        i32.const 15
        i32.and
        i32.load16_u offset=22 align=1
        local.tee 2
        i32.const 15
        i32.and
        i32.load8_u offset=22
        i32.const 15
        i32.and
        nop
        i32.const -8
        if (result i32)  ;; label = @3
          i32.const 65456
        else
          i32.const 5
        end
        i32.eqz
        if (result i32)  ;; label = @3
          local.get 0
          call 7
        else
          i64.const 55659
          local.get 3
          i64.eq
        end
        i32.eqz
        if (result f32)  ;; label = @3
          loop (result i32)  ;; label = @4
            global.get 23
            i32.eqz
            if  ;; label = @5
              i32.const 100
              global.set 23
              unreachable
            end
            global.get 23
            i32.const 1
            i32.sub
            global.set 23
            nop
            i32.const -27551
            br_if 0 (;@4;)
            local.get 2
          end
          i32.eqz
          if (result f32)  ;; label = @4
            i32.const 758914166
            local.set 2
            local.get 1
          else
            nop
            f32.const 0x1.58p+5 (;=43;)
          end
        else
          local.get 1
          local.get 1
          local.set 1
          i32.const 1
          if (result f32)  ;; label = @4
            f32.const -0x1p+44 (;=-1.75922e+13;)
          else
            local.get 1
          end
          local.get 2
          i64.const 144115188075855873
          local.get 2
          call 0
          select
        end
        i32.trunc_f32_s
        i32.store offset=22
        global.get 15
        i32.const 15
        i32.and
        f64.load offset=22
        call 12
      end
      call 16
      local.get 2
      return
    end
    i32.const 15
    i32.and
    i32.load8_s offset=22
    i32.const 15
    i32.and
    i64.load8_s offset=4
    i64.div_s
    global.get 15
    i32.const -128
    block (result i32)  ;; label = @1
      local.get 2
      nop
      i32.const 32768
      if (result f64)  ;; label = @2
        local.get 0
      else
        local.get 0
      end
      call 7
      local.get 3
      local.tee 3
      local.tee 3
      i32.const 67
      local.get 2
      i32.eq
      i32.const 15
      i32.and
      i32.load8_s offset=4
      i32.const 0
      call_indirect (type 2)
      call 17
      i32.eqz
      if (result i32)  ;; label = @2
        local.get 2
        return
      else
        block (result i32)  ;; label = @3
          global.get 12
          call 12
          call 16
          loop (result i32)  ;; label = @4
            global.get 23
            i32.eqz
            if  ;; label = @5
              i32.const 100
              global.set 23
              unreachable
            end
            global.get 23
            i32.const 1
            i32.sub
            global.set 23
            nop
            local.get 1
            i32.trunc_f32_u
            local.tee 2
            i32.eqz
            br_if 0 (;@4;)
            i32.const -2147483648
          end
          local.tee 2
          local.tee 2
          i32.const 4
          call_indirect (type 0)
          local.get 2
          local.get 2
          local.tee 2
          br_if 0 (;@3;)
          i32.eqz
          br_if 0 (;@3;)
        end
      end
      local.get 2
      i32.eqz
      br_if 0 (;@1;)
      local.tee 2
      local.tee 2
      call 13
      local.get 1
      call 2
      call 11
      f32.max
      call 11
      call 15
      loop  ;; label = @2
        global.get 23
        i32.eqz
        if  ;; label = @3
          i32.const 100
          global.set 23
          unreachable
        end
        global.get 23
        i32.const 1
        i32.sub
        global.set 23
        i32.const -96
        i32.const 15
        i32.and
        f64.load offset=22
        call 12
        drop
        br 0 (;@2;)
      end
      unreachable
    end
    if (result i64)  ;; label = @1
      i64.const -118
      i64.const 64
      i64.xor
    else
      local.get 2
      call 13
      global.get 0
    end
    global.get 15
    i32.const 0
    call_indirect (type 2)
    call_indirect (type 2)
    return)
  (func (;8;) (type 5) (result i32)
    (local i32)
    global.get 23
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 23
      unreachable
    end
    global.get 23
    i32.const 1
    i32.sub
    global.set 23
    local.get 0)
  (func (;9;) (type 7) (param f64 f64) (result f64)
    (local f64 f64 f64 f32 f32 f32 f32 f32 i64 i64 i32)
    local.get 0
    call 12
    local.set 0
    local.get 1
    call 12
    local.set 1
    global.get 23
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 23
      unreachable
    end
    global.get 23
    i32.const 1
    i32.sub
    global.set 23
    local.get 12
    if (result f64)  ;; label = @1
      nop
      loop (result f64)  ;; label = @2
        global.get 23
        i32.eqz
        if  ;; label = @3
          i32.const 100
          global.set 23
          unreachable
        end
        global.get 23
        i32.const 1
        i32.sub
        global.set 23
        block  ;; label = @3
          loop  ;; label = @4
            global.get 23
            i32.eqz
            if  ;; label = @5
              i32.const 100
              global.set 23
              unreachable
            end
            global.get 23
            i32.const 1
            i32.sub
            global.set 23
            global.get 15
            global.set 16
            local.get 12
            if  ;; label = @5
              br 3 (;@2;)
            else
              i64.const 32767
              call 14
              i32.const 1
              call 13
            end
            local.get 12
            br_if 0 (;@4;)
            nop
            loop (result f32)  ;; label = @5
              global.get 23
              i32.eqz
              if  ;; label = @6
                i32.const 100
                global.set 23
                unreachable
              end
              global.get 23
              i32.const 1
              i32.sub
              global.set 23
              nop
              br 1 (;@4;)
            end
            i32.trunc_f32_s
            i32.eqz
            if  ;; label = @5
              i32.const -98
              local.get 12
              call 17
              local.tee 12
              if  ;; label = @6
                global.get 2
                if  ;; label = @7
                  local.get 5
                  call 15
                else
                  local.get 12
                  call 13
                end
                local.get 10
                local.set 10
                nop
              else
                global.get 19
                local.set 10
                loop  ;; label = @7
                  global.get 23
                  i32.eqz
                  if  ;; label = @8
                    i32.const 100
                    global.set 23
                    unreachable
                  end
                  global.get 23
                  i32.const 1
                  i32.sub
                  global.set 23
                  local.get 11
                  local.set 11
                  i32.const 126
                  i32.eqz
                  br_if 0 (;@7;)
                end
                f64.const 0x1.1cp+6 (;=71;)
                call 16
              end
              br 1 (;@4;)
            else
              br 2 (;@3;)
            end
            unreachable
          end
          unreachable
        end
        i32.const 45680
        i32.const 15
        i32.and
        i32.load offset=22 align=1
        i32.eqz
        br_if 0 (;@2;)
        loop (result f64)  ;; label = @3
          global.get 23
          i32.eqz
          if  ;; label = @4
            i32.const 100
            global.set 23
            unreachable
          end
          global.get 23
          i32.const 1
          i32.sub
          global.set 23
          block  ;; label = @4
            loop  ;; label = @5
              global.get 23
              i32.eqz
              if  ;; label = @6
                i32.const 100
                global.set 23
                unreachable
              end
              global.get 23
              i32.const 1
              i32.sub
              global.set 23
              global.get 23
              i32.eqz
              if  ;; label = @6
                i32.const 100
                global.set 23
                unreachable
              end
              global.get 23
              i32.const 1
              i32.sub
              global.set 23
              local.get 12
              i32.const 15
              i32.and
              i32.load16_s offset=4 align=1
              drop
              i32.const 513
              if (result f32)  ;; label = @6
                local.get 12
                local.get 12
                local.get 12
                select
                i32.const 15
                i32.and
                f32.load offset=4 align=1
                call 11
              else
                i32.const 4
                call_indirect (type 0)
                br 3 (;@3;)
              end
              local.tee 8
              call 15
              local.get 12
              i32.eqz
              br_if 0 (;@5;)
            end
            local.get 8
            call 15
            loop  ;; label = @5
              global.get 23
              i32.eqz
              if  ;; label = @6
                i32.const 100
                global.set 23
                unreachable
              end
              global.get 23
              i32.const 1
              i32.sub
              global.set 23
              loop  ;; label = @6
                global.get 23
                i32.eqz
                if  ;; label = @7
                  i32.const 100
                  global.set 23
                  unreachable
                end
                global.get 23
                i32.const 1
                i32.sub
                global.set 23
                loop (result i32)  ;; label = @7
                  global.get 23
                  i32.eqz
                  if  ;; label = @8
                    i32.const 100
                    global.set 23
                    unreachable
                  end
                  global.get 23
                  i32.const 1
                  i32.sub
                  global.set 23
                  local.get 5
                  call 15
                  local.get 12
                  local.set 12
                  br 1 (;@6;)
                end
                local.tee 12
                i32.const 15
                i32.and
                global.get 3
                call 11
                f32.store offset=4 align=2
                global.get 3
                call 11
                call 15
                br 2 (;@4;)
              end
              unreachable
            end
            unreachable
          end
          global.get 10
          br_if 0 (;@3;)
          local.get 2
        end
      end
      drop
      call 8
      i32.eqz
      if (result i32)  ;; label = @2
        block (result i32)  ;; label = @3
          local.get 7
          i32.trunc_f32_u
          global.get 17
          local.get 7
          local.get 8
          f32.ne
          local.get 8
          i32.trunc_f32_s
          br_if 0 (;@3;)
          select
          if  ;; label = @4
            call 4
            global.get 23
            i32.eqz
            if  ;; label = @5
              i32.const 100
              global.set 23
              unreachable
            end
            global.get 23
            i32.const 1
            i32.sub
            global.set 23
            local.get 10
            call 14
            local.get 12
            local.set 12
            local.get 12
            i32.const 118
            i32.eqz
            if (result i32)  ;; label = @5
              i32.const -4456116
            else
              local.get 10
              i32.wrap_i64
            end
            i32.const 39217
            i32.extend8_s
            local.tee 12
            call 17
            i32.eqz
            br_if 1 (;@3;)
            call 13
          else
            global.get 1
            call 13
          end
          local.get 2
          return
        end
      else
        local.get 10
        call 14
        global.get 10
        local.tee 12
      end
      if (result i32)  ;; label = @2
        local.get 11
        local.tee 11
        i32.const 1048575
        i32.const 15
        i32.and
        i32.load offset=3
        if (result i32)  ;; label = @3
          f64.const -0x1.9p+4 (;=-25;)
          return
        else
          i32.const -17395
        end
        i64.load8_s offset=3
        i64.shl
        local.set 10
        f64.const 0x0p+0 (;=0;)
        return
      else
        block (result i32)  ;; label = @3
          loop  ;; label = @4
            global.get 23
            i32.eqz
            if  ;; label = @5
              i32.const 100
              global.set 23
              unreachable
            end
            global.get 23
            i32.const 1
            i32.sub
            global.set 23
            local.get 0
            local.get 3
            local.tee 1
            local.tee 1
            f64.gt
            call 13
            local.get 12
            local.tee 12
            br_if 0 (;@4;)
          end
          global.get 0
          call 14
          local.get 10
          call 14
          local.get 12
          local.tee 12
          i32.const 2147483647
          local.get 12
          i32.eqz
          br_if 0 (;@3;)
          i32.eqz
          br_if 0 (;@3;)
        end
      end
      local.tee 12
      local.tee 12
      drop
      global.get 23
      i32.eqz
      if  ;; label = @2
        i32.const 100
        global.set 23
        unreachable
      end
      global.get 23
      i32.const 1
      i32.sub
      global.set 23
      global.get 6
      call 11
      local.set 7
      f32.const 0x0p+0 (;=0;)
      call 15
      f32.const 0x1.7d98p+14 (;=24422;)
      call 15
      local.get 2
      return
    else
      i32.const -24043
      i32.eqz
      if (result f64)  ;; label = @2
        i32.const -40
        i32.eqz
        if (result i32)  ;; label = @3
          global.get 23
          i32.eqz
          if  ;; label = @4
            i32.const 100
            global.set 23
            unreachable
          end
          global.get 23
          i32.const 1
          i32.sub
          global.set 23
          local.get 3
          local.set 4
          f64.const 0x1p+64 (;=1.84467e+19;)
          local.set 2
          local.get 10
          i64.const -4294967295
          local.tee 10
          i32.const 65535
          local.get 12
          local.tee 12
          call 17
          select
          call 14
          local.get 1
          i32.trunc_sat_f64_u
        else
          i32.const 4
          call_indirect (type 0)
          global.get 20
          call 12
          return
        end
        i64.extend_i32_u
        call 14
        global.get 14
        call 12
        local.tee 0
        global.get 20
        call 12
        f64.add
        call 12
      else
        loop (result i32)  ;; label = @3
          global.get 23
          i32.eqz
          if  ;; label = @4
            i32.const 100
            global.set 23
            unreachable
          end
          global.get 23
          i32.const 1
          i32.sub
          global.set 23
          i32.const -262143
        end
        local.tee 12
        i32.eqz
        if (result i64)  ;; label = @3
          loop  ;; label = @4
            global.get 23
            i32.eqz
            if  ;; label = @5
              i32.const 100
              global.set 23
              unreachable
            end
            global.get 23
            i32.const 1
            i32.sub
            global.set 23
            i32.const -1964966
            drop
            i32.const 1
            br_if 0 (;@4;)
          end
          local.get 3
          call 16
          local.get 11
        else
          i32.const -31
          local.get 12
          i32.const 268435456
          select
          i32.const 15
          i32.and
          i64.load32_s offset=22
        end
        call 14
        f64.const 0x1p+0 (;=1;)
        return
      end
      local.tee 3
      local.tee 4
      local.tee 0
    end)
  (func (;10;) (type 5) (result i32)
    (local i64 i64 i32 i32 i32 f64 f64 f64 f64 f32 f32 f32)
    global.get 23
    i32.eqz
    if  ;; label = @1
      i32.const 100
      global.set 23
      unreachable
    end
    global.get 23
    i32.const 1
    i32.sub
    global.set 23
    loop  ;; label = @1
      global.get 23
      i32.eqz
      if  ;; label = @2
        i32.const 100
        global.set 23
        unreachable
      end
      global.get 23
      i32.const 1
      i32.sub
      global.set 23
      global.get 17
      local.tee 3
      i32.eqz
      if  ;; label = @2
        call 6
        i32.const 254
        local.tee 3
        local.get 3
        i32.lt_u
        i32.eqz
        if  ;; label = @3
          i32.const 4
          call_indirect (type 0)
          local.get 4
          local.tee 4
          i32.const 15
          i32.and
          i32.const 17
          i32.const 0
          memory.init 3
        end
        global.get 23
        i32.eqz
        if  ;; label = @3
          i32.const 100
          global.set 23
          unreachable
        end
        global.get 23
        i32.const 1
        i32.sub
        global.set 23
        block  ;; label = @3
          i32.const 4
          call_indirect (type 0)
          i32.const 32
          i32.eqz
          if  ;; label = @4
            f32.const 0x1.18p+6 (;=70;)
            call 15
          else
            local.get 3
            i32.const 15
            i32.and
            f32.const 0x0p+0 (;=0;)
            f32.const 0x1p+38 (;=2.74878e+11;)
            global.get 18
            call 12
            i64.const -2147483646
            i32.const 2
            call_indirect (type 4)
            call 11
            local.tee 10
            f32.store offset=22 align=2
          end
          i32.const -58
          if (result f32)  ;; label = @4
            global.get 2
            i32.const 15
            i32.and
            i32.const 8192
            i32.const 1651180806
            memory.copy
            br 1 (;@3;)
          else
            local.get 3
            i32.const 15
            i32.and
            global.get 0
            i64.store16 offset=4 align=1
            nop
            f32.const -0x1.b22d0ep-3 (;=-0.212;)
          end
          local.set 11
          i32.const -61
          i32.const 245
          i32.store offset=3
        end
        br 1 (;@1;)
      else
        local.get 0
        local.set 1
        block  ;; label = @3
          i32.const -64
          drop
          local.get 7
          local.set 7
          br 0 (;@3;)
        end
      end
      local.get 3
      i32.const 13
      i32.const 0
      memory.init 0
      block  ;; label = @2
        loop  ;; label = @3
          global.get 23
          i32.eqz
          if  ;; label = @4
            i32.const 100
            global.set 23
            unreachable
          end
          global.get 23
          i32.const 1
          i32.sub
          global.set 23
          local.get 7
          drop
          data.drop 3
          local.get 4
          local.tee 3
          local.tee 4
          drop
          loop  ;; label = @4
            global.get 23
            i32.eqz
            if  ;; label = @5
              i32.const 100
              global.set 23
              unreachable
            end
            global.get 23
            i32.const 1
            i32.sub
            global.set 23
            local.get 1
            i64.eqz
            local.get 11
            local.get 10
            local.tee 9
            f32.lt
            i32.const -8191
            select
            if  ;; label = @5
              local.get 4
              local.tee 4
              i32.const 15
              i32.and
              i32.const -2210
              i32.const -15
              call 17
              i32.const 15
              i32.and
              f32.load offset=4 align=2
              call 11
              f32.store offset=4 align=1
              br 2 (;@3;)
            else
              loop (result f64)  ;; label = @6
                global.get 23
                i32.eqz
                if  ;; label = @7
                  i32.const 100
                  global.set 23
                  unreachable
                end
                global.get 23
                i32.const 1
                i32.sub
                global.set 23
                f32.const 0x0p+0 (;=0;)
                local.set 10
                local.get 4
                i32.eqz
                br_if 0 (;@6;)
                f64.const 0x0p+0 (;=0;)
              end
              local.set 8
              br 3 (;@2;)
            end
            unreachable
          end
          unreachable
        end
        unreachable
      end
    end
    i32.const -20621)
  (func (;11;) (type 8) (param f32) (result f32)
    local.get 0
    local.get 0
    f32.eq
    if (result f32)  ;; label = @1
      local.get 0
    else
      f32.const 0x0p+0 (;=0;)
    end)
  (func (;12;) (type 9) (param f64) (result f64)
    local.get 0
    local.get 0
    f64.eq
    if (result f64)  ;; label = @1
      local.get 0
    else
      f64.const 0x0p+0 (;=0;)
    end)
  (func (;13;) (type 10) (param i32)
    global.get 24
    local.get 0
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 24)
  (func (;14;) (type 11) (param i64)
    global.get 24
    local.get 0
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 24)
  (func (;15;) (type 12) (param f32)
    global.get 24
    local.get 0
    i32.reinterpret_f32
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 24)
  (func (;16;) (type 13) (param f64)
    global.get 24
    local.get 0
    i64.reinterpret_f64
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    global.set 24)
  (func (;17;) (type 14) (param i32 i32) (result i32)
    global.get 24
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
    global.set 24
    local.get 1)
  (func (;18;) (type 1) (result i64)
    (local i32 i32 i64)
    global.get 24
    local.set 2
    local.get 2
    global.get 5
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 9
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 11
    i32.reinterpret_f32
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 13
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 14
    i64.reinterpret_f64
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 15
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 16
    i64.extend_i32_u
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
    local.get 2
    global.get 18
    i64.reinterpret_f64
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 22
    i64.reinterpret_f64
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 23
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
  (func (;19;) (type 1) (result i64)
    (local i32 i32 i64)
    global.get 24
    local.set 2
    local.get 2
    global.get 5
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 9
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 11
    i32.reinterpret_f32
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 13
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 14
    i64.reinterpret_f64
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 15
    i64.extend_i32_u
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 16
    i64.extend_i32_u
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
    local.get 2
    global.get 18
    i64.reinterpret_f64
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 22
    i64.reinterpret_f64
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.const 29
    i64.rotl
    local.set 2
    local.get 2
    global.get 23
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
  (func (;20;) (type 1) (result i64)
    call 5
    i64.const 0)
  (func (;21;) (type 1) (result i64)
    i32.const 0
    i64.const 0
    i32.const 0
    call 0
    i64.extend_i32_u)
  (func (;22;) (type 1) (result i64)
    call 1
    i64.const 0)
  (func (;23;) (type 1) (result i64)
    call 4
    i64.const 0)
  (func (;24;) (type 1) (result i64)
    call 5
    i64.const 0)
  (func (;25;) (type 1) (result i64)
    call 6
    i64.const 0)
  (func (;26;) (type 1) (result i64)
    call 8
    i64.extend_i32_u)
  (func (;27;) (type 0)
    (local i32 i64)
    global.get 26
    if  ;; label = @1
      i32.const 0
      global.get 27
      i64.store align=1
      i32.const 0
      global.set 26
    end
    global.get 25
    local.set 0
    local.get 0
    i32.const 1
    i32.add
    global.set 25
    local.get 0
    i32.const 0
    i32.eq
    if  ;; label = @1
      call 20
      local.set 1
    end
    local.get 0
    i32.const 1
    i32.eq
    if  ;; label = @1
      call 18
      local.set 1
    end
    local.get 0
    i32.const 2
    i32.eq
    if  ;; label = @1
      call 21
      local.set 1
    end
    local.get 0
    i32.const 3
    i32.eq
    if  ;; label = @1
      call 18
      local.set 1
    end
    local.get 0
    i32.const 4
    i32.eq
    if  ;; label = @1
      call 22
      local.set 1
    end
    local.get 0
    i32.const 5
    i32.eq
    if  ;; label = @1
      call 18
      local.set 1
    end
    local.get 0
    i32.const 6
    i32.eq
    if  ;; label = @1
      call 23
      local.set 1
    end
    local.get 0
    i32.const 7
    i32.eq
    if  ;; label = @1
      call 18
      local.set 1
    end
    local.get 0
    i32.const 8
    i32.eq
    if  ;; label = @1
      call 24
      local.set 1
    end
    local.get 0
    i32.const 9
    i32.eq
    if  ;; label = @1
      call 18
      local.set 1
    end
    local.get 0
    i32.const 10
    i32.eq
    if  ;; label = @1
      call 25
      local.set 1
    end
    local.get 0
    i32.const 11
    i32.eq
    if  ;; label = @1
      call 18
      local.set 1
    end
    local.get 0
    i32.const 12
    i32.eq
    if  ;; label = @1
      call 26
      local.set 1
    end
    local.get 0
    i32.const 13
    i32.eq
    if  ;; label = @1
      call 18
      local.set 1
    end
    local.get 0
    i32.const 14
    i32.eq
    if  ;; label = @1
      call 19
      local.set 1
    end
    i32.const 0
    i64.load align=1
    global.set 27
    i32.const 1
    global.set 26
    i32.const 0
    local.get 1
    i64.store align=1)
  (table (;0;) 6 6 funcref)
  (memory (;0;) 16 16)
  (global (;0;) i64 (i64.const -1))
  (global (;1;) i32 (i32.const -9))
  (global (;2;) i32 (i32.const -101))
  (global (;3;) f32 (f32.const 0x1.72b02p-2 (;=0.362;)))
  (global (;4;) f32 (f32.const -0x1p+63 (;=-9.22337e+18;)))
  (global (;5;) (mut i64) (i64.const 129))
  (global (;6;) f32 (f32.const -0x1.bp+4 (;=-27;)))
  (global (;7;) f32 (f32.const 0x0p+0 (;=0;)))
  (global (;8;) f64 (f64.const -0x1.02p+7 (;=-129;)))
  (global (;9;) (mut i64) (i64.const -3))
  (global (;10;) i32 (i32.const -50))
  (global (;11;) (mut f32) (f32.const -0x1p+25 (;=-3.35544e+07;)))
  (global (;12;) f64 (f64.const 0x0p+0 (;=0;)))
  (global (;13;) (mut i32) (i32.const 83))
  (global (;14;) (mut f64) (f64.const -0x1.fffp+12 (;=-8191;)))
  (global (;15;) (mut i32) (i32.const 4095))
  (global (;16;) (mut i32) (i32.const -81))
  (global (;17;) (mut i32) (i32.const -131073))
  (global (;18;) (mut f64) (f64.const -0x1.fffffffep+31 (;=-4.29497e+09;)))
  (global (;19;) i64 (i64.const -24813))
  (global (;20;) f64 (f64.const -0x1.87ae147ae147bp-1 (;=-0.765;)))
  (global (;21;) i64 (i64.const -66))
  (global (;22;) (mut f64) (f64.const 0x1.b4p+6 (;=109;)))
  (global (;23;) (mut i32) (i32.const 100))
  (global (;24;) (mut i64) (i64.const 0))
  (global (;25;) (mut i32) (i32.const 0))
  (global (;26;) (mut i32) (i32.const 0))
  (global (;27;) (mut i64) (i64.const 0))
  (export "memory" (memory 0))
  (export "s" (func 20))
  (export "hs" (func 18))
  (export "c1" (func 21))
  (export "h1" (func 18))
  (export "c2" (func 22))
  (export "h2" (func 18))
  (export "c3" (func 23))
  (export "h3" (func 18))
  (export "c4" (func 24))
  (export "h4" (func 18))
  (export "c5" (func 25))
  (export "h5" (func 18))
  (export "c6" (func 26))
  (export "h6" (func 18))
  (export "m" (func 19))
  (export "_start" (func 27))
  (elem (;0;) (i32.const 0) func 0 2 3 3 5 5)
  (data (;0;) "\b1` \05\dc\e0-\97~\b0\150\a45")
  (data (;1;) (i32.const 0) "")
  (data (;2;) (i32.const 0) "\e4\86)\e7\ebl!\e6\19\19\d8\cfpz\df\80h\1c)l\fb<L")
  (data (;3;) (i32.const 23) "\d7\d1\b0QL`\99H\b6\c0\00\fc\b4\eb\0a\19 \1bb")
  (data (;4;) "\b0\9b\a9\f7"))
