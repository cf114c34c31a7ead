/* SPDX-License-Identifier: Apache-2.0 */
/* A stand-in engine for the store's and the scheduler's tests (fake-engine.c): a second
 * table of sandbox/engine.h's ZvmEngineOps. */
#pragma once

#include "../../../sandbox/engine.h"

extern const ZvmEngineOps zvm_fake_engine_ops;
