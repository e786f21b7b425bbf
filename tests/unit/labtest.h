/* Helpers for the model-lab unit tests: a double comparison that prints
 * both values, and small sparse matrices written out densely. Include
 * after <cmocka.h>. */
#ifndef AIPM_LABTEST_H
#define AIPM_LABTEST_H

#include "text_features.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>

#define assert_near(actual, expected, eps)                                              \
	do {                                                                            \
		double actual_ = (actual), expected_ = (expected);                      \
		if (!(fabs(actual_ - expected_) <= (eps)))                              \
			fail_msg("%s = %.10g, expected %.10g (within %g)", #actual,     \
				 actual_, expected_, (double)(eps));                    \
	} while (0)

/* A CSR matrix from rows x cols dense values (zeros left out). */
static inline void labtest_csr(struct csr *m, const double *dense, size_t rows, size_t cols)
{
	m->rows = rows;
	m->cols = cols;
	m->indptr = xmalloc((rows + 1) * sizeof *m->indptr);
	m->indices = xmalloc((rows * cols + 1) * sizeof *m->indices);
	m->values = xmalloc((rows * cols + 1) * sizeof *m->values);
	size_t k = 0;
	for (size_t r = 0; r < rows; r++) {
		m->indptr[r] = k;
		for (size_t c = 0; c < cols; c++)
			if (dense[r * cols + c] != 0) {
				m->indices[k] = (uint32_t)c;
				m->values[k++] = (float)dense[r * cols + c];
			}
	}
	m->indptr[rows] = k;
}

/* Value of row r, column c of m (0 when absent). */
static inline double labtest_at(const struct csr *m, size_t r, size_t c)
{
	for (size_t k = m->indptr[r]; k < m->indptr[r + 1]; k++)
		if (m->indices[k] == c)
			return m->values[k];
	return 0;
}

#endif
