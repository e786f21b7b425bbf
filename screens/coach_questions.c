/* Difficult questions: the quiz, estimation and interview questions the
 * cohort (or a group) misses most, with how many learners missed each,
 * and for the selected one its full text, the lesson that teaches it
 * (Enter opens it) and the most common wrong answers. */
#include "coach_screens.h"
#include "drill_screens.h"

#include "lessons_screens.h"
#include "list.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Enough for any course's worth of questions to be browsed. */
#define QUESTIONS_SHOWN 200

struct questions_view {
	char *group;
	struct coach_difficult d;
	bool ok;
	struct ui_list list;
	char context[160];
};

static void question_row(WINDOW *w, int y, int x, int width, size_t index, attr_t attr,
			 void *data)
{
	struct questions_view *v = data;
	const struct coach_question *q = &v->d.items[index];
	char buf[64];
	ui_put(w, y, x, 10, coach_item_kind_name(q->kind), ui_attr_merge(attr, ui_attr(UI_DIM)));
	snprintf(buf, sizeof buf, "%4d/%-4d %3.0f%%", q->missed_by, q->learners, q->miss_percent);
	ui_put(w, y, x + 11, 14, buf, ui_attr_merge(attr, ui_attr(UI_BAD)));
	ui_put(w, y, x + 26, width - 26, q->prompt, attr);
}

static bool question_match(size_t index, const char *filter, void *data)
{
	struct questions_view *v = data;
	const struct coach_question *q = &v->d.items[index];
	return strcasestr(q->prompt, filter) || strcasestr(q->id, filter) ||
	       strcasestr(q->lesson_title, filter);
}

static void *questions_enter(struct app *app, void *arg)
{
	struct questions_view *v = xcalloc(1, sizeof *v);
	v->group = arg ? xstrdup(arg) : NULL;
	v->ok = coach_difficult_load(app->store, v->group, QUESTIONS_SHOWN, &v->d) == STORE_OK;
	ui_list_init(&v->list);
	v->list.empty_text = "Nobody has missed a question yet.";
	ui_list_set_model(&v->list, v->d.count, question_row, question_match, v);
	return v;
}

static void questions_leave(void *self, struct app *app)
{
	(void)app;
	struct questions_view *v = self;
	coach_difficult_free(&v->d);
	ui_list_free(&v->list);
	free(v->group);
	free(v);
}

static void draw_detail(const struct coach_question *q, WINDOW *w, int y, int bottom, int width)
{
	char line[512];
	y += ui_put_wrapped(w, y, 2, width, 2, q->prompt, ui_attr(UI_TITLE));
	if (y >= bottom)
		return;
	if (q->lesson_title[0])
		snprintf(line, sizeof line, "Taught in: %s (Enter opens it)", q->lesson_title);
	else
		snprintf(line, sizeof line, "Practised in the interview drill (no lesson of its own)");
	ui_put(w, y++, 2, width, line, ui_attr(UI_ACCENT));
	if (y >= bottom)
		return;
	snprintf(line, sizeof line, "Missed by %d of the %d learners who answered it; %d of %d "
				    "answers missed.",
		 q->missed_by, q->learners, q->misses, q->attempts);
	ui_put(w, y++, 2, width, line, ui_attr(UI_NORMAL));
	if (y >= bottom)
		return;
	ui_put(w, y++, 2, width, q->kind == COACH_INTERVIEW ? "Most often left out:"
							     : "Most common wrong answers:",
	       ui_attr(UI_HEADING2));
	for (size_t i = 0; i < q->wrong_count && y < bottom; i++) {
		snprintf(line, sizeof line, "%4d %s %s", q->wrong[i].count, ui_glyph(GLYPH_CROSS),
			 q->wrong[i].text);
		ui_put(w, y++, 2, width, line, ui_attr(UI_NORMAL));
	}
}

static void questions_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct questions_view *v = self;
	int width = cols - 4, y = top, bottom = top + rows;
	char line[256];
	if (!v->ok) {
		ui_put(w, y + 1, 2, width, "Could not read the answers.", ui_attr(UI_BAD));
		return;
	}
	snprintf(line, sizeof line, "%s: %d learner%s. Missed: a wrong quiz answer, a range that "
				    "missed, under %.0f%% of a rubric.",
		 v->group ? v->group : "Everyone", v->d.learners, v->d.learners == 1 ? "" : "s",
		 COACH_INTERVIEW_PASS);
	ui_put(w, y++, 2, width, line, ui_attr(UI_DIM));
	ui_put(w, y++, 2, width, "Kind       Missed by  %   Question", ui_attr(UI_HEADING2));
	/* The list gets the top half, the selected question the rest. */
	int detail = rows >= 16 ? 8 : rows / 2;
	int list_rows = bottom - y - detail;
	ui_list_draw(&v->list, w, y, 2, list_rows, width);
	y += list_rows;
	ui_hline(w, y++, 2, width, ui_attr(UI_DIM));
	size_t i = ui_list_selected(&v->list);
	if (i != SIZE_MAX)
		draw_detail(&v->d.items[i], w, y, bottom, width);
}

static enum screen_action questions_key(void *self, struct app *app, int key)
{
	struct questions_view *v = self;
	if (ui_list_key(&v->list, key))
		return SCREEN_HANDLED;
	if (ui_key_is_enter(key)) {
		size_t i = ui_list_selected(&v->list);
		if (i != SIZE_MAX && v->d.items[i].lesson_id[0])
			lessons_open(app, v->d.items[i].lesson_id);
		return SCREEN_HANDLED;
	}
	return SCREEN_UNHANDLED;
}

static const char *questions_context(void *self, struct app *app)
{
	(void)app;
	struct questions_view *v = self;
	snprintf(v->context, sizeof v->context, "%s", v->group ? v->group : "everyone");
	return v->context;
}

static const char *const questions_keys[] = {"j/k", "move", "Enter", "open the lesson", "q",
					     "back", NULL};
static const char *const questions_help[] = {
    "j/k, arrows", "move; the selected question shows below",
    "PgUp/PgDn, g/G", "page, first, last",
    "Enter", "open the lesson that teaches the question",
    NULL,
};

const struct screen_ops coach_questions_screen = {
	.title = "Coach: difficult questions",
	.keys = questions_keys,
	.help_keys = questions_help,
	.help_text = "The questions most learners missed at least once, first. For a quiz question "
		     "the wrong answers are the ones learners chose; for an estimate, how far off "
		     "the missed estimates were; for an interview question, the rubric points the "
		     "answers that fell short left out.",
	.enter = questions_enter,
	.draw = questions_draw,
	.key = questions_key,
	.leave = questions_leave,
	.context = questions_context,
};
