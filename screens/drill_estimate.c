/* An estimation question: the question, its unit and a running clock; a
 * worksheet of named lines recomputed as you type, each error pointing at
 * its character; the estimate with a 90% range; then the scores, the
 * reference decomposition beside your lines, and the factor that moved
 * your answer most. */
#include "drill_screens.h"

#include "clock.h"
#include "textview.h"
#include "ui.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_LINES 60
#define LINE_BYTES 200
/* Columns kept right of each worksheet line for its value. */
#define VALUE_COLUMNS 14
/* Under this many orders of magnitude a line counts as about right. */
#define ABOUT_RIGHT 0.05

enum { FIELD_POINT, FIELD_LOW, FIELD_HIGH, ANSWER_FIELDS };
static const char *const field_names[ANSWER_FIELDS] = {"the estimate", "the low end",
							 "the high end"};

struct est {
	struct drill_open *open;
	struct drill_estimation q;
	bool loaded;
	bool revealed;
	struct drill_timer timer;

	struct ui_field lines[MAX_LINES];
	struct drill_line results[MAX_LINES];
	size_t line_count;
	struct ui_field answer[ANSWER_FIELDS];
	bool answer_ok[ANSWER_FIELDS];
	double answer_value[ANSWER_FIELDS];
	struct expr_error answer_err[ANSWER_FIELDS];
	struct expr_sheet *sheet;
	size_t focus; /* a line below line_count, else line_count + an answer field */
	size_t sheet_top;

	char message[320];
	enum ui_style message_style;
	struct ui_textview reveal;
	char context[96];

	/* What the reveal needs again when the learner grades the answer
	 * (1-4) in place of the score: the card before it, the score. */
	struct schedule_card card_before;
	struct estimate_score score;
	int seconds, paused;
	int64_t answered_at;
	enum schedule_rating rating;
	bool graded; /* the rating is the learner's, not the score's */
	/* For u, the undo: the attempt recorded and whether it had a card. */
	char attempt_uid[37];
	bool card_existed;

	/* The reveal's pairing of reference steps with the learner's lines
	 * (drill_pair_lines, then the learner's own with p), the width it
	 * was laid out for, and where each step and line starts in it. */
	size_t *pair;
	enum drill_pairing *how;
	int reveal_cols; /* 0: to lay out at the next draw */
	size_t *step_para, line_para[MAX_LINES];
	/* Pairing by hand: stage 0 picks a reference step, 1 a line. */
	bool picking, show_pick;
	int pick_stage;
	size_t pick_step, pick_line;
};

static void free_pairs(struct est *e)
{
	free(e->pair);
	free(e->how);
	free(e->step_para);
	e->pair = NULL;
	e->how = NULL;
	e->step_para = NULL;
}


static bool focus_on_line(const struct est *e)
{
	return e->focus < e->line_count;
}

static struct ui_field *focused_field(struct est *e)
{
	return focus_on_line(e) ? &e->lines[e->focus] : &e->answer[e->focus - e->line_count];
}

/* Every line again from the top, so that a change anywhere reaches every
 * line that uses it; then the answer fields, which may use the names. */
static void recompute(struct est *e)
{
	expr_sheet_free(e->sheet);
	e->sheet = expr_sheet_new();
	const char *texts[MAX_LINES];
	for (size_t i = 0; i < e->line_count; i++)
		texts[i] = ui_field_text(&e->lines[i]);
	drill_sheet_eval(e->sheet, texts, e->line_count, e->results);
	for (int k = 0; k < ANSWER_FIELDS; k++) {
		const char *text = ui_field_text(&e->answer[k]);
		e->answer_ok[k] = false;
		memset(&e->answer_err[k], 0, sizeof e->answer_err[k]);
		if (!*text)
			continue;
		e->answer_ok[k] = drill_sheet_value(e->sheet, text, &e->answer_value[k],
						    &e->answer_err[k]) == 0;
	}
}

static void *est_enter(struct app *app, void *arg)
{
	struct est *e = xcalloc(1, sizeof *e);
	e->open = arg;
	e->loaded = drill_estimation_load(app->store, e->open->id, &e->q) == STORE_OK;
	ui_field_init(&e->lines[0], "", LINE_BYTES);
	e->line_count = 1;
	for (int k = 0; k < ANSWER_FIELDS; k++)
		ui_field_init(&e->answer[k], "", LINE_BYTES);
	ui_textview_init(&e->reveal);
	recompute(e);
	drill_timer_start(&e->timer, drill_monotonic());
	return e;
}

static void est_leave(void *self, struct app *app)
{
	(void)app;
	struct est *e = self;
	drill_tick(false);
	for (size_t i = 0; i < e->line_count; i++)
		ui_field_free(&e->lines[i]);
	for (int k = 0; k < ANSWER_FIELDS; k++)
		ui_field_free(&e->answer[k]);
	expr_sheet_free(e->sheet);
	ui_textview_free(&e->reveal);
	free_pairs(e);
	if (e->loaded)
		drill_estimation_free(&e->q);
	free(e);
}

static bool anything_typed(const struct est *e)
{
	for (size_t i = 0; i < e->line_count; i++)
		if (e->lines[i].text.len)
			return true;
	for (int k = 0; k < ANSWER_FIELDS; k++)
		if (e->answer[k].text.len)
			return true;
	return false;
}

/* ---- drawing the answer ---------------------------------------------------- */

/* Rows a worksheet line takes: one, and one more for its error. */
static int line_rows(const struct est *e, size_t i)
{
	return e->results[i].state == DRILL_LINE_ERROR ? 2 : 1;
}

/* An error under a field: a caret at its character and the message after
 * it, or before it when the caret is too far right. */
