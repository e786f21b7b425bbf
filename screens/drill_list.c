/* The questions of one type, or the questions due today, with the
 * learner's last score and when each comes back. */
#include "drill_screens.h"

#include "clock.h"
#include "list.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qlist {
	const char *type; /* NULL: due today */
	struct drill_item *items;
	size_t count;
	struct ui_list list;
	struct drill_open open;
	int64_t tomorrow;
	bool any_due; /* a column for the dates only when there are some */
	char title[96];
	char error[160];
};

static void qlist_row(WINDOW *w, int y, int x, int width, size_t index, attr_t attr, void *data)
{
	struct qlist *q = data;
	const struct drill_item *it = &q->items[index];
	char score[16], due[32], text[512];
	enum ui_glyph mark = GLYPH_DOT_EMPTY;
	enum ui_style style = UI_DIM;
	if (it->last_score >= 0) {
		snprintf(score, sizeof score, "%3.0f", it->last_score);
		bool good = it->last_score >= 60;
		mark = good ? GLYPH_CHECK : GLYPH_CROSS;
		style = good ? UI_GOOD : UI_BAD;
	} else {
		snprintf(score, sizeof score, "  -");
	}
	if (!it->due_at)
		/* In the due list, one of the day's new questions. */
		snprintf(due, sizeof due, "%s", q->type ? "" : "new");
	else if (it->due_at < q->tomorrow - 86400) {
		/* Due before today: how long it has waited, not "due today". */
		int64_t days = (q->tomorrow - 86400 - it->due_at + 86399) / 86400;
		snprintf(due, sizeof due, "overdue %lld day%s", (long long)days, days == 1 ? "" : "s");
	} else if (it->due_at < q->tomorrow)
		snprintf(due, sizeof due, "due today");
	else {
		char when[32];
		clock_format(it->due_at, when, sizeof when);
		snprintf(due, sizeof due, "due %.10s", when);
	}
	if (q->type)
		snprintf(text, sizeof text, "%s", it->question);
	else
		snprintf(text, sizeof text, "%s: %s", drill_type_label(it->type), it->question);
	ui_put(w, y, x + 1, 1, ui_glyph(mark), ui_attr_merge(attr, ui_attr(style)));
	ui_put(w, y, x + 3, 3, score, attr);
	int due_width = q->any_due ? 15 : 0;
	int text_width = width - 8 - due_width - 1;
	ui_put(w, y, x + 8, text_width, text, attr);
	ui_put_right(w, y, x + width - due_width - 1, due_width, due,
		     ui_attr_merge(attr, ui_attr(it->due_at && it->due_at < q->tomorrow ? UI_WARN
											   : UI_DIM)));
}

static void qlist_reload(struct qlist *q, struct app *app)
{
	drill_items_free(q->items, q->count);
	q->items = NULL;
	q->count = 0;
	int64_t now = clock_now();
	q->tomorrow = clock_day_start(now) + 86400;
	enum store_error e = q->type ? drill_list(app->store, app->learner.id, q->type, &q->items,
						  &q->count)
				     : drill_due(app->store, app->learner.id, now, &q->items,
						 &q->count);
	q->any_due = !q->type && q->count;
	for (size_t i = 0; i < q->count; i++)
		q->any_due |= q->items[i].due_at != 0;
	if (e != STORE_OK)
		snprintf(q->error, sizeof q->error, "Could not read the questions: %s",
			 store_errmsg(app->store));
	ui_list_set_model(&q->list, q->count, qlist_row, NULL, q);
}

static void *qlist_enter(struct app *app, void *arg)
{
	struct qlist *q = xcalloc(1, sizeof *q);
	q->type = arg;
	snprintf(q->title, sizeof q->title, "%s",
		 q->type ? drill_type_label(q->type) : "Due today");
	ui_list_init(&q->list);
	q->list.empty_text = q->type ? "No questions of this type in the bank."
				     : "Nothing is due today. Answer questions and they come back "
				       "here when it is time to review them.";
	ui_list_set_model(&q->list, 0, qlist_row, NULL, q);
	qlist_reload(q, app);
	return q;
}

static void qlist_leave(void *self, struct app *app)
{
	(void)app;
	struct qlist *q = self;
	drill_items_free(q->items, q->count);
	ui_list_free(&q->list);
	free(q);
}

static void qlist_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct qlist *q = self;
	qlist_reload(q, app);
	int y = top + 1;
	char line[160];
	int answered = 0;
	for (size_t i = 0; i < q->count; i++)
		answered += q->items[i].attempts > 0;
	if (q->type) {
		snprintf(line, sizeof line, "%zu questions, %d answered. Your last score is on the left.",
			 q->count, answered);
	} else {
		size_t fresh = 0;
		for (size_t i = 0; i < q->count; i++)
			fresh += !q->items[i].due_at;
		size_t reviews = q->count - fresh;
		if (fresh)
			snprintf(line, sizeof line,
				 "%zu to review today (most overdue first), then %zu new.", reviews,
				 fresh);
		else
			snprintf(line, sizeof line, "%zu question%s to review today, most overdue "
						    "first.",
				 reviews, reviews == 1 ? "" : "s");
	}
	ui_put(w, y, 2, cols - 4, line, ui_attr(UI_DIM));
	y += 2;
	ui_list_draw(&q->list, w, y, 2, rows - (y - top) - 3, cols - 4);
	size_t i = ui_list_selected(&q->list);
	if (q->error[0])
		ui_put(w, top + rows - 1, 2, cols - 4, q->error, ui_attr(UI_BAD));
	else if (i != SIZE_MAX && i < q->count)
		/* The selected question whole: its row may end in an ellipsis
		 * once a due date takes its column. */
		ui_put_wrapped(w, top + rows - 2, 2, cols - 4, 2, q->items[i].question,
			       ui_attr(UI_ACCENT));
}

static enum screen_action qlist_key(void *self, struct app *app, int key)
{
	struct qlist *q = self;
	if (ui_list_key(&q->list, key))
		return SCREEN_HANDLED;
	if (ui_key_is_enter(key)) {
		size_t i = ui_list_selected(&q->list);
		if (i == SIZE_MAX)
			return SCREEN_HANDLED;
		memset(&q->open, 0, sizeof q->open);
		snprintf(q->open.id, sizeof q->open.id, "%s", q->items[i].id);
		drill_push_question(app, &q->open, q->items[i].type);
		return SCREEN_HANDLED;
	}
	return SCREEN_UNHANDLED;
}

static const char *qlist_context(void *self, struct app *app)
{
	(void)app;
	struct qlist *q = self;
	return q->title;
}

static const char *const qlist_keys[] = {"j/k", "move", "Enter", "answer", "q", "back", NULL};
static const char *const qlist_help[] = {
	"j/k, arrows", "move",
	"PgUp/PgDn, g/G", "page, first, last",
	"Enter", "answer the selected question",
	NULL,
};

const struct screen_ops drill_list_screen = {
	.title = "Interview drill: questions",
	.keys = qlist_keys,
	.help_keys = qlist_help,
	.help_text = "The mark on the left is your last answer: a check from 60 points (or 60% of "
		     "the rubric) up, a cross below. Each answer schedules the question again "
		     "(FSRS): it comes back on the date shown on the right.",
	.enter = qlist_enter,
	.draw = qlist_draw,
	.key = qlist_key,
	.leave = qlist_leave,
	.context = qlist_context,
};
