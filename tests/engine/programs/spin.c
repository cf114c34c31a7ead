/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spin: says "spinning" on /dev/stdout (one write, unbuffered, so a watcher knows the program
 * runs), then loops forever. Used for the timeout and for looking at the fenced runner.
 */
#include <unistd.h>

static volatile unsigned long counter;

int main(void)
{
	static const char message[] = "spinning\n";
	if (write(1, message, sizeof(message) - 1) < 0)
		return 1;
	for (;;)
		counter++;
}
