/* The lesson reader: the rendered lesson in the shared text view, reflowed
 * to the window, with search, glossary terms, sources, notes, the way to
 * the quiz, and the reading position kept for the learner. Glossary
 * terms, links to other lessons and Try-it blocks are its actions: Tab
 * selects the next one on screen, Enter opens it. A module's recap is
 * read here too (no position or notes are kept for it). */
#include "lessons_screens.h"
#include "try.h"

#include "pattern.h"
#include "clock.h"
#include "lesson.h"
#include "progress.h"
#include "textview.h"
#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lines longer than this are hard to follow: wider windows get margins. */
enum { MAX_TEXT_WIDTH = 100 };
/* A pause longer than this is not reading. */
enum { IDLE_SECONDS = 120 };
enum { MAX_MATCHES = 10000 };

/* What Tab selects and Enter opens. */
enum action_kind { ACTION_TRY, ACTION_LINK, ACTION_TERM };

struct action {
	enum action_kind kind;
	size_t para, start, end;
	size_t index; /* into md.tries, md.links or terms */
};

struct reader {
	struct lesson lesson;
	bool loaded;
	int questions;
	bool last_lesson; /* the course's last: no "] for the next lesson" */
	struct md_doc md;
	int md_width; /* the text width md was rendered for; 0: not yet */
	struct ui_textview tv;
	struct glossary glossary;
	struct term_hit *terms;
	size_t nterms, capterms;
	struct action *actions; /* in document order */
	size_t nactions, capactions;
	long selected; /* the selected action, -1 for none */
	struct drill_open drill_open; /* a Try-it block's drill question */
	char *heading;                /* opened at a cross-reference's heading */
	struct lesson_note *notes;
	size_t nnotes;
	struct lesson_anchors anchors; /* each paragraph's, for notes and marks */
	struct lesson_bookmark *marks; /* this lesson's bookmarks and highlights */
	size_t nmarks;
	/* search */
	char search[256];
	struct pattern *pattern;
	struct md_hit *hits;
	size_t nhits, caphits, total_hits, hit;
	bool too_complex; /* the search stopped at PCRE2's limits */
	/* the position and the time */
	bool restore;
	size_t restore_para, restore_line;
	bool reached_end;
	int64_t last_key, seconds;
	/* Opened from the course search: the match to start at. */
	bool seek;
	size_t seek_para, seek_offset;
	char context[224];
};

static attr_t style_attr(const struct md_para *para, unsigned style)
{
	attr_t a;
	if (style & MD_STYLE_NOTE)
		return ui_attr(UI_WARN);
	if (style & MD_STYLE_HEADING)
		a = ui_attr(para->level <= 1 ? UI_TITLE : UI_HEADING2);
	else if (style & MD_STYLE_CITATION)
		a = ui_attr(UI_CITATION);
	else if (style & MD_STYLE_CODE)
		a = ui_attr(UI_CODE);
	else if (style & MD_STYLE_TRY)
		a = ui_attr(UI_ACCENT) | A_BOLD;
	else if (style & MD_STYLE_LINK)
		a = ui_attr(UI_ACCENT);
	else if (style & (MD_STYLE_LINK_REF | MD_STYLE_RULE | MD_STYLE_QUOTE))
		a = ui_attr(UI_DIM);
	else if (para->kind == MD_PARA_NOTE)
		a = ui_attr(UI_WARN);
	else
		a = ui_attr(UI_NORMAL);
	if (style & (MD_STYLE_STRONG | MD_STYLE_TABLE_HEAD | MD_STYLE_BULLET))
		a |= A_BOLD;
	if (style & MD_STYLE_EMPH)
		a |= A_ITALIC;
	if (style & MD_STYLE_STRIKE)
		a |= A_DIM;
	if (style & MD_STYLE_TERM)
		a = ui_attr_merge(a, ui_attr(UI_ACCENT));
	return a;
}

/* Copies the rendered lesson into the view, the selected term shown as
 * selected. */
static void fill_view(struct reader *r)
{
	struct ui_doc *doc = &r->tv.doc;
	ui_doc_free(doc);
	const struct action *sel = r->selected >= 0 ? &r->actions[r->selected] : NULL;
	for (size_t p = 0; p < r->md.count; p++) {
		const struct md_para *para = &r->md.paras[p];
		ui_doc_para(doc, para->indent, para->hang);
		for (size_t s = 0; s < para->span_count; s++) {
			const struct md_span *span = &para->spans[s];
			attr_t a = style_attr(para, span->style);
			if (sel && sel->para == p && span->start >= sel->start && span->end <= sel->end)
				a = ui_attr(UI_SELECTED);
			ui_doc_add(doc, para->text + span->start, span->end - span->start, a);
		}
	}
	ui_textview_changed(&r->tv);
}

