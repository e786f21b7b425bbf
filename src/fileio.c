#include "fileio.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MB (1024ULL * 1024)

/* Generous for what each kind holds (README, "Files"): the course's own
 * files are a fraction of these, a trained model of 50,000 reviews about
 * 40 MB, a learner's bundle with every answer of the course under 1 MB. */
static const struct {
	const char *name;
	uint64_t limit;
} kinds[FILE_KIND_COUNT] = {
	[FILE_LESSON] = {"lesson", 1 * MB},
	[FILE_COURSE_TABLE] = {"course table", 16 * MB},
	[FILE_TRAINING] = {"training file", 256 * MB},
	[FILE_MODEL] = {"model file", 512 * MB},
	[FILE_BUNDLE] = {"progress bundle", 64 * MB},
	[FILE_STAGES] = {"stage-count file", 1 * MB},
};

uint64_t file_kind_limit(enum file_kind kind)
{
	return kinds[kind].limit;
}

const char *file_kind_name(enum file_kind kind)
{
	return kinds[kind].name;
}

/* "3.0 GB", "512 MB", "12 KB", "80 bytes". */
static void format_size(uint64_t n, char *buf, size_t size)
{
	if (n >= 1024 * MB)
		snprintf(buf, size, "%.1f GB", (double)n / (double)(1024 * MB));
	else if (n >= MB)
		snprintf(buf, size, "%llu MB", (unsigned long long)((n + MB / 2) / MB));
	else if (n >= 1024)
		snprintf(buf, size, "%llu KB", (unsigned long long)((n + 512) / 1024));
	else
		snprintf(buf, size, "%llu bytes", (unsigned long long)n);
}

const char *file_type_name(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a folder";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return "not a plain file";
}

/* ---- reading ------------------------------------------------------------ */

int file_open_read(const char *path, struct stat *sb, char *err, size_t errlen)
{
	/* O_NONBLOCK: opening a FIFO would otherwise wait for a writer
	 * forever; it is refused below like any other special file. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return format_error(err, errlen, "cannot read: %s", strerror(errno));
	if (fstat(fd, sb) != 0) {
		format_error(err, errlen, "cannot read: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb->st_mode)) {
		format_error(err, errlen, "not a regular file (%s)", file_type_name(sb->st_mode));
		close(fd);
		return -1;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
		format_error(err, errlen, "cannot read: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void too_big(enum file_kind kind, uint64_t size, bool at_least, char *err, size_t errlen)
{
	char have[32], limit[32];
	format_size(size, have, sizeof have);
	format_size(kinds[kind].limit, limit, sizeof limit);
	if (!strcmp(have, limit)) /* just over: in bytes, or it reads "1 MB > 1 MB" */
		snprintf(have, sizeof have, "%llu bytes", (unsigned long long)size);
	format_error(err, errlen, "%s%s is more than a %s may hold (%s)", at_least ? "over " : "",
		     have, kinds[kind].name, limit);
}

char *file_read(const char *path, enum file_kind kind, size_t *len, char *err, size_t errlen)
{
	struct stat sb;
	int fd = file_open_read(path, &sb, err, errlen);
	if (fd < 0)
		return NULL;
	uint64_t limit = kinds[kind].limit;
	if ((uint64_t)sb.st_size > limit) {
		too_big(kind, (uint64_t)sb.st_size, false, err, errlen);
		close(fd);
		return NULL;
	}
	/* The size is a hint (a file may grow while it is read, /proc says
	 * 0): the loop reads to the end, never far past the limit. */
	size_t cap = (size_t)sb.st_size + 1 + 4096, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf) {
			char want[32];
			format_size(cap, want, sizeof want);
			format_error(err, errlen, "not enough memory to read it (%s)", want);
			close(fd);
			return NULL;
		}
		if (n + 1 == cap) {
			if (n > limit) {
				too_big(kind, n, true, err, errlen);
				free(buf);
				close(fd);
				return NULL;
			}
			size_t grown = cap * 2 > limit + 2 ? (size_t)limit + 2 : cap * 2;
			char *more = realloc(buf, grown);
			if (!more)
				free(buf);
			buf = more;
			cap = grown;
			continue;
		}
		ssize_t got = read(fd, buf + n, cap - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			format_error(err, errlen, "cannot read: %s", strerror(errno));
			free(buf);
			close(fd);
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (n > limit) {
		too_big(kind, n, true, err, errlen);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

const char *text_wide_encoding(const char *data, size_t len)
{
	const unsigned char *d = (const unsigned char *)data;
	if (len >= 4 && ((d[0] == 0xFF && d[1] == 0xFE && !d[2] && !d[3]) ||
			 (!d[0] && !d[1] && d[2] == 0xFE && d[3] == 0xFF)))
		return "UTF-32";
	if (len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF)))
		return "UTF-16";
	/* No byte order mark: ASCII in them has zero bytes in fixed places. */
	if (len >= 4 && ((d[0] && d[0] < 0x80 && !d[1] && !d[2] && !d[3]) ||
			 (!d[0] && !d[1] && !d[2] && d[3] && d[3] < 0x80)))
		return "UTF-32";
	if (len >= 4 && ((d[0] && d[0] < 0x80 && !d[1] && d[2] && d[2] < 0x80 && !d[3]) ||
			 (!d[0] && d[1] && d[1] < 0x80 && !d[2] && d[3] && d[3] < 0x80)))
		return "UTF-16";
	return NULL;
}

