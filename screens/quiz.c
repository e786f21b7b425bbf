/* A quiz take, one question at a time with immediate feedback (the right
 * answer, why, and the source), then the score against the pass mark with
 * the best and latest scores and the answers as they were given; or a
 * review of missed questions; or one question of the daily review. The
 * options come in the order the take's seed drew. */
#include "lessons_screens.h"

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

enum phase { ASKING, FEEDBACK, SUMMARY, ANSWERS };

struct quiz_screen {
	char lesson_id[96]; /* the scope; empty: a review of the whole course */
	char lesson_title[224];
	enum quiz_scope scope;
	bool review;
	char question_id[96]; /* one question of the daily review */
	bool *answered;
	int pass_mark;
	uint64_t seed;
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
	char context[256];
};

static const struct quiz_question *question(struct quiz_screen *s)
{
	return s->current < s->quiz.count ? &s->quiz.questions[s->current] : NULL;
}

static bool typed(const struct quiz_question *q)
{
	return q->kind == QUIZ_SHORT || q->kind == QUIZ_NUMERIC;
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
	for (size_t i = 0; i < quiz_choice_count(q); i++) {
		size_t choice = quiz_shown_choice(q, i);
		bool ticked = q->kind == QUIZ_MULTIPLE ? (s->picked >> i) & 1 : s->cursor == i;
		char mark[32];
		const char *whose = "";
		enum ui_style style = UI_NORMAL;
		if (s->phase == FEEDBACK) {
			bool is_right = (right >> choice) & 1;
			snprintf(mark, sizeof mark, " %s ",
				 is_right ? ui_glyph(GLYPH_CHECK) : ticked ? ui_glyph(GLYPH_CROSS) : " ");
			/* What was picked and what was missed, not only what was right. */
			style = is_right && ticked ? UI_GOOD : is_right ? UI_WARN : ticked ? UI_BAD : UI_DIM;
			whose = ticked ? "  (yours)" : is_right ? "  (missed)" : "";
		} else if (q->kind == QUIZ_MULTIPLE) {
			snprintf(mark, sizeof mark, "[%s]", ticked ? "x" : " ");
		} else {
			snprintf(mark, sizeof mark, "(%s)", ticked ? "*" : " ");
		}
		char number[24];
		snprintf(number, sizeof number, "%zu. ", i + 1);
		char *text = xasprintf("%s %s%s%s", mark, number, quiz_choice_text(q, choice), whose);
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
	} else {
		/* The options picked, numbered as shown, in words. */
		struct strbuf yours;
		sb_init(&yours);
		sb_puts(&yours, "");
		for (size_t i = 0; i < quiz_choice_count(q); i++) {
			bool ticked = q->kind == QUIZ_MULTIPLE ? (s->picked >> i) & 1 : s->cursor == i;
			if (ticked)
				sb_printf(&yours, "%s%zu. %s", yours.len ? "; " : "", i + 1,
					  quiz_choice_text(q, quiz_shown_choice(q, i)));
		}
		line = xasprintf("Your answer: %s", yours.data);
		para(doc, line, UI_NORMAL, 0, 2);
		free(line);
		sb_free(&yours);
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

static void add_lesson_status(struct quiz_screen *s, struct app *app)
{
	struct ui_doc *doc = &s->tv.doc;
	char line[320];
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

static void add_summary(struct quiz_screen *s, struct app *app)
{
	struct ui_doc *doc = &s->tv.doc;
	char line[320];
	if (!s->quiz.count) {
		para(doc,
		     s->review ? "Nothing to review: every question you have tried was right the "
				 "last time."
				: s->question_id[0] ? "This question is not in the course any more."
						    : "This quiz has no questions.",
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
		if (s->scope == QUIZ_SCOPE_LESSON) {
			add_lesson_status(s, app);
		} else {
			double best, latest;
			if (quiz_scope_scores(app->store, app->learner.id, s->lesson_id, &best,
					      &latest) == STORE_OK &&
			    best >= 0) {
				snprintf(line, sizeof line, "Best %.0f%%, latest %.0f%%.", best, latest);
				para(doc, line, UI_NORMAL, 0, 0);
			}
		}
		para(doc,
		     "Every question answered comes back in the daily review (home, r) when it is "
		     "due.",
		     UI_DIM, 0, 0);
	}
	blank(doc);
	para(doc,
	     s->review ? "r reviews what is still missed, q goes back."
	     : s->scope == QUIZ_SCOPE_LESSON
		 ? "v shows your answers as you saw them, t takes the quiz again (options in a new "
		   "order), r reviews the questions missed, n opens the next lesson, q goes back."
		 : "v shows your answers as you saw them, t draws a new quiz from the bank, r "
		   "reviews the questions missed, q goes back.",
	     UI_DIM, 0, 0);
}

/* The take's answers as they were given: each question with its options
 * in the order shown, the learner's pick and the right one. */
static void add_answers(struct quiz_screen *s, struct app *app)
{
	struct ui_doc *doc = &s->tv.doc;
	struct quiz answered;
	struct quiz_answered *given;
	if (!s->take.uid[0] ||
	    quiz_take_answers(app->store, s->take.uid, &answered, &given) != STORE_OK) {
		para(doc, "The answers of a review are not kept as a take: nothing to show.", UI_DIM,
		     0, 0);
		return;
	}
	char line[64];
	snprintf(line, sizeof line, "Your answers (%zu)", answered.count);
	para(doc, line, UI_TITLE, 0, 0);
	for (size_t k = 0; k < answered.count; k++) {
		const struct quiz_question *q = &answered.questions[k];
		blank(doc);
		char *head = xasprintf("%zu. %s", k + 1, q->prompt);
		para(doc, head, UI_HEADING2, 0, 3);
		free(head);
		if (q->kind == QUIZ_SHORT || q->kind == QUIZ_NUMERIC) {
			char *you = xasprintf("You: %s  %s", given[k].response,
					      ui_glyph(given[k].correct ? GLYPH_CHECK : GLYPH_CROSS));
			para(doc, you, given[k].correct ? UI_GOOD : UI_BAD, 3, 3);
			free(you);
			char *answer = quiz_answer_text(q);
			char *right = xasprintf("Answer: %s", answer);
			para(doc, right, UI_DIM, 3, 3);
			free(right);
			free(answer);
			continue;
		}
		if (given[k].changed)
			para(doc,
			     "The course has changed this question's options since: they are shown "
			     "as you were asked them.",
			     UI_WARN, 3, 3);
		uint64_t right = quiz_right_choices(q),
			 picked = quiz_response_choices(q, given[k].response);
		for (size_t i = 0; i < quiz_choice_count(q); i++) {
			size_t c = quiz_shown_choice(q, i);
			bool is_right = (right >> c) & 1, was_picked = (picked >> c) & 1;
			char *row = xasprintf("%s %zu. %s%s", is_right ? ui_glyph(GLYPH_CHECK)
						       : was_picked ? ui_glyph(GLYPH_CROSS)
								    : " ",
					      i + 1, quiz_choice_text(q, c), was_picked ? "  (yours)" : "");
			para(doc, row, is_right ? UI_GOOD : was_picked ? UI_BAD : UI_DIM, 3, 8);
			free(row);
		}
	}
	quiz_answered_free(given, answered.count);
	quiz_free(&answered);
	blank(doc);
	para(doc, "Esc or v goes back to the score.", UI_DIM, 0, 0);
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
	if (s->phase == ANSWERS) {
		add_answers(s, app);
	} else if (s->phase == SUMMARY || !q) {
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

static void load_questions(struct quiz_screen *s, struct app *app)
{
	quiz_free(&s->quiz);
	if (s->question_id[0]) {
		quiz_load_question(app->store, s->question_id, &s->quiz);
		quiz_shuffle(&s->quiz, s->seed);
	} else if (s->review) {
		quiz_load_review(app->store, app->learner.id, s->lesson_id[0] ? s->lesson_id : NULL,
				 &s->quiz);
		quiz_shuffle(&s->quiz, s->seed);
	} else {
		quiz_load_scope(app->store, s->lesson_id, s->seed, &s->quiz);
	}
}

/* A new take (or review): a new seed draws the questions and the order of
 * their options. */
static void start_take(struct quiz_screen *s, struct app *app)
{
	s->current = 0;
	s->seed = quiz_new_seed(app->learner.id);
	load_questions(s, app);
	bool stored = !s->review && !s->question_id[0];
	if (quiz_take_begin(app->store, app->learner.id, stored ? s->lesson_id : NULL,
			    (int)s->quiz.count, s->seed, &s->take) != STORE_OK)
		screen_flash(app->screens, "Your answers cannot be saved: %s", store_errmsg(app->store));
	if (s->quiz.count)
		start_question(s, app);
	else {
		s->phase = SUMMARY;
		layout(s, app, false);
	}
}

static void *quiz_enter(struct app *app, void *arg)
{
	const struct quiz_request *req = arg;
	struct quiz_screen *s = xcalloc(1, sizeof *s);
	ui_textview_init(&s->tv);
	ui_field_init(&s->field, "", ANSWER_MAX);
	s->review = req->review;
	s->pass_mark = QUIZ_CUMULATIVE_PASS;
	s->answered = req->answered;
	if (req->question_id)
		snprintf(s->question_id, sizeof s->question_id, "%s", req->question_id);
	if (req->lesson_id) {
		snprintf(s->lesson_id, sizeof s->lesson_id, "%s", req->lesson_id);
		bool found;
		s->scope = quiz_scope_of(app->store, req->lesson_id, &found);
		struct lesson l;
		if (s->scope == QUIZ_SCOPE_FINAL) {
			snprintf(s->lesson_title, sizeof s->lesson_title, "Final exam");
		} else if (s->scope == QUIZ_SCOPE_MODULE) {
			struct module_summary *mods = NULL;
			size_t nmods = 0;
			struct lesson_status *ls = NULL;
			size_t n = 0;
			progress_lessons(app->store, app->learner.id, &ls, &n);
			progress_modules(ls, n, &mods, &nmods);
			snprintf(s->lesson_title, sizeof s->lesson_title, "Module %s quiz", req->lesson_id);
			for (size_t m = 0; m < nmods; m++)
				if (!strcmp(mods[m].id, req->lesson_id))
					snprintf(s->lesson_title, sizeof s->lesson_title,
						 "Module quiz: %s", mods[m].title);
			free(mods);
			free(ls);
		} else if (lesson_load(app->store, req->lesson_id, &l) == STORE_OK) {
			snprintf(s->lesson_title, sizeof s->lesson_title, "%s", l.title);
			s->pass_mark = l.pass_mark;
			lesson_free(&l);
		}
	}
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
	const struct quiz_question *q = s->phase >= SUMMARY ? NULL : question(s);
	char line[320];
	if (q && s->question_id[0]) {
		snprintf(line, sizeof line, "Daily review  %s  %s", ui_glyph(GLYPH_DOT_EMPTY),
			 q->lesson_title);
		ui_put(w, top + 1, 2, cols - 4, line, ui_attr(UI_DIM));
	} else if (q) {
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
		char why[160];
		if (!quiz_response_readable(q, buf, why, sizeof why)) {
			screen_flash(app->screens, "%s", why);
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
	/* Positions on screen are not the bank's: the bank's numbers are
	 * stored and graded. */
	char *bank = quiz_response_from_shown(q, buf);
	free(s->response);
	s->response = xstrdup(buf);
	s->mark = QUIZ_WRONG;
	s->saved = bank && quiz_take_answer(app->store, &s->take, q, bank, &s->mark) == STORE_OK;
	free(bank);
	/* An answer the pattern could not check was not stored: the card it
	 * came for stays due. */
	if (s->answered && s->mark != QUIZ_UNCHECKED)
		*s->answered = true;
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

/* u on the feedback: the answer is taken back (its attempt deleted, its
 * card and the take's score as before) and the question is asked again,
 * the answer as given still there to change. */
static void undo_answer(struct quiz_screen *s, struct app *app)
{
	enum store_error e = s->saved ? quiz_take_undo(app->store, &s->take) : STORE_ERR_NOTFOUND;
	if (e == STORE_ERR_NOTFOUND) {
		screen_flash(app->screens, "This answer was not saved: there is nothing to undo.");
		return;
	}
	if (e != STORE_OK) {
		screen_flash(app->screens, "The answer could not be undone: %s",
			     store_errmsg(app->store));
		return;
	}
	s->saved = false;
	if (s->answered)
		*s->answered = false;
	s->phase = ASKING;
	layout(s, app, false);
	screen_flash(app->screens, "Answer undone, nothing of it kept: answer again.");
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
	size_t n = quiz_choice_count(q);
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
			/* A card of the daily review goes back to the session. */
			if (s->question_id[0])
				return SCREEN_BACK;
			next(s, app);
			return SCREEN_HANDLED;
		}
		if (key == 'u') {
			undo_answer(s, app);
			return SCREEN_HANDLED;
		}
		return ui_textview_key(&s->tv, key) ? SCREEN_HANDLED : SCREEN_UNHANDLED;
	case ANSWERS:
		if (key == 'v' || key == UI_KEY_ESC || key == 'q') {
			s->phase = SUMMARY;
			layout(s, app, false);
			return SCREEN_HANDLED;
		}
		return ui_textview_key(&s->tv, key) ? SCREEN_HANDLED : SCREEN_UNHANDLED;
	case SUMMARY:
		if (key == 'v' && s->take.uid[0]) {
			s->phase = ANSWERS;
			layout(s, app, false);
			return SCREEN_HANDLED;
		}
		if (key == 't' && !s->review && !s->question_id[0] && s->quiz.count) {
			start_take(s, app);
			return SCREEN_HANDLED;
		}
		if (key == 'r') {
			s->review = true;
			load_questions(s, app);
			start_take(s, app);
			return SCREEN_HANDLED;
		}
		if (key == 'n' && !s->review && s->scope == QUIZ_SCOPE_LESSON) {
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
	static const char *const feedback[] = {"Enter", "next", "u", "undo", "j/k", "scroll",
					       "q", "leave", NULL};
	static const char *const summary[] = {"v", "answers", "t", "retake", "r", "review missed",
					      "n", "next lesson", "q", "back", NULL};
	static const char *const cumulative_summary[] = {"v", "answers", "t", "new draw", "r",
							 "review missed", "q", "back", NULL};
	static const char *const review_summary[] = {"r", "review again", "q", "back", NULL};
	static const char *const answers[] = {"j/k", "scroll", "v/Esc", "score", NULL};
	static const char *const card_feedback[] = {"Enter", "next card", "u", "undo", "j/k",
						    "scroll", NULL};
	struct quiz_screen *s = self;
	const struct quiz_question *q = question(s);
	if (s->phase == ANSWERS)
		return answers;
	if (s->phase == SUMMARY || !q)
		return s->review ? review_summary
		       : s->scope == QUIZ_SCOPE_LESSON ? summary
						       : cumulative_summary;
	if (s->phase == FEEDBACK)
		return s->question_id[0] ? card_feedback : feedback;
	return typed(q) ? typing : q->kind == QUIZ_MULTIPLE ? ticking : choosing;
}

static const char *quiz_context(void *self, struct app *app)
{
	(void)app;
	struct quiz_screen *s = self;
	if (s->question_id[0])
		snprintf(s->context, sizeof s->context, "a card of the daily review");
	else if (s->lesson_title[0])
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
	"u", "after the feedback: undo the answer (nothing of it kept) and answer again",
	"PgUp/PgDn", "scroll a long question",
	"v", "at the end: your answers, with the options in the order you saw them",
	"t, r, n", "at the end: retake (a new order; a new draw for a module quiz or the final "
		   "exam), review the missed questions, next lesson",
	NULL,
};

const struct screen_ops quiz_screen = {
	.title = "Quiz",
	.mode_keys = quiz_mode_keys,
	.help_keys = quiz_help,
	.help_text = "Every answer is saved as you give it, and the question comes back in the "
		     "daily review when it is due (spaced repetition, as in the drill). A lesson is "
		     "done when its quiz score reaches the pass mark and the lesson has been read to "
		     "its end. The options come in a new order at every take, so an answer is never "
		     "a position to remember. Typed answers are matched generously: case and "
		     "surrounding spaces do not matter, and numbers can be written as 1,200, 1.2k "
		     "or 12%.",
	.enter = quiz_enter,
	.draw = quiz_draw,
	.key = quiz_key,
	.leave = quiz_leave,
	.context = quiz_context,
};
