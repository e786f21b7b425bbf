/* A lesson as the reader needs it: its text rendered from the store, the
 * learner's reading position and time, their notes, its sources, and the
 * search over the whole course. */
#ifndef AIPM_LESSON_H
#define AIPM_LESSON_H

#include "markdown.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lesson {
	char *id, *title, *module_id, *module_title, *sources, *body;
	int pass_mark, words;
	bool recap; /* a module's recap: id is the module's */
};

/* STORE_ERR_NOTFOUND when there is no such lesson. */
enum store_error lesson_load(struct store *st, const char *id, struct lesson *out);
/* A module's recap as a lesson to read: its key points, then what the
 * engine adds from the course itself: the glossary terms of the module's
 * lessons, the lessons (each a cross-reference) and a Try-it block for the
 * module's cumulative quiz. STORE_ERR_NOTFOUND when it has none. */
enum store_error lesson_load_recap(struct store *st, const char *module, struct lesson *out);

/* What the reader and `aipm lessons show` add to a rendered lesson: each
 * link to a lesson shows the lesson's title in the list of links (and the
 * command that prints it, with command), and each Try-it block the
 * command line that does the same (content_dir: where its data is). */
void lesson_describe_links(struct store *st, struct md_doc *doc, bool command);
void lesson_add_commands(struct store *st, struct md_doc *doc, const char *content_dir);
void lesson_free(struct lesson *l);
/* The lesson as shown: its title as a level 1 heading, then the body. */
int lesson_render(const struct lesson *l, int width, struct md_doc *out);
/* The same from a title and a Markdown body. */
int lesson_render_text(const char *title, const char *body, int width, struct md_doc *out);
/* The front matter's sources, one per ';'-separated entry, trimmed. */
size_t lesson_sources(const struct lesson *l, char ***out);

/* Where the learner stopped: the paragraph at the top of the view and the
 * wrapped line of it (exact when the width is the same). */
struct lesson_position {
	bool saved;
	size_t block, line;
	bool read_to_end;
	int64_t seconds; /* time spent reading, in total */
};
enum store_error lesson_position_get(struct store *st, int64_t learner, const char *lesson,
				     struct lesson_position *out);
/* One statement, so one committed transaction: the position, read_to_end
 * (never unset once set) and add_seconds more reading time. */
enum store_error lesson_position_save(struct store *st, int64_t learner, const char *lesson,
				      size_t block, size_t line, bool read_to_end,
				      int64_t add_seconds);

/* A paragraph's place that survives a new import of the course while the
 * paragraph is still there: "SECTION/ORDINAL/HASH", the slug of the
 * heading it is under, its ordinal from that heading and the start of the
 * SHA-256 of its text (whitespace runs as one space). "" for none: a note
 * on the whole lesson. */
#define LESSON_ANCHOR_SIZE 128
/* Every paragraph's anchor, by its index in the rendered lesson (the same
 * at every width). */
struct lesson_anchors {
	char (*at)[LESSON_ANCHOR_SIZE];
	size_t count;
};
void lesson_anchors_make(const struct lesson *l, struct lesson_anchors *out);
void lesson_anchors_free(struct lesson_anchors *a);
/* The paragraph an anchor names in the lesson as it is now: the same
 * place with the same text; else the same text in the same section (it
 * moved); else the same text anywhere. -1 when the text is nowhere (the
 * paragraph was reworded or removed) or the anchor is "". */
long lesson_anchor_find(const struct lesson_anchors *a, const char *anchor);

struct lesson_note {
	char uid[37];
	char *body;
	int64_t created_at, updated_at;
	char lesson[96];    /* the lesson it is on */
	char *lesson_title; /* lesson_notes_all only; NULL otherwise */
	char anchor[LESSON_ANCHOR_SIZE]; /* the paragraph it was written at; "" the lesson */
};
/* The learner's notes on a lesson, oldest first; *out malloc'd. */
enum store_error lesson_notes(struct store *st, int64_t learner, const char *lesson,
			      struct lesson_note **out, size_t *count);