static void mark_matches(struct reader *r)
{
	ui_textview_clear_marks(&r->tv);
	r->nhits = 0;
	r->total_hits = 0;
	r->too_complex = false;
	if (!r->pattern)
		return;
	r->total_hits = md_doc_search(&r->md, r->pattern, MAX_MATCHES, &r->hits, &r->nhits, &r->caphits,
				      &r->too_complex);
	for (size_t i = 0; i < r->nhits; i++)
		ui_textview_mark(&r->tv, r->hits[i].para, r->hits[i].start, r->hits[i].end);
	if (r->hit >= r->nhits)
		r->hit = 0;
	if (r->nhits)
		ui_textview_mark_current(&r->tv, r->hit);
}

static int action_order(const void *a, const void *b)
{
	const struct action *x = a, *y = b;
	if (x->para != y->para)
		return x->para < y->para ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Every Try-it block, link and glossary term of the rendered lesson, in
 * document order. */
static void collect_actions(struct reader *r)
{
	r->nactions = 0;
	r->selected = -1;
	for (size_t i = 0; i < r->md.try_count; i++) {
		const struct md_para *para = &r->md.paras[r->md.tries[i].para];
		/* The block's first line, not the command under it. */
		const char *nl = memchr(para->text, '\n', para->len);
		struct action a = {ACTION_TRY, r->md.tries[i].para, 0,
				   nl ? (size_t)(nl - para->text) : para->len, i};
		ARRAY_PUSH(r->actions, r->nactions, r->capactions, a);
	}
	for (size_t i = 0; i < r->md.link_span_count; i++) {
		const struct md_link_span *l = &r->md.link_spans[i];
		struct action a = {ACTION_LINK, l->para, l->start, l->end, l->link};
		ARRAY_PUSH(r->actions, r->nactions, r->capactions, a);
	}
	for (size_t i = 0; i < r->nterms; i++) {
		struct action a = {ACTION_TERM, r->terms[i].para, r->terms[i].start, r->terms[i].end, i};
		ARRAY_PUSH(r->actions, r->nactions, r->capactions, a);
	}
	if (r->nactions)
		qsort(r->actions, r->nactions, sizeof *r->actions, action_order);
}

/* Renders the lesson for a text width: the Markdown, the glossary terms,
 * the Try-it blocks with their command lines, the learner's notes and
 * what to do at the end. */
static void render(struct reader *r, struct app *app, int width)
{
	md_doc_free(&r->md);
	r->nterms = 0;
	lesson_render(&r->lesson, width, &r->md);
	/* A glossary pattern too complex for some paragraph leaves it
	 * unmarked there; `aipm content check` reports it. */
	glossary_mark(&r->glossary, &r->md, &r->terms, &r->nterms, &r->capterms);
	lesson_describe_links(app->store, &r->md, false);
	lesson_add_commands(app->store, &r->md, app->content_dir);
	collect_actions(r);
	/* A note written at a paragraph is shown under it (a line added to
	 * the paragraph, so no index moves); the others at the end. */
	size_t at_end = 0;
	for (size_t i = 0; i < r->nnotes; i++) {
		long p = lesson_anchor_find(&r->anchors, r->notes[i].anchor);
		if (p < 0 || (size_t)p >= r->md.count) {
			at_end++;
			continue;
		}
		char *text = xasprintf("%s Your note: %s", ui_glyph(GLYPH_ARROW_RIGHT), r->notes[i].body);
		md_para_add_line(&r->md.paras[p], text, MD_STYLE_NOTE);
		free(text);
	}
	if (at_end) {
		md_doc_append(&r->md, MD_PARA_BLANK, "", 0, 0, 0);
		md_doc_append(&r->md, MD_PARA_HEADING, "Your notes", MD_STYLE_HEADING, 0, 0);
		r->md.paras[r->md.count - 1].level = 2;
		for (size_t i = 0; i < r->nnotes; i++) {
			if (lesson_anchor_find(&r->anchors, r->notes[i].anchor) >= 0)
				continue;
			char when[32];
			clock_format(r->notes[i].created_at, when, sizeof when);
			/* Its paragraph was reworded or removed by a new course. */
			char *text = xasprintf("%s %s  %s%s", ui_glyph(GLYPH_BULLET), when, r->notes[i].body,
					       *r->notes[i].anchor
						   ? " (its paragraph has changed since)"
						   : "");
			md_doc_append(&r->md, MD_PARA_NOTE, text, 0, 0, 2);
			free(text);
		}
	}
	md_doc_append(&r->md, MD_PARA_BLANK, "", 0, 0, 0);
	char *end = r->lesson.recap
			? xasprintf("End of the recap. Press z for the module's quiz, q to go back to "
				    "the course.")
		    : r->last_lesson
			? (r->questions
				   ? xasprintf("End of the course's last lesson. Press z for its quiz (%d "
					       "questions); the final exam is the last row of the "
					       "course (q goes back to it).",
					       r->questions)
				   : xasprintf("End of the course's last lesson. The final exam is the "
					       "last row of the course (q goes back to it)."))
		    : r->questions
			? xasprintf("End of the lesson. Press z for its quiz (%d questions), ] for the "
				    "next lesson.",
				    r->questions)
			: xasprintf("End of the lesson. Press ] for the next lesson.");
	md_doc_append(&r->md, MD_PARA_NOTE, end, MD_STYLE_RULE, 0, 0);
	free(end);
	r->md_width = width;
	fill_view(r);
	mark_matches(r);
	if (r->heading) {
		for (size_t i = 0; i < r->md.section_count; i++) {
			char *slug = md_heading_slug(r->md.sections[i].title);
			bool match = !strcmp(slug, r->heading);
			free(slug);
			if (match) {
				ui_textview_show(&r->tv, r->md.sections[i].para, 0);
				break;
			}
		}
		free(r->heading);
		r->heading = NULL;
	}
	if (r->seek) {
		for (size_t i = 0; i < r->nhits; i++)
			if (r->hits[i].para < r->seek_para ||
			    (r->hits[i].para == r->seek_para && r->hits[i].start <= r->seek_offset))
				r->hit = i;
		if (r->nhits)
			ui_textview_mark_current(&r->tv, r->hit);
		ui_textview_show(&r->tv, r->seek_para, r->seek_offset);
		r->seek = false;
	}
}

static void load_notes(struct reader *r, struct app *app)
{
	lesson_notes_free(r->notes, r->nnotes);
	r->notes = NULL;
	r->nnotes = 0;
	lesson_notes(app->store, app->learner.id, r->lesson.id, &r->notes, &r->nnotes);
}

static void load_marks(struct reader *r, struct app *app)
{
	lesson_bookmarks_free(r->marks, r->nmarks);
	r->marks = NULL;
	r->nmarks = 0;
	lesson_bookmarks_all(app->store, app->learner.id, r->lesson.id, &r->marks, &r->nmarks);
}

/* The paragraph a bookmark or highlight is at now: its anchor's, else
 * (one made before anchors) its index; -1 when its paragraph changed. */
static long mark_para(const struct reader *r, const struct lesson_bookmark *b)
{
	if (!*b->anchor)
		return (long)b->para;
	return lesson_anchor_find(&r->anchors, b->anchor);
}

/* The learner's mark of a kind at paragraph para, or NULL. */
static const struct lesson_bookmark *mark_at(const struct reader *r, size_t para,
					     enum lesson_mark_kind kind)
{
	for (size_t i = 0; i < r->nmarks; i++)
		if (r->marks[i].kind == kind && mark_para(r, &r->marks[i]) == (long)para)
			return &r->marks[i];
	return NULL;
}

/* The lesson's quiz questions, and whether it is the course's last. */
static int question_count(struct app *app, const char *id, bool *last)
{
	struct lesson_status *ls = NULL;
	size_t n = 0;
	int count = 0;
	progress_lessons(app->store, app->learner.id, &ls, &n);
	*last = false;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(ls[i].id, id)) {
			count = ls[i].questions;
			*last = i + 1 == n;
		}
	}
	free(ls);
	return count;
}

