// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module for the sanitizer kernel: loading it with fault=NAME
 * commits exactly one deliberate fault of that kind, so that the harness
 * can prove each detector fires (a silent detector must not pass for a
 * clean driver). Loading fails afterwards, so it can be loaded again; but
 * fault=exitleak loads, and leaks an object when it is unloaded (the
 * harness self-test's leak at rmmod). Built for every kernel of the test
 * VMs (the harness self-test WARNs with it on a stock kernel); never
 * loaded anywhere else.
 */
#include <linux/delay.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

static char *fault = "";
module_param(fault, charp, 0444);
MODULE_PARM_DESC(fault, "kasan ubsan lockdep atomic kmemleak refcount list hung warn bug exitleak");

static DEFINE_MUTEX(lock_a);
static DEFINE_MUTEX(lock_b);
static DEFINE_SPINLOCK(spin);
static void *leaked;

static noinline void fault_kasan(void)
{
	volatile int i = 16;
	char *p = kmalloc(16, GFP_KERNEL);

	if (p)
		p[i] = 1;	/* one past the end */
	kfree(p);
}

static noinline void fault_ubsan(void)
{
	volatile int shift = 40;
	volatile int x = 1 << shift;

	(void)x;
}

static noinline void fault_lockdep(void)
{
	/* A then B, later B then A: a possible deadlock, never a real one */
	mutex_lock(&lock_a);
	mutex_lock(&lock_b);
	mutex_unlock(&lock_b);
	mutex_unlock(&lock_a);
	mutex_lock(&lock_b);
	mutex_lock(&lock_a);
	mutex_unlock(&lock_a);
	mutex_unlock(&lock_b);
}

static noinline void fault_atomic(void)
{
	spin_lock(&spin);
	might_sleep();
	spin_unlock(&spin);
}

static noinline void fault_kmemleak(void)
{
	leaked = kmalloc(128, GFP_KERNEL);
	leaked = NULL;	/* the only reference is gone */
}

static noinline void fault_refcount(void)
{
	refcount_t r = REFCOUNT_INIT(1);

	refcount_dec(&r);	/* hits zero without a free */
}

static noinline void fault_list(void)
{
	LIST_HEAD(head);
	struct list_head a, b;

	list_add(&a, &head);
	a.prev = &b;		/* corrupt it: a no longer points back */
	list_add(&b, &head);
}

static int __init dfuse_faults_init(void)
{
	if (!strcmp(fault, "kasan"))
		fault_kasan();
	else if (!strcmp(fault, "ubsan"))
		fault_ubsan();
	else if (!strcmp(fault, "lockdep"))
		fault_lockdep();
	else if (!strcmp(fault, "atomic"))
		fault_atomic();
	else if (!strcmp(fault, "kmemleak"))
		fault_kmemleak();
	else if (!strcmp(fault, "refcount"))
		fault_refcount();
	else if (!strcmp(fault, "list"))
		fault_list();
	else if (!strcmp(fault, "hung"))
		ssleep(6);	/* uninterruptible, past hung_task_timeout_secs */
	else if (!strcmp(fault, "warn"))
		WARN(1, "dfuse_faults: deliberate warning\n");
	else if (!strcmp(fault, "bug"))
		BUG();
	else if (!strcmp(fault, "exitleak"))
		return (leaked = kmalloc(128, GFP_KERNEL)) ? 0 : -ENOMEM;
	else
		return -EINVAL;
	return -EAGAIN;
}
module_init(dfuse_faults_init);

/* exitleak: the object is left behind on purpose; once this module's data
 * is gone, nothing refers to it
 */
static void __exit dfuse_faults_exit(void)
{
}
module_exit(dfuse_faults_exit);

MODULE_DESCRIPTION("dfuse test harness: one deliberate fault per load");
MODULE_LICENSE("GPL");
