/* A quiz take, one question at a time with immediate feedback (the right
 * answer, why, and the source), then the score against the pass mark with
 * the best and latest scores; or a review of missed questions. */
#include "lessons.h"

#include "input.h"
#include "lesson.h"
#include "progress.h"
#include "quiz.h"
#include "textview.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ANSWER_MAX = 200 };

enum phase { ASKING, FEEDBACK, SUMMARY };

struct quiz_screen {
	char lesson_id[96]; /* empty: a review of the whole course */
	char lesson_title[192];
	bool review;
	int pass_mark;
	struct quiz quiz;
	struct quiz_take take;
	size_t current;
	enum phase phase;
	size_t cursor;   /* the highlighted choice */
	uint64_t picked; /* multiple choice: the ticked choices */
	struct ui_field field;
	char *response; /* the last answer given */
	enum quiz_mark mark;
	bool saved;
	char not_saved[160]; /* why the last answer was not saved */
	size_t first_choice; /* the paragraph of the first choice */
	struct ui_textview tv;
	char context[224];
};

static const struct quiz_question *question(struct quiz_screen *s)
{
	return s->current < s->quiz.count ? &s->quiz.questions[s->current] : NULL;
}

static bool typed(const struct quiz_question *q)
{
	return q->kind == QUIZ_SHORT || q->kind == QUIZ_NUMERIC;
}

static size_t choice_count(const struct quiz_question *q)
{
	return q->kind == QUIZ_TRUEFALSE ? 2 : q->choice_count;
}

static const char *choice_text(const struct quiz_question *q, size_t i)
{
	if (q->kind == QUIZ_TRUEFALSE)
		return i == 0 ? "True" : "False";
	return q->choices[i];
}

static void para(struct ui_doc *doc, const char *text, enum ui_style style, int indent, int hang)
{
	ui_doc_para(doc, indent, hang);
	ui_doc_add(doc, text, strlen(text), ui_attr(style));
}

static void blank(struct ui_doc *doc)
{
	ui_doc_para(doc, 0, 0);
}

static void add_choices(struct quiz_screen *s, const struct quiz_question *q)
{
	struct ui_doc *doc = &s->tv.doc;
	uint64_t right = quiz_right_choices(q);
	s->first_choice = doc->count;
	for (size_t i = 0; i < choice_count(q); i++) {
		bool ticked = q->kind == QUIZ_MULTIPLE ? (s->picked >> i) & 1 : s->cursor == i;
		char mark[32];
		enum ui_style style = UI_NORMAL;
		if (s->phase == FEEDBACK) {
			bool is_right = (right >> i) & 1;
			snprintf(mark, sizeof mark, " %s ",
				 is_right ? ui_glyph(GLYPH_CHECK) : ticked ? ui_glyph(GLYPH_CROSS) : " ");
			style = is_right ? UI_GOOD : ticked ? UI_BAD : UI_DIM;
		} else if (q->kind == QUIZ_MULTIPLE) {
			snprintf(mark, sizeof mark, "[%s]", ticked ? "x" : " ");
		} else {
			snprintf(mark, sizeof mark, "(%s)", ticked ? "*" : " ");
		}
		char number[24];
		snprintf(number, sizeof number, "%zu. ", i + 1);
		char *text = xasprintf("%s %s%s", mark, number, choice_text(q, i));
		bool cursor = s->phase == ASKING && s->cursor == i;
		/* Wrapped lines of a long choice line up under its text. */
		ui_doc_para(doc, 2, 2 + ui_width(mark) + 1 + (int)strlen(number));
		ui_doc_add(doc, text, strlen(text), ui_attr(cursor ? UI_SELECTED : style));
		free(text);
	}
}

static void add_feedback(struct quiz_screen *s, const struct quiz_question *q)
{
	struct ui_doc *doc = &s->tv.doc;
	blank(doc);
	if (s->mark == QUIZ_UNCHECKED) {
		para(doc,
		     "This answer could not be checked: the question's answer pattern is too "
		     "complex for aipm's matching limits. That is a problem in the course, not in "
		     "your answer, so it was not marked or recorded ('aipm content check' names the "
		     "question).",
		     UI_WARN, 0, 0);
	} else {
		bool right = s->mark == QUIZ_RIGHT;
		char *line = xasprintf("%s %s", ui_glyph(right ? GLYPH_CHECK : GLYPH_CROSS),
				       right ? "Right." : "Not right.");
		para(doc, line, right ? UI_GOOD : UI_BAD, 0, 0);
		free(line);
	}
	char *line;
	if (typed(q)) {
		line = xasprintf("Your answer: %s", s->response);
		para(doc, line, UI_NORMAL, 0, 2);
		free(line);
	}
	char *answer = quiz_answer_text(q);
	line = xasprintf("The answer: %s", answer);
	para(doc, line, UI_HEADING2, 0, 2);
	free(line);
	free(answer);
	blank(doc);
	para(doc, q->explanation, UI_NORMAL, 0, 0);
	blank(doc);
	line = xasprintf("Source: %s", q->source);
	para(doc, line, UI_CITATION, 0, 0);
	free(line);
	if (!s->saved) {
		blank(doc);
		char *why = xasprintf("This answer could not be saved: %s.", s->not_saved);
		para(doc, why, UI_WARN, 0, 0);
		free(why);
	}
}