/* Reading time: the gaps between keys, a long pause counting as a short
 * one. */
static void count_time(struct reader *r)
{
	int64_t now = clock_now(), gap = now - r->last_key;
	if (gap > 0)
		r->seconds += gap > IDLE_SECONDS ? IDLE_SECONDS : gap;
	r->last_key = now;
}

/* Saves where the learner is, whether the end was seen, and the time read
 * since the last save, in one statement. */
static void save_position(struct reader *r, struct app *app)
{
	if (!r->loaded || !app->signed_in || r->lesson.recap)
		return;
	count_time(r);
	size_t para = r->restore ? r->restore_para : ui_textview_top_para(&r->tv);
	size_t line = r->restore ? r->restore_line : ui_textview_top_line(&r->tv);
	if (lesson_position_save(app->store, app->learner.id, r->lesson.id, para, line,
				 r->reached_end, r->seconds) == STORE_OK)
		r->seconds = 0;
	else if (!store_is_readonly(app->store)) /* read-only was said at the start */
		screen_flash(app->screens, "Your place in this lesson was not saved: %s",
			     store_errmsg(app->store));
}

static void unload(struct reader *r)
{
	lesson_free(&r->lesson);
	md_doc_free(&r->md);
	lesson_notes_free(r->notes, r->nnotes);
	r->notes = NULL;
	r->nnotes = 0;
	lesson_bookmarks_free(r->marks, r->nmarks);
	r->marks = NULL;
	r->nmarks = 0;
	lesson_anchors_free(&r->anchors);
	r->loaded = false;
}

/* Opens a lesson (or a module's recap) in this reader at the saved place;
 * false when it does not exist. */
