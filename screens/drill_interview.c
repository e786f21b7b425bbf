/* A product sense, metrics, root cause, cross-functional, strategy,
 * leadership or behavioral question: write the answer with the clock
 * running; then the course's framework for the type as a checklist and the
 * question's rubric, the points your text seems to touch already marked,
 * for you to grade; the model outline last. */
#include "drill_screens.h"

#include "clock.h"
#include "list.h"
#include "textview.h"
#include "ui.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANSWER_BYTES 20000

enum iv_phase { IV_WRITE, IV_GRADE, IV_DONE };

struct iv {
	struct drill_open *open;
	struct drill_interview q;
	bool loaded;
	enum iv_phase phase;
	struct drill_timer timer;
	int seconds, paused;
	struct ui_editor editor;
	bool *hinted;
	/* Graded by the learner (or marked by a hint): "[ ]" is not graded
	 * yet, "[-]" missed on purpose; both count as missed when saved. */
	bool *graded;
	/* The last answer before this one, shown under it once saved. */
	struct drill_previous_answer previous;
	bool has_previous;
	/* For 1-4 once saved: the card before the answer, the rubric share,
	 * the rating in use and when it was given. */
	struct schedule_card card_before;
	double percent;
	enum schedule_rating rating;
	bool rated_by_learner;
	int64_t answered_at;
	/* For u, the undo: the attempt saved and whether its card existed. */
	char attempt_uid[37];
	bool card_existed;
	int *grades;
	struct ui_list rubric;
	struct ui_textview framework;
	bool framework_focus;
	struct ui_textview done;
	int done_cols; /* the width done was laid out for; 0: lay it out at the next draw */
	char message[320];
	enum ui_style message_style;
	char context[96];
};

static void *iv_enter(struct app *app, void *arg)
{
	struct iv *v = xcalloc(1, sizeof *v);
	v->open = arg;
	v->loaded = drill_interview_load(app->store, v->open->id, &v->q) == STORE_OK;
	ui_editor_init(&v->editor, "", ANSWER_BYTES);
	ui_list_init(&v->rubric);
	ui_textview_init(&v->framework);
	ui_textview_init(&v->done);
	if (v->loaded) {
		/* Read before this answer is saved: the one to compare with. */
		v->has_previous = drill_interview_previous(app->store, app->learner.id, v->q.id,
							   &v->previous) == STORE_OK;
		v->hinted = xcalloc(v->q.point_count + 1, sizeof *v->hinted);
		v->graded = xcalloc(v->q.point_count + 1, sizeof *v->graded);
		v->grades = xcalloc(v->q.point_count + 1, sizeof *v->grades);
	}
	drill_timer_start(&v->timer, drill_monotonic());
	return v;
}

static void iv_leave(void *self, struct app *app)
{
	(void)app;
	struct iv *v = self;
	drill_tick(false);
	ui_editor_free(&v->editor);
	ui_list_free(&v->rubric);
	ui_textview_free(&v->framework);
	ui_textview_free(&v->done);
	free(v->hinted);
	free(v->previous.text);
	free(v->graded);
	free(v->grades);
	if (v->loaded)
		drill_interview_free(&v->q);
	free(v);
}

static void para(struct ui_doc *doc, int indent, int hang, const char *text, enum ui_style style)
{
	ui_doc_para(doc, indent, hang);
	ui_doc_add(doc, text, strlen(text), ui_attr(style));
}

/* Multi-line text, one paragraph per line; "- " items hang under their
 * text. */
static void text_paras(struct ui_doc *doc, int indent, const char *text, enum ui_style style)
{
	const char *line = text;
	while (*line) {
		size_t n = strcspn(line, "\n");
		bool item = n >= 2 && line[0] == '-' && line[1] == ' ';
		ui_doc_para(doc, indent, indent + (item ? 2 : 0));
		ui_doc_add(doc, line, n, ui_attr(style));
		line += n;
		if (*line == '\n')
			line++;
	}
}

/* ---- grading ---------------------------------------------------------------- */

