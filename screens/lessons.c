/* The course tree: modules with their share done, lessons with status,
 * reading time and quiz scores, each module's recap and cumulative quiz,
 * and the final exam; the way into the reader, the quizzes, the review,
 * the glossary and the course-wide search. */
#include "lessons_screens.h"

#include "pattern.h"
#include "list.h"
#include "progress.h"
#include "quiz.h"
#include "progressbar.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum row_kind { ROW_MODULE, ROW_LESSON, ROW_RECAP, ROW_FINAL };

struct tree_row {
	enum row_kind kind;
	size_t index; /* into modules (a module and its recap) or lessons */
	double best, latest; /* a cumulative quiz's scores, -1 for none */
};

struct tree {
	struct lesson_status *lessons;
	size_t nlessons;
	struct module_summary *modules;
	size_t nmodules;
	struct course_summary summary;
	struct tree_row *rows;
	size_t nrows, caprows;
	struct ui_list list;
	char context[160];
};

void lessons_open(struct app *app, const char *lesson_id)
{
	struct reader_request req = {.lesson_id = lesson_id};
	screen_push(app->screens, &reader_screen, &req);
}

void lessons_open_recap(struct app *app, const char *module_id)
{
	struct reader_request req = {.lesson_id = module_id, .recap = true};
	screen_push(app->screens, &reader_screen, &req);
}

bool lessons_open_next(struct app *app)
{
	struct lesson_status *ls = NULL;
	size_t n = 0;
	progress_lessons(app->store, app->learner.id, &ls, &n);
	struct course_summary sum;
	progress_summarize(ls, n, &sum);
	bool found = sum.next >= 0;
	if (found) {
		/* Over the course tree, wherever it was asked from: q goes back
		 * to the tree, then home, never to the lesson read before. */
		screen_reset(app->screens, &home_screen, NULL);
		screen_push(app->screens, &lessons_screen, NULL);
		lessons_open(app, ls[sum.next].id);
	}
	else
		screen_flash(app->screens, n ? "Every lesson is done." : "No lessons are imported.");
	free(ls);
	return found;
}

static void tree_reload(struct tree *t, struct app *app)
{
	free(t->lessons);
	free(t->modules);
	t->lessons = NULL;
	t->nlessons = 0;
	progress_lessons(app->store, app->learner.id, &t->lessons, &t->nlessons);
	progress_summarize(t->lessons, t->nlessons, &t->summary);
	progress_modules(t->lessons, t->nlessons, &t->modules, &t->nmodules);
	size_t before = t->nrows;
	t->nrows = 0;
	for (size_t m = 0; m < t->nmodules; m++) {
		struct tree_row row = {ROW_MODULE, m, -1, -1};
		ARRAY_PUSH(t->rows, t->nrows, t->caprows, row);
		for (int i = 0; i < t->modules[m].lessons; i++) {
			struct tree_row lesson = {ROW_LESSON, t->modules[m].first + (size_t)i, -1, -1};
			ARRAY_PUSH(t->rows, t->nrows, t->caprows, lesson);
		}
		struct tree_row recap = {ROW_RECAP, m, -1, -1};
		quiz_scope_scores(app->store, app->learner.id, t->modules[m].id, &recap.best,
				  &recap.latest);
		ARRAY_PUSH(t->rows, t->nrows, t->caprows, recap);
	}
	if (t->nmodules) {
		struct tree_row final = {ROW_FINAL, 0, -1, -1};
		quiz_scope_scores(app->store, app->learner.id, QUIZ_FINAL, &final.best, &final.latest);
		ARRAY_PUSH(t->rows, t->nrows, t->caprows, final);
	}
	if (t->nrows != before)
		ui_list_set_model(&t->list, t->nrows, t->list.draw_row, NULL, t);
}

static void scores_text(double latest, double best, char *buf, size_t size)
{
	if (latest < 0)
		snprintf(buf, size, "-");
	else if (best == latest)
		snprintf(buf, size, "%.0f%%", latest);
	else
		snprintf(buf, size, "%.0f%% best %.0f%%", latest, best);
}

static void score_text(const struct lesson_status *s, char *buf, size_t size)
{
	if (!s->questions)
		snprintf(buf, size, "no quiz");
	else
		scores_text(s->latest_score, s->best_score, buf, size);
}

