#!/usr/bin/env python3
"""Print what is in the quiz bank and check it against the course formats.

A checking script, not a generator (standard library only). From the
repository root:

    python3 content/generators/check_quiz.py content

It prints the questions per lesson and kind, the answer positions of the
single-choice questions, the share of "true" among the true/false ones,
and runs every short-answer pattern against its model answer, its listed
wrong answers (the `reject` column) and the right phrasings listed in
SHORT_RIGHT below, with the app's own matching: PCRE2 (libpcre2-8, loaded
with ctypes), case-insensitive, UTF-8 with Unicode properties, anywhere in
the trimmed answer. Without libpcre2-8 it falls back to Python's re and
says so. Exit status 1 when a rule of COURSE-FORMATS.md sections 1 and 2,
or of the issue's bank size (250 questions, 6 per lesson), is broken, or
when the right option of more than 40% of the single-choice questions is
also their longest option (a give-away this script adds to the formats).
"""

import csv
import ctypes
import ctypes.util
import glob
import os
import re
import sys
from collections import Counter, defaultdict

MIN_TOTAL = 250
MIN_PER_LESSON = 6
MIN_REJECTS = 3
MAX_POSITION_SHARE = 0.40
TRUE_SHARE = (0.40, 0.60)
MAX_LONGEST_SHARE = 0.40

