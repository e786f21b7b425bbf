/* The coach's import: a file picker over folders and .csv files (each
 * bundle shows whose it is and when it was exported), marking files with
 * Space, then importing them one by one, each checked whole and imported
 * in one transaction, with the result or the reason for a refusal, and a
 * progress bar while many import. */
#include "coach_screens.h"

#include "bundle.h"
#include "clock.h"
#include "list.h"
#include "progressbar.h"
#include "ui.h"
#include "util.h"

#include <limits.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Results kept on screen, newest last. */
#define RESULTS_KEPT 50
/* How long one pass imports before the screen is drawn again. */
#define SLICE_SECONDS 0.05

struct result {
	char *text;
	bool ok;
};

struct picker {
	char dir[PATH_MAX];
	struct bundle_dir_entry *entries;
	size_t count;
	bool *marked;
	struct ui_list list;
	char error[PATH_MAX + 64];
	/* The import under way: files left, and how it went. */
	char **queue;
	size_t queued, done;
	size_t imported, refused, rows_added;
	struct result results[RESULTS_KEPT];
	size_t result_count;
};

static void picker_row(WINDOW *w, int y, int x, int width, size_t index, attr_t attr,
		       void *data)
{
	struct picker *p = data;
	const struct bundle_dir_entry *e = &p->entries[index];
	if (e->is_dir) {
		ui_put(w, y, x, 2, ui_glyph(GLYPH_ARROW_RIGHT), ui_attr_merge(attr, ui_attr(UI_ACCENT)));
		char name[PATH_MAX];
		snprintf(name, sizeof name, "%s/", e->name);
		ui_put(w, y, x + 4, width - 4, name, ui_attr_merge(attr, ui_attr(UI_ACCENT)));
		return;
	}
	ui_put(w, y, x, 3, p->marked[index] ? "[x]" : "[ ]", attr);
	int name_w = width / 2 - 4;
	ui_put(w, y, x + 4, name_w, e->name, attr);
	char about[256];
	if (e->peek.is_bundle) {
		char day[16];
		coach_format_day(e->peek.exported_at, "?", day, sizeof day);
		snprintf(about, sizeof about, "%s, exported %s",
			 e->peek.learner_name[0] ? e->peek.learner_name : "a learner", day);
	} else {
		snprintf(about, sizeof about, "not a progress bundle");
	}
	ui_put(w, y, x + 5 + name_w, width - 5 - name_w, about,
	       ui_attr_merge(attr, ui_attr(e->peek.is_bundle ? UI_NORMAL : UI_DIM)));
}

static void add_result(struct picker *p, bool ok, char *text)
{
	if (p->result_count == RESULTS_KEPT) {
		free(p->results[0].text);
		memmove(p->results, p->results + 1, (RESULTS_KEPT - 1) * sizeof *p->results);
		p->result_count--;
	}
	p->results[p->result_count++] = (struct result){text, ok};
}

static void load_dir(struct picker *p, const char *dir)
{
	char resolved[PATH_MAX];
	if (!realpath(dir, resolved)) {
		snprintf(p->error, sizeof p->error, "No folder %s.", dir);
		return;
	}
	struct bundle_dir_entry *entries;
	size_t count;
	char err[PATH_MAX + 64];
	if (bundle_dir_scan(resolved, &entries, &count, err, sizeof err) != 0) {
		snprintf(p->error, sizeof p->error, "%s", err);
		return;
	}
	bundle_dir_free(p->entries, p->count);
	free(p->marked);
	p->entries = entries;
	p->count = count;
	p->marked = xcalloc(count + 1, sizeof *p->marked);
	snprintf(p->dir, sizeof p->dir, "%s", resolved);
	p->error[0] = '\0';
	ui_list_set_model(&p->list, p->count, picker_row, NULL, p);
	ui_list_select(&p->list, 0);
	p->list.top = 0;
}

static void *picker_enter(struct app *app, void *arg)
{
	(void)app;
	(void)arg;
	struct picker *p = xcalloc(1, sizeof *p);
	ui_list_init(&p->list);
	p->list.empty_text = "No folders or .csv files here.";
	char cwd[PATH_MAX];
	load_dir(p, getcwd(cwd, sizeof cwd) ? cwd : "/");
	return p;
}

static void stop_queue(struct picker *p)
{
	for (size_t i = p->done; i < p->queued; i++)
		free(p->queue[i]);
	free(p->queue);
	p->queue = NULL;
	p->queued = p->done = 0;
	wtimeout(stdscr, -1);
}

