#!/usr/bin/env python3
"""Short labelled sentences in the shape of UCI's "Sentiment Labelled
Sentences" (yelp_labelled.txt, amazon_cells_labelled.txt,
imdb_labelled.txt): one `sentence<TAB>label` per line, no header, label 0
or 1, 500 of each per source.

Generated, not real: three invented sources (restaurants, phones, films)
that share the general words of praise and complaint ("great", "awful",
"not worth it") but each has its own subjects and its own ways of saying
it ("the waiter", "the battery", "the plot"; "tasteless", "died after a
week", "wooden acting"). So a model trained on two sources and tested on
the third loses accuracy on the third's own words, as the real
cross-source test does. Standard library only; the same seed gives the
same files.

    gen_sentences.py --seed 7 --out DIR   # DIR/{restaurants,phones,films}.txt
"""

import argparse
import os
import random

COMMON_GOOD = ["great", "good", "excellent", "wonderful", "amazing", "nice", "fantastic",
               "lovely", "perfect", "awesome", "impressive", "solid", "pleasant"]
COMMON_BAD = ["bad", "awful", "terrible", "horrible", "poor", "disappointing", "lousy",
              "mediocre", "dreadful", "pathetic", "useless", "annoying", "weak"]
VERDICT_GOOD = ["I loved it.", "Highly recommended.", "Would do it again.", "Worth every penny.",
                "Five stars.", "I am very happy.", "A real pleasure.", "Definitely a keeper."]
VERDICT_BAD = ["I hated it.", "Not recommended.", "Never again.", "A waste of money.",
               "One star.", "I am very unhappy.", "Avoid it.", "Not worth it."]
INTENS = ["", "", "really ", "very ", "so ", "pretty ", "truly ", "absolutely ", "quite "]

SOURCES = {
    "restaurants": {
        "subjects": ["the food", "the service", "the waiter", "the pasta", "the steak",
                     "the staff", "the place", "the dessert", "the pizza", "the menu",
                     "the sushi", "the burger", "the atmosphere", "the wine list"],
        "good": ["delicious", "tasty", "fresh", "friendly", "attentive", "cozy",
                 "flavorful", "generous"],
        "bad": ["bland", "cold", "rude", "greasy", "stale", "overpriced", "slow",
                "tasteless", "undercooked", "dirty"],
        "good_phrases": ["we will be back", "the portions were huge", "service was quick",
                         "cooked to perfection", "the best meal in town"],
        "bad_phrases": ["we waited an hour", "the order was wrong", "never coming back",
                        "found a hair in it", "the bill was a joke"],
    },
    "phones": {
        "subjects": ["the phone", "the battery", "the headset", "the case", "the charger",
                     "the screen", "this product", "the sound", "the signal", "the camera",
                     "the cable", "the keypad", "this item", "the earpiece"],
        "good": ["sturdy", "reliable", "clear", "loud", "comfortable", "durable",
                 "sleek", "responsive"],
        "bad": ["flimsy", "broken", "cheap", "defective", "fragile", "static", "dead",
                "unreliable", "uncomfortable", "noisy"],
        "good_phrases": ["the battery lasts for days", "works as advertised",
                         "easy to set up", "fits perfectly", "arrived on time"],
        "bad_phrases": ["it died after a week", "stopped working", "returned it",
                        "keeps dropping calls", "the buttons stick"],
    },
    "films": {
        "subjects": ["the movie", "the film", "the plot", "the acting", "the script",
                     "the cast", "the ending", "the director", "the soundtrack",
                     "the story", "the dialogue", "the characters", "the camera work",
                     "the lead actor"],
        "good": ["moving", "gripping", "brilliant", "funny", "beautiful", "touching",
                 "clever", "riveting"],
        "bad": ["boring", "wooden", "predictable", "pointless", "slow", "cheesy",
                "confusing", "lame", "forgettable", "silly"],
        "good_phrases": ["a must see", "kept me on the edge of my seat",
                         "the best film this year", "I laughed out loud", "a true classic"],
        "bad_phrases": ["I walked out", "fell asleep halfway", "a total waste of time",
                        "the worst film ever", "two hours I will never get back"],
    },
}


def sentence(rng, src, label):
    s = SOURCES[src]
    own = s["good"] if label else s["bad"]
    common = COMMON_GOOD if label else COMMON_BAD
    subject = rng.choice(s["subjects"])
    r = rng.random()
    if r < 0.30:
        adj = rng.choice(own) if rng.random() < 0.6 else rng.choice(common)
        text = "%s was %s%s." % (subject.capitalize(), rng.choice(INTENS), adj)
    elif r < 0.50:
        text = "%s." % rng.choice(s["good_phrases"] if label else s["bad_phrases"]).capitalize()
    elif r < 0.65:
        # Negated opposite: "not bland", "not great".
        other = rng.choice((s["bad"] if label else s["good"]) +
                           (COMMON_BAD if label else COMMON_GOOD))
        text = "%s was not %s at all." % (subject.capitalize(), other)
    elif r < 0.80:
        text = rng.choice(VERDICT_GOOD if label else VERDICT_BAD)
    else:
        adj = rng.choice(own)
        text = "%s %s, %s." % (subject.capitalize(), "is " + rng.choice(INTENS) + adj,
                               rng.choice(common))
    if rng.random() < 0.25:
        text += " " + rng.choice(VERDICT_GOOD if label else VERDICT_BAD)
    # Some sentences say the opposite of their label (sarcasm, mixed
    # feelings): real sets are not cleanly separable.
    if rng.random() < 0.06:
        return sentence(rng, src, 1 - label)
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--per-class", type=int, default=500)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for i, src in enumerate(sorted(SOURCES)):
        rng = random.Random(args.seed * 100 + i)
        rows = [(sentence(rng, src, label), label)
                for label in (0, 1) for _ in range(args.per_class)]
        rng.shuffle(rows)
        with open(os.path.join(args.out, src + ".txt"), "w", encoding="utf-8") as f:
            for text, label in rows:
                f.write("%s\t%d\n" % (text, label))


if __name__ == "__main__":
    main()
