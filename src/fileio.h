/* Files that come from and go to the outside world, the one way each.
 *
 * Reading: regular files only (a FIFO, a device or a folder is refused as
 * "not a regular file", and opening never waits on a FIFO), at most a size
 * limit per kind of file (checked before anything is read), memory that
 * runs out is an error and never an abort; text that is UTF-16/32 or holds
 * a NUL byte is refused with where. Standard input is read a bounded line
 * at a time.
 *
 * Writing: never over the database in use or its -wal/-shm/-journal files
 * (same device and inode, or the same name in the same folder), never
 * through a symbolic link at the destination (it is refused, not
 * followed), never over an existing file unless the caller was told to
 * replace it (--force, or a yes in the TUI); the data goes to a temporary
 * file in the destination's folder, which is fsynced, renamed over the
 * destination and its folder fsynced, so that on any failure the old file
 * is left as it was. "-" is standard output. */
#ifndef AIPM_FILEIO_H
#define AIPM_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

/* ---- reading ------------------------------------------------------------ */

/* What a file is read as, for its size limit (README: "Files"). */
enum file_kind {
	FILE_LESSON,       /* a lesson's Markdown */
	FILE_COURSE_TABLE, /* a course CSV: modules, quizzes, glossary, question banks */
	FILE_TRAINING,     /* the model lab's labelled text CSV/TSV */
	FILE_MODEL,        /* a saved model (binary) */
	FILE_BUNDLE,       /* a progress bundle */
	FILE_STAGES,       /* a funnel's stage,count CSV */
	FILE_KIND_COUNT
};

/* What a file that is not a plain one is: "a folder", "a FIFO", "a
 * device", "a socket", "a symbolic link". */
const char *file_type_name(mode_t mode);

/* The largest file of a kind, in bytes, and its name in messages. */
uint64_t file_kind_limit(enum file_kind kind);
const char *file_kind_name(enum file_kind kind);

/* Opens path read-only if it is a regular file; never blocks (a FIFO is
 * opened without waiting for a writer, then refused). Returns the
 * descriptor (blocking, close-on-exec) with its fstat in *sb, or -1 with
 * the reason in err ("not a regular file (a FIFO)", "cannot read: ...");
 * callers put the path before it. */
int file_open_read(const char *path, struct stat *sb, char *err, size_t errlen);

/* The whole file, NUL-terminated, refused past the kind's limit (before
 * reading when its size says so) or when memory runs out. NULL with the
 * reason in err. Does not look at the bytes: see text_check. */
char *file_read(const char *path, enum file_kind kind, size_t *len, char *err, size_t errlen);

/* A place in a text file: 1-based line and column (in characters, a UTF-8
 * sequence counting once); 0 for "the whole file" or "the whole line". */
struct text_at {
	long line, column;
};
/* Where byte offset `offset` of data sits. */
struct text_at text_position(const char *data, size_t offset);
/* "NAME:LINE:COLUMN: reason", "NAME:LINE: reason" or "NAME: reason". */
void text_at_format(char *buf, size_t size, const char *name, struct text_at at,
		    const char *reason);

/* "UTF-16" or "UTF-32" when data starts like text in one of them (a byte
 * order mark, or the zero bytes of ASCII in it), else NULL. */
const char *text_wide_encoding(const char *data, size_t len);
/* The reason to give for it: "this is UTF-16 text; save the file as UTF-8". */
void text_wide_reason(const char *encoding, char *reason, size_t size);

/* Refuses what is not UTF-8 (or ASCII) text: UTF-16/32 by name (at the
 * whole file), and the first NUL byte (at its line and column). 0 when the
 * data is fine, -1 with *at and the reason. */
int text_check(const char *data, size_t len, struct text_at *at, char *reason, size_t size);
/* The same as one "NAME:LINE:COLUMN: reason" message. */
int text_check_named(const char *name, const char *data, size_t len, char *err, size_t errlen);

/* Lines of a stream (standard input): each at most max_line bytes, all of
 * them at most max_total, no NUL byte. */
struct line_reader {
	FILE *in;
	const char *name; /* for messages: "standard input" */
	size_t max_line;
	uint64_t max_total;
	char *buf; /* the current line, its line break removed */
	size_t cap;
	uint64_t total;
	long line; /* of the current line, 1-based */
};
void line_reader_init(struct line_reader *r, FILE *in, const char *name, size_t max_line,
		      uint64_t max_total);
/* 1 with the next line in r->buf (*len bytes), 0 at the end, -1 with the
 * reason ("NAME: line N is longer than ...") in err. */
int line_reader_next(struct line_reader *r, size_t *len, char *err, size_t errlen);
void line_reader_free(struct line_reader *r);

/* ---- writing ------------------------------------------------------------ */

/* Who may read what is written: the owner alone (0600: a learner's
 * answers, a coach's report, a list of users) or anyone the umask lets
 * (0666 & ~umask: a model, stage counts). */
enum file_privacy { FILE_PRIVATE, FILE_SHARED };

/* The database of this process (and its -wal, -shm and -journal files),
 * which no writer may touch. The store adds its own on open; main adds the
 * one --db names before any command runs, opened or not. */
void file_protect_database(const char *path);

/* Whether something (a file, a link, anything) is at path, so that the TUI
 * can ask before it replaces it. */
bool file_exists(const char *path);

/* What file_out_open would refuse, checked without writing (a command
 * that works for minutes before it writes says so at once). 0 or -1 with
 * the message in err. */
int file_out_check(const char *path, bool replace, char *err, size_t errlen);

struct file_out;

/* Starts writing path ("-": standard output). Refuses at once what the
 * commit would refuse (the database, a link, a folder or device, an
 * existing file without replace). NULL with a message that names the path
 * in err. */
struct file_out *file_out_open(const char *path, enum file_privacy privacy, bool replace,
			       char *err, size_t errlen);
FILE *file_out_stream(struct file_out *o);
/* Flushes and fsyncs the temporary file, renames it over the destination
 * and fsyncs the folder; frees o. 0, or -1 with the reason in err and the
 * old file (if any) as it was. */
int file_out_commit(struct file_out *o, char *err, size_t errlen);
/* Drops what was written; frees o. */
void file_out_abort(struct file_out *o);

/* All of data to path, as open + write + commit. */
int file_write(const char *path, const void *data, size_t len, enum file_privacy privacy,
	       bool replace, char *err, size_t errlen);

#endif
