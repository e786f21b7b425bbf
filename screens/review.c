/* The daily review: one session of everything due today, drill and quiz
 * questions mixed in due order, as Anki keeps one queue. Each card opens
 * its own screen (a quiz question, an estimate, an interview answer) and
 * comes back here; answering reschedules it with FSRS. */
#include "app.h"

#include "clock.h"
#include "drill_screens.h"
#include "lessons_screens.h"
#include "review.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct review_screen {
	struct review_item *items;
	size_t count, index;
	bool *done;
	size_t answered, skipped;
	/* What the card's screen reports back. */
	struct drill_open open;
	bool quiz_answered;
	bool opened; /* the current card's screen was opened */
	size_t top;  /* first row shown */
	char context[64];
};

static void load(struct review_screen *s, struct app *app)
{
	review_items_free(s->items, s->count);
	free(s->done);
	s->items = NULL;
	s->count = s->index = s->answered = s->skipped = 0;
	s->top = 0;
	review_due(app->store, app->learner.id, clock_now(), &s->items, &s->count);
	s->done = xcalloc(s->count ? s->count : 1, sizeof *s->done);
}

static void *review_enter(struct app *app, void *arg)
{
	(void)arg;
	struct review_screen *s = xcalloc(1, sizeof *s);
	load(s, app);
	return s;
}

static void review_leave(void *self, struct app *app)
{
	(void)app;
	struct review_screen *s = self;
	review_items_free(s->items, s->count);
	free(s->done);
	free(s);
}

/* After a card's screen closes: answered, on to the next; left without
 * an answer, it stays the current card. */
static void follow_up(struct review_screen *s)
{
	if (!s->opened || s->index >= s->count)
		return;
	s->opened = false;
	if (!s->open.answered && !s->quiz_answered)
		return;
	s->done[s->index] = true;
	s->answered++;
	s->index++;
}

static void open_card(struct review_screen *s, struct app *app)
{
	const struct review_item *it = &s->items[s->index];
	s->opened = true;
	s->quiz_answered = false;
	memset(&s->open, 0, sizeof s->open);
	if (it->kind == REVIEW_QUIZ) {
		struct quiz_request req = {.question_id = it->id, .answered = &s->quiz_answered};
		screen_push(app->screens, &quiz_screen, &req);
		return;
	}
	/* Outside a mock interview: number and total stay 0. */
	snprintf(s->open.id, sizeof s->open.id, "%.63s", it->id);
	drill_push_question(app, &s->open, it->type);
}

static const char *kind_label(const struct review_item *it)
{
	return it->kind == REVIEW_QUIZ ? "Quiz" : drill_type_label(it->type);
}

static void review_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct review_screen *s = self;
	follow_up(s);
	int y = top + 1, width = cols - 4;
	char line[512];
	if (!s->count) {
		ui_put(w, y++, 2, width, "Nothing is due today.", ui_attr(UI_GOOD));
		ui_put_wrapped(w, y + 1, 2, width, 4,
			       "Every quiz question you answer and every drill question you practise "
			       "comes back here when it is due: the sooner the less well you knew it.",
			       ui_attr(UI_DIM));
		return;
	}
	size_t drill = 0;
	for (size_t i = 0; i < s->count; i++)
		drill += s->items[i].kind != REVIEW_QUIZ;
	if (s->index >= s->count) {
		snprintf(line, sizeof line, "Done for today: %zu card%s answered%s.", s->answered,
			 s->answered == 1 ? "" : "s",
			 s->skipped ? ", the skipped ones stay due" : "");
		ui_put(w, y++, 2, width, line, ui_attr(UI_GOOD));
	} else {
		snprintf(line, sizeof line, "Card %zu of %zu next: %s. Enter opens it, s skips it.",
			 s->index + 1, s->count, kind_label(&s->items[s->index]));
		ui_put(w, y++, 2, width, line, ui_attr(UI_TITLE));
	}
	snprintf(line, sizeof line,
		 "%zu due today: %zu drill, %zu quiz; most overdue first. Right answers come back "
		 "later, missed ones tomorrow.",
		 s->count, drill, s->count - drill);
	y += ui_put_wrapped(w, y, 2, width, 2, line, ui_attr(UI_DIM));
	y++;
	int room = top + rows - y;
	if (room < 1)
		return;
	/* Keep the current card in view. */
	if (s->index < s->top)
		s->top = s->index;
	if (s->index >= s->top + (size_t)room)
		s->top = s->index - (size_t)room + 1;
	for (size_t i = s->top; i < s->count && y < top + rows; i++, y++) {
		const struct review_item *it = &s->items[i];
		enum ui_glyph g = s->done[i] ? GLYPH_CHECK : i == s->index ? GLYPH_ARROW_RIGHT
									    : GLYPH_DOT_EMPTY;
		ui_put(w, y, 2, 1, ui_glyph(g), ui_attr(s->done[i] ? UI_GOOD : UI_ACCENT));
		snprintf(line, sizeof line, "%-14.14s %s", kind_label(it), it->prompt);
		ui_put(w, y, 4, width - 2, line, ui_attr(i == s->index ? UI_NORMAL : UI_DIM));
	}
}

static enum screen_action review_key(void *self, struct app *app, int key)
{
	struct review_screen *s = self;
	follow_up(s);
	if (s->index < s->count && ui_key_is_enter(key)) {
		open_card(s, app);
		return SCREEN_HANDLED;
	}
	if (s->index < s->count && key == 's') {
		s->skipped++;
		s->index++;
		return SCREEN_HANDLED;
	}
	if (key == 'g' && s->index >= s->count) {
		load(s, app);
		return SCREEN_HANDLED;
	}
	return SCREEN_UNHANDLED;
}

static const char *const running[] = {"Enter", "next card", "s", "skip", "q", "back", NULL};
static const char *const finished[] = {"g", "look again", "q", "back", NULL};

static const char *const *review_mode_keys(void *self)
{
	struct review_screen *s = self;
	return s->index < s->count ? running : finished;
}

static const char *review_context(void *self, struct app *app)
{
	(void)app;
	struct review_screen *s = self;
	follow_up(s);
	if (s->count && s->index < s->count)
		snprintf(s->context, sizeof s->context, "%zu of %zu", s->index + 1, s->count);
	else
		s->context[0] = '\0';
	return s->context;
}

static const char *const review_help[] = {
	"Enter", "open the next card: its question on its own screen, then back here",
	"s", "skip the card (it stays due)",
	"g", "at the end: look for what is due again",
	NULL,
};

const struct screen_ops review_screen = {
	.title = "Daily review",
	.keys = running,
	.mode_keys = review_mode_keys,
	.help_keys = review_help,
	.help_text = "One session for everything due today: the quiz questions you have answered "
		     "and the drill questions you have practised, scheduled with FSRS (spaced "
		     "repetition, as Anki does). A right answer comes back after a longer and "
		     "longer gap; a wrong one the next day. `aipm review` lists the same cards.",
	.enter = review_enter,
	.draw = review_draw,
	.key = review_key,
	.leave = review_leave,
	.context = review_context,
};
