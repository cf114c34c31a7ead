/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tar-image: reads a file out of the tar image that /dev/nvram's [fstab] mounts read-only at
 * /lib (ZeroVM's way to ship an interpreter's library) and prints it.
 */
#include <stdio.h>

int main(void)
{
	static const char path[] = "/lib/data/greeting.txt";
	FILE *file = fopen(path, "r");
	if (file == NULL) {
		perror(path);
		return 1;
	}
	char line[256];
	while (fgets(line, sizeof(line), file))
		fputs(line, stdout);
	if (ferror(file)) {
		perror(path);
		return 1;
	}
	fclose(file);
	return 0;
}
