/* The course-wide search: each lesson with matches, and under it the
 * lines that match, the match highlighted; Enter opens the lesson there. */
#include "lessons_screens.h"

#include "pattern.h"
#include "lesson.h"
#include "list.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_HITS = 2000, TEXT_WIDTH = 80 };

struct search_row {
	size_t lesson;
	long hit; /* -1: the lesson's own row */
};

struct search {
	char pattern[256];
	struct course_text course;
	struct course_hit *hits;
	size_t nhits, total;
	struct search_row *rows;
	size_t nrows, caprows;
	size_t lessons; /* lessons with a match */
	struct ui_list list;
	char context[64];
};

static void draw_row(WINDOW *w, int y, int x, int width, size_t index, attr_t attr, void *data)
{
	struct search *s = data;
	const struct search_row *row = &s->rows[index];
	bool selected = attr != A_NORMAL;
	if (row->hit < 0) {
		ui_put(w, y, x + 1, width - 2, s->course.lessons[row->lesson].title,
		       selected ? attr : ui_attr(UI_HEADING2));
		return;
	}
	size_t start, end;
	char *line = course_hit_line(&s->course, &s->hits[row->hit], width - 6, &start, &end);
	int col = x + 4, limit = x + width - 1;
	col += ui_putn(w, y, col, limit - col, line, start, attr);
	col += ui_putn(w, y, col, limit - col, line + start, end - start,
		       ui_attr_merge(attr, ui_attr(UI_MATCH)));
	ui_put(w, y, col, limit - col, line + end, attr);
	free(line);
}

static void run_search(struct search *s, struct app *app)
{
	free(s->hits);
	s->nrows = 0;
	s->lessons = 0;
	char err[256];
	struct pattern *p = pattern_compile(s->pattern, err, sizeof err);
	if (!p) {
		s->hits = NULL;
		s->nhits = s->total = 0;
		screen_flash(app->screens, "Invalid pattern: %s", err);
	} else {
		bool too_complex;
		s->total = course_text_search(&s->course, p, MAX_HITS, &s->hits, &s->nhits,
					      &too_complex);
		pattern_free(p);
		if (too_complex)
			screen_flash(app->screens, "Search stopped: %s.",
				     pattern_rc_text(PATTERN_TOO_COMPLEX));
	}
	for (size_t i = 0; i < s->nhits; i++) {
		if (!i || s->hits[i].lesson != s->hits[i - 1].lesson) {
			struct search_row head = {s->hits[i].lesson, -1};
			ARRAY_PUSH(s->rows, s->nrows, s->caprows, head);
			s->lessons++;
		}
		struct search_row row = {s->hits[i].lesson, (long)i};
		ARRAY_PUSH(s->rows, s->nrows, s->caprows, row);
	}
	ui_list_set_model(&s->list, s->nrows, draw_row, NULL, s);
	ui_list_select(&s->list, s->nrows > 1 ? 1 : 0);
}

static void *search_enter(struct app *app, void *arg)
{
	struct search *s = xcalloc(1, sizeof *s);
	snprintf(s->pattern, sizeof s->pattern, "%s", arg ? (const char *)arg : "");
	ui_list_init(&s->list);
	s->list.empty_text = "No line of the course matches.";
	course_text_load(app->store, TEXT_WIDTH, &s->course);
	run_search(s, app);
	return s;
}

static void search_leave(void *self, struct app *app)
{
	(void)app;
	struct search *s = self;
	course_text_free(&s->course);
	free(s->hits);
	free(s->rows);
	ui_list_free(&s->list);
	free(s);
}

static void search_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct search *s = self;
	char line[400];
	snprintf(line, sizeof line, "/%s: %zu match%s in %zu lesson%s%s", s->pattern, s->total,
		 s->total == 1 ? "" : "es", s->lessons, s->lessons == 1 ? "" : "s",
		 s->total > s->nhits ? " (the first ones listed)" : "");
	ui_put(w, top + 1, 2, cols - 4, line, ui_attr(UI_HEADING2));
	ui_list_draw(&s->list, w, top + 3, 1, rows - 3, cols - 2);
}

static enum screen_action search_key(void *self, struct app *app, int key)
{
	struct search *s = self;
	if (ui_list_key(&s->list, key))
		return SCREEN_HANDLED;
	if (ui_key_is_enter(key)) {
		size_t r = ui_list_selected(&s->list);
		if (r == SIZE_MAX)
			return SCREEN_HANDLED;
		const struct search_row *row = &s->rows[r];
		const struct course_hit *hit = row->hit >= 0 ? &s->hits[row->hit] : NULL;
		if (!hit) /* a lesson row: its first match */
			hit = &s->hits[s->rows[r + 1].hit];
		struct reader_request req = {.lesson_id = s->course.lessons[hit->lesson].id,
					     .search = s->pattern,
					     .para = hit->hit.para,
					     .offset = hit->hit.start};
		screen_push(app->screens, &reader_screen, &req);
		return SCREEN_HANDLED;
	}
	if (key == '/') {
		char pattern[256];
		snprintf(pattern, sizeof pattern, "%s", s->pattern);
		if (ui_prompt_history("Search the course",
				      "A PCRE2 pattern, case-insensitive ((?-i) for exact case):",
				      pattern, sizeof pattern, &app->search_history) &&
		    *pattern) {
			char err[256];
			struct pattern *p = pattern_compile(pattern, err, sizeof err);
			if (!p) {
				/* The results of the last good pattern stay. */
				screen_flash(app->screens, "Invalid pattern: %s", err);
				return SCREEN_HANDLED;
			}
			pattern_free(p);
			snprintf(s->pattern, sizeof s->pattern, "%s", pattern);
			run_search(s, app);
		}
		return SCREEN_HANDLED;
	}
	return SCREEN_UNHANDLED;
}

static const char *search_context(void *self, struct app *app)
{
	(void)app;
	struct search *s = self;
	snprintf(s->context, sizeof s->context, "%zu lessons searched", s->course.count);
	return s->context;
}

static const char *const search_keys[] = {"Enter", "open there", "/", "new search", "j/k", "move",
					  "q", "back", NULL};
static const char *const search_help[] = {
	"Enter", "open the lesson at the selected match, every match highlighted",
	"/", "search again with another pattern",
	"j/k, g/G", "move, first, last",
	NULL,
};

const struct screen_ops search_screen = {
	.title = "Search the course",
	.keys = search_keys,
	.help_keys = search_help,
	.help_text = "Patterns are PCRE2, case-insensitive and Unicode-aware: 'f1|precision', "
		     "'\\bAI PMs?\\b'. Start with (?-i) to match the case exactly.",
	.enter = search_enter,
	.draw = search_draw,
	.key = search_key,
	.leave = search_leave,
	.context = search_context,
};