void text_wide_reason(const char *encoding, char *reason, size_t size)
{
	format_error(reason, size, "this is %s text; save the file as UTF-8", encoding);
}

struct text_at text_position(const char *data, size_t offset)
{
	struct text_at at = {1, 1};
	for (size_t i = 0; i < offset; i++) {
		unsigned char b = (unsigned char)data[i];
		if (b == '\n') {
			at.line++;
			at.column = 1;
		} else if ((b & 0xC0) != 0x80) {
			at.column++;
		}
	}
	return at;
}

void text_at_format(char *buf, size_t size, const char *name, struct text_at at,
		    const char *reason)
{
	if (at.line > 0 && at.column > 0)
		format_error(buf, size, "%s:%ld:%ld: %s", name, at.line, at.column, reason);
	else if (at.line > 0)
		format_error(buf, size, "%s:%ld: %s", name, at.line, reason);
	else
		format_error(buf, size, "%s: %s", name, reason);
}

int text_check(const char *data, size_t len, struct text_at *at, char *reason, size_t size)
{
	const char *wide = text_wide_encoding(data, len);
	if (wide) {
		*at = (struct text_at){0, 0};
		text_wide_reason(wide, reason, size);
		return -1;
	}
	const char *nul = memchr(data, '\0', len);
	if (nul) {
		*at = text_position(data, (size_t)(nul - data));
		return format_error(
		    reason, size,
		    "a NUL byte: aipm reads text files, and this is binary data or a "
		    "damaged file");
	}
	return 0;
}

int text_check_named(const char *name, const char *data, size_t len, char *err, size_t errlen)
{
	struct text_at at;
	char reason[256];
	if (text_check(data, len, &at, reason, sizeof reason) == 0)
		return 0;
	text_at_format(err, errlen, name, at, reason);
	return -1;
}

void line_reader_init(struct line_reader *r, FILE *in, const char *name, size_t max_line,
		      uint64_t max_total)
{
	memset(r, 0, sizeof *r);
	r->in = in;
	r->name = name;
	r->max_line = max_line;
	r->max_total = max_total;
}

/* Whether the stream starts as UTF-16/32 text: its first n bytes (in
 * r->buf), then c, then what follows up to 4 bytes. */
static bool stream_is_wide(struct line_reader *r, size_t n, int c, char *err, size_t errlen)
{
	if (n > 3)
		return false;
	char probe[4];
	size_t k = 0;
	for (; k < n; k++)
		probe[k] = r->buf[k];
	probe[k++] = (char)c;
	int next;
	while (k < 4 && (next = getc(r->in)) != EOF)
		probe[k++] = (char)next;
	const char *wide = text_wide_encoding(probe, k);
	if (wide) {
		char reason[128];
		text_wide_reason(wide, reason, sizeof reason);
		format_error(err, errlen, "%s: %s", r->name, reason);
		return true;
	}
	/* Not wide: the bytes read ahead go back, last first (glibc keeps
	 * more than one). */
	for (size_t i = k; i > n + 1; i--)
		ungetc((unsigned char)probe[i - 1], r->in);
	return false;
}

