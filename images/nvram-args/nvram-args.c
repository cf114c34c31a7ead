/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nvram-args: shows what /dev/nvram gave the program: argv from [args], two variables from
 * [env] and the clock from [time].
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char *show(const char *value)
{
	return value ? value : "(unset)";
}

int main(int argc, char **argv)
{
	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	printf("GREETING=%s\n", show(getenv("GREETING")));
	printf("TARGET=%s\n", show(getenv("TARGET")));

	time_t now = time(NULL);
	struct tm tm;
	char text[64] = "(invalid)";
	if (gmtime_r(&now, &tm))
		strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
	printf("time=%lld %s\n", (long long)now, text);
	return 0;
}
