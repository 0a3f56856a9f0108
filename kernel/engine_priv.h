/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the DfuSe engine: what engine.c (the requests) and engine_poll.c
 * (waiting for the device's work) share. Not for the engine's users.
 */
#ifndef DFUSE_ENGINE_PRIV_H
#define DFUSE_ENGINE_PRIV_H

#include "engine.h"

/* Keep @err and what went with it for DFUSE_IOC_GET_STATUS; returns @err */
int dfuse_record(struct dfuse_engine *e, int err, u8 status, u8 state,
		 u32 addr);
/* GETSTATUS within @timeout_ms; the state it says becomes the believed one */
int dfuse_status_within(struct dfuse_engine *e, struct dfuse_getstatus *st,
			u32 timeout_ms);
/* The device reported dfuERROR: keep its reason and text, then clear it */
int dfuse_device_error(struct dfuse_engine *e,
		       const struct dfuse_getstatus *st, u32 addr);
/* A request failed at the transport: learn why from the device if we can */
int dfuse_transfer_error(struct dfuse_engine *e, int ret, u32 addr);
/* Poll until the device is done with @work on @size bytes, or its deadline */
int dfuse_wait_done(struct dfuse_engine *e, u32 addr, u8 work, u32 size);

#endif
