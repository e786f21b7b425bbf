/* The floor for `aipm funnel`: one bare libcsv pass over the file, with
 * the same parser options and block size and callbacks that only count.
 * Nothing can read the file with libcsv faster than this.
 * usage: csv_floor FILE */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static size_t fields, rows;

static void on_field(void *data, size_t len, void *ctx)
{
	(void)data;
	(void)len;
	(void)ctx;
	fields++;
}

static void on_row(int c, void *ctx)
{
	(void)c;
	(void)ctx;
	rows++;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: csv_floor FILE\n");
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	struct csv_parser p;
	csv_init(&p, CSV_REPALL_NL | CSV_APPEND_NULL);
	csv_set_blk_size(&p, 64 * 1024);
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	ssize_t n;
	while ((n = read(fd, buf, cap)) > 0)
		if (csv_parse(&p, buf, (size_t)n, on_field, on_row, NULL) != (size_t)n) {
			fprintf(stderr, "%s: %s\n", argv[1], csv_strerror(csv_error(&p)));
			return 1;
		}
	csv_fini(&p, on_field, on_row, NULL);
	csv_free(&p);
	free(buf);
	close(fd);
	printf("%zu rows, %zu fields\n", rows, fields);
	return 0;
}