static void picker_leave(void *self, struct app *app)
{
	(void)app;
	struct picker *p = self;
	stop_queue(p);
	bundle_dir_free(p->entries, p->count);
	free(p->marked);
	ui_list_free(&p->list);
	for (size_t i = 0; i < p->result_count; i++)
		free(p->results[i].text);
	free(p);
}

/* The marked files, or the one under the cursor when none is marked. */
static void start_import(struct picker *p)
{
	size_t cap = 0, cursor = ui_list_selected(&p->list);
	for (size_t i = 0; i < p->count; i++)
		if (p->marked[i])
			ARRAY_PUSH(p->queue, p->queued, cap,
				   xasprintf("%s/%s", p->dir, p->entries[i].name));
	if (!p->queued && cursor != SIZE_MAX && !p->entries[cursor].is_dir)
		ARRAY_PUSH(p->queue, p->queued, cap,
			   xasprintf("%s/%s", p->dir, p->entries[cursor].name));
	if (!p->queued) {
		snprintf(p->error, sizeof p->error, "Mark files with Space (a: every bundle here).");
		return;
	}
	p->done = p->imported = p->refused = p->rows_added = 0;
	memset(p->marked, 0, p->count * sizeof *p->marked);
	/* Import between draws: a key read that does not wait. */
	wtimeout(stdscr, 0);
}

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One slice: a batch of bundles (each all or nothing) committed before
 * the screen shows them imported. */
static void import_some(struct picker *p, struct app *app)
{
	double until = seconds_now() + SLICE_SECONDS;
	char err[1024];
	struct bundle_batch *batch = bundle_batch_begin(app->store, err, sizeof err);
	if (!batch) {
		add_result(p, false, xstrdup(err));
		stop_queue(p);
		return;
	}
	size_t before = p->imported + p->refused, imported = p->imported;
	while (p->done < p->queued && seconds_now() < until) {
		char *path = p->queue[p->done++];
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		struct bundle b;
		struct bundle_import_result res;
		int rc = bundle_read(path, &b, err, sizeof err);
		if (rc == 0)
			rc = bundle_batch_import(batch, &b, path, clock_now(), &res, err, sizeof err);
		if (rc == 0) {
			p->imported++;
			p->rows_added += res.added;
			/* A changed row differs from the copy already here, which
			 * was kept: worth the coach's eye. */
			char changed[48] = "";
			if (res.changed)
				snprintf(changed, sizeof changed, ", %zu changed", res.changed);
			add_result(p, true,
				   xasprintf("%s: %s%s, %zu new, %zu updated%s, %zu already here%s%s",
					     base, res.learner_name, res.new_learner ? " (new)" : "",
					     res.added, res.updated, changed, res.unchanged,
					     res.key_pinned ? "; key pinned: " : "",
					     res.key_pinned ? res.fingerprint : ""));
			bundle_import_result_free(&res);
		} else {
			p->refused++;
			/* The reason starts with the path (and a line): show the
			 * file's name. */
			const char *why = strstr(err, path) == err ? err + strlen(path) : err;
			int line = 0, used = 0;
			if (sscanf(why, ":%d:%n", &line, &used) == 1 && used)
				add_result(p, false, xasprintf("%s, line %d, refused:%s", base, line,
							       why + used));
			else
				add_result(p, false, xasprintf("%s refused: %s", base,
							       why + strspn(why, ": ")));
		}
		free(path);
	}
	if (bundle_batch_commit(batch, err, sizeof err) != 0) {
		/* Nothing of this slice was kept: say so on its results (the
		 * newest ones). */
		size_t slice = p->imported + p->refused - before;
		for (size_t i = 0; i < slice && i < p->result_count; i++)
			p->results[p->result_count - 1 - i].ok = false;
		p->imported = imported;
		add_result(p, false, xstrdup(err));
		stop_queue(p);
		return;
	}
	if (p->done == p->queued)
		stop_queue(p);
}