static void rubric_row(WINDOW *w, int y, int x, int width, size_t index, attr_t attr, void *data)
{
	struct iv *v = data;
	static const char *const marks[] = {"[-]", "[~]", "[+]"};
	static const enum ui_style styles[] = {UI_BAD, UI_WARN, UI_GOOD};
	int g = v->grades[index];
	char mark[16];
	if (!v->graded[index])
		snprintf(mark, sizeof mark, "[ ]");
	else if (g == DRILL_COVERED && ui_caps()->unicode)
		snprintf(mark, sizeof mark, "[%s]", ui_glyph(GLYPH_CHECK));
	else
		snprintf(mark, sizeof mark, "%s", marks[g]);
	ui_put(w, y, x + 1, 3, mark,
	       ui_attr_merge(attr, ui_attr(v->graded[index] ? styles[g] : UI_DIM)));
	ui_put(w, y, x + 5, 1, v->hinted[index] ? "*" : " ", ui_attr_merge(attr, ui_attr(UI_ACCENT)));
	ui_put(w, y, x + 7, width - 8, v->q.points[index].point, attr);
}

static void start_grading(struct iv *v)
{
	double now = drill_monotonic();
	v->seconds = (int)lround(drill_timer_elapsed(&v->timer, now));
	v->paused = (int)lround(drill_timer_paused(&v->timer, now));
	size_t unchecked = drill_rubric_hints(&v->q, ui_editor_text(&v->editor), v->hinted);
	for (size_t i = 0; i < v->q.point_count; i++) {
		v->grades[i] = v->hinted[i] ? DRILL_COVERED : DRILL_MISSED;
		v->graded[i] = v->hinted[i];
	}
	ui_list_set_model(&v->rubric, v->q.point_count, rubric_row, NULL, v);
	struct ui_doc *doc = &v->framework.doc;
	if (unchecked) {
		char note[200];
		snprintf(note, sizeof note,
			 "%zu rubric hint%s could not be checked (a pattern too complex for aipm's "
			 "limits, a problem of the question bank): mark those points yourself.",
			 unchecked, unchecked == 1 ? "" : "s");
		para(doc, 0, 0, note, UI_WARN);
	}
	if (!v->q.framework_count)
		para(doc, 0, 0, "The course has no framework for this type.", UI_DIM);
	for (size_t i = 0; i < v->q.framework_count; i++) {
		const struct drill_framework_step *f = &v->q.framework[i];
		char head[256];
		snprintf(head, sizeof head, "%s %zu. %s: ", ui_glyph(GLYPH_DOT_EMPTY), i + 1, f->step);
		ui_doc_para(doc, 0, 5);
		ui_doc_add(doc, head, strlen(head), ui_attr(UI_HEADING2));
		ui_doc_add(doc, f->detail, strlen(f->detail), ui_attr(UI_NORMAL));
		if (f->source[0]) {
			ui_doc_add(doc, " (", 2, ui_attr(UI_CITATION));
			ui_doc_add(doc, f->source, strlen(f->source), ui_attr(UI_CITATION));
			ui_doc_add(doc, ")", 1, ui_attr(UI_CITATION));
		}
	}
	ui_textview_changed(&v->framework);
	v->phase = IV_GRADE;
}

/* The screen's width from which a retry's answer and the previous one
 * stand side by side; below it, one above the other. */
#define SIDE_BY_SIDE_COLUMNS 100

/* A retry: this answer and the previous one, side by side where the width
 * allows, else this one above the previous one, each under its heading. */
static void answers_compared(struct iv *v, struct ui_doc *doc, double percent, int cols)
{
	char when[32], this_time[96], previous[128];
	clock_format(v->previous.answered_at, when, sizeof when);
	snprintf(this_time, sizeof this_time, "Your answer this time (rubric %.0f%%)", percent);
	snprintf(previous, sizeof previous, "Your previous answer (%.16s, rubric %.0f%%)", when,
		 v->previous.score);
	if (cols < SIDE_BY_SIDE_COLUMNS) {
		para(doc, 0, 0, this_time, UI_TITLE);
		text_paras(doc, 2, ui_editor_text(&v->editor), UI_NORMAL);
		para(doc, 0, 0, "", UI_NORMAL);
		para(doc, 0, 0, previous, UI_TITLE);
		text_paras(doc, 2, v->previous.text, UI_DIM);
		return;
	}
	int width = ui_textview_text_width(cols - 4);
	int left_width = (width - UI_COLUMN_GAP) / 2;
	struct ui_cell head_left = {this_time, ui_attr(UI_TITLE)};
	struct ui_cell head_right = {previous, ui_attr(UI_TITLE)};
	ui_doc_columns(doc, 0, left_width, width, &head_left, &head_right);
	struct ui_cell mine = {ui_editor_text(&v->editor), ui_attr(UI_NORMAL)};
	struct ui_cell before = {v->previous.text, ui_attr(UI_DIM)};
	ui_doc_columns(doc, 0, left_width, width, &mine, &before);
}

