/* One learner's progress, in sections: an overview (course, modules,
 * time, streak, quiz, drill, calibration, notes, experiments), every
 * lesson with its scores, the timeline of attempts, the lessons where they
 * stall, their weakest quiz questions, the calibration chart and their
 * notes. The learner's own progress screen and the coach's view of one
 * learner are this one screen, opened for a different learner. */
#include "coach_screens.h"

#include "barchart.h"
#include "calibration.h"
#include "clock.h"
#include "lessons_screens.h"
#include "list.h"
#include "progressbar.h"
#include "table.h"
#include "textview.h"
#include "ui.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum section {
	SEC_OVERVIEW,
	SEC_LESSONS,
	SEC_TIMELINE,
	SEC_STALLED,
	SEC_WEAKEST,
	SEC_CALIBRATION,
	SEC_NOTES,
	SEC_COUNT
};

static const char *const section_names[SEC_COUNT] = {
    "Overview", "Lessons", "Timeline", "Stalled", "Weakest", "Calibration", "Notes",
};

struct report_view {
	bool coach; /* the coach's view of someone, not the learner's own */
	int64_t learner_id;
	struct learner_report r;
	bool ok;
	enum section section;
	struct ui_table lessons, stalled, weakest;
	struct ui_list timeline;
	struct ui_textview notes;
	struct ui_calibration calibration;
	char context[160];
};

static const struct ui_column lesson_columns[] = {
    {"Lesson", UI_ALIGN_LEFT, 12, 48},  {"Status", UI_ALIGN_LEFT, 6, 11},
    {"Best", UI_ALIGN_RIGHT, 4, 5},     {"Latest", UI_ALIGN_RIGHT, 6, 6},
    {"Module", UI_ALIGN_LEFT, 2, 4},
};
static const struct ui_column stall_columns[] = {
    {"Lesson", UI_ALIGN_LEFT, 12, 40},
    {"Why not done", UI_ALIGN_LEFT, 10, 32},
    {"Last touched", UI_ALIGN_LEFT, 10, 10},
    {"Time", UI_ALIGN_RIGHT, 4, 7},
};
static const struct ui_column weak_columns[] = {
    {"Question", UI_ALIGN_LEFT, 12, 60},
    {"Wrong", UI_ALIGN_RIGHT, 5, 7},
    {"Last answer", UI_ALIGN_LEFT, 6, 24},
};

void coach_format_day(int64_t t, const char *fallback, char *buf, size_t size)
{
	if (!t) {
		snprintf(buf, size, "%s", fallback);
		return;
	}
	char full[32];
	clock_format(t, full, sizeof full);
	snprintf(buf, size, "%.10s", full);
}

void coach_draw_module_bar(WINDOW *w, int y, int x, int width, const double *percent,
			   size_t modules, attr_t attr)
{
	static const char *const blocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	bool unicode = ui_caps()->unicode;
	for (size_t m = 0; m < modules && (int)m < width; m++) {
		double p = percent[m];
		char ascii[2] = {p >= 100 ? '#' : p <= 0 ? '.' : (char)('0' + (int)(p / 10)), 0};
		const char *cell = ascii;
		attr_t a = attr;
		if (unicode) {
			cell = p <= 0 ? ui_glyph(GLYPH_DOT_EMPTY) : blocks[p >= 100 ? 7 : (int)(p / 100 * 7)];
			if (p <= 0)
				a = ui_attr_merge(attr, ui_attr(UI_DIM));
		}
		ui_put(w, y, x + (int)m, 1, cell, a);
	}
}

static void format_minutes(int64_t seconds, char *buf, size_t size)
{
	int64_t minutes = (seconds + 30) / 60;
	if (minutes >= 60)
		snprintf(buf, size, "%lldh %02lldm", (long long)(minutes / 60),
			 (long long)(minutes % 60));
	else
		snprintf(buf, size, "%lldm", (long long)minutes);
}

static const char *state_text(enum lesson_state s)
{
	return s == LESSON_DONE ? "done" : s == LESSON_IN_PROGRESS ? "in progress" : "not started";
}

static void score_text(double score, char *buf, size_t size)
{
	if (score < 0)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.0f%%", score);
}