static void draw_caret(WINDOW *w, int y, int x, int width, int caret, const char *message)
{
	attr_t bad = ui_attr(UI_BAD);
	if (caret < 0) {
		ui_put(w, y, x, width, message, bad);
		return;
	}
	int room = x + width - caret - 2;
	ui_put(w, y, caret, 1, "^", bad);
	if (room >= ui_width(message) || room >= 30)
		ui_put(w, y, caret + 2, room, message, bad);
	else
		ui_put_right(w, y, x, caret - x - 1, message, bad);
}

static void draw_worksheet(struct est *e, WINDOW *w, int y, int height, int cols)
{
	int field_x = 4, field_width = cols - field_x - VALUE_COLUMNS - 3;
	if (focus_on_line(e)) {
		if (e->focus < e->sheet_top)
			e->sheet_top = e->focus;
		for (;;) {
			int used = 0;
			for (size_t i = e->sheet_top; i <= e->focus; i++)
				used += line_rows(e, i);
			if (used <= height || e->sheet_top == e->focus)
				break;
			e->sheet_top++;
		}
	}
	if (e->sheet_top >= e->line_count)
		e->sheet_top = 0;
	int row = 0;
	for (size_t i = e->sheet_top; i < e->line_count && row < height; i++) {
		struct ui_field *f = &e->lines[i];
		const struct drill_line *r = &e->results[i];
		bool focused = e->focus == i;
		if (focused)
			ui_put(w, y + row, 2, 1, ui_glyph(GLYPH_ARROW_RIGHT), ui_attr(UI_ACCENT));
		ui_field_draw(f, w, y + row, field_x, field_width, ui_attr(UI_CODE));
		char value[48];
		if (r->state == DRILL_LINE_OK) {
			char v[32];
			drill_format_value(r->value, v, sizeof v);
			snprintf(value, sizeof value, "= %s", v);
			ui_put(w, y + row, cols - VALUE_COLUMNS - 2, VALUE_COLUMNS, value,
			       ui_attr(UI_GOOD));
		} else if (r->state == DRILL_LINE_ERROR) {
			ui_put(w, y + row, cols - VALUE_COLUMNS - 2, VALUE_COLUMNS, "error",
			       ui_attr(UI_BAD));
		}
		if (focused)
			drill_draw_cursor(w, f->cursor_y, f->cursor_x);
		row++;
		if (r->state == DRILL_LINE_ERROR && row < height) {
			int caret = drill_field_column(f, field_x, field_width, r->error_at);
			draw_caret(w, y + row, field_x, cols - field_x - 2, caret, r->message);
			row++;
		}
	}
	if (e->line_count == 1 && !e->lines[0].text.len && height > 2)
		ui_put(w, y + 1, field_x, cols - field_x - 2,
		       "e.g. dogs = 90M, food = 0.3, total = dogs * food * 365 / 1000",
		       ui_attr(UI_DIM));
}

static void draw_answer_field(struct est *e, WINDOW *w, int k, int y, int x, int width)
{
	struct ui_field *f = &e->answer[k];
	ui_field_draw(f, w, y, x, width, ui_attr(UI_CODE));
	if (e->focus == e->line_count + (size_t)k)
		drill_draw_cursor(w, f->cursor_y, f->cursor_x);
}

static void draw_answer(struct est *e, WINDOW *w, int y, int cols)
{
	int label = 2, field_x = 14;
	int half = (cols - field_x - 2 - 4) / 2;
	attr_t heading = ui_attr(UI_HEADING2);
	ui_put(w, y, label, field_x - label, "Estimate", heading);
	draw_answer_field(e, w, FIELD_POINT, y, field_x, half);
	if (e->answer_ok[FIELD_POINT]) {
		char v[32], text[48];
		drill_format_value(e->answer_value[FIELD_POINT], v, sizeof v);
		snprintf(text, sizeof text, "= %s %s", v, e->q.unit);
		ui_put(w, y, field_x + half + 2, cols - field_x - half - 4, text, ui_attr(UI_GOOD));
	}
	ui_put(w, y + 1, label, field_x - label, "90% range", heading);
	draw_answer_field(e, w, FIELD_LOW, y + 1, field_x, half);
	ui_put(w, y + 1, field_x + half, 4, " to ", ui_attr(UI_NORMAL));
	draw_answer_field(e, w, FIELD_HIGH, y + 1, field_x + half + 4, half);

	/* The message row: the focused field's error first, then any other
	 * field's, then the screen's message, then the range as read. */
	int row = y + 2;
	for (int pass = 0; pass < 2; pass++) {
		for (int k = 0; k < ANSWER_FIELDS; k++) {
			bool focused = e->focus == e->line_count + (size_t)k;
			if ((pass == 0) != focused || !e->answer[k].text.len || e->answer_ok[k])
				continue;
			int x = k == FIELD_HIGH ? field_x + half + 4 : field_x;
			int caret = drill_field_column(&e->answer[k], x, half,
						       e->answer_err[k].position);
			char text[200];
			snprintf(text, sizeof text, "%s: %s", field_names[k], e->answer_err[k].message);
			draw_caret(w, row, label, cols - 4, caret, text);
			return;
		}
	}
	if (e->message[0]) {
		ui_put(w, row, label, cols - 4, e->message, ui_attr(e->message_style));
	} else if (e->answer_ok[FIELD_LOW] && e->answer_ok[FIELD_HIGH] &&
		   e->answer_value[FIELD_LOW] > 0 && e->answer_value[FIELD_HIGH] > 0) {
		char lo[32], hi[32], text[160];
		drill_format_value(e->answer_value[FIELD_LOW], lo, sizeof lo);
		drill_format_value(e->answer_value[FIELD_HIGH], hi, sizeof hi);
		snprintf(text, sizeof text,
			 "Your range %s to %s spans %.2f orders of magnitude. Ctrl-D scores it.", lo,
			 hi, log10(e->answer_value[FIELD_HIGH] / e->answer_value[FIELD_LOW]));
		ui_put(w, row, label, cols - 4, text, ui_attr(UI_DIM));
	}
}