static bool load(struct reader *r, struct app *app, const char *id, bool recap)
{
	struct lesson lesson;
	if ((recap ? lesson_load_recap(app->store, id, &lesson) : lesson_load(app->store, id, &lesson)) !=
	    STORE_OK)
		return false;
	unload(r);
	r->lesson = lesson;
	r->loaded = true;
	r->questions = recap ? 0 : question_count(app, id, &r->last_lesson);
	if (!recap) {
		load_notes(r, app);
		load_marks(r, app);
		lesson_anchors_make(&r->lesson, &r->anchors);
	}
	ui_textview_reset(&r->tv);
	r->md_width = 0;
	r->reached_end = false;
	r->seconds = 0;
	r->last_key = clock_now();
	struct lesson_position pos;
	lesson_position_get(app->store, app->learner.id, id, &pos);
	r->restore = pos.saved;
	r->restore_para = pos.block;
	r->restore_line = pos.line;
	/* Opening counts as starting the lesson, even before a key. */
	save_position(r, app);
	return true;
}

static void set_search(struct reader *r, struct app *app, const char *pattern)
{
	pattern_free(r->pattern);
	r->pattern = NULL;
	snprintf(r->search, sizeof r->search, "%s", pattern ? pattern : "");
	if (*r->search) {
		char err[256];
		r->pattern = pattern_compile(r->search, err, sizeof err);
		if (!r->pattern)
			screen_flash(app->screens, "Invalid pattern: %s", err);
	}
	r->hit = 0;
	mark_matches(r);
	if (r->too_complex)
		screen_flash(app->screens, "Search stopped: %s.", pattern_rc_text(PATTERN_TOO_COMPLEX));
}

static void *reader_enter(struct app *app, void *arg)
{
	const struct reader_request *req = arg;
	struct reader *r = xcalloc(1, sizeof *r);
	ui_textview_init(&r->tv);
	r->selected = -1;
	glossary_load(app->store, &r->glossary);
	if (!req || !load(r, app, req->lesson_id, req->recap)) {
		screen_flash(app->screens, req && req->recap ? "That module has no recap."
							     : "That lesson is not in the course any more.");
		return r;
	}
	if (req->heading) {
		r->heading = xstrdup(req->heading);
		r->restore = false;
	}
	if (req->search) {
		/* The matches are marked once the lesson is rendered. */
		set_search(r, app, req->search);
		r->restore = false;
		r->seek = true;
		r->seek_para = req->para;
		r->seek_offset = req->offset;
	} else if (req->at_para) {
		/* Where its anchor is now, if it has one and it is found. */
		long p = req->anchor ? lesson_anchor_find(&r->anchors, req->anchor) : -1;
		r->restore = false;
		ui_textview_set_top(&r->tv, p >= 0 ? (size_t)p : req->para, 0);
	}
	return r;
}

static void reader_leave(void *self, struct app *app)
{
	struct reader *r = self;
	save_position(r, app);
	unload(r);
	ui_textview_free(&r->tv);
	glossary_free(&r->glossary);
	free(r->terms);
	free(r->actions);
	free(r->heading);
	free(r->hits);
	pattern_free(r->pattern);
	free(r);
}

/* The view's columns: the window less a margin, at most MAX_TEXT_WIDTH of
 * text, centred. */
static void view_area(int cols, int *x, int *width)
{
	int w = cols - 2;
	int most = MAX_TEXT_WIDTH + (w - ui_textview_text_width(w));
	*width = w > most ? most : w;
	*x = (cols - *width) / 2;
}

/* "Enter: ..." for the selected action. */
static void action_label(const struct reader *r, const struct action *a, char *buf, size_t size)
{
	switch (a->kind) {
	case ACTION_TRY:
		snprintf(buf, size, "Enter: try it (%s)",
			 try_action_name(r->md.tries[a->index].block.action));
		break;
	case ACTION_LINK: {
		const char *href = r->md.links[a->index];
		if (str_starts_with(href, "lesson:")) {
			/* The lesson's id, without the heading. */
			const char *id = href + strlen("lesson:");
			snprintf(buf, size, "Enter: open %.*s", (int)strcspn(id, "#"), id);
		} else {
			snprintf(buf, size, "Enter: show the address");
		}
		break;
	}
	case ACTION_TERM:
		snprintf(buf, size, "Enter: %s",
			 r->glossary.entries[r->terms[a->index].entry].term);
		break;
	}
}

static void draw_info(struct reader *r, WINDOW *w, int y, int cols)
{
	char left[256], right[320] = "";
	size_t top = ui_textview_top_para(&r->tv);
	long section = md_doc_section_of(&r->md, top);
	snprintf(left, sizeof left, "%3d%%  %s", ui_textview_percent(&r->tv),
		 section >= 0 ? r->md.sections[section].title : r->lesson.title);
	if (r->pattern && r->too_complex)
		snprintf(right, sizeof right, "/%s  pattern too complex: %zu found before it stopped",
			 r->search, r->total_hits);
	/* What Enter would open says more than the search it came from. */
	else if (r->selected >= 0)
		action_label(r, &r->actions[r->selected], right, sizeof right);
	else if (r->pattern)
		snprintf(right, sizeof right, "/%s  %zu of %zu%s", r->search, r->nhits ? r->hit + 1 : 0,
			 r->total_hits, r->total_hits > r->nhits ? " (first shown)" : "");
	else if (r->nnotes)
		snprintf(right, sizeof right, "%zu note%s", r->nnotes, r->nnotes == 1 ? "" : "s");
	int rw = ui_width(right);
	int lw = ui_put(w, y, 1, cols - rw - 4, left, ui_attr(UI_DIM));
	if (*right && cols - lw - 4 > 0)
		ui_put_right(w, y, lw + 3, cols - lw - 4, right, ui_attr(UI_DIM));
}