/* What the learner sees once the grades are saved, for a screen cols
 * wide. */
static void build_done(struct iv *v, struct app *app, double percent, int cols)
{
	struct ui_doc *doc = &v->done.doc;
	char line[512];
	int covered = 0, partly = 0;
	for (size_t i = 0; i < v->q.point_count; i++) {
		covered += v->grades[i] == DRILL_COVERED;
		partly += v->grades[i] == DRILL_PARTLY;
	}
	if (v->open->total)
		snprintf(line, sizeof line, "Saved: question %d of %d of the mock interview. Enter "
					    "goes on.",
			 v->open->number, v->open->total);
	else
		snprintf(line, sizeof line, "Saved.");
	para(doc, 0, 0, line, UI_GOOD);
	char t1[16], t2[16];
	drill_format_clock(v->seconds, t1, sizeof t1);
	drill_format_clock(v->q.target_seconds, t2, sizeof t2);
	snprintf(line, sizeof line,
		 "Rubric: %d of %zu points covered, %d partly (%.0f%%). Time %s of a %s target.",
		 covered, v->q.point_count, partly, percent, t1, t2);
	para(doc, 0, 0, line, percent >= 60 ? UI_GOOD : UI_WARN);
	struct schedule_card card;
	bool exists;
	if (drill_card(app->store, app->learner.id, v->q.id, &card, &exists) == STORE_OK &&
	    exists) {
		char when[32];
		clock_format(card.due, when, sizeof when);
		long days = (long)((card.due - clock_now()) / 86400);
		snprintf(line, sizeof line,
			 "It comes back for review in %ld day%s (%.10s), rated %s (%s); 1 again, 2 "
			 "hard, 3 good, 4 easy to grade it yourself.",
			 days, days == 1 ? "" : "s", when, schedule_rating_name(v->rating),
			 v->rated_by_learner ? "your grade" : "from the rubric");
		para(doc, 0, 0, line, UI_DIM);
	}
	para(doc, 0, 0, "", UI_NORMAL);
	para(doc, 0, 0, "Model outline (the app's own, built on the course's framework)", UI_TITLE);
	text_paras(doc, 2, v->q.model_outline[0] ? v->q.model_outline : "(none in the bank)",
		   UI_NORMAL);
	if (v->q.source[0]) {
		snprintf(line, sizeof line, "Source: %s", v->q.source);
		para(doc, 2, 2, line, UI_CITATION);
	}
	para(doc, 0, 0, "", UI_NORMAL);
	if (!v->has_previous) {
		para(doc, 0, 0, "Your answer", UI_TITLE);
		text_paras(doc, 2, ui_editor_text(&v->editor), UI_NORMAL);
	} else {
		answers_compared(v, doc, percent, cols);
	}
	v->done_cols = cols;
	ui_textview_changed(&v->done);
}

static void save_grades(struct iv *v, struct app *app)
{
	struct drill_interview_answer a = {
	    ui_editor_text(&v->editor), v->seconds, v->paused, v->grades, v->hinted,
	    v->q.point_count, v->open->mock_uid,
	};
	double percent;
	char uid[37], err[256];
	if (drill_card(app->store, app->learner.id, v->q.id, &v->card_before, &v->card_existed) !=
	    STORE_OK) {
		memset(&v->card_before, 0, sizeof v->card_before);
		v->card_existed = false;
	}
	v->answered_at = clock_now();
	if (drill_record_interview(app->store, app->learner.id, &v->q, &a, v->answered_at, &percent,
				   uid, err, sizeof err) != 0) {
		snprintf(v->message, sizeof v->message, "Not saved: %s.", err);
		v->message_style = UI_BAD;
		return;
	}
	v->open->answered = true;
	snprintf(v->attempt_uid, sizeof v->attempt_uid, "%s", uid);
	v->percent = percent;
	v->rating = schedule_rating_from_percent(percent);
	v->rated_by_learner = false;
	v->done_cols = 0; /* laid out at the next draw, for its width */
	v->phase = IV_DONE;
}