# Right phrasings a learner might type, beside the model answer: each must
# match its question's pattern. Keyed by question id.
SHORT_RIGHT = {
    'm1-every-pm-an-ai-pm-q3': ['The PM', 'The product manager', 'The PM does; the AI refines it', 'Me, the PM', 'The human PM, not the tool', 'I do'],
    'm1-every-pm-an-ai-pm-q7': ['mission statement', 'the mission', 'Her mission statements'],
    'm1-shiny-object-trap-q1': ['shiny object trap', 'The shiny object', 'shiny objects', 'the shiny new object trap'],
    'm1-when-not-to-use-ai-q2': ['A Figma prototype', 'a prototype that fakes the AI', 'a mockup', 'Fake it', 'fake the AI with a prototype'],
    'm1-where-ai-helps-q4': ['Its data collection and dashboards', 'what data it collects', 'its dashboards', 'the existing data'],
    'm2-ai-ml-deep-learning-q3': ['Unsupervised learning', 'unsupervised', 'clustering', 'un-supervised'],
    'm2-how-gpt-was-trained-q4': ['They rank them from best to worst', 'rank them', 'They put them in order from best to worst', 'order them by quality', 'They compare them and pick the best', 'say which one they prefer'],
    'm2-how-gpt-was-trained-q7': ['a persona', 'give it a persona', 'a role, like a physics teacher'],
    'm2-how-models-learn-q3': ['How confident the model is', 'its confidence', 'the probability that it is a rhino', 'how sure it is', "the chance it's a rhino"],
    'm2-how-much-data-q4': ['The AI product manager', 'The PM', 'the product manager', 'AI PM', 'the product lead'],
    'm2-the-live-notebook-q3': ['Run the cells in order', 'a skipped cell', 'the cells were run out of order', 'she forgot to run a cell', 'run all cells top to bottom', 'run them sequentially'],
    'm2-three-eras-q4': ['CNN', 'a convolutional neural network', 'convolutional network'],
    'm2-three-eras-q7': ['in-context learning', 'in context learning', 'few-shot prompting'],
    'm2-training-paradigms-q2': ['The prompt', 'The input', 'You rewrite the prompt', 'the instructions in the prompt', 'The input text you give the model'],
    'm3-a-game-of-thresholds-q1': ['False positives', 'FP', 'false accepts', 'some false positives'],
    'm3-operationalizing-ai-q1': ['Data drift', 'drift', 'the data drifted'],
    'm3-operationalizing-ai-q7': ['metrics', 'clear metrics', 'KPIs', 'success criteria'],
    'm3-prototype-is-not-a-product-q2': ['inference', 'the cost of inference', 'running the model for every request', 'serving the model'],
    'm3-the-ai-lifecycle-q4': ['An experimental culture', 'experimentation', 'a culture of experimenting and iterating', 'Experiment-driven'],
    'm4-buy-in-and-uncertainty-q1': ['Kill criteria', 'a circuit breaker', 'a rollback plan', 'kill criterion', 'exit criteria'],
    'm4-buy-in-and-uncertainty-q8': ['Shadow them', 'spend time with them and observe their work', 'talk to them and watch how they work'],
    'm4-the-pm-around-the-model-q3': ['A data-collection program manager', 'a program manager', 'programme manager', 'PgM', 'a TPM'],
    'm4-the-svp-meeting-q8': ['What it would do for his business', 'its business value', 'how it moves his metrics', "the impact on his business unit's metrics"],
    'm4-three-part-framework-q1': ['expectations, experimentation, buy-in', 'set context, experimental culture, get alignment beforehand', 'Context and expectations; an experimental culture; champions and previews'],
    'm5-black-boxes-and-fairness-q1': ['Captum', 'captum for pytorch'],
    'm5-operations-and-feedback-q2': ['Data drift', 'drift'],
    'm5-operations-and-feedback-q8': ['Monitor and optimize', 'monitoring', 'monitoring after launch'],
    'm5-why-ai-products-fail-q3': ['Its privacy culture', 'A culture of protecting user privacy', 'It never collected usage data', 'no instrumentation of how people used its AI products', "They didn't track usage data because of privacy"],
    'm6-a-strategy-framework-q4': ['User expectations', 'whether the tech stack is in place', 'the risks', 'Do we have the infrastructure?', 'risks to the business'],
    'm6-a-strategy-framework-q7': ['What we give up', 'what we sacrifice', 'the tradeoffs', 'What do we have to sacrifice?', 'what else we stop doing'],
    'm6-do-you-need-an-ai-strategy-q2': ['useless', 'worthless', 'plans are useless'],
    'm6-four-pillars-q3': ['Visionary leadership', 'leadership', 'the role of visionary leadership'],
    'm6-four-pillars-q7': ['The learnings, whether successful or not', 'what each experiment taught', 'lessons learned'],
    'm7-experiments-and-launch-q3': ['Minimum viable quality', 'minimum-viable quality'],
    'm7-from-mission-to-metrics-q3': ['Indirect', 'indirectly', "It's an indirect link"],
    'm7-okrs-kpis-north-star-q2': ['North Star', 'the north star metric', 'North-Star'],
    'm7-the-confusion-matrix-q1': ['False positive', 'FP', 'a false-positive', 'a type I error'],
    'm7-three-buckets-of-metrics-q3': ['more male voices', 'too few female voices', 'not enough accents', 'lack of accent diversity', 'gender imbalance'],
    'm8-interview-question-types-q2': ['The bar raiser', 'bar-raiser', 'a bar raiser'],
    'm8-metrics-and-estimation-answers-q2': ['AI proxy', 'the AI proxy metrics', 'proxy metrics'],
    'm8-root-cause-and-strategy-answers-q1': ['YouTube Shorts', 'the launch of Shorts', 'short-form videos', 'shorter videos'],
    'm8-root-cause-and-strategy-answers-q7': ['Internal: a release that reached one surface only', 'an internal factor', 'a bad Android release', 'a platform-specific bug'],
    'm8-the-interview-process-q3': ['Join AI hackathons', 'a hackathon on Devpost', 'hackathons'],
}


