// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace runner of the dma_sg KUnit suite: the cases of
 * lib/dma_sg/dma_sg_kunit.c, then random operation sequences against its
 * model, or saved fuzzer inputs.
 *
 *   harness [-q] [-n INPUTS] [FILE...]   -q: print failures only
 *   harness -s DIR                       write the seed inputs into DIR
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <kunit/test.h>
#include <linux/dma_sg.h>

#include "ops.h"

static int failed;

/* Replay a fuzzer input, or every file in a directory; count them. */
static int replay(const char *path)
{
	static u8 buf[1 << 20];
	struct dirent *de;
	size_t size;
	FILE *f;
	DIR *d;
	int n = 0;

	d = opendir(path);
	if (d) {
		while ((de = readdir(d))) {
			char sub[4096];

			if (de->d_name[0] == '.')
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			n += replay(sub);
		}
		closedir(d);
		return n;
	}
	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	size = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (ops_run(buf, size, path) < 0)
		failed++;
	return 1;
}

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void random_inputs(long inputs)
{
	long i, ops = 0;
	u8 buf[512];

	for (i = 0; i < inputs; i++) {
		size_t len = 16 + rng() % (sizeof(buf) - 16);
		char name[48];
		int n;

		for (size_t k = 0; k < len; k++)
			buf[k] = rng();
		snprintf(name, sizeof(name), "random input %ld", i);
		n = ops_run(buf, len, name);
		if (n < 0)
			failed++;
		else
			ops += n;
	}
	printf("dma_sg harness: %ld random inputs, %ld operations\n", inputs,
	       ops);
}

int main(int argc, char **argv)
{
	long inputs = 3000;
	bool quiet = false;
	int opt, n = 0;

	while ((opt = getopt(argc, argv, "qn:s:")) != -1) {
		switch (opt) {
		case 'q':
			quiet = true;
			break;
		case 'n':
			inputs = atol(optarg);
			break;
		case 's':
			n = ops_write_seeds(optarg);
			if (n < 0)
				return 1;
			printf("dma_sg harness: %d seeds written to %s\n", n,
			       optarg);
			return 0;
		default:
			fprintf(stderr, "usage: %s [-q] [-n INPUTS] [FILE...] | -s DIR\n",
				argv[0]);
			return 2;
		}
	}
	if (optind < argc) {
		for (int i = optind; i < argc; i++)
			n += replay(argv[i]);
		printf("dma_sg harness: replayed %d inputs, %d failed\n", n,
		       failed);
		return !!failed;
	}

	failed = kunit_shim_run_suite(kunit_shim_suite, quiet);
	random_inputs(inputs);
	printf("dma_sg harness: %s (%u-bit dma_addr_t, %u entries per page-sized chunk)\n",
	       failed ? "FAILED" : "passed", 8 * (unsigned int)sizeof(dma_addr_t),
	       (unsigned int)DMA_SG_CHUNK_ENTS);
	return !!failed;
}