static void rebuild_reveal(struct est *e, struct app *app, int cols);

static void est_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct est *e = self;
	if (!e->loaded) {
		ui_put(w, top + 1, 2, cols - 4,
		       "This question is no longer in the bank (the course was updated).",
		       ui_attr(UI_WARN));
		return;
	}
	if (e->revealed) {
		drill_tick(false);
		if (cols != e->reveal_cols)
			rebuild_reveal(e, app, cols);
		if (e->show_pick) {
			e->show_pick = false;
			size_t para = e->pick_stage == 0 ? e->step_para[e->pick_step]
							 : e->line_para[e->pick_line];
			ui_textview_show(&e->reveal, para, 0);
		}
		ui_textview_draw(&e->reveal, w, top, 2, rows, cols - 4);
		return;
	}
	drill_tick(!e->timer.paused);
	int y = top;
	y += ui_put_wrapped(w, y, 2, cols - 4, 2, e->q.question, ui_attr(UI_TITLE));
	char line[256];
	snprintf(line, sizeof line, "Unit: %s  (%s)", e->q.unit, e->q.difficulty);
	ui_put(w, y, 2, cols - 30, line, ui_attr(UI_NORMAL));
	drill_draw_clock(w, y, cols - 30, 28, &e->timer, e->q.target_seconds);
	y++;
	y += ui_put_wrapped(w, y, 2, cols - 4, 2, drill_advice, ui_attr(UI_DIM));
	if (e->timer.paused) {
		ui_put(w, y + 1, 2, cols - 4,
		       "Paused: the clock stands still and the pause is recorded. Ctrl-P goes on.",
		       ui_attr(UI_WARN));
		return;
	}
	ui_put(w, y, 2, 10, "Worksheet", ui_attr(UI_HEADING2));
	ui_put(w, y, 12, cols - 14, "  name = expression; a line can use the names above it",
	       ui_attr(UI_DIM));
	y++;
	int bottom = top + rows - 3;
	draw_worksheet(e, w, y, bottom - y - 1, cols);
	draw_answer(e, w, bottom, cols);
}

/* ---- the reveal ------------------------------------------------------------ */

static void para(struct ui_doc *doc, int indent, int hang, const char *text, enum ui_style style)
{
	ui_doc_para(doc, indent, hang);
	ui_doc_add(doc, text, strlen(text), ui_attr(style));
}

/* "label  value" with the label padded so the values line up. */
static void field_para(struct ui_doc *doc, const char *label, const char *value,
		       enum ui_style style)
{
	char padded[32];
	snprintf(padded, sizeof padded, "%-16s", label);
	ui_doc_para(doc, 0, 16);
	ui_doc_add(doc, padded, strlen(padded), ui_attr(UI_HEADING2));
	ui_doc_add(doc, value, strlen(value), ui_attr(style));
}

static const char *direction(double log_ratio)
{
	return fabs(log_ratio) < ABOUT_RIGHT ? "about right" : log_ratio > 0 ? "too high" : "too low";
}

/* The screen's width from which the two decompositions stand side by
 * side; below it, one above the other. */
#define SIDE_BY_SIDE_COLUMNS 100
/* The reference column's share of a side-by-side row. */
#define REFERENCE_COLUMN_SHARE 0.48

/* Which of the learner's lines can be picked to pair by hand: those with a
 * value. */
static bool pickable_line(const struct est *e, size_t j)
{
	return e->results[j].state == DRILL_LINE_OK;
}

/* A learner's line as typed, with its value after it unless it is a plain
 * number already ("homes = 120M", "pups = homes * 0.6 = 72M"); returns the
 * bytes written, as snprintf. */
static int line_with_value(const struct est *e, size_t j, char *out, size_t size)
{
	const struct drill_line *r = &e->results[j];
	const char *text = ui_field_text(&e->lines[j]);
	if (r->state != DRILL_LINE_OK)
		return snprintf(out, size, "%s  = error", text);
	const char *equals = strchr(text, '=');
	double number;
	if (r->shape.role == EXPR_INPUT &&
	    expr_parse_number(equals ? equals + 1 : text, &number, NULL) == 0)
		return snprintf(out, size, "%s", text);
	char v[32];
	drill_format_value(r->value, v, sizeof v);
	return snprintf(out, size, "%s = %s", text, v);
}

/* The reference line i's pairing in words ("your homes = 120M, too high by
 * 0.20 orders of magnitude (by meaning)") and its style. */
static enum ui_style describe_pair(const struct est *e, size_t i, char *out, size_t size)
{
	const struct drill_step *s = &e->q.steps[i];
	if (e->how[i] == DRILL_UNPAIRED) {
		snprintf(out, size, "none of your lines pairs with it (p pairs by hand)");
		return UI_DIM;
	}
	const struct drill_line *l = &e->results[e->pair[i]];
	int n = snprintf(out, size, "yours: ");
	n += line_with_value(e, e->pair[i], out + n, size - (size_t)n);
	enum ui_style style = UI_NORMAL;
	if (l->value > 0 && s->has_value && s->value > 0) {
		double ratio = log10(l->value) - log10(s->value);
		n += snprintf(out + n, size - (size_t)n, ", %s", direction(ratio));
		if (fabs(ratio) >= ABOUT_RIGHT)
			n += snprintf(out + n, size - (size_t)n, " by %.2f orders of magnitude",
				      fabs(ratio));
		style = fabs(ratio) < 0.3 ? UI_GOOD : UI_WARN;
	}
	snprintf(out + n, size - (size_t)n, " (%s)",
		 e->how[i] == DRILL_PAIRED_BY_NAME    ? "same name"
		 : e->how[i] == DRILL_PAIRED_BY_VALUE ? "by meaning"
						      : "paired by you");
	return style;
}

