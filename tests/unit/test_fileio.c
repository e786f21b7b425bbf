/* fileio: the one reader (regular files only, never a hang on a FIFO, a
 * size limit per kind, text checks, bounded lines) and the one writer
 * (never the database, never through a link, no clobbering unless asked,
 * the old file intact on failure). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fileio.h"
#include "testutil.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = test_tempdir();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_remove_tree(dir);
	free(dir);
	return 0;
}

static char *in_dir(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void expect_read_error(const char *path, enum file_kind kind, const char *fragment)
{
	char err[512];
	size_t len;
	char *data = file_read(path, kind, &len, err, sizeof err);
	if (data)
		fail_msg("%s was read (%zu bytes); expected '%s'", path, len, fragment);
	if (!strstr(err, fragment))
		fail_msg("'%s' lacks '%s'", err, fragment);
}

static void test_read_regular_files_only(void **state)
{
	(void)state;
	test_write_file(dir, "ok.md", "# hello\n");
	char *ok = in_dir("ok.md");
	char err[256];
	size_t len;
	char *data = file_read(ok, FILE_LESSON, &len, err, sizeof err);
	assert_non_null(data);
	assert_int_equal(len, 8);
	assert_string_equal(data, "# hello\n");
	free(data);
	free(ok);

	expect_read_error(dir, FILE_LESSON, "not a regular file (a folder)");
	expect_read_error("/dev/zero", FILE_MODEL, "not a regular file (a device)");
	expect_read_error("/dev/urandom", FILE_TRAINING, "not a regular file (a device)");
	char *missing = in_dir("missing.csv");
	expect_read_error(missing, FILE_TRAINING, "cannot read: No such file or directory");
	free(missing);

	/* A FIFO with no writer: refused at once, not waited on. */
	char *fifo = in_dir("lesson.md");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10); /* a hang fails the test instead of blocking the suite */
	expect_read_error(fifo, FILE_LESSON, "not a regular file (a FIFO)");
	struct stat sb;
	assert_int_equal(file_open_read(fifo, &sb, err, sizeof err), -1);
	alarm(0);
	free(fifo);

	/* A link to a device is judged by what it points to. */
	char *link = in_dir("model.aipm");
	assert_int_equal(symlink("/dev/zero", link), 0);
	expect_read_error(link, FILE_MODEL, "not a regular file (a device)");
	free(link);
}

static void test_read_size_limits(void **state)
{
	(void)state;
	/* A 3 GB sparse file is refused from its size, before any read. */
	char *big = in_dir("big.aipm");
	int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 3LL << 30), 0);
	close(fd);
	expect_read_error(big, FILE_MODEL, "3.0 GB is more than a model file may hold (512 MB)");
	expect_read_error(big, FILE_BUNDLE, "more than a progress bundle may hold (64 MB)");
	free(big);
	/* Just over a lesson's limit. */
	char *lesson = in_dir("long.md");
	fd = open(lesson, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_int_equal(ftruncate(fd, (off_t)file_kind_limit(FILE_LESSON) + 1), 0);
	close(fd);
	expect_read_error(lesson, FILE_LESSON, "1048577 bytes is more than a lesson may hold (1 MB)");
	/* At the limit it is read. */
	assert_int_equal(truncate(lesson, (off_t)file_kind_limit(FILE_LESSON)), 0);
	char err[256];
	size_t len;
	char *data = file_read(lesson, FILE_LESSON, &len, err, sizeof err);
	assert_non_null(data);
	assert_int_equal(len, file_kind_limit(FILE_LESSON));
	free(data);
	free(lesson);
	for (int k = 0; k < FILE_KIND_COUNT; k++) {
		assert_true(file_kind_limit(k) >= 1u << 20);
		assert_non_null(file_kind_name(k));
	}
}

static void expect_text_problem(const char *data, size_t len, long line, long column,
				const char *fragment)
{
	struct text_at at;
	char reason[256];
	assert_int_equal(text_check(data, len, &at, reason, sizeof reason), -1);
	assert_int_equal(at.line, line);
	assert_int_equal(at.column, column);
	if (!strstr(reason, fragment))
		fail_msg("'%s' lacks '%s'", reason, fragment);
}