int line_reader_next(struct line_reader *r, size_t *len, char *err, size_t errlen)
{
	size_t n = 0;
	int c;
	r->line++;
	while ((c = getc(r->in)) != EOF && c != '\n') {
		char limit[32];
		if ((c == 0 || n == 2) && r->line == 1 && stream_is_wide(r, n, c, err, errlen))
			return -1;
		if (c == 0)
			return format_error(err, errlen,
					    "%s:%ld:%zu: a NUL byte: lines of text have none",
					    r->name, r->line, n + 1);
		if (n >= r->max_line) {
			format_size(r->max_line, limit, sizeof limit);
			return format_error(err, errlen, "%s: line %ld is longer than %s", r->name,
					    r->line, limit);
		}
		if (++r->total > r->max_total) {
			format_size(r->max_total, limit, sizeof limit);
			return format_error(err, errlen, "%s: more than %s in all (at line %ld)",
					    r->name, limit, r->line);
		}
		if (n + 2 > r->cap) {
			r->cap = r->cap ? r->cap * 2 : 256;
			r->buf = xrealloc(r->buf, r->cap);
		}
		r->buf[n++] = (char)c;
	}
	if (ferror(r->in))
		return format_error(err, errlen, "%s: cannot read: %s", r->name, strerror(errno));
	if (c == EOF && n == 0)
		return 0;
	if (!r->buf)
		r->buf = xmalloc(r->cap = 256);
	if (n && r->buf[n - 1] == '\r')
		n--;
	r->buf[n] = '\0';
	*len = n;
	return 1;
}

void line_reader_free(struct line_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
}

/* ---- the database's files ----------------------------------------------- */

static pthread_mutex_t protect_lock = PTHREAD_MUTEX_INITIALIZER;
static char **protected_paths;
static size_t nprotected, capprotected;

void file_protect_database(const char *path)
{
	pthread_mutex_lock(&protect_lock);
	bool known = false;
	for (size_t i = 0; i < nprotected && !known; i++)
		known = !strcmp(protected_paths[i], path);
	if (!known) {
		char *copy = xstrdup(path);
		ARRAY_PUSH(protected_paths, nprotected, capprotected, copy);
	}
	pthread_mutex_unlock(&protect_lock);
}

/* SQLite keeps these beside the database. */
static const char *const database_suffixes[] = {"", "-wal", "-shm", "-journal"};
#define NSUFFIXES (sizeof database_suffixes / sizeof database_suffixes[0])

/* The folder part of path ("." when it has none) and where its last part
 * starts. */