static void reference_text(const struct est *e, size_t i, char *out, size_t size)
{
	const struct drill_step *s = &e->q.steps[i];
	char ref[32];
	if (s->has_value)
		drill_format_value(s->value, ref, sizeof ref);
	else
		snprintf(ref, sizeof ref, "?");
	int n = snprintf(out, size, "%s = %s  (= %s%s%s)", s->name, ref, s->expression,
			 s->unit[0] ? ", " : "", s->unit);
	if (s->source[0])
		snprintf(out + n, size - (size_t)n, "\nSource: %s", s->source);
}

/* The reference line a learner's line is paired with, or SIZE_MAX. */
static size_t step_of_line(const struct est *e, size_t j)
{
	for (size_t i = 0; i < e->q.step_count; i++)
		if (e->how[i] != DRILL_UNPAIRED && e->pair[i] == j)
			return i;
	return SIZE_MAX;
}

static bool picked_step(const struct est *e, size_t i)
{
	return e->picking && e->pick_stage == 0 && e->pick_step == i;
}

static bool picked_line(const struct est *e, size_t j)
{
	return e->picking && e->pick_stage == 1 && e->pick_line == j;
}

/* A learner's line as its own column shows it, with its pairing. */
static void line_text(const struct est *e, size_t j, bool with_pair, char *out, size_t size)
{
	int n = snprintf(out, size, "%s", picked_line(e, j) ? "> " : "");
	n += line_with_value(e, j, out + n, size - (size_t)n);
	if (!with_pair)
		return;
	size_t i = step_of_line(e, j);
	if (i == SIZE_MAX)
		snprintf(out + n, size - (size_t)n, "  (not paired)");
	else
		snprintf(out + n, size - (size_t)n, "  (pairs with %s)", e->q.steps[i].name);
}

/* Two columns: each reference line beside the line of yours it pairs with,
 * then your other lines. */
static void decomposition_side_by_side(struct est *e, struct ui_doc *doc, int width)
{
	int left_width = (int)(width * REFERENCE_COLUMN_SHARE);
	struct ui_cell head_left = {"Reference (the app's own numbers)", ui_attr(UI_HEADING2)};
	struct ui_cell head_right = {"Your worksheet", ui_attr(UI_HEADING2)};
	ui_doc_columns(doc, 0, left_width, width, &head_left, &head_right);
	bool *shown = xcalloc(e->line_count + 1, sizeof *shown);
	for (size_t i = 0; i < e->q.step_count; i++) {
		char left[640], right[640], mine[400];
		int n = snprintf(left, sizeof left, "%s", picked_step(e, i) ? "> " : "");
		reference_text(e, i, left + n, sizeof left - (size_t)n);
		enum ui_style style = describe_pair(e, i, mine, sizeof mine);
		snprintf(right, sizeof right, "%s", mine);
		if (e->how[i] != DRILL_UNPAIRED)
			shown[e->pair[i]] = true;
		if (e->how[i] != DRILL_UNPAIRED && picked_line(e, e->pair[i]))
			snprintf(right, sizeof right, "> %s", mine);
		e->step_para[i] = doc->count;
		struct ui_cell l = {left, ui_attr(picked_step(e, i) ? UI_SELECTED : UI_NORMAL)};
		struct ui_cell r = {right, ui_attr(style)};
		ui_doc_columns(doc, 0, left_width, width, &l, &r);
		if (e->how[i] != DRILL_UNPAIRED)
			e->line_para[e->pair[i]] = e->step_para[i];
	}
	for (size_t j = 0; j < e->line_count; j++) {
		if (shown[j] || e->results[j].state == DRILL_LINE_BLANK)
			continue;
		char right[400];
		line_text(e, j, true, right, sizeof right);
		e->line_para[j] = doc->count;
		struct ui_cell l = {"", ui_attr(UI_NORMAL)};
		struct ui_cell r = {right, ui_attr(picked_line(e, j)			  ? UI_SELECTED
						  : e->results[j].state == DRILL_LINE_OK ? UI_DIM
											  : UI_BAD)};
		ui_doc_columns(doc, 0, left_width, width, &l, &r);
	}
	free(shown);
}

/* One above the other: the reference with what pairs with each line, then
 * the learner's worksheet with what each of its lines pairs with. */
static void decomposition_stacked(struct est *e, struct ui_doc *doc)
{
	para(doc, 0, 0, "Reference (the app's own numbers)", UI_HEADING2);
	for (size_t i = 0; i < e->q.step_count; i++) {
		char text[640], mine[400];
		int n = snprintf(text, sizeof text, "%s", picked_step(e, i) ? "> " : "");
		reference_text(e, i, text + n, sizeof text - (size_t)n);
		e->step_para[i] = doc->count;
		para(doc, 2, 4, text, picked_step(e, i) ? UI_SELECTED : UI_NORMAL);
		enum ui_style style = describe_pair(e, i, mine, sizeof mine);
		para(doc, 4, 6, mine, style);
	}
	para(doc, 0, 0, "Your worksheet", UI_HEADING2);
	bool any = false;
	for (size_t j = 0; j < e->line_count; j++)
		any |= e->results[j].state != DRILL_LINE_BLANK;
	if (!any)
		para(doc, 2, 2, "no lines: the estimate was given directly", UI_DIM);
	for (size_t j = 0; j < e->line_count; j++) {
		if (e->results[j].state == DRILL_LINE_BLANK)
			continue;
		char text[400];
		line_text(e, j, true, text, sizeof text);
		e->line_para[j] = doc->count;
		para(doc, 2, 4, text,
		     picked_line(e, j)			    ? UI_SELECTED
		     : e->results[j].state == DRILL_LINE_OK ? UI_NORMAL
							    : UI_BAD);
	}
}