/* In the margin left of the text (column x): a bar beside each line of a
 * highlighted paragraph, an arrow at a bookmarked one's first line. */
static void draw_marks(const struct reader *r, WINDOW *w, int top, int x, int rows)
{
	if (x < 0)
		return;
	const struct ui_textview *tv = &r->tv;
	for (int row = 0; row < rows && tv->top + (size_t)row < tv->line_count; row++) {
		const struct text_line *line = &tv->lines[tv->top + (size_t)row];
		if (mark_at(r, line->para, LESSON_MARK_HIGHLIGHT))
			ui_put(w, top + row, x, 1, ui_glyph(GLYPH_BLOCK_FULL), ui_attr(UI_HEADING2));
		else if (line->start == 0 && mark_at(r, line->para, LESSON_MARK_BOOKMARK))
			ui_put(w, top + row, x, 1, ui_glyph(GLYPH_ARROW_RIGHT), ui_attr(UI_ACCENT));
	}
}

static void reader_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct reader *r = self;
	if (!r->loaded) {
		ui_put(w, top + 1, 2, cols - 4, "This lesson could not be opened. Press q to go back.",
		       ui_attr(UI_WARN));
		return;
	}
	int x, width;
	view_area(cols, &x, &width);
	int text_width = ui_textview_text_width(width);
	/* Tables and rules are laid out for the width: render again when it
	 * changes; the view keeps the paragraph at its top. */
	if (r->md_width != text_width)
		render(r, app, text_width);
	if (r->restore) {
		ui_textview_set_top(&r->tv, r->restore_para, r->restore_line);
		r->restore = false;
	}
	ui_textview_draw(&r->tv, w, top, x, rows - 1, width);
	draw_marks(r, w, top, x - 1, rows - 1);
	if (ui_textview_at_end(&r->tv))
		r->reached_end = true;
	draw_info(r, w, top + rows - 1, cols);
}

static bool hit_visible(const struct reader *r, size_t para, size_t start)
{
	const struct ui_textview *tv = &r->tv;
	size_t line = ui_doc_line_of(tv->lines, tv->line_count, para, start);
	return line >= tv->top && line < tv->top + (size_t)tv->rows;
}

/* Tab: the next action on screen (after the selected one), around to the
 * first; back with Shift-Tab. */
static void cycle_action(struct reader *r, struct app *app, bool forward)
{
	long n = (long)r->nactions, found = -1;
	for (long step = 1; step <= n && found < 0; step++) {
		long i = r->selected < 0 ? (forward ? step - 1 : n - step)
					 : ((r->selected + (forward ? step : -step)) % n + n) % n;
		if (hit_visible(r, r->actions[i].para, r->actions[i].start))
			found = i;
	}
	if (found < 0) {
		screen_flash(app->screens, "No glossary term, link or Try-it block on this screen.");
		return;
	}
	r->selected = found;
	fill_view(r);
}

static void follow_link(struct reader *r, struct app *app, const char *target)
{
	if (!str_starts_with(target, "lesson:")) {
		/* The reader opens no browser: the address, to copy. */
		ui_message("Link", target);
		return;
	}
	char *id = xstrdup(target + strlen("lesson:"));
	char *hash = strchr(id, '#');
	if (hash)
		*hash++ = '\0';
	save_position(r, app);
	struct reader_request req = {.lesson_id = id, .heading = hash};
	screen_push(app->screens, &reader_screen, &req);
	free(id);
}

static void open_action(struct reader *r, struct app *app)
{
	bool shown = r->selected >= 0 &&
		     hit_visible(r, r->actions[r->selected].para, r->actions[r->selected].start);
	/* Nothing selected: a Try-it block on screen first, else the first
	 * action on screen. */
	for (size_t i = 0; i < r->nactions && !shown; i++)
		if (r->actions[i].kind == ACTION_TRY &&
		    hit_visible(r, r->actions[i].para, r->actions[i].start)) {
			r->selected = (long)i;
			shown = true;
		}
	if (!shown) {
		r->selected = -1;
		cycle_action(r, app, true);
	}
	if (r->selected < 0)
		return;
	const struct action *a = &r->actions[r->selected];
	switch (a->kind) {
	case ACTION_TRY:
		save_position(r, app);
		try_run(app, &r->md.tries[a->index].block, &r->drill_open);
		break;
	case ACTION_LINK:
		follow_link(r, app, r->md.links[a->index]);
		break;
	case ACTION_TERM:
		glossary_show_entry(app, &r->glossary.entries[r->terms[a->index].entry]);
		break;
	}
	fill_view(r);
}

