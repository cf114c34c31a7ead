#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# A program whose C is cut into units: while the units compile, the job's status says how
# many are done ("translating N of M units", docs/gateway.md), and the line is gone once the
# job ends. The compiler is held at the third unit, one at a time, so the count is known.
. "$(dirname "$0")/lib.sh"

mount_setup
# The compile user (nobody) leaves a mark and waits at unit 2 until the test lets it go.
mkdir -m 0777 "$WORK/gate"
mkfifo -m 0666 "$WORK/gate/go"
cat >"$WORK/gate/gated-cc" <<SCRIPT
#!/bin/sh
case "\$*" in *" -c unit-2.c "*)
	: >"$WORK/gate/at-unit-2"
	timeout 120 head -c 1 "$WORK/gate/go" >/dev/null ;;
esac
exec cc "\$@"
SCRIPT
chmod 0755 "$WORK/gate/gated-cc"
sed -i "/^\[sandbox\]/a cc = $WORK/gate/gated-cc\ncompile_split_bytes = 4096\ncompile_jobs = 1\ncompile_fast_cc = none" \
	"$CONFIG"
mount_start

id=$(submit "$HELLO")
for _ in $(seq 1200); do [ -e "$WORK/gate/at-unit-2" ] && break; sleep 0.1; done
tap_check "the compiler reached the third unit" test -e "$WORK/gate/at-unit-2"
tap_is "the job is compiling" "$(status_of "$id" state)" compiling
tap_like "its status counts two units done" "$(status_of "$id" translating)" \
	'^2 of [0-9]+ units$'
echo go >"$WORK/gate/go"
tap_is "the job then ends done" "$(wait_job "$id" | sed -n 2p)" "state done"
tap_is "and its status has no translating line" \
	"$(grep -c '^translating' "$MNT/jobs/$id/status")" 0
tap_is "its output" "$(cat "$MNT/jobs/$id/stdout")" "hello, world"

mount_stop
check_daemon_log
tap_done