/* u once saved: the answer is taken back (its attempt and grades deleted,
 * its card as before) and the editor is open again with its text. */
static void undo_answer(struct iv *v, struct app *app)
{
	if (v->open->mock_uid) {
		screen_flash(app->screens, "An answer in a mock interview stays: its summary counts it.");
		return;
	}
	if (drill_interview_undo(app->store, app->learner.id, v->attempt_uid, v->q.id,
				 &v->card_before, v->card_existed) != STORE_OK) {
		screen_flash(app->screens, "The answer could not be undone: %s",
			     store_errmsg(app->store));
		return;
	}
	v->open->answered = false;
	v->attempt_uid[0] = '\0';
	v->phase = IV_WRITE;
	ui_textview_reset(&v->done);
	ui_textview_reset(&v->framework);
	screen_flash(app->screens,
		     "Answer undone, nothing of it kept: change it, Ctrl-D grades it again.");
}

/* The saved view laid out again (a grade, a new width), at the same
 * place. */
static void rebuild_done(struct iv *v, struct app *app, int cols)
{
	size_t top = ui_textview_top_para(&v->done), line = ui_textview_top_line(&v->done);
	ui_textview_reset(&v->done);
	build_done(v, app, v->percent, cols);
	ui_textview_set_top(&v->done, top, line);
}

/* 1-4 once saved: the learner's rating replaces the rubric share's for
 * the schedule, from the card as it was before the answer. */
static void regrade(struct iv *v, struct app *app, enum schedule_rating rating)
{
	if (drill_card_regrade(app->store, app->learner.id, v->q.id, &v->card_before, rating,
			       v->answered_at) != STORE_OK) {
		screen_flash(app->screens, "The grade was not saved: %s", store_errmsg(app->store));
		return;
	}
	v->rating = rating;
	v->rated_by_learner = true;
	rebuild_done(v, app, v->done_cols);
	screen_flash(app->screens, "Graded %s: the next review moves with it.",
		     schedule_rating_name(rating));
}

/* ---- drawing ----------------------------------------------------------------- */

static void draw_write(struct iv *v, WINDOW *w, int top, int rows, int cols)
{
	drill_tick(!v->timer.paused);
	int y = top;
	ui_put(w, y, 2, cols - 32, drill_type_label(v->q.type), ui_attr(UI_HEADING2));
	drill_draw_clock(w, y, cols - 30, 28, &v->timer, v->q.target_seconds);
	y++;
	y += ui_put_wrapped(w, y, 2, cols - 4, 3, v->q.question, ui_attr(UI_TITLE));
	y += ui_put_wrapped(w, y, 2, cols - 4, 2, drill_advice, ui_attr(UI_DIM));
	if (v->timer.paused) {
		ui_put(w, y + 1, 2, cols - 4,
		       "Paused: the clock stands still and the pause is recorded. Ctrl-P goes on.",
		       ui_attr(UI_WARN));
		return;
	}
	ui_put(w, y++, 2, cols - 4, "Your answer (an outline is enough; Ctrl-D when done):",
	       ui_attr(UI_HEADING2));
	int height = top + rows - 1 - y;
	ui_editor_draw(&v->editor, w, y, 2, height, cols - 4, ui_attr(UI_NORMAL));
	drill_draw_cursor(w, v->editor.cursor_y, v->editor.cursor_x);
	if (v->message[0])
		ui_put(w, top + rows - 1, 2, cols - 4, v->message, ui_attr(v->message_style));
}

static void draw_grade(struct iv *v, WINDOW *w, int top, int rows, int cols)
{
	drill_tick(false);
	int y = top;
	char line[256];
	snprintf(line, sizeof line, "The course's framework for %s:",
		 drill_type_label(v->q.type));
	ui_put(w, y++, 2, cols - 4, line, ui_attr(UI_TITLE));
	int list_rows = (int)v->q.point_count;
	int framework_rows = rows - 4 - list_rows;
	if (framework_rows > rows / 2)
		framework_rows = rows / 2;
	if (framework_rows < 3)
		framework_rows = 3;
	ui_textview_draw(&v->framework, w, y, 2, framework_rows, cols - 4);
	y += framework_rows;
	ui_put(w, y++, 2, cols - 4,
	       "Rubric: y covered, p partly, n missed; [ ] not graded; * hinted by your text",
	       ui_attr(v->framework_focus ? UI_DIM : UI_HEADING2));
	ui_list_draw(&v->rubric, w, y, 2, top + rows - 1 - y, cols - 4);
	if (v->message[0])
		ui_put(w, top + rows - 1, 2, cols - 4, v->message, ui_attr(v->message_style));
}

