/* A mock interview: a timed set of N mixed questions (an estimate and the
 * other types in turn, due ones first), each on its own screen with its
 * own clock, then a summary: time per question, scores, rubric coverage
 * and the calibration of the session's ranges. */
#include "drill_screens.h"

#include "clock.h"
#include "list.h"
#include "table.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int sizes[] = {3, 5, 8};
#define SIZE_CHOICES ((int)(sizeof sizes / sizeof sizes[0]))

enum mock_phase { MOCK_SETUP, MOCK_RUN, MOCK_SUMMARY };

struct mock_question {
	char id[64];
	char type[24];
	char *question;
	int target_seconds;
	bool answered, skipped;
};

struct mock {
	enum mock_phase phase;
	struct ui_list sizes;
	char *size_rows[SIZE_CHOICES];
	struct mock_question *questions;
	size_t count, index;
	char uid[37];
	struct drill_open open;
	struct drill_mock_summary summary;
	struct ui_table table;
	bool table_ready;
	char message[200];
	char context[64];
};

static const struct ui_column summary_columns[] = {
	{"#", UI_ALIGN_RIGHT, 1, 2},	      {"Type", UI_ALIGN_LEFT, 8, 28},
	{"Time", UI_ALIGN_RIGHT, 5, 8},	      {"Target", UI_ALIGN_RIGHT, 5, 8},
	{"Score", UI_ALIGN_RIGHT, 5, 5},      {"Range or rubric", UI_ALIGN_LEFT, 10, 30},
};

static void *mock_enter(struct app *app, void *arg)
{
	(void)app;
	(void)arg;
	struct mock *m = xcalloc(1, sizeof *m);
	for (int i = 0; i < SIZE_CHOICES; i++)
		m->size_rows[i] = xasprintf(" %d questions", sizes[i]);
	ui_list_init(&m->sizes);
	ui_list_set_items(&m->sizes, (const char *const *)m->size_rows, SIZE_CHOICES);
	ui_list_select(&m->sizes, 1);
	ui_table_init(&m->table, summary_columns, sizeof summary_columns / sizeof summary_columns[0]);
	return m;
}

static void free_questions(struct mock *m)
{
	for (size_t i = 0; i < m->count; i++)
		free(m->questions[i].question);
	free(m->questions);
	m->questions = NULL;
	m->count = 0;
}

static void mock_leave(void *self, struct app *app)
{
	struct mock *m = self;
	/* Leaving half way still closes the session: its answers are kept. */
	if (m->phase == MOCK_RUN)
		drill_mock_finish(app->store, m->uid, clock_now());
	for (int i = 0; i < SIZE_CHOICES; i++)
		free(m->size_rows[i]);
	ui_list_free(&m->sizes);
	ui_table_free(&m->table);
	drill_mock_summary_free(&m->summary);
	free_questions(m);
	free(m);
}

static void start(struct mock *m, struct app *app, int count)
{
	int64_t now = clock_now();
	char **ids;
	size_t n;
	uint32_t seed = (uint32_t)now ^ (uint32_t)app->learner.id * 2654435761u;
	if (drill_mock_pick(app->store, app->learner.id, (size_t)count, seed, now, &ids, &n) !=
	    STORE_OK) {
		snprintf(m->message, sizeof m->message, "Could not pick questions: %s",
			 store_errmsg(app->store));
		return;
	}
	struct drill_item *items;
	size_t total;
	if (!n || drill_list(app->store, app->learner.id, NULL, &items, &total) != STORE_OK) {
		snprintf(m->message, sizeof m->message, "The question banks are empty.");
		drill_ids_free(ids, n);
		return;
	}
	if (drill_mock_start(app->store, app->learner.id, n, now, m->uid) != STORE_OK) {
		snprintf(m->message, sizeof m->message, "Could not start: %s",
			 store_errmsg(app->store));
		drill_ids_free(ids, n);
		drill_items_free(items, total);
		return;
	}
	m->questions = xcalloc(n, sizeof *m->questions);
	for (size_t i = 0; i < n; i++) {
		struct mock_question *q = &m->questions[m->count++];
		snprintf(q->id, sizeof q->id, "%s", ids[i]);
		for (size_t j = 0; j < total; j++) {
			if (!strcmp(items[j].id, ids[i])) {
				snprintf(q->type, sizeof q->type, "%s", items[j].type);
				q->question = xstrdup(items[j].question);
				q->target_seconds = items[j].target_seconds;
			}
		}
		if (!q->question)
			q->question = xstrdup("");
	}
	drill_ids_free(ids, n);
	drill_items_free(items, total);
	m->index = 0;
	m->phase = MOCK_RUN;
}

static void open_current(struct mock *m, struct app *app)
{
	struct mock_question *q = &m->questions[m->index];
	memset(&m->open, 0, sizeof m->open);
	snprintf(m->open.id, sizeof m->open.id, "%s", q->id);
	m->open.mock_uid = m->uid;
	m->open.number = (int)m->index + 1;
	m->open.total = (int)m->count;
	drill_push_question(app, &m->open, q->type);
}

