/* aipm predict --model PATH [TEXT...]: labels texts with a model saved by
 * `aipm train --save` or the lab screen. Texts come from the arguments, or
 * one per line on standard input. */
#include "cli.h"
#include "fileio.h"
#include "lab.h"
#include "util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Contributions shown per text with --explain. */
#define EXPLAIN_TERMS 5
/* The longest text one line of standard input may hold. */
#define PREDICT_LINE_MAX (1 << 20)

struct predictor {
	struct text_model model;
	struct tokenizer *tok;
	enum out_format format;
	bool explain;
	struct out_table *table;
	json_t *rows;
};

static void predict_one(struct predictor *p, const char *text)
{
	struct lab_verdict v;
	lab_explain(&p->model, p->tok, text, &v);
	const char *label = p->model.labels[v.label];
	double prob = lab_verdict_probability(&v);
	struct strbuf why;
	sb_init(&why);
	size_t shown = v.nitems < EXPLAIN_TERMS ? v.nitems : EXPLAIN_TERMS;
	json_t *terms = json_array();
	for (size_t i = 0; i < shown; i++) {
		const char *term = vocab_term(p->model.vocab, v.items[i].term);
		sb_printf(&why, "%s%s %+.2f", i ? ", " : "", term, v.items[i].contribution);
		json_array_append_new(terms, json_pack("{s:s, s:f}", "term", term, "contribution",
						       v.items[i].contribution));
	}
	if (p->format == OUT_JSON) {
		json_t *row = json_pack("{s:s, s:s, s:f, s:f}", "text", text, "label", label,
					"probability", prob, "positive_probability", v.prob);
		if (p->explain)
			json_object_set(row, "contributions", terms);
		json_array_append_new(p->rows, row);
	} else {
		out_text(p->table, label);
		out_real(p->table, prob, LAB_PROB_DECIMALS);
		if (p->explain)
			out_text(p->table, why.data ? why.data : "");
		out_text(p->table, text);
		out_table_end_row(p->table);
	}
	json_decref(terms);
	sb_free(&why);
	lab_verdict_free(&v);
}

static int predict_run(struct cli_env *env, int argc, char **argv)
{
	(void)env;
	const char *model_path = NULL;
	struct predictor p = {.format = OUT_TABLE};
	/* Options anywhere; every other argument (and all after "--") is a
	 * text. */
	char **texts = xcalloc((size_t)argc + 1, sizeof *texts);
	size_t ntexts = 0;
	bool options_done = false;
	for (int i = 0; i < argc; i++) {
		if (!options_done) {
			if (!strcmp(argv[i], "--")) {
				options_done = true;
				continue;
			}
			if (!strcmp(argv[i], "--model")) {
				if (i + 1 >= argc) {
					free(texts);
					cli_error("predict", "--model needs a file");
					return 2;
				}
				model_path = argv[++i];
				continue;
			}
			if (!strcmp(argv[i], "--explain")) {
				p.explain = true;
				continue;
			}
			int r = cli_format_option(argc, argv, &i, &p.format, "predict");
			if (r < 0) {
				free(texts);
				return 2;
			}
			if (r > 0)
				continue;
			if (argv[i][0] == '-' && argv[i][1]) {
				free(texts);
				cli_error("predict",
					  "unknown option '%s' (put texts that start with '-' "
					  "after --)",
					  argv[i]);
				return cli_usage(&cmd_predict);
			}
		}
		texts[ntexts++] = argv[i];
	}
	if (!model_path) {
		free(texts);
		return cli_usage(&cmd_predict);
	}
	char err[1024];
	if (model_load(model_path, &p.model, err, sizeof err) != 0) {
		free(texts);
		return cli_error("predict", "%s", err);
	}
	struct lab_model_record rec;
	lab_model_record(&p.model, &rec);
	if (rec.before_lbfgs)
		fprintf(stderr, "aipm predict: %s was trained by SGD before the lab trained to "
				"convergence: its probabilities may be squeezed toward 0.5; train it "
				"again (aipm train --save, or the lab) for a converged model\n",
			model_path);
	p.tok = tokenizer_new(&p.model.tok, err, sizeof err);
	if (!p.tok) {
		free(texts);
		text_model_free(&p.model);
		return cli_error("predict", "%s", err);
	}
	const char *cols[] = {"label", "probability", "why", "text"};
	const char *plain[] = {"label", "probability", "text"};
	p.table = p.explain ? out_table_new(cols, 4) : out_table_new(plain, 3);
	p.rows = json_array();
	int rc = 0;
	if (ntexts) {
		for (size_t i = 0; i < ntexts; i++)
			predict_one(&p, texts[i]);
	} else {
		if (isatty(STDIN_FILENO))
			fputs("aipm predict: reading one text per line; end with Ctrl-D\n", stderr);
		/* A text is at most a long review; all of them at most what a
		 * training file may hold. */
		struct line_reader in;
		line_reader_init(&in, stdin, "standard input", PREDICT_LINE_MAX,
				 file_kind_limit(FILE_TRAINING));
		size_t n;
		int got;
		while ((got = line_reader_next(&in, &n, err, sizeof err)) > 0)
			if (n > 0)
				predict_one(&p, in.buf);
		if (got < 0)
			rc = cli_error("predict", "%s", err);
		line_reader_free(&in);
	}
	if (p.format == OUT_JSON)
		out_json(p.rows, stdout);
	else
		out_table_print(p.table, p.format, stdout);
	json_decref(p.rows);
	out_table_free(p.table);
	free(texts);
	tokenizer_free(p.tok);
	text_model_free(&p.model);
	return rc;
}

const struct cli_command cmd_predict = {
	.name = "predict",
	.usage = "--model PATH [--explain] [--format table|csv|json] [--] [TEXT...]  "
		 "(no TEXT: one per line on stdin)",
	.summary = "label texts with a model saved by 'aipm train --save' or the lab",
	.run = predict_run,
};