static void iv_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct iv *v = self;
	if (!v->loaded) {
		ui_put(w, top + 1, 2, cols - 4,
		       "This question is no longer in the bank (the course was updated).",
		       ui_attr(UI_WARN));
		return;
	}
	if (v->phase == IV_WRITE)
		draw_write(v, w, top, rows, cols);
	else if (v->phase == IV_GRADE)
		draw_grade(v, w, top, rows, cols);
	else {
		if (cols != v->done_cols)
			rebuild_done(v, app, cols);
		ui_textview_draw(&v->done, w, top, 2, rows, cols - 4);
	}
}

/* ---- keys --------------------------------------------------------------------- */

static const char *const write_help[] = {
	"typing", "writes the answer; Enter starts a new line",
	"Ctrl-D, F2", "done: on to the framework and the rubric",
	"Ctrl-P", "pause or resume the clock (the pause is recorded)",
	"F1", "this help",
	"Esc", "leave without saving",
	NULL,
};
static const char *const grade_help[] = {
	"j/k, arrows", "move between rubric points",
	"y, p, n", "covered, partly, missed",
	"Space", "the next grade",
	"Tab", "scroll the framework instead (and back)",
	"Enter, s", "save the grades and see the model outline",
	"1-4, u", "once saved: grade the answer yourself (again, hard, good, easy), or undo it "
		  "(nothing of it kept; the editor opens again)",
	"Esc", "leave without saving",
	NULL,
};

static const char help_text[] =
    "Answer as you would out loud, then compare with the course's framework for the type. "
    "The rubric points your text seems to touch are marked already (a pattern match, not a "
    "judgement): grade each point honestly yourself. The model outline comes last.";

static bool confirm_leave(void)
{
	return ui_confirm("Leave this question?", "Your answer is not saved.");
}

static enum screen_action write_key(struct iv *v, int key)
{
	double now = drill_monotonic();
	if (key == ERR)
		return SCREEN_HANDLED;
	if (key == KEY_F(1)) {
		ui_help_overlay(drill_interview_screen.title, write_help, help_text);
		return SCREEN_HANDLED;
	}
	if (key == UI_KEY_ESC)
		return v->editor.text.len && !confirm_leave() ? SCREEN_HANDLED : SCREEN_BACK;
	if (key == UI_CTRL('p')) {
		if (v->timer.paused)
			drill_timer_resume(&v->timer, now);
		else
			drill_timer_pause(&v->timer, now);
		return SCREEN_HANDLED;
	}
	if (v->timer.paused)
		return SCREEN_HANDLED;
	v->message[0] = '\0';
	if (key == UI_CTRL('d') || key == KEY_F(2)) {
		char *text = str_trim(xstrdup(ui_editor_text(&v->editor)));
		bool empty = !*text;
		free(text);
		if (empty) {
			snprintf(v->message, sizeof v->message,
				 "Write your answer first: even a few lines of outline.");
			v->message_style = UI_WARN;
		} else {
			start_grading(v);
		}
		return SCREEN_HANDLED;
	}
	ui_editor_key(&v->editor, key);
	return SCREEN_HANDLED;
}

