// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting for a DfuSe device's work: each operation's deadline, the poll
 * times learned per kind and size of work (a ROM's bwPollTimeout is often
 * far from the truth), early polls, a STALLed poll asked again (L4), and
 * a device stuck in dfuDNBUSY unstuck where a quirk says so.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math.h>
#include <linux/time64.h>
#include <linux/dfuse.h>

#include "engine.h"
#include "engine_priv.h"

u32 dfuse_work_limit_ms(const struct dfuse_engine *e, u8 work, u32 size)
{
	if (e->busy_limit_ms)
		return e->busy_limit_ms;
	switch (work) {
	case DFUSE_WORK_ERASE:
		if (e->erase_limit_ms)
			return e->erase_limit_ms;
		return DFUSE_LIMIT_ERASE_BASE_MS +
		       DFUSE_LIMIT_ERASE_PER_KIB_MS * DIV_ROUND_UP(size, 1024);
	case DFUSE_WORK_MASS_ERASE:
		return e->mass_erase_limit_ms ?: DFUSE_LIMIT_MASS_ERASE_MS;
	case DFUSE_WORK_PROGRAM:
		return DFUSE_LIMIT_PROGRAM_MS;
	default:
		return DFUSE_LIMIT_COMMAND_MS;
	}
}

static struct dfuse_learned *learned_slot(struct dfuse_engine *e, u8 work,
					  u32 size, bool add)
{
	struct dfuse_learned *l;
	unsigned int i;

	for (i = 0; i < e->nr_learned; i++)
		if (e->learned[i].work == work && e->learned[i].size == size)
			return &e->learned[i];
	if (!add)
		return NULL;
	/* a full table recycles its oldest entry: maps have few page sizes */
	l = &e->learned[e->learned_next];
	e->learned_next = (e->learned_next + 1) % DFUSE_LEARN_SLOTS;
	if (e->nr_learned < DFUSE_LEARN_SLOTS)
		e->nr_learned++;
	l->work = work;
	l->size = size;
	l->us = 0;
	l->busy_us = 0;
	l->hits = 0;
	return l;
}

/*
 * Narrow the bracket of @work on @size bytes: its first poll, sent @first
 * us after the work started, found it done (@hit) or busy; the poll that
 * found it done was sent at @done. Work that became slower or faster
 * than the bracket says starts a new one.
 */
static void learn(struct dfuse_engine *e, u8 work, u32 size, u64 first,
		  bool hit, u64 done)
{
	struct dfuse_learned *l = learned_slot(e, work, size, true);

	first = min_t(u64, first, U32_MAX);
	done = min_t(u64, done, U32_MAX);
	if (l->hits >= DFUSE_POLL_PROBE_EVERY)
		l->hits = 0;			/* this was the probe */
	else if (hit)
		l->hits++;
	if (hit) {
		if (first <= l->busy_us)
			l->busy_us = 0;		/* faster than it was */
		l->us = l->us ? min_t(u32, l->us, first) : first;
		return;
	}
	if (l->us && first >= l->us)
		l->us = 0;			/* slower than it was */
	l->busy_us = max_t(u32, l->busy_us, first);
	l->us = l->us ? min_t(u32, l->us, done) : done;
}

/* When to send the first poll of work we have seen before. */
static u64 learned_wait_us(const struct dfuse_learned *l)
{
	u32 gap = l->us > l->busy_us ? l->us - l->busy_us : 0;

	if (gap > max_t(u32, DFUSE_POLL_RES_US, l->us / 64))
		return l->busy_us + gap / 2;
	if (l->hits >= DFUSE_POLL_PROBE_EVERY)
		return l->us - l->us / 16;
	return l->us;
}

/*
 * How long to wait before the next GETSTATUS. ROMs report a pessimistic
 * bwPollTimeout (F4: 100 ms per erase, 104 ms per 2 KiB block, for work
 * that takes a tenth of that) and answer a poll that comes early either
 * with dfuDNBUSY and the time left, or by holding the request until the
 * work is done. So poll when this work is done on this board, as far as
 * we have learned it (learn()), or soon if we have not seen it yet, never
 * later than the device asks.
 * Only the first wait of an operation is shortened: a device that answers
 * an early poll with dfuDNBUSY has told us the time left.
 * *@early: the wait is shorter than the device asked for.
 */
static u32 poll_wait_us(struct dfuse_engine *e, u32 poll_ms, u8 work,
			u32 size, bool first, bool *early)
{
	u64 asked = (u64)poll_ms * USEC_PER_MSEC;
	struct dfuse_learned *l;
	u64 want;

	*early = false;
	if (e->honour_poll || work == DFUSE_WORK_COMMAND || !first)
		return min_t(u64, asked, U32_MAX);
	l = learned_slot(e, work, size, false);
	want = max_t(u64, l && l->us ? learned_wait_us(l) : 0,
		     DFUSE_POLL_MIN_US);
	if (want >= asked)
		return min_t(u64, asked, U32_MAX);
	*early = true;
	return want;
}

/*
 * The H7 Rev.V wedge: the first CLRSTATUS answers by going to dfuERROR
 * (errUNKNOWN), the second to dfuIDLE. The erase has been done by then.
 */