static void finish(struct mock *m, struct app *app)
{
	drill_mock_finish(app->store, m->uid, clock_now());
	m->phase = MOCK_SUMMARY;
	if (drill_mock_summary_load(app->store, m->uid, &m->summary) != STORE_OK) {
		snprintf(m->message, sizeof m->message, "Could not read the session: %s",
			 store_errmsg(app->store));
		return;
	}
	/* Every question planned, in order: the answered with their numbers,
	 * the skipped and the ones the mock ended before, said so. */
	bool *used_row = xcalloc(m->summary.count + 1, sizeof *used_row);
	for (size_t i = 0; i < m->count; i++) {
		const struct mock_question *q = &m->questions[i];
		const struct drill_mock_row *r = NULL;
		for (size_t j = 0; j < m->summary.count && !r; j++) {
			if (!used_row[j] && !strcmp(m->summary.rows[j].question_id, q->id)) {
				used_row[j] = true;
				r = &m->summary.rows[j];
			}
		}
		char number[24], used[16], target[16], score[16], detail[96];
		snprintf(number, sizeof number, "%zu", i + 1);
		drill_format_clock(q->target_seconds, target, sizeof target);
		if (!r) {
			const char *cells[] = {number, drill_type_label(q->type), "-", target, "-",
					       q->skipped ? "skipped" : "not reached"};
			ui_table_add_row(&m->table, cells);
			continue;
		}
		drill_format_clock(r->seconds, used, sizeof used);
		snprintf(score, sizeof score, "%.0f", r->score);
		if (r->has_range)
			snprintf(detail, sizeof detail, "range %s", r->hit ? "held" : "missed");
		else
			snprintf(detail, sizeof detail, "%d of %d covered, %d partly", r->covered,
				 r->rubric_total, r->partly);
		const char *cells[] = {number, drill_type_label(r->type), used, target, score, detail};
		ui_table_add_row(&m->table, cells);
	}
	free(used_row);
	m->table_ready = true;
}

/* After a question screen closes: on to the next question, or the end. */
static void follow_up(struct mock *m, struct app *app)
{
	if (m->phase != MOCK_RUN || !m->open.answered)
		return;
	m->open.answered = false;
	m->questions[m->index].answered = true;
	m->index++;
	if (m->index >= m->count)
		finish(m, app);
}

static void draw_setup(struct mock *m, WINDOW *w, int top, int rows, int cols)
{
	int y = top + 1;
	ui_put(w, y++, 2, cols - 4, "A mock interview: how many questions?", ui_attr(UI_TITLE));
	y += ui_put_wrapped(w, y, 2, cols - 4, 3,
				"An estimate first, then the other types in turn, the ones due for "
				"review first. Each question runs on its own clock with its own "
				"target; a summary follows the last one.",
				ui_attr(UI_DIM));
	y++;
	ui_list_draw(&m->sizes, w, y, 2, SIZE_CHOICES, 24);
	if (m->message[0])
		ui_put(w, top + rows - 1, 2, cols - 4, m->message, ui_attr(UI_BAD));
}

static void draw_run(struct mock *m, WINDOW *w, int top, int rows, int cols)
{
	int y = top + 1;
	const struct mock_question *q = &m->questions[m->index];
	char line[256], target[16];
	drill_format_clock(q->target_seconds, target, sizeof target);
	snprintf(line, sizeof line, "Question %zu of %zu next: %s, target %s.", m->index + 1,
		 m->count, drill_type_label(q->type), target);
	ui_put(w, y++, 2, cols - 4, line, ui_attr(UI_TITLE));
	ui_put(w, y++, 2, cols - 4,
	       "Enter starts it (its clock starts at once), s skips it, q ends the mock.",
	       ui_attr(UI_DIM));
	y++;
	for (size_t i = 0; i < m->count && y < top + rows - 1; i++, y++) {
		const struct mock_question *it = &m->questions[i];
		enum ui_glyph g = it->answered	  ? GLYPH_CHECK
				  : it->skipped	  ? GLYPH_CROSS
				  : i == m->index ? GLYPH_ARROW_RIGHT
						  : GLYPH_DOT_EMPTY;
		ui_put(w, y, 2, 1, ui_glyph(g), ui_attr(it->answered ? UI_GOOD : UI_ACCENT));
		/* The questions ahead stay hidden, as in a real interview. */
		snprintf(line, sizeof line, "%s%s%s", drill_type_label(it->type),
			 i < m->index ? ": " : "", i < m->index ? it->question : "");
		ui_put(w, y, 4, cols - 6, line, ui_attr(i == m->index ? UI_NORMAL : UI_DIM));
	}
}