static enum screen_action grade_key(struct iv *v, struct app *app, int key)
{
	if (key == ERR)
		return SCREEN_HANDLED;
	v->message[0] = '\0';
	if (key == '\t') {
		v->framework_focus = !v->framework_focus;
		return SCREEN_HANDLED;
	}
	if (v->framework_focus && ui_textview_key(&v->framework, key))
		return SCREEN_HANDLED;
	if (!v->framework_focus && ui_list_key(&v->rubric, key))
		return SCREEN_HANDLED;
	size_t i = ui_list_selected(&v->rubric);
	int grade = key == 'y' || key == '2'   ? DRILL_COVERED
		    : key == 'p' || key == '1' ? DRILL_PARTLY
		    : key == 'n' || key == '0' ? DRILL_MISSED
					       : -1;
	if (i != SIZE_MAX && (grade >= 0 || key == ' ')) {
		v->grades[i] = grade >= 0 ? grade : (v->grades[i] + 1) % (DRILL_COVERED + 1);
		v->graded[i] = true;
		static const char *const names[] = {"missed", "partly", "covered"};
		/* On to the next point, as when marking a paper, and saying so. */
		if (grade >= 0 && i + 1 < v->q.point_count) {
			ui_list_select(&v->rubric, i + 1);
			snprintf(v->message, sizeof v->message, "Point %zu: %s. On to point %zu.", i + 1,
				 names[v->grades[i]], i + 2);
		} else {
			snprintf(v->message, sizeof v->message, "Point %zu: %s.", i + 1,
				 names[v->grades[i]]);
		}
		v->message_style = UI_DIM;
		return SCREEN_HANDLED;
	}
	if (ui_key_is_enter(key) || key == 's') {
		save_grades(v, app);
		return SCREEN_HANDLED;
	}
	if (key == 'q' || key == UI_KEY_ESC)
		return confirm_leave() ? SCREEN_BACK : SCREEN_HANDLED;
	return SCREEN_UNHANDLED;
}

static enum screen_action iv_key(void *self, struct app *app, int key)
{
	struct iv *v = self;
	if (!v->loaded)
		return key == ERR ? SCREEN_HANDLED : SCREEN_UNHANDLED;
	if (v->phase == IV_WRITE)
		return write_key(v, key);
	if (v->phase == IV_GRADE)
		return grade_key(v, app, key);
	if (key == ERR || ui_textview_key(&v->done, key))
		return SCREEN_HANDLED;
	if (key >= '1' && key <= '4') {
		regrade(v, app, (enum schedule_rating)(SCHEDULE_AGAIN + (key - '1')));
		return SCREEN_HANDLED;
	}
	if (key == 'u') {
		undo_answer(v, app);
		return SCREEN_HANDLED;
	}
	if (ui_key_is_enter(key))
		return SCREEN_BACK;
	return SCREEN_UNHANDLED;
}

static const char *const write_keys[] = {"^D", "done", "^P", "pause", "F1", "help", "Esc",
					 "leave", NULL};
static const char *const paused_keys[] = {"^P", "resume", "Esc", "leave", NULL};
static const char *const grade_keys[] = {"j/k", "move", "y/p/n", "grade", "Tab", "framework",
					 "Enter", "save", "Esc", "leave", NULL};
static const char *const done_keys[] = {"j/k", "scroll", "1-4", "grade", "u", "undo", "q",
					"back", NULL};
/* In a mock, Enter (or q) goes on to the mock's next question. */
static const char *const mock_done_keys[] = {"Enter", "go on", "j/k", "scroll", "1-4", "grade",
					     NULL};

static const char *const *iv_mode_keys(void *self)
{
	struct iv *v = self;
	if (!v->loaded || v->phase == IV_DONE)
		return v->open->total && v->phase == IV_DONE ? mock_done_keys : done_keys;
	if (v->phase == IV_GRADE)
		return grade_keys;
	return v->timer.paused ? paused_keys : write_keys;
}

static const char *iv_context(void *self, struct app *app)
{
	(void)app;
	struct iv *v = self;
	if (v->open->total)
		snprintf(v->context, sizeof v->context, "mock interview: %d of %d", v->open->number,
			 v->open->total);
	else
		snprintf(v->context, sizeof v->context, "%s",
			 v->loaded ? drill_type_label(v->q.type) : "");
	return v->context;
}

static const char *iv_holds(void *self)
{
	struct iv *v = self;
	if (!v->loaded)
		return NULL;
	if (v->phase == IV_WRITE)
		return "Finish this answer first (Ctrl-D), or leave it with Esc: its clock is running.";
	return v->phase == IV_GRADE ? "Save the grades first (Enter), or leave with Esc." : NULL;
}

const struct screen_ops drill_interview_screen = {
	.title = "Interview question",
	.keys = write_keys,
	.help_keys = grade_help,
	.help_text = help_text,
	.enter = iv_enter,
	.draw = iv_draw,
	.key = iv_key,
	.leave = iv_leave,
	.mode_keys = iv_mode_keys,
	.context = iv_context,
	.holds = iv_holds,
};