static void reveal_decomposition(struct est *e, struct ui_doc *doc, int width, bool wide)
{
	para(doc, 0, 0, "", UI_NORMAL);
	para(doc, 0, 0,
	     e->picking ? (e->pick_stage == 0
			       ? "Pairing by hand: pick a reference line (Up/Down, Enter); x unpairs "
				 "it, Esc stops."
			       : "Pairing by hand: now pick your line to pair with it (Up/Down, "
				 "Enter); Esc goes back.")
			: "Your lines paired with the reference's by meaning: the same name, else "
			  "the nearest value of the same role (an input with an input, a worked-out "
			  "line with another). p pairs them by hand.",
	     e->picking ? UI_ACCENT : UI_TITLE);
	if (wide)
		decomposition_side_by_side(e, doc, width);
	else
		decomposition_stacked(e, doc);

	size_t step;
	double ratio;
	para(doc, 0, 0, "", UI_NORMAL);
	if (drill_biggest_miss(&e->q, e->results, e->pair, e->how, &step, &ratio)) {
		const struct drill_step *s = &e->q.steps[step];
		char mine_v[32], ref_v[32], line[512];
		const struct drill_line *l = &e->results[e->pair[step]];
		drill_format_value(l->value, mine_v, sizeof mine_v);
		drill_format_value(s->value, ref_v, sizeof ref_v);
		if (fabs(ratio) < ABOUT_RIGHT)
			snprintf(line, sizeof line,
				 "The factor that moved your answer most: %s (your %s), yours %s "
				 "against %s, about right: every factor paired with yours is close.",
				 s->name, l->name[0] ? l->name : "line", mine_v, ref_v);
		else
			snprintf(line, sizeof line,
				 "The factor that moved your answer most: %s (your %s), yours %s "
				 "against %s, %s by %.2f orders of magnitude.",
				 s->name, l->name[0] ? l->name : "line", mine_v, ref_v,
				 direction(ratio), fabs(ratio));
		para(doc, 0, 0, line, UI_ACCENT);
	} else {
		para(doc, 0, 0,
		     "None of your lines pairs with a reference line before the answer, so no "
		     "factor can be compared: press p to pair them by hand.",
		     UI_DIM);
	}
}

/* The reveal for a screen cols wide. */
static void build_reveal(struct est *e, struct app *app, int cols)
{
	int width = ui_textview_text_width(cols - 4);
	const struct estimate_score *s = &e->score;
	int seconds = e->seconds, paused = e->paused;
	struct ui_doc *doc = &e->reveal.doc;
	char value[512], a[32], b[32], c[32], t1[16], t2[16];
	if (e->open->total)
		snprintf(value, sizeof value, "Saved: question %d of %d of the mock interview. "
					      "Enter goes on.",
			 e->open->number, e->open->total);
	else
		snprintf(value, sizeof value, "Scored and saved.");
	para(doc, 0, 0, value, UI_GOOD);
	para(doc, 0, 0, e->q.question, UI_TITLE);

	drill_format_value(e->answer_value[FIELD_POINT], a, sizeof a);
	drill_format_value(e->answer_value[FIELD_LOW], b, sizeof b);
	drill_format_value(e->answer_value[FIELD_HIGH], c, sizeof c);
	snprintf(value, sizeof value, "%s %s, 90%% range %s to %s", a, e->q.unit, b, c);
	field_para(doc, "Your estimate", value, UI_NORMAL);
	drill_format_value(e->q.answer, a, sizeof a);
	drill_format_value(e->q.low, b, sizeof b);
	drill_format_value(e->q.high, c, sizeof c);
	snprintf(value, sizeof value,
		 "%s (range %s to %s): the app's own estimate, not the course's", a, b, c);
	field_para(doc, "Reference", value, UI_NORMAL);
	snprintf(value, sizeof value, "%.2f orders of magnitude: %s", s->log_error, s->verdict);
	field_para(doc, "Off by", value, s->log_error < 0.5 ? UI_GOOD : UI_BAD);
	snprintf(value, sizeof value, "%s the reference, %.2f orders of magnitude wide",
		 s->hit ? "held" : "missed", s->width);
	field_para(doc, "Your range", value, s->hit ? UI_GOOD : UI_BAD);
	snprintf(value, sizeof value,
		 "%.3f (lower is better: a tight range that holds beats a wide one; a tight miss "
		 "costs most)",
		 s->interval_score);
	field_para(doc, "Interval score", value, UI_NORMAL);
	snprintf(value, sizeof value, "%.0f of 100", s->points);
	field_para(doc, "Points", value, s->points >= 60 ? UI_GOOD : s->points >= 30 ? UI_WARN
										     : UI_BAD);
	drill_format_clock(seconds, t1, sizeof t1);
	drill_format_clock(e->q.target_seconds, t2, sizeof t2);
	snprintf(value, sizeof value, "%s of a %s target", t1, t2);
	if (paused) {
		drill_format_clock(paused, t1, sizeof t1);
		snprintf(value + strlen(value), sizeof value - strlen(value), ", paused %s", t1);
	}
	field_para(doc, "Time", value, seconds > e->q.target_seconds ? UI_WARN : UI_NORMAL);
	struct schedule_card card;
	bool exists;
	if (drill_card(app->store, app->learner.id, e->q.id, &card, &exists) == STORE_OK &&
	    exists) {
		char when[32];
		clock_format(card.due, when, sizeof when);
		long days = (long)((card.due - clock_now()) / 86400);
		snprintf(value, sizeof value, "in %ld day%s (%.10s)", days, days == 1 ? "" : "s",
			 when);
		field_para(doc, "Next review", value, UI_NORMAL);
		snprintf(value, sizeof value,
			 "%s (%s); 1 again, 2 hard, 3 good, 4 easy to grade it yourself",
			 schedule_rating_name(e->rating), e->graded ? "your grade" : "from the points");
		field_para(doc, "Rated", value, UI_DIM);
	}

	reveal_decomposition(e, doc, width, cols >= SIDE_BY_SIDE_COLUMNS);

	struct drill_calibration cal;
	if (drill_calibration_load(app->store, app->learner.id, NULL, &cal) == STORE_OK) {
		snprintf(value, sizeof value,
			 "Calibration now: %zu of %zu ranges held the reference (%.0f%%; the goal "
			 "is 90%%): %s. Press c for the chart.",
			 cal.summary.hits, cal.summary.answers, 100 * cal.summary.hit_share,
			 cal.summary.verdict);
		para(doc, 0, 0, value, UI_HEADING2);
		drill_calibration_free(&cal);
	}
	ui_textview_changed(&e->reveal);
	e->reveal_cols = cols;
}