static char *folder_of(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	*base = slash ? slash + 1 : path;
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Whether path is (or would become) a file of a protected database: the
 * same inode as one of them when something is there (a hard link or
 * another spelling of the path included), else the same name in the same
 * folder (a -wal file the database has not made yet). */
static bool is_database_file(const char *path, const struct stat *existing)
{
	const char *base;
	char *folder = folder_of(path, &base);
	struct stat folder_sb;
	bool have_folder = stat(folder, &folder_sb) == 0;
	free(folder);
	bool hit = false;
	pthread_mutex_lock(&protect_lock);
	for (size_t i = 0; i < nprotected && !hit; i++) {
		const char *db_base;
		char *db_folder = folder_of(protected_paths[i], &db_base);
		struct stat db_folder_sb;
		bool same_folder = have_folder && stat(db_folder, &db_folder_sb) == 0 &&
				   same_file(&folder_sb, &db_folder_sb);
		free(db_folder);
		for (size_t s = 0; s < NSUFFIXES && !hit; s++) {
			char *file = xasprintf("%s%s", protected_paths[i], database_suffixes[s]);
			struct stat sb;
			if (existing && stat(file, &sb) == 0 && same_file(existing, &sb))
				hit = true;
			free(file);
			if (!hit && same_folder) {
				size_t n = strlen(db_base);
				hit = !strncmp(base, db_base, n) && !strcmp(base + n, database_suffixes[s]);
			}
		}
	}
	pthread_mutex_unlock(&protect_lock);
	return hit;
}

/* ---- writing ------------------------------------------------------------ */

bool file_exists(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0;
}

struct file_out {
	char *path, *tmp, *folder;
	FILE *f;
	bool to_stdout, replace;
};

/* What may not be written at path, checked when writing starts and again
 * just before the rename (the folder may have changed meanwhile). */
static int check_destination(const char *path, bool replace, char *err, size_t errlen)
{
	struct stat sb;
	if (lstat(path, &sb) != 0) {
		if (errno != ENOENT)
			return format_error(err, errlen, "cannot write %s: %s", path,
					    strerror(errno));
		if (is_database_file(path, NULL))
			return format_error(
			    err, errlen,
			    "%s is a file of the database aipm is using: aipm never writes "
			    "over it; choose another name",
			    path);
		return 0;
	}
	if (S_ISLNK(sb.st_mode))
		return format_error(
		    err, errlen,
		    "%s is a symbolic link: aipm does not write through links (they "
		    "may point anywhere); give the path of the file itself",
		    path);
	if (!S_ISREG(sb.st_mode))
		return format_error(err, errlen, "cannot write %s: not a regular file (%s)", path,
				    file_type_name(sb.st_mode));
	if (is_database_file(path, &sb))
		return format_error(
		    err, errlen,
		    "%s is the database aipm is using (or one of its files): aipm never "
		    "writes over it; choose another name",
		    path);
	if (!replace)
		return format_error(
		    err, errlen,
		    "%s already exists: aipm replaces a file only when told to (--force)", path);
	return 0;
}

int file_out_check(const char *path, bool replace, char *err, size_t errlen)
{
	if (!strcmp(path, "-"))
		return 0;
	if (!*path)
		return format_error(err, errlen, "no file name given");
	return check_destination(path, replace, err, errlen);
}

struct file_out *file_out_open(const char *path, enum file_privacy privacy, bool replace,
			       char *err, size_t errlen)
{
	struct file_out *o = xcalloc(1, sizeof *o);
	o->path = xstrdup(path);
	o->replace = replace;
	if (!strcmp(path, "-")) {
		o->to_stdout = true;
		o->f = stdout;
		return o;
	}
	if (file_out_check(path, replace, err, errlen) != 0) {
		file_out_abort(o);
		return NULL;
	}
	const char *base;
	o->folder = folder_of(path, &base);
	o->tmp = xasprintf("%s/.%.64s.aipm-XXXXXX", o->folder, base);
	/* mkstemp makes it 0600, which private files keep. */
	int fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0) {
		format_error(err, errlen, "cannot write %s: %s", path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		file_out_abort(o);
		return NULL;
	}
	if (privacy == FILE_SHARED) {
		mode_t mask = umask(0);
		umask(mask);
		if (fchmod(fd, 0666 & ~mask) != 0) {
			format_error(err, errlen, "cannot write %s: %s", path, strerror(errno));
			close(fd);
			file_out_abort(o);
			return NULL;
		}
	}
	o->f = fdopen(fd, "wb");
	if (!o->f) {
		format_error(err, errlen, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		file_out_abort(o);
		return NULL;
	}
	return o;
}

FILE *file_out_stream(struct file_out *o)
{
	return o->f;
}

/* Renames without replacing whatever is there, atomically where the file
 * system can (renameat2; else a hard link, which fails on an existing
 * name too). */
static int rename_new(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
	if (link(from, to) != 0)
		return -1;
	unlink(from);
	return 0;
}

static int sync_folder(const char *folder)
{
	int fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	/* Some file systems cannot sync a folder at all: nothing to wait for. */
	if (rc != 0 && (errno == EINVAL || errno == ENOTSUP))
		rc = 0;
	close(fd);
	return rc;
}

int file_out_commit(struct file_out *o, char *err, size_t errlen)
{
	int rc = 0;
	if (o->to_stdout) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			format_error(err, errlen, "cannot write to standard output: %s",
				     strerror(errno ? errno : EIO));
			rc = -1;
		}
		o->f = NULL;
		file_out_abort(o);
		return rc;
	}
	FILE *f = o->f;
	o->f = NULL;
	int failure = 0;
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)
		failure = errno ? errno : EIO;
	if (fclose(f) != 0 && !failure)
		failure = errno;
	if (failure) {
		format_error(err, errlen, "cannot write %s: %s", o->path, strerror(failure));
		file_out_abort(o);
		return -1;
	}
	if (check_destination(o->path, o->replace, err, errlen) != 0) {
		file_out_abort(o);
		return -1;
	}
	if ((o->replace ? rename(o->tmp, o->path) : rename_new(o->tmp, o->path)) != 0) {
		if (errno == EEXIST)
			format_error(err, errlen,
				     "%s already exists: aipm replaces a file only when told to "
				     "(--force)",
				     o->path);
		else
			format_error(err, errlen, "cannot write %s: %s", o->path, strerror(errno));
		file_out_abort(o);
		return -1;
	}
	free(o->tmp);
	o->tmp = NULL;
	if (sync_folder(o->folder) != 0) {
		format_error(err, errlen, "%s is written, but its folder could not be synced: %s",
			     o->path, strerror(errno));
		rc = -1;
	}
	file_out_abort(o);
	return rc;
}

void file_out_abort(struct file_out *o)
{
	if (!o)
		return;
	if (o->f && !o->to_stdout)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->folder);
	free(o->path);
	free(o);
}

int file_write(const char *path, const void *data, size_t len, enum file_privacy privacy,
	       bool replace, char *err, size_t errlen)
{
	struct file_out *o = file_out_open(path, privacy, replace, err, errlen);
	if (!o)
		return -1;
	if (len && fwrite(data, 1, len, file_out_stream(o)) != len) {
		format_error(err, errlen, "cannot write %s: %s", path, strerror(errno));
		file_out_abort(o);
		return -1;
	}
	return file_out_commit(o, err, errlen);
}