/* Where the columns of a lesson row start, from the right edge. */
struct columns {
	int status, time, score, end;
};

static struct columns columns_of(int x, int width)
{
	struct columns c;
	c.end = x + width - 1;
	c.score = c.end - 14;
	c.time = c.score - 8;
	c.status = c.time - 9;
	return c;
}

static void draw_row(WINDOW *w, int y, int x, int width, size_t index, attr_t attr, void *data)
{
	struct tree *t = data;
	const struct tree_row *row = &t->rows[index];
	bool selected = attr != A_NORMAL;
	char text[256];
	if (row->kind == ROW_RECAP || row->kind == ROW_FINAL) {
		struct columns c = columns_of(x, width);
		bool final = row->kind == ROW_FINAL;
		if (final)
			snprintf(text, sizeof text, "Final exam: %d questions from the whole course",
				 QUIZ_FINAL_QUESTIONS);
		else
			snprintf(text, sizeof text, "Recap and module quiz (%d questions)",
				 QUIZ_MODULE_QUESTIONS);
		int at = final ? x + 1 : x + 3;
		ui_put(w, y, at, 1, ui_glyph(GLYPH_ARROW_RIGHT), selected ? attr : ui_attr(UI_ACCENT));
		ui_put(w, y, at + 2, c.time - at - 3, text, selected ? attr : ui_attr(final ? UI_HEADING2 : UI_NORMAL));
		scores_text(row->latest, row->best, text, sizeof text);
		ui_put(w, y, c.score, c.end - c.score, text, selected ? attr : ui_attr(UI_DIM));
		return;
	}
	if (row->kind == ROW_MODULE) {
		const struct module_summary *m = &t->modules[row->index];
		attr_t a = selected ? attr : ui_attr(UI_HEADING2);
		snprintf(text, sizeof text, "%s  %s", m->id, m->title);
		int right = 22;
		ui_put(w, y, x + 1, width - right - 2, text, a);
		int bar = 10, bx = x + width - right;
		int used = ui_bar(w, y, bx, bar, m->percent / 100.0, '#', selected ? attr : ui_attr(UI_BAR));
		for (int i = used; i < bar; i++)
			ui_put(w, y, bx + i, 1, ui_glyph(GLYPH_BLOCK_LIGHT), selected ? attr : ui_attr(UI_DIM));
		snprintf(text, sizeof text, "%3d%% done", ui_percent(m->percent / 100));
		ui_put_right(w, y, bx + bar + 1, right - bar - 2, text, a);
		return;
	}
	const struct lesson_status *s = &t->lessons[row->index];
	enum ui_glyph g = s->state == LESSON_DONE	 ? GLYPH_CHECK
			  : s->state == LESSON_IN_PROGRESS ? GLYPH_BULLET
							   : GLYPH_DOT_EMPTY;
	enum ui_style style = s->state == LESSON_DONE	     ? UI_GOOD
			      : s->state == LESSON_IN_PROGRESS ? UI_WARN
							       : UI_DIM;
	ui_put(w, y, x + 3, 1, ui_glyph(g), selected ? attr : ui_attr(style));
	const char *state = s->state == LESSON_DONE	      ? "done"
			    : s->state == LESSON_IN_PROGRESS ? "started"
							     : "new";
	struct columns c = columns_of(x, width);
	attr_t dim = selected ? attr : ui_attr(UI_DIM);
	ui_put(w, y, x + 5, c.status - x - 6, s->title, attr);
	ui_put(w, y, c.status, c.time - c.status - 1, state, selected ? attr : ui_attr(style));
	snprintf(text, sizeof text, "%2d min", s->minutes);
	ui_put(w, y, c.time, c.score - c.time - 1, text, dim);
	score_text(s, text, sizeof text);
	ui_put(w, y, c.score, c.end - c.score, text, dim);
}

static void *tree_enter(struct app *app, void *arg)
{
	(void)arg;
	struct tree *t = xcalloc(1, sizeof *t);
	ui_list_init(&t->list);
	t->list.empty_text = "No lessons are imported (see the content problems on the home screen).";
	t->list.draw_row = draw_row;
	tree_reload(t, app);
	ui_list_set_model(&t->list, t->nrows, draw_row, NULL, t);
	/* Start on the next lesson to read. */
	for (size_t r = 0; r < t->nrows && t->summary.next >= 0; r++)
		if (t->rows[r].kind == ROW_LESSON && t->rows[r].index == (size_t)t->summary.next)
			ui_list_select(&t->list, r);
	return t;
}