static void timeline_row(WINDOW *w, int y, int x, int width, size_t index, attr_t attr,
			 void *data)
{
	struct report_view *v = data;
	const struct coach_event *e = &v->r.timeline[index];
	char when[32];
	clock_format(e->at, when, sizeof when);
	ui_put(w, y, x, 16, when, ui_attr_merge(attr, ui_attr(UI_DIM)));
	enum ui_glyph g = e->outcome > 0 ? GLYPH_CHECK : e->outcome < 0 ? GLYPH_CROSS : GLYPH_BULLET;
	enum ui_style s = e->outcome > 0 ? UI_GOOD : e->outcome < 0 ? UI_BAD : UI_DIM;
	ui_put(w, y, x + 17, 1, ui_glyph(g), ui_attr_merge(attr, ui_attr(s)));
	char line[512];
	snprintf(line, sizeof line, "%s %s %s", e->detail, ui_glyph(GLYPH_ARROW_RIGHT), e->what);
	ui_put(w, y, x + 19, width - 19, line, attr);
}

static void fill_tables(struct report_view *v)
{
	const struct learner_report *r = &v->r;
	for (size_t i = 0; i < r->lesson_count; i++) {
		const struct lesson_status *l = &r->lessons[i];
		char best[16], latest[16];
		score_text(l->best_score, best, sizeof best);
		score_text(l->latest_score, latest, sizeof latest);
		if (!l->questions)
			snprintf(best, sizeof best, "no quiz");
		const char *cells[] = {l->title, state_text(l->state), best,
				       l->questions ? latest : "", l->module_id};
		ui_table_add_row(&v->lessons, cells);
	}
	for (size_t i = 0; i < r->stall_count; i++) {
		const struct coach_stall *s = &r->stalled[i];
		char day[16], time[32];
		coach_format_day(s->updated_at, "-", day, sizeof day);
		format_minutes(s->seconds, time, sizeof time);
		const char *cells[] = {r->lessons[s->lesson].title, s->reason, day, time};
		ui_table_add_row(&v->stalled, cells);
	}
	for (size_t i = 0; i < r->weak_count; i++) {
		const struct coach_weak *q = &r->weakest[i];
		char wrong[32], last[160];
		snprintf(wrong, sizeof wrong, "%d of %d", q->wrong, q->attempts);
		snprintf(last, sizeof last, "%s %s", ui_glyph(q->last_correct ? GLYPH_CHECK : GLYPH_CROSS),
			 q->last_answer);
		const char *cells[] = {q->prompt, wrong, last};
		ui_table_add_row(&v->weakest, cells);
	}
	for (size_t i = 0; i < r->note_count; i++) {
		const struct coach_note *n = &r->notes[i];
		char day[16];
		coach_format_day(n->created_at, "", day, sizeof day);
		ui_doc_para(&v->notes.doc, 0, 0);
		ui_doc_add(&v->notes.doc, n->lesson_title, strlen(n->lesson_title), ui_attr(UI_HEADING2));
		ui_doc_add(&v->notes.doc, "  ", 2, ui_attr(UI_NORMAL));
		ui_doc_add(&v->notes.doc, day, strlen(day), ui_attr(UI_DIM));
		ui_doc_para(&v->notes.doc, 2, 2);
		ui_doc_add(&v->notes.doc, n->body, strlen(n->body), ui_attr(UI_NORMAL));
		ui_doc_para(&v->notes.doc, 0, 0);
	}
	ui_textview_changed(&v->notes);
	ui_calibration_init(&v->calibration, &r->calibration);
}

static void *view_enter(struct app *app, int64_t learner_id, bool coach)
{
	struct report_view *v = xcalloc(1, sizeof *v);
	v->coach = coach;
	v->learner_id = learner_id;
	v->ok = learner_report_load(app->store, learner_id, clock_now(), &v->r) == STORE_OK;
	ui_table_init(&v->lessons, lesson_columns, sizeof lesson_columns / sizeof *lesson_columns);
	ui_table_init(&v->stalled, stall_columns, sizeof stall_columns / sizeof *stall_columns);
	ui_table_init(&v->weakest, weak_columns, sizeof weak_columns / sizeof *weak_columns);
	v->lessons.selectable = v->stalled.selectable = v->weakest.selectable = true;
	ui_list_init(&v->timeline);
	v->timeline.empty_text = "Nothing yet: lessons opened, quizzes and drill answers show here.";
	ui_textview_init(&v->notes);
	if (v->ok) {
		fill_tables(v);
		ui_list_set_model(&v->timeline, v->r.timeline_count, timeline_row, NULL, v);
	}
	return v;
}

static void *progress_enter(struct app *app, void *arg)
{
	(void)arg;
	return view_enter(app, app->learner.id, false);
}