/* The reveal laid out again (a grade, a pairing, a new width), at the same
 * place. */
static void rebuild_reveal(struct est *e, struct app *app, int cols)
{
	size_t top = ui_textview_top_para(&e->reveal), line = ui_textview_top_line(&e->reveal);
	ui_textview_reset(&e->reveal);
	build_reveal(e, app, cols);
	ui_textview_set_top(&e->reveal, top, line);
}

/* ---- keys ------------------------------------------------------------------ */

static char *worksheet_text(const struct est *e)
{
	struct strbuf sb;
	sb_init(&sb);
	for (size_t i = 0; i < e->line_count; i++) {
		if (!e->lines[i].text.len)
			continue;
		sb_puts(&sb, ui_field_text(&e->lines[i]));
		sb_putc(&sb, '\n');
	}
	return sb.data ? sb_steal(&sb) : xstrdup("");
}

static void submit(struct est *e, struct app *app)
{
	recompute(e);
	for (int k = 0; k < ANSWER_FIELDS; k++) {
		if (!e->answer[k].text.len || !e->answer_ok[k]) {
			e->focus = e->line_count + (size_t)k;
			snprintf(e->message, sizeof e->message, "%s",
				 !e->answer[k].text.len
				     ? "Give an estimate and both ends of a 90% range first."
				     : "Fix the error shown first.");
			e->message_style = UI_WARN;
			return;
		}
	}
	double now = drill_monotonic();
	int seconds = (int)lround(drill_timer_elapsed(&e->timer, now));
	int paused = (int)lround(drill_timer_paused(&e->timer, now));
	char *sheet = worksheet_text(e);
	struct drill_estimation_answer a = {
	    e->answer_value[FIELD_POINT], e->answer_value[FIELD_LOW], e->answer_value[FIELD_HIGH],
	    seconds, paused, sheet, e->open->mock_uid,
	};
	struct estimate_score score;
	char uid[37], err[256];
	/* The card before this answer, for a grade of the learner's own and
	 * for the undo. */
	if (drill_card(app->store, app->learner.id, e->q.id, &e->card_before, &e->card_existed) !=
	    STORE_OK) {
		memset(&e->card_before, 0, sizeof e->card_before);
		e->card_existed = false;
	}
	e->answered_at = clock_now();
	int rc = drill_record_estimation(app->store, app->learner.id, &e->q, &a, e->answered_at,
					 &score, uid, err, sizeof err);
	free(sheet);
	if (rc != 0) {
		snprintf(e->message, sizeof e->message, "Not scored: %s.", err);
		e->message_style = UI_BAD;
		return;
	}
	e->open->answered = true;
	e->revealed = true;
	snprintf(e->attempt_uid, sizeof e->attempt_uid, "%s", uid);
	e->score = score;
	e->seconds = seconds;
	e->paused = paused;
	e->rating = schedule_rating_from_percent(score.points);
	e->graded = false;
	free_pairs(e);
	size_t steps = e->q.step_count + 1;
	e->pair = xcalloc(steps, sizeof *e->pair);
	e->how = xcalloc(steps, sizeof *e->how);
	e->step_para = xcalloc(steps, sizeof *e->step_para);
	drill_pair_lines(&e->q, e->results, e->line_count, e->pair, e->how);
	e->picking = false;
	e->reveal_cols = 0; /* laid out at the next draw, for its width */
}

/* u on the reveal: the answer is taken back (its attempt deleted, its card
 * as before) and the worksheet is open again to change it. */
static void undo_answer(struct est *e, struct app *app)
{
	if (e->open->mock_uid) {
		screen_flash(app->screens, "An answer in a mock interview stays: its summary counts it.");
		return;
	}
	if (drill_estimation_undo(app->store, app->learner.id, e->attempt_uid, e->q.id,
				  &e->card_before, e->card_existed) != STORE_OK) {
		screen_flash(app->screens, "The answer could not be undone: %s",
			     store_errmsg(app->store));
		return;
	}
	e->revealed = false;
	e->open->answered = false;
	e->attempt_uid[0] = '\0';
	ui_textview_reset(&e->reveal);
	screen_flash(app->screens, "Answer undone, nothing of it kept: change it, Ctrl-D scores it again.");
}

/* 1-4 on the reveal: the learner's grade replaces the score's for the
 * schedule (the answer and its points stay as scored). */