static void add_summary(struct quiz_screen *s, struct app *app)
{
	struct ui_doc *doc = &s->tv.doc;
	char line[320];
	if (!s->quiz.count) {
		para(doc,
		     s->review ? "Nothing to review: every question you have tried was right the "
				 "last time."
			       : "This lesson has no quiz.",
		     s->review ? UI_GOOD : UI_DIM, 0, 0);
		return;
	}
	double percent = quiz_take_percent(&s->take);
	snprintf(line, sizeof line, "%s: %d of %d right (%.0f%%)", s->review ? "Review" : "Your score",
		 s->take.correct, s->take.total, percent);
	para(doc, line, UI_TITLE, 0, 0);
	blank(doc);
	if (!s->review) {
		bool passed = percent >= s->pass_mark;
		snprintf(line, sizeof line, "%s (the pass mark is %d%%).",
			 passed ? "Passed" : "Not passed yet", s->pass_mark);
		para(doc, line, passed ? UI_GOOD : UI_BAD, 0, 0);
		struct lesson_status *ls = NULL;
		size_t n = 0;
		progress_lessons(app->store, app->learner.id, &ls, &n);
		for (size_t i = 0; i < n; i++) {
			if (strcmp(ls[i].id, s->lesson_id))
				continue;
			if (ls[i].best_score >= 0) {
				snprintf(line, sizeof line, "Best %.0f%%, latest %.0f%%.", ls[i].best_score,
					 ls[i].latest_score);
				para(doc, line, UI_NORMAL, 0, 0);
			}
			blank(doc);
			if (ls[i].state == LESSON_DONE)
				para(doc, "This lesson is done.", UI_GOOD, 0, 0);
			else if (!ls[i].read_to_end)
				para(doc, "Read the lesson to its end to finish it.", UI_WARN, 0, 0);
		}
		free(ls);
	}
	blank(doc);
	para(doc,
	     s->review ? "r reviews what is still missed, q goes back."
		       : "t takes the quiz again, r reviews the questions missed, n opens the next "
			 "lesson, q goes back.",
	     UI_DIM, 0, 0);
}

/* Lays the current state out in the view; keep_top keeps the scroll (a
 * choice moved), otherwise the view starts at the top. */
static void layout(struct quiz_screen *s, struct app *app, bool keep_top)
{
	if (keep_top) {
		ui_doc_free(&s->tv.doc);
		ui_textview_clear_marks(&s->tv);
	} else {
		ui_textview_reset(&s->tv);
	}
	struct ui_doc *doc = &s->tv.doc;
	const struct quiz_question *q = question(s);
	if (s->phase == SUMMARY || !q) {
		add_summary(s, app);
	} else {
		para(doc, q->prompt, UI_HEADING2, 0, 0);
		blank(doc);
		if (typed(q)) {
			if (s->phase == ASKING)
				para(doc,
				     q->kind == QUIZ_NUMERIC
					 ? "Type a number below and press Enter (1,200  1.2k  12% are fine)."
					 : "Type your answer below and press Enter.",
				     UI_DIM, 0, 0);
		} else {
			add_choices(s, q);
		}
		if (s->phase == FEEDBACK)
			add_feedback(s, q);
	}
	ui_textview_changed(&s->tv);
	if (s->phase == ASKING && q && !typed(q))
		ui_textview_show(&s->tv, s->first_choice + s->cursor, 0);
}

static void start_question(struct quiz_screen *s, struct app *app)
{
	s->phase = ASKING;
	s->cursor = 0;
	s->picked = 0;
	ui_field_set(&s->field, "");
	layout(s, app, false);
}

/* A new take (or review) over the loaded questions. */
static void start_take(struct quiz_screen *s, struct app *app)
{
	s->current = 0;
	if (quiz_take_begin(app->store, app->learner.id, s->review ? NULL : s->lesson_id,
			    (int)s->quiz.count, &s->take) != STORE_OK)
		screen_flash(app->screens, "Your answers cannot be saved: %s", store_errmsg(app->store));
	if (s->quiz.count)
		start_question(s, app);
	else {
		s->phase = SUMMARY;
		layout(s, app, false);
	}
}