static void *learner_enter(struct app *app, void *arg)
{
	return view_enter(app, *(const int64_t *)arg, true);
}

static void view_leave(void *self, struct app *app)
{
	(void)app;
	struct report_view *v = self;
	learner_report_free(&v->r);
	ui_table_free(&v->lessons);
	ui_table_free(&v->stalled);
	ui_table_free(&v->weakest);
	ui_list_free(&v->timeline);
	ui_textview_free(&v->notes);
	ui_calibration_free(&v->calibration);
	free(v);
}

static void draw_tabs(const struct report_view *v, WINDOW *w, int y, int cols)
{
	int x = 2;
	for (int s = 0; s < SEC_COUNT && x < cols - 2; s++) {
		char label[32];
		snprintf(label, sizeof label, " %s ", section_names[s]);
		attr_t a = ui_attr(s == (int)v->section ? UI_SELECTED : UI_DIM);
		x += ui_put(w, y, x, cols - 2 - x, label, a) + 1;
	}
}

static int draw_overview(struct report_view *v, WINDOW *w, int y, int bottom, int width)
{
	const struct learner_report *r = &v->r;
	char line[512], a[32], b[32];
	int label = 2, value = 12, vw = width - value + 2;
	coach_format_day(r->last_active, "never", a, sizeof a);
	if (v->coach) {
		coach_format_day(r->last_import, "", b, sizeof b);
		snprintf(line, sizeof line, "%s · %s%s · last active %s", r->learner.uuid,
			 r->imported ? "imported " : "signs in here", r->imported ? b : "", a);
	} else {
		snprintf(line, sizeof line, "Last active %s", a);
	}
	ui_put(w, y++, label, width, line, ui_attr(UI_DIM));
	if (y >= bottom)
		return y;
	if (v->coach && r->imported) {
		/* Who signs the learner's bundles: compare it with them. */
		coach_format_day(r->key_pinned_at, "", b, sizeof b);
		if (r->key[0])
			snprintf(line, sizeof line, "Key %s, pinned %s", r->key, b);
		else
			snprintf(line, sizeof line, "No key pinned: the next bundle's will be");
		ui_put(w, y++, label, width, line, ui_attr(UI_DIM));
		if (y >= bottom)
			return y;
	}
	ui_put(w, y, label, value - label, "Course", ui_attr(UI_HEADING2));
	int bar = vw < 50 ? vw / 3 : 20;
	struct ui_progress p = {r->summary.percent / 100.0, NULL, NULL};
	ui_progress_draw(&p, w, y, value, 1, bar);
	snprintf(line, sizeof line, "%d of %d lessons done, %d in progress", r->summary.done,
		 r->summary.lessons, r->summary.in_progress);
	ui_put(w, y++, value + bar + 1, vw - bar - 1, line, ui_attr(UI_NORMAL));
	if (y >= bottom)
		return y;
	format_minutes(r->reading_seconds, a, sizeof a);
	format_minutes(r->drill_seconds, b, sizeof b);
	ui_put(w, y, label, value - label, "Time", ui_attr(UI_HEADING2));
	snprintf(line, sizeof line, "reading %s, drill %s · streak %d day%s (best %d, %d active)", a,
		 b, r->streak, r->streak == 1 ? "" : "s", r->best_streak, r->active_days);
	ui_put(w, y++, value, vw, line, ui_attr(UI_NORMAL));
	if (y >= bottom)
		return y;
	ui_put(w, y, label, value - label, "Quiz", ui_attr(UI_HEADING2));
	if (r->quiz_answers)
		snprintf(line, sizeof line, "%d of %d answers right (%.0f%%) · %zu note%s",
			 r->quiz_correct, r->quiz_answers, 100.0 * r->quiz_correct / r->quiz_answers,
			 r->note_count, r->note_count == 1 ? "" : "s");
	else
		snprintf(line, sizeof line, "no answers yet · %zu note%s", r->note_count,
			 r->note_count == 1 ? "" : "s");
	char lab[96] = "";
	if (r->experiments)
		snprintf(lab, sizeof lab, " · lab: %d run%s, best AUC %.2f (F1 %.2f)",
			 r->experiments, r->experiments == 1 ? "" : "s", r->best_auc, r->best_f1);
	else
		snprintf(lab, sizeof lab, " · no lab runs");
	snprintf(line + strlen(line), sizeof line - strlen(line), "%s", lab);
	ui_put(w, y++, value, vw, line, ui_attr(UI_NORMAL));
	if (y >= bottom)
		return y;
	ui_put(w, y, label, value - label, "Estimates", ui_attr(UI_HEADING2));
	const struct estimate_calibration *c = &r->calibration.summary;
	if (c->answers)
		snprintf(line, sizeof line, "90%% ranges held %zu of %zu (%.0f%%): %s", c->hits,
			 c->answers, 100 * c->hit_share, c->verdict);
	else
		snprintf(line, sizeof line, "no estimates yet");
	ui_put(w, y++, value, vw, line, ui_attr(UI_NORMAL));
	if (++y >= bottom)
		return y;

	/* Modules as bars, then the drill by type. */
	ui_put(w, y++, label, width, "Lessons done per module", ui_attr(UI_HEADING2));
	struct ui_barchart bars;
	ui_barchart_init(&bars);
	bars.max = 100;
	for (size_t m = 0; m < r->module_count; m++) {
		/* The whole title: the chart cuts its labels with an ellipsis. */
		char *name = xasprintf("%s %s", r->modules[m].id, r->modules[m].title), text[32];
		snprintf(text, sizeof text, "%d/%d", r->modules[m].done, r->modules[m].lessons);
		ui_barchart_add(&bars, name, r->modules[m].percent, text);
		free(name);
	}
	int shown = (int)r->module_count < bottom - y ? (int)r->module_count : bottom - y;
	if (shown > 0)
		ui_barchart_draw(&bars, w, y, label, shown, width);
	ui_barchart_free(&bars);
	y += shown;
	if (++y >= bottom)
		return y;
	ui_put(w, y++, label, width, "Drill answers by type (mean score of 100)",
	       ui_attr(UI_HEADING2));
	int colw = width / 2;
	int k = 0;
	for (int t = 0; t < DRILL_TYPE_COUNT && y < bottom; t++) {
		const struct drill_type_stats *s = &r->drill.types[t];
		int x = label + (k % 2) * colw;
		attr_t a = ui_attr(s->answers ? UI_NORMAL : UI_DIM);
		ui_put(w, y, x, colw - 14, drill_type_label(drill_types[t]), a);
		if (s->answers)
			snprintf(line, sizeof line, "%4d (%3.0f)", s->answers, s->mean_score);
		else
			snprintf(line, sizeof line, "%4d", 0);
		ui_put(w, y, x + colw - 13, 12, line, a);
		if (k++ % 2)
			y++;
	}
	if (k % 2)
		y++;
	return y;
}