static void regrade(struct est *e, struct app *app, enum schedule_rating rating)
{
	if (drill_card_regrade(app->store, app->learner.id, e->q.id, &e->card_before, rating,
			       e->answered_at) != STORE_OK) {
		screen_flash(app->screens, "The grade was not saved: %s", store_errmsg(app->store));
		return;
	}
	e->rating = rating;
	e->graded = true;
	rebuild_reveal(e, app, e->reveal_cols);
	screen_flash(app->screens, "Graded %s: the next review moves with it.", schedule_rating_name(rating));
}

static void insert_line(struct est *e, size_t at)
{
	if (e->line_count >= MAX_LINES) {
		snprintf(e->message, sizeof e->message, "A worksheet holds %d lines.", MAX_LINES);
		e->message_style = UI_WARN;
		return;
	}
	memmove(&e->lines[at + 1], &e->lines[at], (e->line_count - at) * sizeof e->lines[0]);
	ui_field_init(&e->lines[at], "", LINE_BYTES);
	e->line_count++;
	e->focus = at;
}

static void delete_line(struct est *e, size_t at)
{
	ui_field_free(&e->lines[at]);
	memmove(&e->lines[at], &e->lines[at + 1], (e->line_count - at - 1) * sizeof e->lines[0]);
	e->line_count--;
	e->focus = at > 0 ? at - 1 : 0;
}

static const char *const answer_help[] = {
	"typing", "edits the line or field with the cursor",
	"Enter", "a new worksheet line; in the answer, the next field (the last one scores)",
	"Up/Down, Tab", "move between lines and fields",
	"Backspace", "on an empty line, removes it",
	"Ctrl-D, F2", "score the answer",
	"Ctrl-P", "pause or resume the clock (the pause is recorded)",
	"F1, ?", "this help",
	"Esc", "leave without saving",
	NULL,
};
static const char *const reveal_help[] = {
	"j/k, PgUp/PgDn", "scroll",
	"c", "the calibration chart",
	"1, 2, 3, 4", "grade the answer yourself (again, hard, good, easy) in place of the "
		      "points' grade: the next review moves with it",
	"u", "undo the answer: nothing of it is kept, and the worksheet opens again",
	"p", "pair your lines with the reference's by hand: pick a reference line (Enter), "
	     "then your line (Enter); x unpairs, Esc stops",
	"Enter, q", "back",
	NULL,
};

static const char help_text[] =
    "Build the estimate on the worksheet: each line is \"name = expression\", where the "
    "expression is a number (1,200  2.5k  3M  1.2B  4T  2e6  12%  90 million  ~300  $5) or "
    "uses the names above it (total = dogs * food_kg_day * 365). The answer fields take "
    "numbers or names too. Scores are in orders of magnitude: 1 means ten times off.";

static enum screen_action answer_key(struct est *e, struct app *app, int key)
{
	double now = drill_monotonic();
	if (key == ERR)
		return SCREEN_HANDLED; /* the clock's tick */
	if (key == KEY_F(1) || key == '?') {
		ui_help_overlay(drill_estimate_screen.title, answer_help, help_text);
		return SCREEN_HANDLED;
	}
	if (key == UI_KEY_ESC) {
		if (anything_typed(e) &&
		    !ui_confirm("Leave this question?", "Your worksheet and answer are not saved."))
			return SCREEN_HANDLED;
		return SCREEN_BACK;
	}
	if (key == UI_CTRL('p')) {
		if (e->timer.paused)
			drill_timer_resume(&e->timer, now);
		else
			drill_timer_pause(&e->timer, now);
		return SCREEN_HANDLED;
	}
	if (e->timer.paused)
		return SCREEN_HANDLED;
	e->message[0] = '\0';
	size_t total = e->line_count + ANSWER_FIELDS;
	if (key == UI_CTRL('d') || key == KEY_F(2)) {
		submit(e, app);
		return SCREEN_HANDLED;
	}
	if (key == KEY_UP || key == KEY_BTAB) {
		e->focus = e->focus > 0 ? e->focus - 1 : key == KEY_BTAB ? total - 1 : 0;
		return SCREEN_HANDLED;
	}
	if (key == KEY_DOWN || key == '\t') {
		e->focus = e->focus + 1 < total ? e->focus + 1 : key == '\t' ? 0 : e->focus;
		return SCREEN_HANDLED;
	}
	if (ui_key_is_enter(key)) {
		if (!focus_on_line(e)) {
			if (e->focus + 1 < total)
				e->focus++;
			else
				submit(e, app);
		} else if (!e->lines[e->focus].text.len && e->focus + 1 == e->line_count) {
			e->focus = e->line_count; /* an empty last line: on to the answer */
		} else {
			insert_line(e, e->focus + 1);
			recompute(e);
		}
		return SCREEN_HANDLED;
	}
	bool erase = key == KEY_BACKSPACE || key == 127 || key == UI_CTRL('h');
	if (erase && focus_on_line(e) && !e->lines[e->focus].text.len && e->line_count > 1) {
		delete_line(e, e->focus);
		recompute(e);
		return SCREEN_HANDLED;
	}
	if (ui_field_key(focused_field(e), key))
		recompute(e);
	return SCREEN_HANDLED;
}

/* The next pickable line from j in direction step (+1 or -1), or j. */
static size_t next_pickable(const struct est *e, size_t j, int step)
{
	for (size_t k = j + (size_t)step; k < e->line_count; k += (size_t)step)
		if (pickable_line(e, k))
			return k;
	return j;
}

static void start_picking(struct est *e)
{
	e->picking = true;
	e->pick_stage = 0;
	e->pick_step = 0;
	e->show_pick = true;
}

