/* Labelled text for the model lab: a CSV (libcsv; Kaggle's "IMDB
 * Dataset.csv" shape with quoted multi-line reviews loads as it is) or a
 * tab-separated `sentence<TAB>label` file, with the text and label columns
 * and the two labels found automatically. Also the course's "small
 * balanced subset" and a seeded, stratified train/validation/test split.
 *
 * Labels become 0 (the negative side) and 1 (the positive side). Rows with
 * an empty text or no label are skipped and counted; everything else that
 * is wrong is refused with `file:line: message`. */
#ifndef AIPM_TEXTDATA_H
#define AIPM_TEXTDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Things the learner should know about the data, one sentence each. */
struct text_warnings {
	char **items;
	size_t count, cap;
};
void text_warnings_add(struct text_warnings *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Frees every sentence; the list stays usable (empty). */
void text_warnings_clear(struct text_warnings *w);

struct text_example {
	char *text;
	int label; /* 0 or 1 */
	int line;  /* physical line where the row starts */
};

struct text_dataset {
	char *path;
	char sha256[65]; /* of the file's bytes: which data a run used */
	struct text_example *rows;
	size_t count, cap;
	char *label_names[2];  /* as written in the file; [1] is the positive class */
	char *text_column;     /* header name, or "column N" without a header */
	char *label_column;
	size_t class_counts[2];
	bool tsv, has_header;
	struct text_warnings warnings;
};

struct textdata_options {
	/* Column by header name (any case) or 1-based number; NULL: detect. */
	const char *text_col, *label_col;
	/* The labels of a training file, when loading its test file: the same
	 * names map to the same classes and a new label is refused. */
	const char *const *labels;
};

/* Loads path. Returns 0, or -1 with "path:line: reason" in err. */
int textdata_load(const char *path, const struct textdata_options *opt, struct text_dataset *out,
		  char *err, size_t errlen);
/* The same from memory; name stands for the file in messages. */
int textdata_parse(const char *name, const char *data, size_t len,
		   const struct textdata_options *opt, struct text_dataset *out, char *err,
		   size_t errlen);
void textdata_free(struct text_dataset *d);

/* Words (white-space separated) in a text: the unit of the length
 * histogram. */
size_t textdata_words(const char *text);
/* Counts the rows idx[0..n) (every row when idx is NULL) by word count
 * into nbins bins of *bin_width words each (the width is chosen so that the
 * 98th percentile fits; longer rows go into the last bin). */
void textdata_length_histogram(const struct text_dataset *d, const size_t *idx, size_t n,
			       size_t *bins, size_t nbins, size_t *bin_width);

/* The course's "small balanced subset": up to per_class rows of each class,
 * picked at random with seed, as row indices in *out (malloc'd, in file
 * order). A class with fewer rows gives all of them and is marked in
 * short_class. per_class 0 takes every row. */
size_t textdata_balanced(const struct text_dataset *d, size_t per_class, uint64_t seed,
			 size_t **out, bool short_class[2]);

struct text_split {
	size_t *train, *val, *test; /* row indices */
	size_t ntrain, nval, ntest;
	/* No separate test set: the validation set stands in for it (the
	 * course's own caveat). */
	bool val_is_test;
};

/* Splits the rows idx[0..n) per class (stratified), shuffled with seed:
 * test_frac to the test set, val_frac to the validation set, the rest to
 * training. test_frac 0 with val_frac > 0 evaluates on the validation set
 * (val_is_test); with_test_file means the test rows come from another
 * file, so test_frac must be 0. Returns -1 with a reason when a set would
 * miss a class. */
int textdata_split(const struct text_dataset *d, const size_t *idx, size_t n, double test_frac,
		   double val_frac, uint64_t seed, bool with_test_file, struct text_split *out,
		   char *err, size_t errlen);
void text_split_free(struct text_split *s);

#endif
