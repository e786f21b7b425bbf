/* The glossary: every term with its definition, filtered as you type. */
#include "lessons_screens.h"

#include "app.h"
#include "lesson.h"

#include "input.h"
#include "list.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FILTER_MAX = 64 };

struct glossary_screen {
	struct glossary glossary;
	struct ui_list list;
	struct ui_field filter;
	bool typing;
	char context[32];
};

void glossary_show_entry(struct app *app, const struct glossary_entry *e)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_printf(&sb, "%s\n", e->definition);
	if (*e->aliases)
		sb_printf(&sb, "\nAlso written: %s\n", e->aliases);
	/* The lessons by title, the first nine numbered to open them. */
	size_t openable = 0;
	if (e->lesson_count) {
		sb_puts(&sb, "\nUsed in (a number opens the lesson):\n");
		for (size_t i = 0; i < e->lesson_count; i++) {
			struct lesson l;
			bool known = lesson_load(app->store, e->lessons[i], &l) == STORE_OK;
			if (i < 9)
				sb_printf(&sb, "%zu. %s\n", i + 1, known ? l.title : e->lessons[i]);
			else
				sb_printf(&sb, "   %s\n", known ? l.title : e->lessons[i]);
			if (known)
				lesson_free(&l);
		}
		openable = e->lesson_count < 9 ? e->lesson_count : 9;
	}
	if (*e->source)
		sb_printf(&sb, "\nSource: %s\n", e->source);
	int key = ui_message_key(e->term, sb.data);
	sb_free(&sb);
	if (key >= '1' && key <= '9' && (size_t)(key - '1') < openable)
		lessons_open(app, e->lessons[key - '1']);
}

static void draw_row(WINDOW *w, int y, int x, int width, size_t index, attr_t attr, void *data)
{
	const struct glossary_screen *g = data;
	const struct glossary_entry *e = &g->glossary.entries[index];
	bool selected = attr != A_NORMAL;
	int term_width = width / 3 > 28 ? 28 : width / 3;
	ui_put(w, y, x + 1, term_width, e->term, selected ? attr : ui_attr(UI_ACCENT));
	ui_put(w, y, x + term_width + 3, width - term_width - 4, e->definition,
	       selected ? attr : ui_attr(UI_NORMAL));
}

static bool match(size_t index, const char *filter, void *data)
{
	const struct glossary_screen *g = data;
	return glossary_entry_matches(&g->glossary.entries[index], filter);
}

/* arg: a term to filter by (the one selected in the reader), or NULL. */
static void *glossary_enter(struct app *app, void *arg)
{
	struct glossary_screen *g = xcalloc(1, sizeof *g);
	glossary_load(app->store, &g->glossary);
	ui_list_init(&g->list);
	g->list.empty_text = "No term matches.";
	ui_list_set_model(&g->list, g->glossary.count, draw_row, match, g);
	ui_field_init(&g->filter, arg ? (const char *)arg : "", FILTER_MAX);
	if (arg && *(const char *)arg)
		ui_list_set_filter(&g->list, ui_field_text(&g->filter));
	return g;
}

static void glossary_leave(void *self, struct app *app)
{
	(void)app;
	struct glossary_screen *g = self;
	glossary_free(&g->glossary);
	ui_list_free(&g->list);
	ui_field_free(&g->filter);
	free(g);
}

static void glossary_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct glossary_screen *g = self;
	int y = top + 1;
	ui_put(w, y, 2, 8, "Find:", ui_attr(UI_HEADING2));
	if (g->typing || *ui_field_text(&g->filter)) {
		ui_field_draw(&g->filter, w, y, 9, cols - 12 < 40 ? cols - 12 : 40,
			      ui_attr(g->typing ? UI_SELECTED : UI_NORMAL));
	} else {
		ui_put(w, y, 9, cols - 11, "press / to filter by term, spelling or definition",
		       ui_attr(UI_DIM));
	}
	ui_list_draw(&g->list, w, y + 2, 1, top + rows - y - 2, cols - 2);
	/* The terminal cursor belongs to the status bar, drawn last: show
	 * the field's as a reversed cell. */
	if (g->typing)
		mvwchgat(w, g->filter.cursor_y, g->filter.cursor_x, 1, A_REVERSE, 0, NULL);
}

static enum screen_action glossary_key(void *self, struct app *app, int key)
{
	(void)app;
	struct glossary_screen *g = self;
	if (g->typing) {
		if (ui_key_is_enter(key) || key == UI_KEY_ESC || key == KEY_DOWN || key == KEY_UP) {
			g->typing = false;
			if (key == UI_KEY_ESC) {
				ui_field_set(&g->filter, "");
				ui_list_set_filter(&g->list, NULL);
			}
			return SCREEN_HANDLED;
		}
		if (ui_field_key(&g->filter, key))
			ui_list_set_filter(&g->list, ui_field_text(&g->filter));
		return SCREEN_HANDLED;
	}
	if (ui_list_key(&g->list, key))
		return SCREEN_HANDLED;
	if (ui_key_is_enter(key)) {
		size_t i = ui_list_selected(&g->list);
		if (i != SIZE_MAX)
			glossary_show_entry(app, &g->glossary.entries[i]);
		return SCREEN_HANDLED;
	}
	if (key == '/') {
		g->typing = true;
		return SCREEN_HANDLED;
	}
	return SCREEN_UNHANDLED;
}

static const char *const *glossary_mode_keys(void *self)
{
	static const char *const browsing[] = {"Enter", "open", "/", "filter", "j/k", "move",
					       "q", "back", NULL};
	static const char *const typing[] = {"Enter", "done", "Esc", "clear", NULL};
	const struct glossary_screen *g = self;
	return g->typing ? typing : browsing;
}

static const char *glossary_context(void *self, struct app *app)
{
	(void)app;
	struct glossary_screen *g = self;
	snprintf(g->context, sizeof g->context, "%zu of %zu terms", g->list.visible_count,
		 g->glossary.count);
	return g->context;
}

static const char *const glossary_help[] = {
	"/", "filter the terms as you type (Enter keeps the filter, Esc clears it)",
	"Enter", "the term's definition, other spellings, lessons and source",
	"j/k, g/G", "move, first, last",
	NULL,
};

const struct screen_ops glossary_screen = {
	.title = "Glossary",
	.keys = NULL,
	.mode_keys = glossary_mode_keys,
	.help_keys = glossary_help,
	.help_text = "The course's terms in its own plain words. In a lesson, glossary terms are "
		     "underlined: Tab selects one on screen and Enter opens it.",
	.enter = glossary_enter,
	.draw = glossary_draw,
	.key = glossary_key,
	.leave = glossary_leave,
	.context = glossary_context,
};