static void picker_draw(void *self, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	(void)app;
	struct picker *p = self;
	int width = cols - 4, y = top, bottom = top + rows;
	ui_put(w, y++, 2, width, p->dir, ui_attr(UI_TITLE));
	if (p->error[0])
		ui_put(w, y, 2, width, p->error, ui_attr(UI_WARN));
	else
		ui_put(w, y, 2, width,
		       "Space marks a file, Enter opens a folder or imports, o types a folder.",
		       ui_attr(UI_DIM));
	y += 2;
	/* The results take the bottom rows once there are any. */
	int result_rows = p->result_count || p->queued ? (rows >= 18 ? 6 : 3) : 0;
	int list_rows = bottom - y - result_rows - (result_rows ? 1 : 0);
	ui_list_draw(&p->list, w, y, 2, list_rows, width);
	if (!result_rows)
		return;
	y += list_rows;
	ui_hline(w, y++, 2, width, ui_attr(UI_DIM));
	if (p->queued) {
		char rate[64];
		snprintf(rate, sizeof rate, "%zu of %zu files", p->done, p->queued);
		struct ui_progress bar = {(double)p->done / (double)p->queued, "Importing", rate};
		ui_progress_draw(&bar, w, y++, 2, 1, width);
		result_rows--;
	} else {
		char line[160];
		snprintf(line, sizeof line, "%zu imported, %zu refused, %zu new rows.", p->imported,
			 p->refused, p->rows_added);
		ui_put(w, y++, 2, width, line, ui_attr(p->refused ? UI_WARN : UI_GOOD));
		result_rows--;
	}
	size_t first = p->result_count > (size_t)result_rows ? p->result_count - (size_t)result_rows
							     : 0;
	for (size_t i = first; i < p->result_count && y < bottom; i++) {
		ui_put(w, y, 2, 2, ui_glyph(p->results[i].ok ? GLYPH_CHECK : GLYPH_CROSS),
		       ui_attr(p->results[i].ok ? UI_GOOD : UI_BAD));
		ui_put(w, y++, 4, width - 2, p->results[i].text, ui_attr(UI_NORMAL));
	}
}

static enum screen_action picker_key(void *self, struct app *app, int key)
{
	struct picker *p = self;
	if (p->queued) {
		/* Esc stops between two files; what is imported stays. */
		if (key == UI_KEY_ESC || key == 'q')
			stop_queue(p);
		else
			import_some(p, app);
		return SCREEN_HANDLED;
	}
	if (key == ERR)
		return SCREEN_HANDLED;
	if (ui_list_key(&p->list, key))
		return SCREEN_HANDLED;
	size_t i = ui_list_selected(&p->list);
	char path[PATH_MAX + 8];
	switch (key) {
	case ' ':
		if (i != SIZE_MAX && !p->entries[i].is_dir) {
			p->marked[i] = !p->marked[i];
			if (i + 1 < p->count)
				ui_list_select(&p->list, i + 1);
		}
		return SCREEN_HANDLED;
	case 'a': {
		bool any = false;
		for (size_t k = 0; k < p->count; k++)
			any |= p->marked[k];
		for (size_t k = 0; k < p->count; k++)
			p->marked[k] = !any && p->entries[k].peek.is_bundle;
		return SCREEN_HANDLED;
	}
	case KEY_BACKSPACE:
	case 127:
	case '-':
		snprintf(path, sizeof path, "%s/..", p->dir);
		load_dir(p, path);
		return SCREEN_HANDLED;
	case 'o': {
		char typed[PATH_MAX] = "";
		if (ui_prompt("Open a folder", "Folder:", typed, sizeof typed) && typed[0])
			load_dir(p, typed);
		return SCREEN_HANDLED;
	}
	case 'i':
		start_import(p);
		return SCREEN_HANDLED;
	default:
		break;
	}
	if (ui_key_is_enter(key) && i != SIZE_MAX) {
		if (p->entries[i].is_dir) {
			snprintf(path, sizeof path, "%s/%s", p->dir, p->entries[i].name);
			load_dir(p, path);
		} else {
			start_import(p);
		}
		return SCREEN_HANDLED;
	}
	return SCREEN_UNHANDLED;
}

static const char *const picker_keys[] = {"Space", "mark", "Enter", "open/import", "-", "up",
					  "o", "folder", "q", "back", NULL};
static const char *const picker_help[] = {
    "j/k, arrows", "move",
    "Space", "mark or unmark a file",
    "a", "mark every bundle in this folder (again: unmark all)",
    "Enter", "open a folder; on a file, import the marked files (or this one)",
    "i", "import the marked files",
    "- or Backspace", "the folder above",
    "o", "type a folder to open",
    "Esc (importing)", "stop after the current file",
    NULL,
};

const struct screen_ops coach_import_screen = {
	.title = "Coach: import progress bundles",
	.keys = picker_keys,
	.help_keys = picker_help,
	.help_text = "A progress bundle is the file a learner writes with 'aipm progress export'. "
		     "Each is checked whole (its checksum, its course version, every row) before "
		     "anything is written, then imported in one go; importing it again adds "
		     "nothing, and a newer one adds what is new. Learners are matched by their id, "
		     "not their name.",
	.enter = picker_enter,
	.draw = picker_draw,
	.key = picker_key,
	.leave = picker_leave,
};