static void load_questions(struct quiz_screen *s, struct app *app)
{
	quiz_free(&s->quiz);
	if (s->review)
		quiz_load_review(app->store, app->learner.id, s->lesson_id[0] ? s->lesson_id : NULL,
				 &s->quiz);
	else
		quiz_load_lesson(app->store, s->lesson_id, &s->quiz);
}

static void *quiz_enter(struct app *app, void *arg)
{
	const struct quiz_request *req = arg;
	struct quiz_screen *s = xcalloc(1, sizeof *s);
	ui_textview_init(&s->tv);
	ui_field_init(&s->field, "", ANSWER_MAX);
	s->review = req->review;
	s->pass_mark = 70;
	if (req->lesson_id) {
		snprintf(s->lesson_id, sizeof s->lesson_id, "%s", req->lesson_id);
		struct lesson l;
		if (lesson_load(app->store, req->lesson_id, &l) == STORE_OK) {
			snprintf(s->lesson_title, sizeof s->lesson_title, "%s", l.title);
			s->pass_mark = l.pass_mark;
			lesson_free(&l);
		}
	}
	load_questions(s, app);
	start_take(s, app);
	return s;
}

static void quiz_leave(void *self, struct app *app)
{
	(void)app;
	struct quiz_screen *s = self;
	quiz_free(&s->quiz);
	ui_field_free(&s->field);
	ui_textview_free(&s->tv);
	free(s->response);
	free(s);
}

static void quiz_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct quiz_screen *s = self;
	const struct quiz_question *q = s->phase == SUMMARY ? NULL : question(s);
	char line[320];
	if (q) {
		if (s->review)
			snprintf(line, sizeof line, "Review %zu of %zu  %s  missed %d time%s  %s  %s",
				 s->current + 1, s->quiz.count, ui_glyph(GLYPH_DOT_EMPTY), q->misses,
				 q->misses == 1 ? "" : "s", ui_glyph(GLYPH_DOT_EMPTY), q->lesson_title);
		else
			snprintf(line, sizeof line, "Question %zu of %zu", s->current + 1, s->quiz.count);
		ui_put(w, top + 1, 2, cols - 4, line, ui_attr(UI_DIM));
	}
	bool field = q && typed(q) && s->phase == ASKING;
	int view_rows = rows - 3 - (field ? 3 : 0);
	ui_textview_draw(&s->tv, w, top + 2, 2, view_rows, cols - 3);
	if (field) {
		int y = top + 2 + view_rows + 1;
		ui_put(w, y, 2, 9, "Answer:", ui_attr(UI_HEADING2));
		ui_field_draw(&s->field, w, y, 11, cols - 14, ui_attr(UI_SELECTED));
		mvwchgat(w, s->field.cursor_y, s->field.cursor_x, 1, A_REVERSE, 0, NULL);
	}
}

static void submit(struct quiz_screen *s, struct app *app)
{
	const struct quiz_question *q = question(s);
	char buf[ANSWER_MAX + 1];
	if (typed(q)) {
		snprintf(buf, sizeof buf, "%s", ui_field_text(&s->field));
		str_trim(buf);
		if (!*buf) {
			screen_flash(app->screens, "Type an answer first.");
			return;
		}
	} else if (q->kind == QUIZ_MULTIPLE) {
		if (!s->picked) {
			screen_flash(app->screens, "Tick one or more choices with Space first.");
			return;
		}
		size_t n = 0;
		buf[0] = '\0';
		for (size_t i = 0; i < q->choice_count && i < 64; i++)
			if ((s->picked >> i) & 1)
				n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%zu", n ? "," : "", i + 1);
	} else if (q->kind == QUIZ_TRUEFALSE) {
		snprintf(buf, sizeof buf, "%s", s->cursor == 0 ? "true" : "false");
	} else {
		snprintf(buf, sizeof buf, "%zu", s->cursor + 1);
	}
	free(s->response);
	s->response = xstrdup(buf);
	s->saved = quiz_take_answer(app->store, &s->take, q, buf, &s->mark) == STORE_OK;
	if (!s->saved) {
		snprintf(s->not_saved, sizeof s->not_saved, "%s", store_errmsg(app->store));
		/* Still count it on screen: the learner answered. */
		s->take.answered++;
		s->take.correct += s->mark == QUIZ_RIGHT;
	}
	s->phase = FEEDBACK;
	layout(s, app, false);
}

static void next(struct quiz_screen *s, struct app *app)
{
	s->current++;
	if (s->current < s->quiz.count) {
		start_question(s, app);
		return;
	}
	s->phase = SUMMARY;
	layout(s, app, false);
}