static void test_text_checks(void **state)
{
	(void)state;
	struct text_at at;
	char reason[256];
	const char *fine = "a,b\nc,d\n";
	assert_int_equal(text_check(fine, strlen(fine), &at, reason, sizeof reason), 0);
	/* UTF-16 and UTF-32, with and without a byte order mark */
	expect_text_problem("\xff\xfe" "a\0", 4, 0, 0, "this is UTF-16 text");
	expect_text_problem("\xfe\xff\0a", 4, 0, 0, "this is UTF-16 text");
	expect_text_problem("t\0e\0x\0t\0", 8, 0, 0, "UTF-16");
	expect_text_problem("\0t\0e", 4, 0, 0, "UTF-16");
	expect_text_problem("\xff\xfe\0\0t\0\0\0", 8, 0, 0, "this is UTF-32 text");
	expect_text_problem("t\0\0\0e\0\0\0", 8, 0, 0, "UTF-32");
	/* a NUL byte, placed in characters (é is one) */
	static const char nul[] = "id,event\nu1,caf\xc3\xa9" "x\0y\n";
	expect_text_problem(nul, sizeof nul - 1, 2, 9, "a NUL byte");
	char err[256];
	assert_int_equal(text_check_named("e.csv", nul, sizeof nul - 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "e.csv:2:9: a NUL byte"));
	assert_int_equal(text_check_named("w.csv", "\xff\xfex\0", 4, err, sizeof err), -1);
	assert_string_equal(err, "w.csv: this is UTF-16 text; save the file as UTF-8");
	char buf[64];
	text_at_format(buf, sizeof buf, "f", (struct text_at){3, 0}, "why");
	assert_string_equal(buf, "f:3: why");
}

/* The lines of text through the line reader, or its error. */
static int read_lines(const char *text, size_t len, size_t max_line, uint64_t max_total,
		      int *lines, char *last, size_t lastlen, char *err, size_t errlen)
{
	FILE *in = fmemopen((void *)text, len, "r");
	assert_non_null(in);
	struct line_reader r;
	line_reader_init(&r, in, "standard input", max_line, max_total);
	size_t n;
	int rc;
	*lines = 0;
	while ((rc = line_reader_next(&r, &n, err, errlen)) > 0) {
		(*lines)++;
		snprintf(last, lastlen, "%s", r.buf);
		assert_int_equal(strlen(r.buf), n);
	}
	line_reader_free(&r);
	fclose(in);
	return rc;
}

static void test_line_reader(void **state)
{
	(void)state;
	int lines;
	char last[64], err[256];
	const char *text = "one\r\ntwo\n\nthree";
	assert_int_equal(read_lines(text, strlen(text), 100, 1000, &lines, last, sizeof last, err,
				    sizeof err),
			 0);
	assert_int_equal(lines, 4);
	assert_string_equal(last, "three");
	/* a line over its limit: what /dev/zero or one huge line is */
	assert_int_equal(read_lines("abcdefgh\n", 9, 4, 1000, &lines, last, sizeof last, err,
				    sizeof err),
			 -1);
	assert_string_equal(err, "standard input: line 1 is longer than 4 bytes");
	/* all of it over the total */
	assert_int_equal(read_lines("ab\ncd\nef\n", 9, 4, 5, &lines, last, sizeof last, err,
				    sizeof err),
			 -1);
	assert_non_null(strstr(err, "more than 5 bytes in all (at line 3)"));
	/* a NUL byte, and UTF-16 */
	assert_int_equal(read_lines("ok\nab\0c\n", 8, 100, 1000, &lines, last, sizeof last, err,
				    sizeof err),
			 -1);
	assert_string_equal(err, "standard input:2:3: a NUL byte: lines of text have none");
	assert_int_equal(read_lines("h\0i\0\n\0", 6, 100, 1000, &lines, last, sizeof last, err,
				    sizeof err),
			 -1);
	assert_non_null(strstr(err, "this is UTF-16 text"));
	assert_int_equal(read_lines("\xff\xfeh\0", 4, 100, 1000, &lines, last, sizeof last, err,
				    sizeof err),
			 -1);
	assert_non_null(strstr(err, "this is UTF-16 text"));
	/* the bytes looked at for UTF-16 stay in the line */
	assert_int_equal(read_lines("abcdef", 6, 100, 1000, &lines, last, sizeof last, err,
				    sizeof err),
			 0);
	assert_string_equal(last, "abcdef");
}