static void draw_calibration(struct report_view *v, WINDOW *w, int y, int bottom, int width)
{
	const struct drill_calibration *c = &v->r.calibration;
	char line[256];
	if (!c->count) {
		ui_put(w, y, 2, width, "No estimation answers yet: the calibration shows after them.",
		       ui_attr(UI_DIM));
		return;
	}
	snprintf(line, sizeof line, "90%% ranges held the answer in %zu of %zu estimates (%.0f%%): %s.",
		 c->summary.hits, c->summary.answers, 100 * c->summary.hit_share, c->summary.verdict);
	ui_put(w, y++, 2, width, line, ui_attr(UI_TITLE));
	snprintf(line, sizeof line, "Share held over the last %d answers, against the 90%% goal:",
		 DRILL_TREND_WINDOW);
	ui_put(w, y++, 2, width, line, ui_attr(UI_DIM));
	ui_calibration_draw(&v->calibration, w, y, 2, bottom - y, width);
}

static void view_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct report_view *v = self;
	int width = cols - 4, bottom = top + rows;
	if (!v->ok) {
		ui_put(w, top + 1, 2, width, "Could not read this learner's progress.",
		       ui_attr(UI_BAD));
		return;
	}
	draw_tabs(v, w, top, cols);
	int y = top + 1, height = bottom - y;
	switch (v->section) {
	case SEC_OVERVIEW:
		draw_overview(v, w, y, bottom, width);
		break;
	case SEC_LESSONS:
		ui_table_draw(&v->lessons, w, y, 2, height, width);
		break;
	case SEC_TIMELINE:
		ui_put(w, y, 2, width, "Newest first: lessons, quizzes, reviews, drill answers, notes.",
		       ui_attr(UI_DIM));
		ui_list_draw(&v->timeline, w, y + 1, 2, height - 1, width);
		break;
	case SEC_STALLED:
		if (!v->r.stall_count)
			ui_put(w, y, 2, width, "No lesson is left half done.", ui_attr(UI_GOOD));
		else
			ui_table_draw(&v->stalled, w, y, 2, height, width);
		break;
	case SEC_WEAKEST:
		if (!v->r.weak_count)
			ui_put(w, y, 2, width, "No quiz question has been missed yet.", ui_attr(UI_GOOD));
		else
			ui_table_draw(&v->weakest, w, y, 2, height, width);
		break;
	case SEC_CALIBRATION:
		draw_calibration(v, w, y, bottom, width);
		break;
	case SEC_NOTES:
		if (!v->r.note_count)
			ui_put(w, y, 2, width, "No notes yet.", ui_attr(UI_DIM));
		else
			ui_textview_draw(&v->notes, w, y, 2, height, width);
		break;
	case SEC_COUNT:
		break;
	}
}

