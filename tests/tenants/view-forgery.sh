#!/bin/bash
. "$(dirname "$0")/view-lib.sh"
tap_done
