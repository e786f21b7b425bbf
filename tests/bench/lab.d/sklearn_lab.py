#!/usr/bin/env python3
"""The scikit-learn pipeline that `aipm train` imitates, on the same files,
with the same features: TfidfVectorizer(ngram_range=(1, 2)) +
LogisticRegression() (every default: lbfgs, C 1, tol 1e-4, max_iter 100),
or CountVectorizer(ngram_range=(1, 2)) + MultinomialNB().

"The same features" means the same vocabulary and the same values: both
sides lower-case, find words with the default token_pattern
(?u)\\b\\w\\w+\\b and make word pairs; the vectorizer is given aipm's HTML
preprocessing (tags become a space, the entities aipm knows are decoded,
as src/tokenize.c does) as its preprocessor, since TfidfVectorizer keeps
tags as words by default. The vocabulary sizes of both sides are printed
and compared by the bench.

usage: sklearn_lab.py TRAIN TEST logreg|nb PROBS_OUT
Prints a JSON line: accuracy, vocabulary, iterations, converged; writes the
positive-class probability of every test row to PROBS_OUT, one per line.
"""

import csv
import json
import re
import sys
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import MultinomialNB

NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": " "}
MARKUP = re.compile(r"<[A-Za-z/!?][^<>]*>|&(amp|lt|gt|quot|apos|nbsp);"
                    r"|&#([0-9]{1,7});|&#[xX]([0-9a-fA-F]{1,7});")


def entity(code):
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return " "
    return chr(code)


def markup(m):
    if m.group(0)[0] == "<":
        return " "
    if m.group(1):
        return NAMED[m.group(1)]
    if m.group(2):
        return entity(int(m.group(2)))
    return entity(int(m.group(3), 16))


def preprocess(text):
    return MARKUP.sub(markup, text).lower()


def load(path):
    """Texts and labels of a CSV with a header (text column first, label
    last, as the bench writes them) or a headerless sentence<TAB>label
    file."""
    with open(path, encoding="utf-8", newline="") as f:
        if path.endswith(".txt") or path.endswith(".tsv"):
            rows = [line.rstrip("\n").rsplit("\t", 1) for line in f if line.strip()]
        else:
            rows = list(csv.reader(f))[1:]
    return [r[0] for r in rows], [r[-1] for r in rows]


def main():
    train, test, model, probs_out = sys.argv[1:5]
    xtr, ytr = load(train)
    xte, yte = load(test)
    if model == "logreg":
        vec = TfidfVectorizer(ngram_range=(1, 2), preprocessor=preprocess)
        clf = LogisticRegression()
    else:
        vec = CountVectorizer(ngram_range=(1, 2), preprocessor=preprocess)
        clf = MultinomialNB()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        clf.fit(vec.fit_transform(xtr), ytr)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    Xte = vec.transform(xte)
    positive = list(clf.classes_).index(sorted(set(ytr))[1])
    probs = clf.predict_proba(Xte)[:, positive]
    with open(probs_out, "w") as f:
        f.writelines("%.17g\n" % p for p in probs)
    print(json.dumps({
        "accuracy": clf.score(Xte, yte),
        "vocabulary": len(vec.vocabulary_),
        "iterations": int(clf.n_iter_[0]) if hasattr(clf, "n_iter_") else 1,
        "converged": converged,
    }))


if __name__ == "__main__":
    main()