static char *slurp(const char *path)
{
	return test_read_file(path, NULL);
}

static mode_t mode_of(const char *path)
{
	struct stat sb;
	assert_int_equal(lstat(path, &sb), 0);
	return sb.st_mode & 07777;
}

/* Files in dir other than the ones named (a temporary file left over). */
static int stray_files(void)
{
	char *cmd = xasprintf("ls -A '%s' | grep -c aipm-", dir);
	FILE *p = popen(cmd, "r");
	free(cmd);
	int n = -1;
	if (fscanf(p, "%d", &n) != 1)
		n = -1;
	pclose(p);
	return n;
}

static void test_write_no_clobber_unless_asked(void **state)
{
	(void)state;
	char *path = in_dir("report.md");
	char err[512];
	assert_int_equal(file_write(path, "one\n", 4, FILE_PRIVATE, false, err, sizeof err), 0);
	assert_int_equal(mode_of(path), 0600);
	char *text = slurp(path);
	assert_string_equal(text, "one\n");
	free(text);
	/* there already: refused, kept */
	assert_int_equal(file_write(path, "two\n", 4, FILE_PRIVATE, false, err, sizeof err), -1);
	assert_non_null(strstr(err, "report.md already exists: aipm replaces a file only when told "
				    "to (--force)"));
	assert_int_equal(file_out_check(path, false, err, sizeof err), -1);
	assert_int_equal(file_out_check(path, true, err, sizeof err), 0);
	text = slurp(path);
	assert_string_equal(text, "one\n");
	free(text);
	/* told to replace */
	assert_int_equal(file_write(path, "two\n", 4, FILE_PRIVATE, true, err, sizeof err), 0);
	text = slurp(path);
	assert_string_equal(text, "two\n");
	free(text);
	assert_true(file_exists(path));
	free(path);
	/* shared files follow the umask */
	mode_t old = umask(022);
	char *model = in_dir("m.aipm");
	assert_int_equal(file_write(model, "M", 1, FILE_SHARED, false, err, sizeof err), 0);
	assert_int_equal(mode_of(model), 0644);
	umask(old);
	free(model);
	assert_int_equal(stray_files(), 0);
	/* a folder that is not there */
	char *nowhere = in_dir("no/such/x.csv");
	assert_int_equal(file_write(nowhere, "x", 1, FILE_PRIVATE, false, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot write"));
	free(nowhere);
}

static void test_write_refuses_links_and_special_files(void **state)
{
	(void)state;
	char err[512];
	test_write_file(dir, "target.txt", "keep me\n");
	char *target = in_dir("target.txt"), *link = in_dir("link.md");
	assert_int_equal(symlink(target, link), 0);
	/* never through a link, even when told to replace */
	assert_int_equal(file_write(link, "x", 1, FILE_PRIVATE, true, err, sizeof err), -1);
	assert_non_null(strstr(err, "link.md is a symbolic link: aipm does not write through links"));
	char *text = slurp(target);
	assert_string_equal(text, "keep me\n");
	free(text);
	struct stat sb;
	assert_int_equal(lstat(link, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	free(target);
	free(link);
	/* a dangling link too */
	char *dangling = in_dir("dangling.csv");
	assert_int_equal(symlink("/nonexistent/file", dangling), 0);
	assert_int_equal(file_write(dangling, "x", 1, FILE_PRIVATE, false, err, sizeof err), -1);
	assert_non_null(strstr(err, "symbolic link"));
	free(dangling);
	assert_int_equal(file_write(dir, "x", 1, FILE_PRIVATE, true, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a regular file (a folder)"));
	assert_int_equal(file_write("/dev/null", "x", 1, FILE_PRIVATE, true, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a regular file (a device)"));
	char *fifo = in_dir("out.fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10);
	assert_int_equal(file_write(fifo, "x", 1, FILE_PRIVATE, true, err, sizeof err), -1);
	alarm(0);
	assert_non_null(strstr(err, "not a regular file (a FIFO)"));
	free(fifo);
	assert_int_equal(file_write("", "x", 1, FILE_PRIVATE, true, err, sizeof err), -1);
	assert_int_equal(stray_files(), 0);
}

static void test_write_never_touches_the_database(void **state)
{
	(void)state;
	char err[512];
	test_write_file(dir, "aipm.db", "database bytes");
	test_write_file(dir, "aipm.db-shm", "shm");
	char *db = in_dir("aipm.db");
	file_protect_database(db);
	/* the path itself, even with --force */
	assert_int_equal(file_write(db, "x", 1, FILE_PRIVATE, true, err, sizeof err), -1);
	assert_non_null(strstr(err, "aipm.db is the database aipm is using"));
	/* another spelling of it, and a hard link to it: the same inode */
	char *other = xasprintf("%s/./aipm.db", dir), *hard = in_dir("backup.md");
	assert_int_equal(file_write(other, "x", 1, FILE_PRIVATE, true, err, sizeof err), -1);
	assert_int_equal(link(db, hard), 0);
	assert_int_equal(file_write(hard, "x", 1, FILE_PRIVATE, true, err, sizeof err), -1);
	assert_non_null(strstr(err, "database aipm is using"));
	/* its -shm (there) and -wal (not there yet) */
	char *shm = in_dir("aipm.db-shm"), *wal = in_dir("aipm.db-wal");
	assert_int_equal(file_write(shm, "x", 1, FILE_PRIVATE, true, err, sizeof err), -1);
	assert_int_equal(file_write(wal, "x", 1, FILE_PRIVATE, true, err, sizeof err), -1);
	assert_non_null(strstr(err, "aipm.db-wal is a file of the database aipm is using"));
	assert_false(file_exists(wal));
	char *text = slurp(db);
	assert_string_equal(text, "database bytes");
	free(text);
	/* a neighbour is fine */
	char *report = in_dir("aipm.db.md");
	assert_int_equal(file_write(report, "x", 1, FILE_PRIVATE, false, err, sizeof err), 0);
	free(report);
	free(db);
	free(other);
	free(hard);
	free(shm);
	free(wal);
}

static void test_failed_write_keeps_the_old_file(void **state)
{
	(void)state;
	char err[512];
	char *path = in_dir("bundle.csv");
	test_write_file(dir, "bundle.csv", "the old bundle\n");
	/* In a child: a file size limit makes the write fail half-way, as a
	 * full disk would. */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit lim = {64 * 1024, 64 * 1024};
		setrlimit(RLIMIT_FSIZE, &lim);
		size_t n = 1 << 20;
		char *big = xmalloc(n);
		memset(big, 'x', n);
		int rc = file_write(path, big, n, FILE_PRIVATE, true, err, sizeof err);
		free(big);
		_exit(rc == -1 && strstr(err, "cannot write") && strstr(err, "File too large") ? 0 : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	char *text = slurp(path);
	assert_string_equal(text, "the old bundle\n");
	free(text);
	assert_int_equal(stray_files(), 0);
	/* an aborted write leaves nothing either */
	char *fresh = in_dir("fresh.csv");
	struct file_out *o = file_out_open(fresh, FILE_PRIVATE, false, err, sizeof err);
	assert_non_null(o);
	fputs("half", file_out_stream(o));
	file_out_abort(o);
	assert_false(file_exists(fresh));
	assert_int_equal(stray_files(), 0);
	free(fresh);
	free(path);
}

static void test_write_to_standard_output(void **state)
{
	(void)state;
	char err[512];
	char *out = in_dir("stdout.txt");
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0 && saved >= 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	int rc = file_write("-", "to stdout\n", 10, FILE_PRIVATE, false, err, sizeof err);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	assert_int_equal(rc, 0);
	char *text = slurp(out);
	assert_string_equal(text, "to stdout\n");
	free(text);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_regular_files_only),
		cmocka_unit_test(test_read_size_limits),
		cmocka_unit_test(test_text_checks),
		cmocka_unit_test(test_line_reader),
		cmocka_unit_test(test_write_no_clobber_unless_asked),
		cmocka_unit_test(test_write_refuses_links_and_special_files),
		cmocka_unit_test(test_write_never_touches_the_database),
		cmocka_unit_test(test_failed_write_keeps_the_old_file),
		cmocka_unit_test(test_write_to_standard_output),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