/* Whether text names seed (three digits, not part of a longer number). */
static bool cites_seed(const char *text, const char *seed)
{
	for (const char *p = strstr(text, seed); p; p = strstr(p + 1, seed)) {
		bool before = p > text && p[-1] >= '0' && p[-1] <= '9';
		bool after = p[3] >= '0' && p[3] <= '9';
		if (!before && !after)
			return true;
	}
	return false;
}

static void show_sources(struct reader *r)
{
	struct strbuf sb;
	sb_init(&sb);
	char **sources;
	size_t n = lesson_sources(&r->lesson, &sources);
	sb_puts(&sb, "Everything this lesson draws on:\n");
	for (size_t i = 0; i < n; i++) {
		sb_printf(&sb, "%s %s\n", ui_glyph(GLYPH_BULLET), sources[i]);
		free(sources[i]);
	}
	free(sources);
	sb_puts(&sb, "\nCited in the text:\n");
	for (size_t p = 0; p < r->md.count; p++) {
		if (r->md.paras[p].kind != MD_PARA_CITATION)
			continue;
		long s = md_doc_section_of(&r->md, p);
		sb_printf(&sb, "%s %s: %s\n", ui_glyph(GLYPH_BULLET),
			  s >= 0 ? r->md.sections[s].title : r->lesson.title, r->md.paras[p].text);
	}
	/* What the seed numbers cited here stand for. */
	bool legend = false;
	const char *what, *seed;
	for (size_t i = 0; (seed = content_seed(i, &what)); i++) {
		if (!cites_seed(sb.data, seed))
			continue;
		if (!legend)
			sb_puts(&sb, "\nThe seeds cited are the course's source material:\n");
		legend = true;
		sb_printf(&sb, "%s seed %s: %s\n", ui_glyph(GLYPH_BULLET), seed, what);
	}
	ui_message("Sources", sb.data);
	sb_free(&sb);
}

/* The first paragraph of the lesson's own text with text in it, at or
 * below the top of the view (what a note, a bookmark or a highlight is
 * made at); SIZE_MAX for none (the notes and the end line after it). */
static size_t top_text_para(const struct reader *r)
{
	size_t p = ui_textview_top_para(&r->tv);
	while (p < r->anchors.count && (!r->md.paras[p].len || r->md.paras[p].kind == MD_PARA_BLANK ||
					r->md.paras[p].kind == MD_PARA_RULE ||
					r->md.paras[p].kind == MD_PARA_UNDERLINE))
		p++;
	return p < r->anchors.count && p < r->md.count ? p : SIZE_MAX;
}

/* The start of paragraph p's own text (without a note added under it). */
static char *para_excerpt(const struct reader *r, size_t p)
{
	const struct md_para *para = &r->md.paras[p];
	size_t len = para->len;
	for (size_t s = 0; s < para->span_count; s++)
		if (para->spans[s].style & MD_STYLE_NOTE) {
			len = para->spans[s].start;
			break;
		}
	return str_trim(xstrndup(para->text, len));
}

/* The start of text that fits cols columns, cut between characters. */
static int fit(const char *text, int cols)
{
	return (int)ui_fit_n(text, strlen(text), cols);
}

/* a: a note on the paragraph at the top, shown under it (with none, on
 * the whole lesson, shown at its end). */
static void add_note(struct reader *r, struct app *app)
{
	char body[LESSON_NOTE_MAX + 1] = "";
	size_t p = top_text_para(r);
	char *excerpt = p != SIZE_MAX ? para_excerpt(r, p) : NULL;
	char *question =
	    excerpt ? xasprintf("A short note on the paragraph at the top (\"%.*s%s\"), kept with "
				"your progress:",
				fit(excerpt, 40), excerpt, ui_glyph(GLYPH_ELLIPSIS))
		    : xstrdup("A short note on this lesson, kept with your progress:");
	free(excerpt);
	bool typed = ui_prompt("Add a note", question, body, sizeof body);
	free(question);
	if (!typed)
		return;
	str_trim(body);
	if (!*body)
		return;
	if (lesson_note_add(app->store, app->learner.id, r->lesson.id,
			    p != SIZE_MAX ? r->anchors.at[p] : NULL, body) != STORE_OK) {
		screen_flash(app->screens, "The note was not saved: %s", store_errmsg(app->store));
		return;
	}
	load_notes(r, app);
	r->md_width = 0; /* render again, with the note in it */
	screen_flash(app->screens, p != SIZE_MAX ? "Note saved under its paragraph (e lists them)."
						 : "Note saved (listed at the end of the lesson).");
}

/* m: bookmarks the paragraph at the top of the view; h highlights it, or
 * takes its highlight away. */
