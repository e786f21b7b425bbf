/* "Try it" blocks of the lessons: a fenced code block with the info
 * string `try`, holding flat `key: value` lines that open one of the
 * app's hands-on modules already set up (content/README.md lists the
 * keys). This engine reads a block and checks what it can alone (the
 * action, its keys, every value's form); content.c checks it against the
 * course (files, question ids, modules); the reader runs it; `aipm
 * lessons show` prints the command line that does the same. */
#ifndef AIPM_TRYIT_H
#define AIPM_TRYIT_H

#include <stdbool.h>
#include <stddef.h>

/* The info string that makes a fenced code block a Try-it block. */
#define TRY_INFO "try"

enum try_action { TRY_LAB, TRY_FUNNEL, TRY_DRILL, TRY_QUIZ };

struct try_pair {
	char *key, *value;
	int line; /* 1-based line of the block's text */
};

struct try_block {
	enum try_action action;
	const char *label; /* points into pairs */
	struct try_pair *pairs;
	size_t count;
};

/* Reads a block's text (its lines between the fences). 0, or -1 with the
 * reason in err and the 1-based line of the block it is about in *line
 * (0 for the block as a whole); out is then empty. */
int try_parse(const char *text, size_t len, struct try_block *out, char *err, size_t errlen,
	      int *line);
void try_block_free(struct try_block *t);

/* The value of key, or NULL when the block has none. */
const char *try_get(const struct try_block *t, const char *key);
/* The line of key in the block, 0 when absent. */
int try_line(const struct try_block *t, const char *key);

/* "lab", "funnel", "drill", "quiz". */
const char *try_action_name(enum try_action a);

/* A data path of a block under the content folder; NULL when the block
 * has none. Malloc'd. */
char *try_data_path(const struct try_block *t, const char *content_dir);

/* The shell command that does what the block does, data paths under
 * content_dir. question_type is the drill type of a `question` (NULL when
 * unknown): an interview question is practised from its type's list.
 * Malloc'd. */
char *try_command_line(const struct try_block *t, const char *content_dir,
		       const char *question_type);

#endif