static int unstick(struct dfuse_engine *e, struct dfuse_getstatus *st)
{
	int i, err = 0;

	for (i = 0; i < 2 && !err; i++) {
		err = e->ops->clr_status(e->ctx);
		if (!err)
			err = dfuse_get_status(e, st);
	}
	if (!err && st->state != DFUSE_STATE_IDLE)
		err = -EPROTO;
	if (!err) {
		e->nr_unstuck++;
		st->status = DFUSE_STATUS_OK;
	}
	return err;
}

/*
 * Some L4 ROMs STALL a poll of a page erase and answer the next one: ask
 * again after the last bwPollTimeout heard (a STALL carries none), at most
 * DFUSE_ERASE_STALL_RETRIES times in one operation (*@stalls).
 */
static int retry_stalled_poll(struct dfuse_engine *e,
			      struct dfuse_getstatus *st, u64 start, u64 limit,
			      unsigned int *stalls)
{
	int err = -EPIPE;

	while (err == -EPIPE && *stalls < DFUSE_ERASE_STALL_RETRIES) {
		u64 elapsed = e->ops->now_us(e->ctx) - start;
		u32 within;

		if (elapsed >= limit)
			break;
		(*stalls)++;
		e->nr_erase_stalls++;
		err = e->ops->sleep(e->ctx, min_t(u64, limit - elapsed,
						  (u64)st->poll_ms * USEC_PER_MSEC));
		if (err)
			break;
		within = DIV_ROUND_UP(limit - elapsed, USEC_PER_MSEC);
		err = dfuse_status_within(e, st, within + DFUSE_LIMIT_COMMAND_MS);
	}
	return err;
}

/* The device has not finished the work the last DNLOAD asked for. */
static bool work_pending(const struct dfuse_getstatus *st)
{
	return st->state == DFUSE_STATE_DNBUSY ||
	       st->state == DFUSE_STATE_DNLOAD_SYNC;
}

/*
 * Poll GETSTATUS while the device is busy with @work on @size bytes, until
 * the operation's deadline.
 */
int dfuse_wait_done(struct dfuse_engine *e, u32 addr, u8 work, u32 size)
{
	u64 limit = (u64)dfuse_work_limit_ms(e, work, size) * USEC_PER_MSEC;
	struct dfuse_getstatus st;
	bool busy = false, early = false, first_hit = false;
	u64 start, sent = 0, first_sent = 0, elapsed = 0;
	unsigned int waits = 0, stalls = 0;
	u32 asked;
	int err;

	/* the first GETSTATUS starts the work on DfuSe devices */
	err = dfuse_get_status(e, &st);
	start = e->ops->now_us(e->ctx);
	asked = st.poll_ms;
	while (!err && work_pending(&st)) {
		u32 wait;

		busy = true;
		/*
		 * No ABORT at the deadline: it is not a valid request in
		 * dfuDNBUSY and the flash may still be busy; the next
		 * command recovers.
		 */
		if (elapsed >= limit)
			return dfuse_record(e, -ETIMEDOUT, st.status, st.state, addr);
		if (e->unstick_busy && work == DFUSE_WORK_ERASE && waits &&
		    elapsed >= 2ULL * max_t(u32, asked, 1) * USEC_PER_MSEC) {
			err = unstick(e, &st);
			busy = false;	/* nothing to learn from a wedge */
			break;
		}
		wait = min_t(u64, poll_wait_us(e, st.poll_ms, work, size,
					       !waits++, &early),
			     limit - elapsed);
		err = e->ops->sleep(e->ctx, wait);
		if (err)
			return dfuse_record(e, err, 0, e->state, addr);
		sent = e->ops->now_us(e->ctx) - start;
		err = dfuse_status_within(e, &st,
					  DIV_ROUND_UP(limit - elapsed,
						       USEC_PER_MSEC) +
					  DFUSE_LIMIT_COMMAND_MS);
		elapsed = e->ops->now_us(e->ctx) - start;
		if (waits == 1) {	/* a refused poll did not find it done */
			first_sent = sent;
			first_hit = !err && !work_pending(&st);
		}
		if (err && early && err != -ENODEV) {
			/*
			 * This ROM refuses a poll before its bwPollTimeout:
			 * honour it on this board from now on, and ask once
			 * more when it said to (an error it reports then
			 * fails this operation).
			 */
			e->honour_poll = true;
			err = e->ops->sleep(e->ctx, min_t(u64, limit,
				(u64)st.poll_ms * USEC_PER_MSEC));
			if (!err)
				err = dfuse_status_within(e, &st,
							  DFUSE_LIMIT_COMMAND_MS);
			elapsed = e->ops->now_us(e->ctx) - start;
		}
		if (early)
			e->nr_early_polls++;
		if (err == -EPIPE && work == DFUSE_WORK_ERASE) {
			err = retry_stalled_poll(e, &st, start, limit, &stalls);
			elapsed = e->ops->now_us(e->ctx) - start;
			sent = elapsed;	/* no later than the last poll */
		}
	}
	if (err)
		return dfuse_transfer_error(e, err, addr);
	/*
	 * Learn from when polls were sent, not when their answers came: a
	 * ROM that holds a poll until done answers at the right time
	 * whenever we ask early, and measuring the answer would ratchet the
	 * estimate up by a request each time.
	 */
	if (busy && work != DFUSE_WORK_COMMAND)
		learn(e, work, size, first_sent, first_hit, sent);
	if (st.state == DFUSE_STATE_ERROR || st.status != DFUSE_STATUS_OK)
		return dfuse_device_error(e, &st, addr);
	return 0;
}