class Pcre2:
    """The app's matching (src/answer.c): PCRE2 with CASELESS, UTF, UCP."""

    CASELESS = 0x00000008
    UCP = 0x00020000
    UTF = 0x00080000
    MATCH_INVALID_UTF = 0x04000000
    ZERO_TERMINATED = ctypes.c_size_t(-1).value

    def __init__(self):
        name = ctypes.util.find_library("pcre2-8") or "libpcre2-8.so.0"
        lib = ctypes.CDLL(name)
        self.compile = lib.pcre2_compile_8
        self.compile.restype = ctypes.c_void_p
        self.compile.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint32,
                                 ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_size_t),
                                 ctypes.c_void_p]
        self.mdata = lib.pcre2_match_data_create_from_pattern_8
        self.mdata.restype = ctypes.c_void_p
        self.mdata.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self.match = lib.pcre2_match_8
        self.match.restype = ctypes.c_int
        self.match.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_size_t,
                               ctypes.c_uint32, ctypes.c_void_p, ctypes.c_void_p]
        self.free_code = lib.pcre2_code_free_8
        self.free_code.argtypes = [ctypes.c_void_p]
        self.free_data = lib.pcre2_match_data_free_8
        self.free_data.argtypes = [ctypes.c_void_p]
        self.name = "PCRE2 (%s)" % name

    def matches(self, pattern, text):
        err, off = ctypes.c_int(), ctypes.c_size_t()
        opts = self.CASELESS | self.UTF | self.UCP | self.MATCH_INVALID_UTF
        code = self.compile(pattern.encode(), self.ZERO_TERMINATED, opts, ctypes.byref(err),
                            ctypes.byref(off), None)
        if not code:
            raise ValueError("pattern does not compile (PCRE2 error %d at %d)" % (err.value, off.value))
        data = self.mdata(code, None)
        subject = text.strip().encode()
        rc = self.match(code, subject, len(subject), 0, 0, data, None)
        self.free_data(data)
        self.free_code(code)
        if rc < -1:
            raise ValueError("match error %d" % rc)
        return bool(subject) and rc > 0


class PythonRe:
    name = "Python re (libpcre2-8 not found: close, not exact)"

    @staticmethod
    def matches(pattern, text):
        text = text.strip()
        return bool(text) and re.search(pattern, text, re.IGNORECASE) is not None


def load(content):
    rows = []
    for path in sorted(glob.glob(os.path.join(content, "quiz", "*.csv"))):
        with open(path, newline="", encoding="utf-8") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                row["_where"] = "%s:%d" % (os.path.relpath(path), line)
                rows.append(row)
    return rows