static void mark_top(struct reader *r, struct app *app, enum lesson_mark_kind kind)
{
	size_t p = top_text_para(r);
	if (p == SIZE_MAX) {
		screen_flash(app->screens, kind == LESSON_MARK_HIGHLIGHT ? "Nothing to highlight here."
									 : "Nothing to bookmark here.");
		return;
	}
	const struct lesson_bookmark *had = mark_at(r, p, kind);
	if (had && kind == LESSON_MARK_HIGHLIGHT) {
		if (lesson_bookmark_delete(app->store, app->learner.id, had->uid) != STORE_OK)
			screen_flash(app->screens, "The highlight was not removed: %s",
				     store_errmsg(app->store));
		else
			screen_flash(app->screens, "Highlight removed (h marks it again).");
		load_marks(r, app);
		return;
	}
	char *excerpt = para_excerpt(r, p);
	if (lesson_bookmark_add(app->store, app->learner.id, r->lesson.id, kind, p, r->anchors.at[p],
				excerpt) != STORE_OK)
		screen_flash(app->screens, "Not saved: %s", store_errmsg(app->store));
	else if (kind == LESSON_MARK_HIGHLIGHT)
		screen_flash(app->screens, "Highlighted (h again removes it; M lists them): %.*s",
			     fit(excerpt, 30), excerpt);
	else
		screen_flash(app->screens, "Bookmarked (M lists your bookmarks): %.*s",
			     fit(excerpt, 40), excerpt);
	free(excerpt);
	load_marks(r, app);
}

static void search_prompt(struct reader *r, struct app *app)
{
	char pattern[256];
	snprintf(pattern, sizeof pattern, "%s", r->search);
	if (!ui_prompt_history("Search this lesson",
			       "A PCRE2 pattern, case-insensitive ((?-i) for exact case); empty clears:",
			       pattern, sizeof pattern, &app->search_history))
		return;
	set_search(r, app, pattern);
	if (!r->pattern)
		return;
	if (!r->nhits) {
		screen_flash(app->screens, "No match for /%s", r->search);
		return;
	}
	/* The first match from the top of the view down. */
	size_t top = ui_textview_top_para(&r->tv);
	r->hit = 0;
	while (r->hit + 1 < r->nhits && r->hits[r->hit].para < top)
		r->hit++;
	if (r->hits[r->hit].para < top)
		r->hit = 0;
	ui_textview_mark_current(&r->tv, r->hit);
	ui_textview_show(&r->tv, r->hits[r->hit].para, r->hits[r->hit].start);
}

static void next_match(struct reader *r, struct app *app, bool forward)
{
	if (!r->pattern || !r->nhits) {
		screen_flash(app->screens, r->pattern ? "No match." : "Search first with /.");
		return;
	}
	/* As less: from the current match while it is on screen, otherwise
	 * from the top of the view (after G, say), wrapping with a word. */
	const struct md_hit *at = &r->hits[r->hit];
	bool from_current = ui_textview_where(&r->tv, at->para, at->start) == 0;
	size_t to = r->nhits;
	if (forward) {
		for (size_t i = from_current ? r->hit + 1 : 0; i < r->nhits && to == r->nhits; i++)
			if (from_current || ui_textview_where(&r->tv, r->hits[i].para, r->hits[i].start) >= 0)
				to = i;
		if (to == r->nhits) {
			to = 0;
			screen_flash(app->screens, "search hit bottom, continuing at top");
		}
	} else {
		for (size_t i = from_current ? r->hit : r->nhits; i-- > 0 && to == r->nhits;)
			if (from_current || ui_textview_where(&r->tv, r->hits[i].para, r->hits[i].start) < 0)
				to = i;
		if (to == r->nhits) {
			to = r->nhits - 1;
			screen_flash(app->screens, "search hit top, continuing at bottom");
		}
	}
	r->hit = to;
	ui_textview_mark_current(&r->tv, r->hit);
	ui_textview_show(&r->tv, r->hits[r->hit].para, r->hits[r->hit].start);
}

/* ] and [: the next or previous lesson in course order, in this reader. */
static void step_lesson(struct reader *r, struct app *app, int direction)
{
	struct lesson_status *ls = NULL;
	size_t n = 0;
	progress_lessons(app->store, app->learner.id, &ls, &n);
	size_t at = n;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ls[i].id, r->lesson.id))
			at = i;
	if (at < n && (direction > 0 ? at + 1 < n : at > 0)) {
		char *id = xstrdup(ls[direction > 0 ? at + 1 : at - 1].id);
		save_position(r, app);
		set_search(r, app, NULL);
		load(r, app, id, false);
		free(id);
	} else {
		screen_flash(app->screens, direction > 0 ? "This is the last lesson." : "This is the first lesson.");
	}
	free(ls);
}