static enum screen_action asking_key(struct quiz_screen *s, struct app *app, int key)
{
	const struct quiz_question *q = question(s);
	if (ui_key_is_enter(key)) {
		submit(s, app);
		return SCREEN_HANDLED;
	}
	if (key == KEY_NPAGE || key == KEY_PPAGE) {
		ui_textview_key(&s->tv, key);
		return SCREEN_HANDLED;
	}
	if (typed(q))
		return ui_field_key(&s->field, key) ? SCREEN_HANDLED : SCREEN_UNHANDLED;
	size_t n = choice_count(q);
	if (key == 'j' || key == KEY_DOWN)
		s->cursor = s->cursor + 1 < n ? s->cursor + 1 : s->cursor;
	else if (key == 'k' || key == KEY_UP)
		s->cursor = s->cursor > 0 ? s->cursor - 1 : 0;
	else if (key >= '1' && key <= '9' && (size_t)(key - '1') < n)
		s->cursor = (size_t)(key - '1');
	else if (q->kind == QUIZ_TRUEFALSE && (key == 't' || key == 'f'))
		s->cursor = key == 't' ? 0 : 1;
	else if (key != ' ')
		return SCREEN_UNHANDLED;
	/* Space and the digits tick a choice of a multiple-choice question. */
	if (q->kind == QUIZ_MULTIPLE && (key == ' ' || (key >= '1' && key <= '9')) && s->cursor < 64)
		s->picked ^= UINT64_C(1) << s->cursor;
	layout(s, app, true);
	return SCREEN_HANDLED;
}

static enum screen_action quiz_key(void *self, struct app *app, int key)
{
	struct quiz_screen *s = self;
	switch (s->phase) {
	case ASKING:
		return asking_key(s, app, key);
	case FEEDBACK:
		if (ui_key_is_enter(key) || key == 'n' || key == KEY_RIGHT) {
			next(s, app);
			return SCREEN_HANDLED;
		}
		return ui_textview_key(&s->tv, key) ? SCREEN_HANDLED : SCREEN_UNHANDLED;
	case SUMMARY:
		if (key == 't' && !s->review && s->quiz.count) {
			start_take(s, app);
			return SCREEN_HANDLED;
		}
		if (key == 'r') {
			s->review = true;
			load_questions(s, app);
			start_take(s, app);
			return SCREEN_HANDLED;
		}
		if (key == 'n' && !s->review) {
			lessons_open_next(app);
			return SCREEN_HANDLED;
		}
		return ui_textview_key(&s->tv, key) ? SCREEN_HANDLED : SCREEN_UNHANDLED;
	}
	return SCREEN_UNHANDLED;
}

static const char *const *quiz_mode_keys(void *self)
{
	static const char *const choosing[] = {"j/k", "choose", "Enter", "answer", "q", "leave", NULL};
	static const char *const ticking[] = {"j/k", "move", "Space", "tick", "Enter", "answer",
					      "q", "leave", NULL};
	static const char *const typing[] = {"Enter", "answer", "Esc", "leave", NULL};
	static const char *const feedback[] = {"Enter", "next", "j/k", "scroll", "q", "leave", NULL};
	static const char *const summary[] = {"t", "retake", "r", "review missed", "n", "next lesson",
					      "q", "back", NULL};
	static const char *const review_summary[] = {"r", "review again", "q", "back", NULL};
	struct quiz_screen *s = self;
	const struct quiz_question *q = question(s);
	if (s->phase == SUMMARY || !q)
		return s->review ? review_summary : summary;
	if (s->phase == FEEDBACK)
		return feedback;
	return typed(q) ? typing : q->kind == QUIZ_MULTIPLE ? ticking : choosing;
}

static const char *quiz_context(void *self, struct app *app)
{
	(void)app;
	struct quiz_screen *s = self;
	if (s->lesson_title[0])
		snprintf(s->context, sizeof s->context, "%s", s->lesson_title);
	else
		snprintf(s->context, sizeof s->context, "missed questions, most-missed first");
	return s->context;
}

static const char *const quiz_help[] = {
	"j/k, 1-9", "move to a choice",
	"Space", "tick or untick a choice (questions with several answers)",
	"t / f", "true or false",
	"Enter", "answer; after the feedback, the next question",
	"PgUp/PgDn", "scroll a long question",
	"t, r, n", "at the end: retake, review the missed questions, next lesson",
	NULL,
};

const struct screen_ops quiz_screen = {
	.title = "Quiz",
	.mode_keys = quiz_mode_keys,
	.help_keys = quiz_help,
	.help_text = "Every answer is saved as you give it. A lesson is done when its quiz score "
		     "reaches the pass mark and the lesson has been read to its end. Typed answers "
		     "are matched generously: case and surrounding spaces do not matter, and "
		     "numbers can be written as 1,200, 1.2k or 12%.",
	.enter = quiz_enter,
	.draw = quiz_draw,
	.key = quiz_key,
	.leave = quiz_leave,
	.context = quiz_context,
};