def lesson_ids(content):
    ids = []
    for path in sorted(glob.glob(os.path.join(content, "lessons", "*.md"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("id:"):
                    ids.append(line.split(":", 1)[1].strip())
                    break
    return ids


def options(row):
    return [c.strip() for c in row["choices"].split(" | ")] if row["choices"] else []


def main():
    content = sys.argv[1] if len(sys.argv) > 1 else "content"
    rows = load(content)
    problems = []
    try:
        engine = Pcre2()
    except OSError:
        engine = PythonRe()

    ids = Counter(r["id"] for r in rows)
    for i, n in ids.items():
        if n > 1:
            problems.append("duplicate question id %s" % i)

    per_lesson = Counter(r["lesson"] for r in rows)
    kinds = Counter(r["kind"] for r in rows)
    print("questions: %d (%s)" % (len(rows), ", ".join("%s %d" % kv for kv in sorted(kinds.items()))))
    lessons = lesson_ids(content)
    counts = [per_lesson.get(l, 0) for l in lessons]
    print("lessons: %d; questions per lesson: min %d, max %d" % (len(lessons), min(counts), max(counts)))
    for l in lessons:
        if per_lesson.get(l, 0) < MIN_PER_LESSON:
            problems.append("%s has %d questions (at least %d)" % (l, per_lesson.get(l, 0), MIN_PER_LESSON))
    for l in per_lesson:
        if l not in lessons:
            problems.append("questions for unknown lesson %s" % l)
    if len(rows) < MIN_TOTAL:
        problems.append("%d questions in all (at least %d)" % (len(rows), MIN_TOTAL))

    # Order within a lesson: 1..n, no gaps or repeats.
    orders = defaultdict(list)
    for r in rows:
        orders[r["lesson"]].append(int(r["order"]))
    for l, o in orders.items():
        if sorted(o) != list(range(1, len(o) + 1)):
            problems.append("%s: orders %s are not 1..%d" % (l, sorted(o), len(o)))

    # Single-choice positions (COURSE-FORMATS.md section 2).
    singles = [r for r in rows if r["kind"] == "single"]
    at = Counter(int(r["answer"]) for r in singles)
    offered = Counter()
    for r in singles:
        for p in range(1, len(options(r)) + 1):
            offered[p] += 1
    print("single: %d questions" % len(singles))
    for p in sorted(offered):
        share = at[p] / offered[p]
        print("  position %d: %3d right of %3d offering it (%.1f%%)" % (p, at[p], offered[p], 100 * share))
        if share > MAX_POSITION_SHARE:
            problems.append("single-choice position %d holds %.1f%% (at most %.0f%%)" % (p, 100 * share, 100 * MAX_POSITION_SHARE))
    for p in range(1, 5):
        if at[p] == 0:
            problems.append("single-choice position %d is never right" % p)
    # The right option should not give itself away by being the longest
    # (a rule of this script, not of COURSE-FORMATS.md).
    longest = sum(all(len(o[int(r["answer"]) - 1]) > len(x) for i, x in enumerate(o) if i != int(r["answer"]) - 1)
                  for r in singles for o in [options(r)])
    if singles:
        print("  right option strictly the longest: %d of %d (%.1f%%)" % (longest, len(singles), 100 * longest / len(singles)))
        if longest > MAX_LONGEST_SHARE * len(singles):
            problems.append("the right option is the longest in %d of %d single-choice questions (at most %.0f%%)" % (longest, len(singles), 100 * MAX_LONGEST_SHARE))

    multiples = [r for r in rows if r["kind"] == "multiple"]
    for r in multiples:
        right = [int(x) for x in r["answer"].split(",")]
        if len(right) >= len(options(r)):
            problems.append("%s: every option is right" % r["id"])
    if multiples:
        spread = Counter(len(options(r)) - len(r["answer"].split(",")) for r in multiples)
        print("multiple: %d questions; wrong options per question: %s" % (len(multiples), dict(sorted(spread.items()))))

    tf = [r for r in rows if r["kind"] == "truefalse"]
    true = sum(r["answer"] == "true" for r in tf)
    if tf:
        share = true / len(tf)
        print("truefalse: %d questions, %d true (%.1f%%)" % (len(tf), true, 100 * share))
        if not TRUE_SHARE[0] <= share <= TRUE_SHARE[1]:
            problems.append("true/false share of true is %.1f%% (40-60%%)" % (100 * share))

    # Short answers (COURSE-FORMATS.md section 1).
    shorts = [r for r in rows if r["kind"] == "short"]
    nrej = Counter()
    print("short: %d questions, matched with %s" % (len(shorts), engine.name))
    for r in shorts:
        rejects = [x.strip() for x in r["reject"].split(" | ") if x.strip()]
        nrej[len(rejects)] += 1
        if len(rejects) < MIN_REJECTS:
            problems.append("%s %s: %d rejects (at least %d)" % (r["_where"], r["id"], len(rejects), MIN_REJECTS))
        try:
            if not engine.matches(r["answer"], r["model_answer"]):
                problems.append("%s %s: the model answer %r does not match" % (r["_where"], r["id"], r["model_answer"]))
            for x in rejects:
                if engine.matches(r["answer"], x):
                    problems.append("%s %s: the wrong answer %r matches" % (r["_where"], r["id"], x))
            for x in SHORT_RIGHT.get(r["id"], []):
                if not engine.matches(r["answer"], x):
                    problems.append("%s %s: the right phrasing %r does not match" % (r["_where"], r["id"], x))
        except ValueError as e:
            problems.append("%s %s: %s" % (r["_where"], r["id"], e))
    print("  rejects per question: %s; right phrasings tested: %d" % (
        dict(sorted(nrej.items())), sum(len(SHORT_RIGHT.get(r["id"], [])) for r in shorts)))
    for i in SHORT_RIGHT:
        if i not in ids:
            problems.append("SHORT_RIGHT names unknown question %s" % i)

    for p in problems:
        print("problem: " + p)
    print("%d problems" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