static void draw_summary(struct mock *m, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	const struct drill_mock_summary *s = &m->summary;
	int y = top + 1, width = cols - 4;
	char line[512], used[16], target[16];
	drill_format_clock(s->seconds, used, sizeof used);
	drill_format_clock(s->target_seconds, target, sizeof target);
	snprintf(line, sizeof line, "Mock interview done: %zu of %zu questions answered in %s (target %s).",
		 s->count, s->planned, used, target);
	ui_put(w, y++, 2, width, line, ui_attr(UI_TITLE));
	snprintf(line, sizeof line, "Mean score %.0f of 100.", s->mean_score);
	if (s->rubric_total)
		snprintf(line + strlen(line), sizeof line - strlen(line),
			 " Rubric: %d of %d points covered, %d partly.", s->covered,
			 s->rubric_total, s->partly);
	y += ui_put_wrapped(w, y, 2, width, 2, line, ui_attr(UI_NORMAL));
	if (s->ranges) {
		struct drill_calibration c;
		const char *verdict = "";
		if (drill_calibration_load(app->store, app->learner.id, m->uid, &c) == STORE_OK) {
			snprintf(line, sizeof line,
				 "Calibration of this session: %d of %d ranges held the reference "
				 "(%.0f%%; goal 90%%): %s.",
				 s->hits, s->ranges, 100.0 * s->hits / s->ranges, c.summary.verdict);
			drill_calibration_free(&c);
			verdict = line;
		}
		y += ui_put_wrapped(w, y, 2, width, 2, verdict, ui_attr(UI_NORMAL));
	}
	y++;
	if (m->table_ready)
		ui_table_draw(&m->table, w, y, 2, top + rows - y - 1, width);
	if (m->message[0])
		ui_put(w, top + rows - 1, 2, width, m->message, ui_attr(UI_BAD));
}

static void mock_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct mock *m = self;
	follow_up(m, app);
	if (m->phase == MOCK_SETUP)
		draw_setup(m, w, top, rows, cols);
	else if (m->phase == MOCK_RUN)
		draw_run(m, w, top, rows, cols);
	else
		draw_summary(m, app, w, top, rows, cols);
}

static enum screen_action mock_key(void *self, struct app *app, int key)
{
	struct mock *m = self;
	follow_up(m, app);
	if (m->phase == MOCK_SETUP) {
		if (ui_list_key(&m->sizes, key))
			return SCREEN_HANDLED;
		if (ui_key_is_enter(key)) {
			size_t i = ui_list_selected(&m->sizes);
			m->message[0] = '\0';
			start(m, app, sizes[i == SIZE_MAX ? 0 : i]);
			if (m->phase == MOCK_RUN)
				open_current(m, app);
			return SCREEN_HANDLED;
		}
		return SCREEN_UNHANDLED;
	}
	if (m->phase == MOCK_RUN) {
		if (ui_key_is_enter(key)) {
			open_current(m, app);
			return SCREEN_HANDLED;
		}
		if (key == 's') {
			m->questions[m->index].skipped = true;
			if (++m->index >= m->count)
				finish(m, app);
			return SCREEN_HANDLED;
		}
		if (key == 'q' || key == UI_KEY_ESC) {
			if (ui_confirm("End the mock interview?",
				       "The answers so far are kept and summed up."))
				finish(m, app);
			return SCREEN_HANDLED;
		}
		return SCREEN_UNHANDLED;
	}
	if (ui_table_key(&m->table, key))
		return SCREEN_HANDLED;
	return SCREEN_UNHANDLED;
}

static const char *const setup_keys[] = {"j/k", "move", "Enter", "start", "q", "back", NULL};
static const char *const run_keys[] = {"Enter", "next question", "s", "skip", "q", "end",
				       NULL};
static const char *const summary_keys[] = {"j/k", "scroll", "q", "back", NULL};

static const char *const *mock_mode_keys(void *self)
{
	struct mock *m = self;
	return m->phase == MOCK_SETUP ? setup_keys : m->phase == MOCK_RUN ? run_keys : summary_keys;
}

static const char *mock_context(void *self, struct app *app)
{
	struct mock *m = self;
	/* The title bar is drawn before the body: catch up here first. */
	follow_up(m, app);
	if (m->phase == MOCK_RUN)
		snprintf(m->context, sizeof m->context, "%zu of %zu", m->index + 1, m->count);
	else
		m->context[0] = '\0';
	return m->context;
}

static const char *const mock_help[] = {
	"j/k, arrows", "choose how many questions",
	"Enter", "start, or open the next question",
	"s", "skip the next question",
	"q, Esc", "end the mock here (answers so far are kept)",
	NULL,
};

const struct screen_ops drill_mock_screen = {
	.title = "Mock interview",
	.keys = setup_keys,
	.help_keys = mock_help,
	.help_text = "Answer each question as in the room: say it out loud, watch the clock. The "
		     "summary shows the time per question against its target, the scores, how "
		     "much of each rubric you covered and whether your ranges held.",
	.enter = mock_enter,
	.draw = mock_draw,
	.key = mock_key,
	.leave = mock_leave,
	.mode_keys = mock_mode_keys,
	.context = mock_context,
};
