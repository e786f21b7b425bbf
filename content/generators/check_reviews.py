#!/usr/bin/env python3
"""Measure how hard reviews.csv is for the course's classic baselines.

Not a generator: it needs scikit-learn (Debian: apt-get install python3-sklearn).
Trains on an 80/20 stratified split (random_state 42) and prints the test
accuracy of
  * TF-IDF (unigrams + bigrams, min_df=2) + logistic regression,
  * TF-IDF (unigrams, min_df=2) + logistic regression,
  * word counts (unigrams + bigrams, min_df=2) + multinomial naive Bayes.

    python3 content/generators/check_reviews.py content/datasets/reviews.csv
"""

import csv
import sys

from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import MultinomialNB


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "content/datasets/reviews.csv"
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 42
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    texts = [r["review"] for r in rows]
    y = [1 if r["sentiment"] == "positive" else 0 for r in rows]
    xtr, xte, ytr, yte = train_test_split(texts, y, test_size=0.2, stratify=y,
                                          random_state=seed)
    print("rows %d, train %d, test %d, positive share %.3f"
          % (len(rows), len(xtr), len(xte), sum(y) / len(y)))
    runs = [
        ("tfidf(1,2)+logreg", TfidfVectorizer(ngram_range=(1, 2), min_df=2),
         LogisticRegression(max_iter=2000)),
        ("tfidf(1,1)+logreg", TfidfVectorizer(ngram_range=(1, 1), min_df=2),
         LogisticRegression(max_iter=2000)),
        ("counts(1,2)+multinomialNB", CountVectorizer(ngram_range=(1, 2), min_df=2),
         MultinomialNB()),
    ]
    for name, vec, clf in runs:
        clf.fit(vec.fit_transform(xtr), ytr)
        acc = clf.score(vec.transform(xte), yte)
        print("%-28s test accuracy %.4f  (vocabulary %d)" % (name, acc, len(vec.vocabulary_)))


if __name__ == "__main__":
    main()