static enum screen_action reader_key(void *self, struct app *app, int key)
{
	struct reader *r = self;
	if (!r->loaded)
		return SCREEN_UNHANDLED;
	count_time(r);
	if (ui_textview_key(&r->tv, key))
		return SCREEN_HANDLED;
	if (ui_key_is_enter(key)) {
		open_action(r, app);
		return SCREEN_HANDLED;
	}
	switch (key) {
	case '\t':
		cycle_action(r, app, true);
		return SCREEN_HANDLED;
	case KEY_BTAB:
		cycle_action(r, app, false);
		return SCREEN_HANDLED;
	case '/':
		search_prompt(r, app);
		return SCREEN_HANDLED;
	case 'n':
	case 'N':
		next_match(r, app, key == 'n');
		return SCREEN_HANDLED;
	case 's':
		show_sources(r);
		return SCREEN_HANDLED;
	case 'a':
		if (r->lesson.recap)
			screen_flash(app->screens, "Notes are kept on lessons, not on recaps.");
		else
			add_note(r, app);
		return SCREEN_HANDLED;
	case 'm':
	case 'h':
		if (r->lesson.recap)
			screen_flash(app->screens, "Bookmarks and highlights are kept on lessons, not on "
						   "recaps.");
		else
			mark_top(r, app, key == 'h' ? LESSON_MARK_HIGHLIGHT : LESSON_MARK_BOOKMARK);
		return SCREEN_HANDLED;
	case 'M':
		save_position(r, app);
		screen_push(app->screens, &bookmarks_screen, NULL);
		return SCREEN_HANDLED;
	case 'e':
		if (r->lesson.recap) {
			screen_flash(app->screens, "Notes are kept on lessons, not on recaps.");
		} else {
			save_position(r, app);
			screen_push(app->screens, &notes_screen, r->lesson.id);
		}
		return SCREEN_HANDLED;
	case 'z':
		if (r->lesson.recap) {
			screen_push(app->screens, &quiz_screen,
				    &(struct quiz_request){.lesson_id = r->lesson.module_id});
			return SCREEN_HANDLED;
		}
		if (!r->questions) {
			screen_flash(app->screens, "This lesson has no quiz.");
			return SCREEN_HANDLED;
		}
		/* The quiz's result says whether the lesson is done, so the
		 * reading must be saved first. */
		save_position(r, app);
		screen_push(app->screens, &quiz_screen,
			    &(struct quiz_request){.lesson_id = r->lesson.id});
		return SCREEN_HANDLED;
	case ']':
	case '[':
		if (r->lesson.recap)
			screen_flash(app->screens, "A recap: q goes back to the course.");
		else
			step_lesson(r, app, key == ']' ? 1 : -1);
		return SCREEN_HANDLED;
	case 't': {
		save_position(r, app);
		/* With a term selected, the glossary opens filtered to it. */
		const struct action *a = r->selected >= 0 ? &r->actions[r->selected] : NULL;
		const char *term = a && a->kind == ACTION_TERM
				       ? r->glossary.entries[r->terms[a->index].entry].term
				       : NULL;
		screen_push(app->screens, &glossary_screen, (void *)term);
		return SCREEN_HANDLED;
	}
	default:
		return SCREEN_UNHANDLED;
	}
}

static const char *reader_context(void *self, struct app *app)
{
	(void)app;
	struct reader *r = self;
	if (!r->loaded)
		return "";
	snprintf(r->context, sizeof r->context, "%s %s %s", r->lesson.module_title,
		 ui_glyph(GLYPH_ARROW_RIGHT), r->lesson.title);
	return r->context;
}

static const char *const reader_keys[] = {"j/k", "scroll", "/", "search", "n/N", "match",
					  "Tab", "select", "Enter", "open", "z", "quiz",
					  "s", "sources", "a", "note", "e", "notes", "]", "next", "q", "back", NULL};
static const char *const reader_help[] = {
	"j/k, arrows", "scroll a line (the mouse wheel too)",
	"Space/b, PgDn/PgUp", "scroll a page",
	"g/G, Home/End", "the top, the end",
	"/", "search the lesson (PCRE2; (?-i) for exact case)",
	"n/N", "next, previous match",
	"Tab/Shift-Tab", "select the next, previous term, link or Try-it block on screen",
	"Enter", "open it: a Try-it block its module, set up; a link its lesson; a term its "
		 "entry (nothing selected: the Try-it block on screen)",
	"t", "the glossary",
	"s", "the lesson's sources",
	"a / e", "add a note on the top paragraph (shown under it); edit or delete the "
		 "lesson's notes",
	"m / M", "bookmark the top paragraph (an arrow in the margin); all bookmarks and "
		 "highlights",
	"h", "highlight the top paragraph (a bar in the margin), or remove its highlight",
	"z", "take the lesson's quiz",
	"] / [", "the next, previous lesson",
	NULL,
};

const struct screen_ops reader_screen = {
	.title = "Lesson",
	.keys = reader_keys,
	.help_keys = reader_help,
	.help_text = "Your place in each lesson is saved when you leave it, and the lesson counts "
		     "as read once its end has been on screen. Underlined words are glossary "
		     "terms (a term used everywhere, such as model, only at its first use in each "
		     "section); citations are in their own colour. Under each Try-it block is the "
		     "command that does the same from the shell.",
	.enter = reader_enter,
	.draw = reader_draw,
	.key = reader_key,
	.leave = reader_leave,
	.context = reader_context,
};