void lesson_notes_free(struct lesson_note *notes, size_t count);
/* Notes are short: longer bodies are refused. */
#define LESSON_NOTE_MAX 500
/* anchor: the paragraph it is on (NULL or "": the whole lesson). */
enum store_error lesson_note_add(struct store *st, int64_t learner, const char *lesson,
				 const char *anchor, const char *body);
/* Every note of the learner's, in course order then oldest first, with
 * its lesson's title (a note on a lesson the course no longer has comes
 * last, its id for a title). */
enum store_error lesson_notes_all(struct store *st, int64_t learner, struct lesson_note **out,
				  size_t *count);
/* A new text for one of the learner's notes (a newer version, so that a
 * coach's next import takes it). STORE_ERR_NOTFOUND when it is not theirs
 * or gone. */
enum store_error lesson_note_edit(struct store *st, int64_t learner, const char *uid,
				  const char *body);
/* Deletes one of the learner's notes, copying it into *removed (free with
 * lesson_notes_free(removed, 1)) for lesson_note_restore, the undo. */
enum store_error lesson_note_delete(struct store *st, int64_t learner, const char *uid,
				    struct lesson_note *removed);
enum store_error lesson_note_restore(struct store *st, int64_t learner,
				     const struct lesson_note *note);

/* A paragraph the learner bookmarked (to come back to) or highlighted (to
 * see it stand out when reading): where (the rendered paragraph's index,
 * as a reading position keeps it, and its anchor) and the start of its
 * text. */
enum lesson_mark_kind { LESSON_MARK_BOOKMARK, LESSON_MARK_HIGHLIGHT };
struct lesson_bookmark {
	char uid[37];
	char lesson[96];
	char *lesson_title; /* lesson_bookmarks_all; the id when the lesson is gone */
	size_t para;
	char *excerpt;
	int64_t created_at;
	enum lesson_mark_kind kind;
	char anchor[LESSON_ANCHOR_SIZE]; /* "" when made before anchors */
};
#define LESSON_EXCERPT_COLUMNS 80
/* Marks paragraph para of lesson (the excerpt cut to the characters that
 * fit LESSON_EXCERPT_COLUMNS); marking it again the same way changes
 * nothing. */
enum store_error lesson_bookmark_add(struct store *st, int64_t learner, const char *lesson,
				     enum lesson_mark_kind kind, size_t para, const char *anchor,
				     const char *excerpt);
/* Every bookmark and highlight of the learner's (of one lesson, unless
 * lesson is NULL), in course order, then paragraph. */
enum store_error lesson_bookmarks_all(struct store *st, int64_t learner, const char *lesson,
				      struct lesson_bookmark **out, size_t *count);
void lesson_bookmarks_free(struct lesson_bookmark *b, size_t count);
/* STORE_ERR_NOTFOUND when it is not the learner's or gone. */
enum store_error lesson_bookmark_delete(struct store *st, int64_t learner, const char *uid);

/* Every lesson rendered once, for the course-wide search. */
struct course_lesson {
	char *id, *title;
	struct md_doc doc;
};
struct course_text {
	struct course_lesson *lessons; /* course order */
	size_t count;
	int width;
};
enum store_error course_text_load(struct store *st, int width, struct course_text *out);
void course_text_free(struct course_text *ct);

struct course_hit {
	size_t lesson;
	struct md_hit hit;
};
/* Every match of p in the course, in course order, keeping at most max;
 * returns how many there are in all. *too_complex: the search stopped
 * where the pattern hit PCRE2's limits. */
size_t course_text_search(const struct course_text *ct, const struct pattern *p, size_t max,
			  struct course_hit **hits, size_t *count, bool *too_complex);
/* The line a hit is on, as the course text wraps at width columns, and
 * where the match is in it (clipped to the line). Malloc'd. */
char *course_hit_line(const struct course_text *ct, const struct course_hit *hit, int width,
		      size_t *start, size_t *end);

#endif
