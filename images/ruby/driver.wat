;; SPDX-License-Identifier: Apache-2.0
;; The _start of the ruby image: ruby+stdlib.wasm of @ruby/3.3-wasm-wasi is a reactor for a
;; JS host (it exports _initialize and the rb-abi-guest calls); this module, merged with it by
;; images/ruby/build.sh, makes it a WASI command. It starts the VM as `ruby -EUTF-8 -e_=0`
;; (-e so that Ruby reads no script from stdin), then evaluates the boot script below, which
;; runs /dev/script.rb, the image's script channel. Strings go to Ruby's memory through its
;; own allocator (cabi_realloc), from passive segments: this module has no memory of its own.
(module
  (import "ruby" "memory" (memory 0))
  (import "ruby" "_initialize" (func $initialize))
  (import "ruby" "cabi_realloc" (func $realloc (param i32 i32 i32 i32) (result i32)))
  (import "ruby" "ruby-init: func(args: list<string>) -> ()" (func $ruby_init (param i32 i32)))
  (import "ruby" "rb-eval-string-protect: func(str: string) -> tuple<handle<rb-abi-value>, s32>"
    (func $eval (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))

  ;; argv: each string NUL-terminated, as the JS host passes them.
  (data $arg0 "ruby\00")
  (data $arg1 "-EUTF-8\00")
  (data $arg2 "-e_=0\00")
  ;; Errors print as Ruby prints them; exit and exit! keep their status. The streams are
  ;; flushed here because the VM is never torn down (no at_exit, no ruby_cleanup).
  (data $boot "begin\n  status = 0\n  begin\n    $0 = \"script.rb\"\n    load \"/dev/script.rb\"\n  rescue SystemExit => e\n    status = e.status\n  rescue Exception => e\n    $stderr.print e.full_message(highlight: false)\n    status = 1\n  end\n  $stdout.flush\n  $stderr.flush\n  exit! status\nend\n\00")

  ;; Copies passive segment bytes into a fresh buffer of Ruby's: returns its address.
  (func $arg_ptr (param $size i32) (result i32)
    (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (local.get $size)))

  (func (export "_start")
    (local $argv i32) (local $p i32) (local $ret i32)
    (call $initialize)
    (local.set $argv (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 24)))
    ;; "ruby\0": 5 bytes
    (local.set $p (call $arg_ptr (i32.const 5)))
    (memory.init $arg0 (local.get $p) (i32.const 0) (i32.const 5))
    (i32.store offset=0 (local.get $argv) (local.get $p))
    (i32.store offset=4 (local.get $argv) (i32.const 5))
    ;; "-EUTF-8\0": 8 bytes
    (local.set $p (call $arg_ptr (i32.const 8)))
    (memory.init $arg1 (local.get $p) (i32.const 0) (i32.const 8))
    (i32.store offset=8 (local.get $argv) (local.get $p))
    (i32.store offset=12 (local.get $argv) (i32.const 8))
    ;; "-e_=0\0": 6 bytes
    (local.set $p (call $arg_ptr (i32.const 6)))
    (memory.init $arg2 (local.get $p) (i32.const 0) (i32.const 6))
    (i32.store offset=16 (local.get $argv) (local.get $p))
    (i32.store offset=20 (local.get $argv) (i32.const 6))
    (call $ruby_init (local.get $argv) (i32.const 3))
    ;; the boot script, NUL-terminated past the length given
    (local.set $p (call $arg_ptr (i32.const 269)))
    (memory.init $boot (local.get $p) (i32.const 0) (i32.const 269))
    (local.set $ret (call $eval (local.get $p) (i32.const 268)))
    ;; reached only when the boot script itself failed: its state is the status
    (call $proc_exit (select (i32.const 1) (i32.load offset=4 (local.get $ret))
      (i32.eqz (i32.load offset=4 (local.get $ret)))))
    unreachable)
)