/* The lesson behind the selected row of a section, or NULL. */
static const char *selected_lesson(const struct report_view *v)
{
	size_t i;
	switch (v->section) {
	case SEC_LESSONS:
		i = ui_table_selected(&v->lessons);
		return i < v->r.lesson_count ? v->r.lessons[i].id : NULL;
	case SEC_STALLED:
		i = ui_table_selected(&v->stalled);
		return i < v->r.stall_count ? v->r.lessons[v->r.stalled[i].lesson].id : NULL;
	case SEC_WEAKEST:
		i = ui_table_selected(&v->weakest);
		return i < v->r.weak_count ? v->r.weakest[i].lesson_id : NULL;
	default:
		return NULL;
	}
}

static enum screen_action view_key(void *self, struct app *app, int key)
{
	struct report_view *v = self;
	if (key == '\t' || key == KEY_RIGHT || key == 'l') {
		v->section = (v->section + 1) % SEC_COUNT;
		return SCREEN_HANDLED;
	}
	if (key == KEY_BTAB || key == KEY_LEFT || key == 'h') {
		v->section = (v->section + SEC_COUNT - 1) % SEC_COUNT;
		return SCREEN_HANDLED;
	}
	if (key >= '1' && key < '1' + SEC_COUNT) {
		v->section = (enum section)(key - '1');
		return SCREEN_HANDLED;
	}
	if (ui_key_is_enter(key)) {
		const char *lesson = selected_lesson(v);
		if (lesson)
			lessons_open(app, lesson);
		return SCREEN_HANDLED;
	}
	bool used = false;
	switch (v->section) {
	case SEC_LESSONS:
		used = ui_table_key(&v->lessons, key);
		break;
	case SEC_TIMELINE:
		used = ui_list_key(&v->timeline, key);
		break;
	case SEC_STALLED:
		used = ui_table_key(&v->stalled, key);
		break;
	case SEC_WEAKEST:
		used = ui_table_key(&v->weakest, key);
		break;
	case SEC_NOTES:
		used = ui_textview_key(&v->notes, key);
		break;
	default:
		break;
	}
	return used ? SCREEN_HANDLED : SCREEN_UNHANDLED;
}

static const char *view_context(void *self, struct app *app)
{
	(void)app;
	struct report_view *v = self;
	snprintf(v->context, sizeof v->context, "%s", v->r.learner.name);
	return v->context;
}

static const char *const view_keys[] = {"Tab/1-7", "section", "j/k", "move", "Enter", "lesson",
					"q", "back", NULL};
static const char *const view_help[] = {
    "Tab, l, Right", "next section (Shift-Tab, h, Left: back)",
    "1 to 7", "a section by number",
    "j/k, arrows", "move in a list or table",
    "Enter", "open the selected lesson",
    NULL,
};

const struct screen_ops progress_screen = {
	.title = "Your progress",
	.keys = view_keys,
	.help_keys = view_help,
	.help_text = "Every number comes from your stored answers. A lesson is done when it is read "
		     "to the end and its quiz is passed; Stalled lists the ones opened and not "
		     "done. Weakest lists the quiz questions you miss most, with your latest "
		     "answer. A 90% range should hold the answer nine times in ten.",
	.enter = progress_enter,
	.draw = view_draw,
	.key = view_key,
	.leave = view_leave,
	.context = view_context,
};

const struct screen_ops coach_learner_screen = {
	.title = "Coach: one learner",
	.keys = view_keys,
	.help_keys = view_help,
	.help_text = "This learner's progress as their own progress screen shows it: the timeline "
		     "of attempts, the lessons where they stall (opened, not done), their weakest "
		     "quiz questions, their estimation calibration and their notes.",
	.enter = learner_enter,
	.draw = view_draw,
	.key = view_key,
	.leave = view_leave,
	.context = view_context,
};