static void tree_leave(void *self, struct app *app)
{
	(void)app;
	struct tree *t = self;
	ui_list_free(&t->list);
	free(t->rows);
	free(t->lessons);
	free(t->modules);
	free(t);
}

static void tree_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct tree *t = self;
	/* Quizzes and reading elsewhere change the statuses. */
	tree_reload(t, app);
	char line[320];
	int y = top + 1;
	ui_put(w, y, 2, 8, "Course", ui_attr(UI_HEADING2));
	int bar = 20;
	int used = ui_bar(w, y, 10, bar, t->summary.percent / 100.0, '#', ui_attr(UI_BAR));
	for (int i = used; i < bar; i++)
		ui_put(w, y, 10 + i, 1, ui_glyph(GLYPH_BLOCK_LIGHT), ui_attr(UI_DIM));
	snprintf(line, sizeof line, "%d of %d lessons done (%d%%), %d started", t->summary.done,
		 t->summary.lessons, ui_percent(t->summary.percent / 100), t->summary.in_progress);
	ui_put(w, y, 11 + bar, cols - 13 - bar, line, ui_attr(UI_NORMAL));
	y++;
	ui_put(w, y, 2, 8, "Next", ui_attr(UI_HEADING2));
	if (t->summary.next >= 0)
		snprintf(line, sizeof line, "%s  (press n)", t->lessons[t->summary.next].title);
	else
		snprintf(line, sizeof line, "%s", t->summary.lessons ? "Every lesson is done." : "");
	ui_put(w, y, 10, cols - 12, line, ui_attr(UI_ACCENT));
	y += 2;
	/* The columns of the list's rows (ui_list_draw at x 1, a column
	 * less when its scroll bar is shown). */
	int list_rows = top + rows - (y + 1) - 1;
	bool scrolls = list_rows > 0 && t->list.visible_count > (size_t)list_rows;
	struct columns c = columns_of(1, scrolls ? cols - 3 : cols - 2);
	ui_put(w, y, 6, c.status - 7, "lesson", ui_attr(UI_DIM));
	ui_put(w, y, c.status, 8, "status", ui_attr(UI_DIM));
	ui_put(w, y, c.time, 7, "read", ui_attr(UI_DIM));
	ui_put(w, y, c.score, c.end - c.score, "quiz", ui_attr(UI_DIM));
	y++;
	ui_list_draw(&t->list, w, y, 1, list_rows, cols - 2);
	/* A title cut with an ellipsis is read whole on the last row. */
	size_t r = ui_list_selected(&t->list);
	if (r != SIZE_MAX && t->rows[r].kind == ROW_LESSON) {
		const char *title = t->lessons[t->rows[r].index].title;
		if (ui_width(title) > c.status - 2 - 6)
			ui_put_wrapped(w, top + rows - 1, 2, cols - 4, 1, title, ui_attr(UI_ACCENT));
	}
}

static const struct lesson_status *selected_lesson(struct tree *t)
{
	size_t r = ui_list_selected(&t->list);
	if (r == SIZE_MAX)
		return NULL;
	const struct tree_row *row = &t->rows[r];
	if (row->kind == ROW_LESSON)
		return &t->lessons[row->index];
	if (row->kind != ROW_MODULE)
		return NULL;
	/* On a module: its first lesson not done, else its first. */
	const struct module_summary *m = &t->modules[row->index];
	for (int i = 0; i < m->lessons; i++)
		if (t->lessons[m->first + (size_t)i].state != LESSON_DONE)
			return &t->lessons[m->first + (size_t)i];
	return m->lessons ? &t->lessons[m->first] : NULL;
}

static void open_quiz(struct app *app, const char *lesson_id, bool review)
{
	struct quiz_request req = {.lesson_id = lesson_id, .review = review};
	screen_push(app->screens, &quiz_screen, &req);
}