/* Pairing by hand on the reveal: pick a reference line, then the line of
 * yours to pair with it (x unpairs the reference line). */
static enum screen_action pick_key(struct est *e, struct app *app, int key)
{
	bool up = key == KEY_UP || key == 'k', down = key == KEY_DOWN || key == 'j';
	if (e->pick_stage == 0) {
		if (up && e->pick_step > 0)
			e->pick_step--;
		else if (down && e->pick_step + 1 < e->q.step_count)
			e->pick_step++;
		else if (key == 'x') {
			drill_pair_by_hand(e->q.step_count, e->pair, e->how, e->pick_step, SIZE_MAX);
			screen_flash(app->screens, "%s is not paired now.",
				     e->q.steps[e->pick_step].name);
		} else if (ui_key_is_enter(key)) {
			size_t first = next_pickable(e, (size_t)-1, 1);
			if (first == (size_t)-1) {
				screen_flash(app->screens, "None of your lines has a value to pair.");
				return SCREEN_HANDLED;
			}
			e->pick_stage = 1;
			e->pick_line = e->how[e->pick_step] != DRILL_UNPAIRED
					   ? e->pair[e->pick_step]
					   : first;
		} else if (key == UI_KEY_ESC || key == 'q' || key == 'p') {
			e->picking = false;
		} else {
			return key == ERR ? SCREEN_HANDLED : SCREEN_UNHANDLED;
		}
	} else {
		if (up)
			e->pick_line = next_pickable(e, e->pick_line, -1);
		else if (down)
			e->pick_line = next_pickable(e, e->pick_line, 1);
		else if (ui_key_is_enter(key)) {
			drill_pair_by_hand(e->q.step_count, e->pair, e->how, e->pick_step,
					   e->pick_line);
			screen_flash(app->screens, "Paired %s with your %s.",
				     e->q.steps[e->pick_step].name,
				     ui_field_text(&e->lines[e->pick_line]));
			e->pick_stage = 0;
		} else if (key == UI_KEY_ESC || key == 'q') {
			e->pick_stage = 0;
		} else {
			return key == ERR ? SCREEN_HANDLED : SCREEN_UNHANDLED;
		}
	}
	e->show_pick = e->picking;
	rebuild_reveal(e, app, e->reveal_cols);
	return SCREEN_HANDLED;
}

static enum screen_action est_key(void *self, struct app *app, int key)
{
	struct est *e = self;
	if (!e->loaded)
		return key == ERR ? SCREEN_HANDLED : SCREEN_UNHANDLED;
	if (!e->revealed)
		return answer_key(e, app, key);
	if (e->picking)
		return pick_key(e, app, key);
	if (key == ERR)
		return SCREEN_HANDLED;
	if (ui_textview_key(&e->reveal, key))
		return SCREEN_HANDLED;
	if (key == 'p') {
		start_picking(e);
		rebuild_reveal(e, app, e->reveal_cols);
		return SCREEN_HANDLED;
	}
	if (key == 'c') {
		screen_push(app->screens, &drill_calibration_screen, NULL);
		return SCREEN_HANDLED;
	}
	if (key == 'u') {
		undo_answer(e, app);
		return SCREEN_HANDLED;
	}
	if (key >= '1' && key <= '4') {
		regrade(e, app, (enum schedule_rating)(SCHEDULE_AGAIN + (key - '1')));
		return SCREEN_HANDLED;
	}
	if (ui_key_is_enter(key))
		return SCREEN_BACK;
	return SCREEN_UNHANDLED;
}

static const char *const answer_keys[] = {"Enter", "new line", "Tab", "move", "^D", "score",
					  "^P", "pause", "F1", "help", "Esc", "leave", NULL};
static const char *const paused_keys[] = {"^P", "resume", "Esc", "leave", NULL};
static const char *const reveal_keys[] = {"j/k", "scroll", "1-4", "grade", "u", "undo",
					  "p", "pair", "c", "calibration", "q", "back", NULL};
static const char *const pick_step_keys[] = {"Up/Down", "reference line", "Enter", "pick",
					     "x", "unpair", "Esc", "done", NULL};
static const char *const pick_line_keys[] = {"Up/Down", "your line", "Enter", "pair", "Esc",
					     "back", NULL};
/* In a mock, Enter (or q) goes on to the mock's next question. */
static const char *const mock_reveal_keys[] = {"Enter", "go on", "j/k", "scroll", "1-4",
					       "grade", "p", "pair", "c", "calibration", NULL};

static const char *const *est_mode_keys(void *self)
{
	struct est *e = self;
	if (e->revealed && e->picking)
		return e->pick_stage == 0 ? pick_step_keys : pick_line_keys;
	if (!e->loaded || e->revealed)
		return e->open->total ? mock_reveal_keys : reveal_keys;
	return e->timer.paused ? paused_keys : answer_keys;
}

static const char *est_context(void *self, struct app *app)
{
	(void)app;
	struct est *e = self;
	if (e->open->total)
		snprintf(e->context, sizeof e->context, "mock interview: %d of %d", e->open->number,
			 e->open->total);
	else
		snprintf(e->context, sizeof e->context, "estimation");
	return e->context;
}

static const char *est_holds(void *self)
{
	struct est *e = self;
	return e->loaded && !e->revealed
		   ? "Finish this estimate first (Ctrl-D), or leave it with Esc: its clock is running."
		   : NULL;
}

const struct screen_ops drill_estimate_screen = {
	.title = "Estimate",
	.keys = answer_keys,
	.help_keys = reveal_help,
	.help_text = help_text,
	.enter = est_enter,
	.draw = est_draw,
	.key = est_key,
	.leave = est_leave,
	.mode_keys = est_mode_keys,
	.context = est_context,
	.holds = est_holds,
};