static void course_search(struct app *app)
{
	char pattern[256] = "";
	if (!ui_prompt_history("Search the course",
			       "A PCRE2 pattern, case-insensitive ((?-i) for exact case):", pattern,
			       sizeof pattern, &app->search_history) ||
	    !*pattern)
		return;
	char err[256];
	struct pattern *p = pattern_compile(pattern, err, sizeof err);
	if (!p) {
		screen_flash(app->screens, "Invalid pattern: %s", err);
		return;
	}
	pattern_free(p);
	screen_push(app->screens, &search_screen, pattern);
}

static enum screen_action tree_key(void *self, struct app *app, int key)
{
	struct tree *t = self;
	if (ui_list_key(&t->list, key))
		return SCREEN_HANDLED;
	const struct lesson_status *s = selected_lesson(t);
	size_t r = ui_list_selected(&t->list);
	const struct tree_row *row = r == SIZE_MAX ? NULL : &t->rows[r];
	/* A module's recap row: Enter reads the recap, z takes the module's
	 * quiz; the final exam's row: either takes the exam. */
	if (row && (row->kind == ROW_RECAP || row->kind == ROW_FINAL) &&
	    (ui_key_is_enter(key) || key == 'z')) {
		if (row->kind == ROW_FINAL)
			open_quiz(app, QUIZ_FINAL, false);
		else if (key == 'z')
			open_quiz(app, t->modules[row->index].id, false);
		else
			lessons_open_recap(app, t->modules[row->index].id);
		return SCREEN_HANDLED;
	}
	if (ui_key_is_enter(key)) {
		if (s)
			lessons_open(app, s->id);
		return SCREEN_HANDLED;
	}
	switch (key) {
	case 'n':
		lessons_open_next(app);
		return SCREEN_HANDLED;
	case 'z':
		if (s && s->questions)
			open_quiz(app, s->id, false);
		else if (s)
			screen_flash(app->screens, "\"%s\" has no quiz.", s->title);
		return SCREEN_HANDLED;
	case 'r':
		open_quiz(app, NULL, true);
		return SCREEN_HANDLED;
	case '/':
		course_search(app);
		return SCREEN_HANDLED;
	case 'e':
		screen_push(app->screens, &notes_screen, NULL);
		return SCREEN_HANDLED;
	case 'M':
		screen_push(app->screens, &bookmarks_screen, NULL);
		return SCREEN_HANDLED;
	case 't':
		screen_push(app->screens, &glossary_screen, NULL);
		return SCREEN_HANDLED;
	default:
		return SCREEN_UNHANDLED;
	}
}

static const char *tree_context(void *self, struct app *app)
{
	struct tree *t = self;
	snprintf(t->context, sizeof t->context, "%s", app->learner.name);
	return t->context;
}

static const char *const tree_keys[] = {"Enter", "read",   "n", "next",	  "z", "quiz",
					"r",	 "review", "/", "search", "t", "glossary",
					"e",	 "notes",  "q", "back",	  NULL};
static const char *const tree_help[] = {
	"Enter", "read the selected lesson (on a module: its next lesson; on a recap row: the "
		 "module's recap)",
	"n", "open the next lesson that is not done",
	"z", "take the selected lesson's quiz (on a recap row: the module's cumulative quiz; on "
	     "the last row: the final exam)",
	"r", "review the questions you missed, most-missed first",
	"/", "search the whole course (PCRE2)",
	"t", "the glossary",
	"e", "all your notes across the course: open, edit, delete",
	"M", "your bookmarks across the course (m in a lesson adds one)",
	"j/k, g/G", "move, first, last",
	NULL,
};

const struct screen_ops lessons_screen = {
	.title = "Lessons",
	.keys = tree_keys,
	.help_keys = tree_help,
	.help_text = "A lesson is done when you have read it to the end and passed its quiz (the "
		     "pass mark is usually 70%). Status, as drawn and named on each row: a "
		     "check mark (+ without Unicode) done, a bullet (*) started, a small dot (.) "
		     "new. Scores show your latest quiz and, when higher, your "
		     "best; retakes are always allowed. After each module's lessons, its recap and "
		     "its cumulative quiz (12 questions drawn from the module's lessons, new ones "
		     "at every take); at the end, the final exam (40 from the whole course).",
	.enter = tree_enter,
	.draw = tree_draw,
	.key = tree_key,
	.leave = tree_leave,
	.context = tree_context,
};
