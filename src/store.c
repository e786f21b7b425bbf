#include "store.h"

#include "clock.h"
#include "keys.h"
#include "sanitize.h"
#include "fileio.h"
#include "store_sql.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>

/* How long a write waits for another process's transaction (a second
 * terminal, a coach import) before it gives up with "database is locked". */
#define BUSY_TIMEOUT_MS 10000

struct cached_stmt {
	char *sql;
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	bool readonly;
	struct cached_stmt *cache;
	size_t ncache, capcache;
	/* The last failure's message, kept because the rollback that follows
	 * a failed write leaves SQLite's own at "not an error". */
	char last_error[256];
	struct checkpointer *checkpointer; /* while a long write runs */
};

/* Each entry is one schema step, applied in its own transaction together
 * with the matching PRAGMA user_version. Never edit a shipped entry: add a
 * new one. */
static const char *const migrations[] = {
	/* 1: content tables (replaced wholesale on import) and the first
	 * learner tables. */
	"CREATE TABLE content_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE modules (id TEXT PRIMARY KEY, ord INTEGER NOT NULL, title TEXT NOT NULL,"
	"  summary TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE lessons (id TEXT PRIMARY KEY,"
	"  module_id TEXT NOT NULL REFERENCES modules(id), ord INTEGER NOT NULL,"
	"  title TEXT NOT NULL, sources TEXT NOT NULL, pass_mark INTEGER NOT NULL DEFAULT 70,"
	"  body TEXT NOT NULL, words INTEGER NOT NULL, file TEXT NOT NULL);"
	"CREATE TABLE quiz_questions (id TEXT PRIMARY KEY,"
	"  lesson_id TEXT NOT NULL REFERENCES lessons(id), ord INTEGER NOT NULL,"
	"  kind TEXT NOT NULL, prompt TEXT NOT NULL, choices TEXT NOT NULL DEFAULT '',"
	"  answer TEXT NOT NULL, tolerance TEXT NOT NULL DEFAULT '',"
	"  model_answer TEXT NOT NULL DEFAULT '', reject TEXT NOT NULL DEFAULT '',"
	"  explanation TEXT NOT NULL, source TEXT NOT NULL);"
	"CREATE INDEX quiz_questions_lesson ON quiz_questions(lesson_id, ord);"
	"CREATE TABLE glossary (term TEXT PRIMARY KEY, aliases TEXT NOT NULL DEFAULT '',"
	"  definition TEXT NOT NULL, source TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE glossary_lessons (term TEXT NOT NULL REFERENCES glossary(term),"
	"  lesson_id TEXT NOT NULL REFERENCES lessons(id), PRIMARY KEY (term, lesson_id));"
	"CREATE TABLE estimation_questions (id TEXT PRIMARY KEY, question TEXT NOT NULL,"
	"  unit TEXT NOT NULL, answer REAL NOT NULL, low REAL NOT NULL, high REAL NOT NULL,"
	"  difficulty TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '',"
	"  target_seconds INTEGER NOT NULL DEFAULT 300, source TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE estimation_steps (question_id TEXT NOT NULL REFERENCES estimation_questions(id),"
	"  ord INTEGER NOT NULL, name TEXT NOT NULL, expression TEXT NOT NULL,"
	"  unit TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (question_id, ord));"
	"CREATE TABLE interview_questions (id TEXT PRIMARY KEY, type TEXT NOT NULL,"
	"  question TEXT NOT NULL, model_outline TEXT NOT NULL DEFAULT '',"
	"  target_seconds INTEGER NOT NULL DEFAULT 600, lesson_id TEXT REFERENCES lessons(id),"
	"  source TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE rubric_points (question_id TEXT NOT NULL REFERENCES interview_questions(id),"
	"  ord INTEGER NOT NULL, point TEXT NOT NULL, hint TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (question_id, ord));"
	"CREATE TABLE frameworks (type TEXT NOT NULL, ord INTEGER NOT NULL, step TEXT NOT NULL,"
	"  detail TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (type, ord));"
	"CREATE TABLE learners (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL COLLATE NOCASE, created_at INTEGER NOT NULL);"
	"CREATE UNIQUE INDEX learners_name ON learners(name);"
	"CREATE TABLE app_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE learner_settings (learner_id INTEGER NOT NULL REFERENCES learners(id)"
	"  ON DELETE CASCADE, key TEXT NOT NULL, value TEXT NOT NULL,"
	"  PRIMARY KEY (learner_id, key));"
	"CREATE TABLE lesson_progress (learner_id INTEGER NOT NULL REFERENCES learners(id)"
	"  ON DELETE CASCADE, lesson_id TEXT NOT NULL, block INTEGER NOT NULL DEFAULT 0,"
	"  line_in_block INTEGER NOT NULL DEFAULT 0, read_to_end INTEGER NOT NULL DEFAULT 0,"
	"  seconds_spent INTEGER NOT NULL DEFAULT 0, opened_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL, PRIMARY KEY (learner_id, lesson_id));"
	"CREATE TABLE quiz_takes (uid TEXT PRIMARY KEY, learner_id INTEGER NOT NULL"
	"  REFERENCES learners(id) ON DELETE CASCADE, lesson_id TEXT NOT NULL,"
	"  started_at INTEGER NOT NULL, finished_at INTEGER, answered INTEGER NOT NULL DEFAULT 0,"
	"  correct INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL);"
	"CREATE INDEX quiz_takes_learner ON quiz_takes(learner_id, lesson_id);"
	"CREATE TABLE quiz_attempts (uid TEXT PRIMARY KEY, learner_id INTEGER NOT NULL"
	"  REFERENCES learners(id) ON DELETE CASCADE, take_uid TEXT REFERENCES quiz_takes(uid),"
	"  question_id TEXT NOT NULL, answer TEXT NOT NULL, correct INTEGER NOT NULL,"
	"  answered_at INTEGER NOT NULL);"
	"CREATE INDEX quiz_attempts_learner ON quiz_attempts(learner_id, question_id);"
	"CREATE TABLE notes (uid TEXT PRIMARY KEY, learner_id INTEGER NOT NULL"
	"  REFERENCES learners(id) ON DELETE CASCADE, lesson_id TEXT NOT NULL,"
	"  body TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE INDEX notes_learner ON notes(learner_id, lesson_id);",
	/* 2: the interview drill: answers to the estimation and interview
	 * banks, self-grades per rubric point, mock interviews, and one
	 * spaced-repetition (FSRS) card per learner and question, keyed
	 * 'est:<id>' or 'iq:<id>'. */
	"CREATE TABLE mock_sessions (uid TEXT PRIMARY KEY, learner_id INTEGER NOT NULL"
	"  REFERENCES learners(id) ON DELETE CASCADE, planned INTEGER NOT NULL,"
	"  started_at INTEGER NOT NULL, finished_at INTEGER);"
	"CREATE INDEX mock_sessions_learner ON mock_sessions(learner_id, started_at);"
	"CREATE TABLE estimation_attempts (uid TEXT PRIMARY KEY, learner_id INTEGER NOT NULL"
	"  REFERENCES learners(id) ON DELETE CASCADE, question_id TEXT NOT NULL,"
	"  point REAL NOT NULL, low REAL NOT NULL, high REAL NOT NULL,"
	"  log_error REAL NOT NULL, hit INTEGER NOT NULL CHECK (hit IN (0, 1)),"
	"  width REAL NOT NULL, interval_score REAL NOT NULL, points REAL NOT NULL,"
	"  seconds INTEGER NOT NULL, paused_seconds INTEGER NOT NULL DEFAULT 0,"
	"  worksheet TEXT NOT NULL DEFAULT '',"
	"  mock_uid TEXT REFERENCES mock_sessions(uid) ON DELETE SET NULL,"
	"  answered_at INTEGER NOT NULL);"
	"CREATE INDEX estimation_attempts_learner ON estimation_attempts(learner_id, answered_at);"
	"CREATE INDEX estimation_attempts_mock ON estimation_attempts(mock_uid);"
	"CREATE TABLE interview_attempts (uid TEXT PRIMARY KEY, learner_id INTEGER NOT NULL"
	"  REFERENCES learners(id) ON DELETE CASCADE, question_id TEXT NOT NULL,"
	"  type TEXT NOT NULL, answer_text TEXT NOT NULL, seconds INTEGER NOT NULL,"
	"  paused_seconds INTEGER NOT NULL DEFAULT 0, score REAL NOT NULL,"
	"  mock_uid TEXT REFERENCES mock_sessions(uid) ON DELETE SET NULL,"
	"  answered_at INTEGER NOT NULL);"
	"CREATE INDEX interview_attempts_learner ON interview_attempts(learner_id, answered_at);"
	"CREATE INDEX interview_attempts_mock ON interview_attempts(mock_uid);"
	"CREATE TABLE rubric_grades (attempt_uid TEXT NOT NULL"
	"  REFERENCES interview_attempts(uid) ON DELETE CASCADE, ord INTEGER NOT NULL,"
	"  hinted INTEGER NOT NULL CHECK (hinted IN (0, 1)),"
	"  grade INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 2), PRIMARY KEY (attempt_uid, ord));"
	"CREATE TABLE review_cards (learner_id INTEGER NOT NULL REFERENCES learners(id)"
	"  ON DELETE CASCADE, item_id TEXT NOT NULL, stability REAL NOT NULL,"
	"  difficulty REAL NOT NULL, reps INTEGER NOT NULL, lapses INTEGER NOT NULL,"
	"  last_review INTEGER NOT NULL, due_at INTEGER NOT NULL,"
	"  PRIMARY KEY (learner_id, item_id));"
	"CREATE INDEX review_cards_due ON review_cards(learner_id, due_at);",
	/* 3: progress bundles and the coach's view. A coach's database holds
	 * learners imported from bundles (origin 'imported'), matched by UUID:
	 * their names may repeat, so names stay unique only among the learners
	 * who sign in on this machine. Every import is logged (the last import
	 * per learner); coaches put learners in named groups. */
	"ALTER TABLE learners ADD COLUMN origin TEXT NOT NULL DEFAULT 'local'"
	"  CHECK (origin IN ('local', 'imported'));"
	"DROP INDEX learners_name;"
	"CREATE UNIQUE INDEX learners_local_name ON learners(name) WHERE origin = 'local';"
	"CREATE TABLE bundle_imports (id INTEGER PRIMARY KEY, learner_id INTEGER NOT NULL"
	"  REFERENCES learners(id) ON DELETE CASCADE, file TEXT NOT NULL, checksum TEXT NOT NULL,"
	"  format INTEGER NOT NULL, aipm_version TEXT NOT NULL, exported_at INTEGER NOT NULL,"
	"  imported_at INTEGER NOT NULL, rows INTEGER NOT NULL, added INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL);"
	"CREATE INDEX bundle_imports_learner ON bundle_imports(learner_id, imported_at);"
	"CREATE TABLE coach_groups (id INTEGER PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE"
	"  UNIQUE, created_at INTEGER NOT NULL);"
	"CREATE TABLE coach_group_members (group_id INTEGER NOT NULL REFERENCES coach_groups(id)"
	"  ON DELETE CASCADE, learner_id INTEGER NOT NULL REFERENCES learners(id)"
	"  ON DELETE CASCADE, PRIMARY KEY (group_id, learner_id));"
	"CREATE INDEX coach_group_members_learner ON coach_group_members(learner_id);",
	/* 4: the model lab's experiment log, one row per training run (data,
	 * split, settings and metrics as JSON; the headline numbers as columns
	 * for sorting and comparing). */
	"CREATE TABLE experiments (uid TEXT PRIMARY KEY, learner_id INTEGER NOT NULL"
	"  REFERENCES learners(id) ON DELETE CASCADE, created_at INTEGER NOT NULL,"
	"  data TEXT NOT NULL, settings TEXT NOT NULL, metrics TEXT NOT NULL,"
	"  accuracy REAL NOT NULL, f1 REAL NOT NULL, seconds REAL NOT NULL);"
	"CREATE INDEX experiments_learner ON experiments(learner_id, created_at);",
	/* 5: totals for the coach's views, kept by triggers in the same
	 * transaction as the attempts they add up (an import, or the app's own
	 * writes), so that the cohort and the difficult questions read a few
	 * thousand rows at 1,000 learners instead of millions. coach_answers
	 * holds one row per learner and question (kind 0 quiz, 1 estimation, 2
	 * interview; a miss is a wrong quiz answer, a 90% range that did not
	 * hold the answer, or under 60% of an interview rubric; score sums the
	 * right answers, the held ranges or the rubric shares); coach_questions
	 * and coach_learners add those up per question and per learner;
	 * coach_lesson_best is each learner's best finished quiz per lesson.
	 * last_at and last_active keep the newest answer ever seen. The
	 * indexes serve the most common wrong answers of a question. */
	"CREATE TABLE coach_answers (kind INTEGER NOT NULL, question_id TEXT NOT NULL,"
	"  learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,"
	"  attempts INTEGER NOT NULL, misses INTEGER NOT NULL, score REAL NOT NULL,"
	"  last_at INTEGER NOT NULL, PRIMARY KEY (kind, question_id, learner_id)) WITHOUT ROWID;"
	"CREATE INDEX coach_answers_learner ON coach_answers(learner_id, kind);"
	"CREATE TABLE coach_questions (kind INTEGER NOT NULL, question_id TEXT NOT NULL,"
	"  learners INTEGER NOT NULL, missed_by INTEGER NOT NULL, attempts INTEGER NOT NULL,"
	"  misses INTEGER NOT NULL, PRIMARY KEY (kind, question_id)) WITHOUT ROWID;"
	"CREATE TABLE coach_learners (learner_id INTEGER PRIMARY KEY REFERENCES learners(id)"
	"  ON DELETE CASCADE, quiz_answers INTEGER NOT NULL DEFAULT 0,"
	"  quiz_correct INTEGER NOT NULL DEFAULT 0, estimation_answers INTEGER NOT NULL DEFAULT 0,"
	"  estimation_hits INTEGER NOT NULL DEFAULT 0, interview_answers INTEGER NOT NULL DEFAULT 0,"
	"  interview_score REAL NOT NULL DEFAULT 0, last_active INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE coach_lesson_best (learner_id INTEGER NOT NULL REFERENCES learners(id)"
	"  ON DELETE CASCADE, lesson_id TEXT NOT NULL, best REAL NOT NULL,"
	"  PRIMARY KEY (learner_id, lesson_id)) WITHOUT ROWID;"
	"CREATE TRIGGER coach_answers_insert AFTER INSERT ON coach_answers BEGIN"
	"  INSERT INTO coach_questions VALUES (NEW.kind, NEW.question_id, 1, NEW.misses > 0,"
	"   NEW.attempts, NEW.misses) ON CONFLICT DO UPDATE SET learners = learners + 1,"
	"   missed_by = missed_by + excluded.missed_by, attempts = attempts + excluded.attempts,"
	"   misses = misses + excluded.misses;"
	"  INSERT INTO coach_learners (learner_id) VALUES (NEW.learner_id) ON CONFLICT DO NOTHING;"
	"  UPDATE coach_learners SET quiz_answers = quiz_answers + (NEW.kind = 0) * NEW.attempts,"
	"   quiz_correct = quiz_correct + (NEW.kind = 0) * NEW.score,"
	"   estimation_answers = estimation_answers + (NEW.kind = 1) * NEW.attempts,"
	"   estimation_hits = estimation_hits + (NEW.kind = 1) * NEW.score,"
	"   interview_answers = interview_answers + (NEW.kind = 2) * NEW.attempts,"
	"   interview_score = interview_score + (NEW.kind = 2) * NEW.score,"
	"   last_active = MAX(last_active, NEW.last_at) WHERE learner_id = NEW.learner_id;"
	"END;"
	"CREATE TRIGGER coach_answers_update AFTER UPDATE ON coach_answers BEGIN"
	"  UPDATE coach_questions SET missed_by = missed_by + (NEW.misses > 0) - (OLD.misses > 0),"
	"   attempts = attempts + NEW.attempts - OLD.attempts, misses = misses + NEW.misses - OLD.misses"
	"   WHERE kind = NEW.kind AND question_id = NEW.question_id;"
	"  UPDATE coach_learners SET"
	"   quiz_answers = quiz_answers + (NEW.kind = 0) * (NEW.attempts - OLD.attempts),"
	"   quiz_correct = quiz_correct + (NEW.kind = 0) * (NEW.score - OLD.score),"
	"   estimation_answers = estimation_answers + (NEW.kind = 1) * (NEW.attempts - OLD.attempts),"
	"   estimation_hits = estimation_hits + (NEW.kind = 1) * (NEW.score - OLD.score),"
	"   interview_answers = interview_answers + (NEW.kind = 2) * (NEW.attempts - OLD.attempts),"
	"   interview_score = interview_score + (NEW.kind = 2) * (NEW.score - OLD.score),"
	"   last_active = MAX(last_active, NEW.last_at) WHERE learner_id = NEW.learner_id;"
	"END;"
	"CREATE TRIGGER coach_answers_delete AFTER DELETE ON coach_answers BEGIN"
	"  UPDATE coach_questions SET learners = learners - 1, missed_by = missed_by - (OLD.misses > 0),"
	"   attempts = attempts - OLD.attempts, misses = misses - OLD.misses"
	"   WHERE kind = OLD.kind AND question_id = OLD.question_id;"
	"  DELETE FROM coach_questions WHERE kind = OLD.kind AND question_id = OLD.question_id"
	"   AND learners <= 0;"
	"  UPDATE coach_learners SET quiz_answers = quiz_answers - (OLD.kind = 0) * OLD.attempts,"
	"   quiz_correct = quiz_correct - (OLD.kind = 0) * OLD.score,"
	"   estimation_answers = estimation_answers - (OLD.kind = 1) * OLD.attempts,"
	"   estimation_hits = estimation_hits - (OLD.kind = 1) * OLD.score,"
	"   interview_answers = interview_answers - (OLD.kind = 2) * OLD.attempts,"
	"   interview_score = interview_score - (OLD.kind = 2) * OLD.score"
	"   WHERE learner_id = OLD.learner_id;"
	"END;"
	"INSERT INTO coach_answers SELECT 0, question_id, learner_id, COUNT(*), SUM(correct = 0),"
	"  SUM(correct != 0), MAX(answered_at) FROM quiz_attempts GROUP BY question_id, learner_id;"
	"INSERT INTO coach_answers SELECT 1, question_id, learner_id, COUNT(*), SUM(hit = 0),"
	"  SUM(hit), MAX(answered_at) FROM estimation_attempts GROUP BY question_id, learner_id;"
	"INSERT INTO coach_answers SELECT 2, question_id, learner_id, COUNT(*), SUM(score < 60),"
	"  SUM(score), MAX(answered_at) FROM interview_attempts GROUP BY question_id, learner_id;"
	"INSERT INTO coach_lesson_best SELECT learner_id, lesson_id, MAX(100.0 * correct / total)"
	"  FROM quiz_takes WHERE finished_at IS NOT NULL AND total > 0 GROUP BY learner_id, lesson_id;"
	"CREATE TRIGGER quiz_attempts_tally AFTER INSERT ON quiz_attempts BEGIN"
	"  INSERT INTO coach_answers VALUES (0, NEW.question_id, NEW.learner_id, 1, NEW.correct = 0,"
	"   NEW.correct != 0, NEW.answered_at) ON CONFLICT DO UPDATE SET attempts = attempts + 1,"
	"   misses = misses + excluded.misses, score = score + excluded.score,"
	"   last_at = MAX(last_at, excluded.last_at);"
	"END;"
	"CREATE TRIGGER quiz_attempts_untally AFTER DELETE ON quiz_attempts BEGIN"
	"  UPDATE coach_answers SET attempts = attempts - 1, misses = misses - (OLD.correct = 0),"
	"   score = score - (OLD.correct != 0)"
	"   WHERE kind = 0 AND question_id = OLD.question_id AND learner_id = OLD.learner_id;"
	"  DELETE FROM coach_answers WHERE kind = 0 AND question_id = OLD.question_id"
	"   AND learner_id = OLD.learner_id AND attempts <= 0;"
	"END;"
	"CREATE TRIGGER quiz_attempts_retally AFTER UPDATE OF learner_id, question_id, correct"
	"  ON quiz_attempts BEGIN"
	"  UPDATE coach_answers SET attempts = attempts - 1, misses = misses - (OLD.correct = 0),"
	"   score = score - (OLD.correct != 0)"
	"   WHERE kind = 0 AND question_id = OLD.question_id AND learner_id = OLD.learner_id;"
	"  DELETE FROM coach_answers WHERE kind = 0 AND question_id = OLD.question_id"
	"   AND learner_id = OLD.learner_id AND attempts <= 0;"
	"  INSERT INTO coach_answers VALUES (0, NEW.question_id, NEW.learner_id, 1, NEW.correct = 0,"
	"   NEW.correct != 0, NEW.answered_at) ON CONFLICT DO UPDATE SET attempts = attempts + 1,"
	"   misses = misses + excluded.misses, score = score + excluded.score,"
	"   last_at = MAX(last_at, excluded.last_at);"
	"END;"
	"CREATE TRIGGER estimation_attempts_tally AFTER INSERT ON estimation_attempts BEGIN"
	"  INSERT INTO coach_answers VALUES (1, NEW.question_id, NEW.learner_id, 1, NEW.hit = 0,"
	"   NEW.hit, NEW.answered_at) ON CONFLICT DO UPDATE SET attempts = attempts + 1,"
	"   misses = misses + excluded.misses, score = score + excluded.score,"
	"   last_at = MAX(last_at, excluded.last_at);"
	"END;"
	"CREATE TRIGGER estimation_attempts_untally AFTER DELETE ON estimation_attempts BEGIN"
	"  UPDATE coach_answers SET attempts = attempts - 1, misses = misses - (OLD.hit = 0),"
	"   score = score - OLD.hit"
	"   WHERE kind = 1 AND question_id = OLD.question_id AND learner_id = OLD.learner_id;"
	"  DELETE FROM coach_answers WHERE kind = 1 AND question_id = OLD.question_id"
	"   AND learner_id = OLD.learner_id AND attempts <= 0;"
	"END;"
	"CREATE TRIGGER estimation_attempts_retally AFTER UPDATE OF learner_id, question_id, hit"
	"  ON estimation_attempts BEGIN"
	"  UPDATE coach_answers SET attempts = attempts - 1, misses = misses - (OLD.hit = 0),"
	"   score = score - OLD.hit"
	"   WHERE kind = 1 AND question_id = OLD.question_id AND learner_id = OLD.learner_id;"
	"  DELETE FROM coach_answers WHERE kind = 1 AND question_id = OLD.question_id"
	"   AND learner_id = OLD.learner_id AND attempts <= 0;"
	"  INSERT INTO coach_answers VALUES (1, NEW.question_id, NEW.learner_id, 1, NEW.hit = 0,"
	"   NEW.hit, NEW.answered_at) ON CONFLICT DO UPDATE SET attempts = attempts + 1,"
	"   misses = misses + excluded.misses, score = score + excluded.score,"
	"   last_at = MAX(last_at, excluded.last_at);"
	"END;"
	"CREATE TRIGGER interview_attempts_tally AFTER INSERT ON interview_attempts BEGIN"
	"  INSERT INTO coach_answers VALUES (2, NEW.question_id, NEW.learner_id, 1, NEW.score < 60,"
	"   NEW.score, NEW.answered_at) ON CONFLICT DO UPDATE SET attempts = attempts + 1,"
	"   misses = misses + excluded.misses, score = score + excluded.score,"
	"   last_at = MAX(last_at, excluded.last_at);"
	"END;"
	"CREATE TRIGGER interview_attempts_untally AFTER DELETE ON interview_attempts BEGIN"
	"  UPDATE coach_answers SET attempts = attempts - 1, misses = misses - (OLD.score < 60),"
	"   score = score - OLD.score"
	"   WHERE kind = 2 AND question_id = OLD.question_id AND learner_id = OLD.learner_id;"
	"  DELETE FROM coach_answers WHERE kind = 2 AND question_id = OLD.question_id"
	"   AND learner_id = OLD.learner_id AND attempts <= 0;"
	"END;"
	"CREATE TRIGGER interview_attempts_retally AFTER UPDATE OF learner_id, question_id, score"
	"  ON interview_attempts BEGIN"
	"  UPDATE coach_rubric_misses SET misses = misses - 1 WHERE OLD.score < 60"
	"   AND question_id = OLD.question_id AND learner_id = OLD.learner_id AND ord IN"
	"   (SELECT ord FROM rubric_grades WHERE attempt_uid = OLD.uid AND grade = 0);"
	"  DELETE FROM coach_rubric_misses WHERE question_id = OLD.question_id"
	"   AND learner_id = OLD.learner_id AND misses <= 0;"
	"  INSERT INTO coach_rubric_misses SELECT NEW.question_id, g.ord, NEW.learner_id, 1"
	"   FROM rubric_grades g WHERE g.attempt_uid = NEW.uid AND g.grade = 0 AND NEW.score < 60"
	"   ON CONFLICT DO UPDATE SET misses = misses + 1;"
	"  UPDATE coach_answers SET attempts = attempts - 1, misses = misses - (OLD.score < 60),"
	"   score = score - OLD.score"
	"   WHERE kind = 2 AND question_id = OLD.question_id AND learner_id = OLD.learner_id;"
	"  DELETE FROM coach_answers WHERE kind = 2 AND question_id = OLD.question_id"
	"   AND learner_id = OLD.learner_id AND attempts <= 0;"
	"  INSERT INTO coach_answers VALUES (2, NEW.question_id, NEW.learner_id, 1, NEW.score < 60,"
	"   NEW.score, NEW.answered_at) ON CONFLICT DO UPDATE SET attempts = attempts + 1,"
	"   misses = misses + excluded.misses, score = score + excluded.score,"
	"   last_at = MAX(last_at, excluded.last_at);"
	"END;"
	/* A take changes its lesson's best score: recomputed from the
	 * learner's takes of that lesson (a few rows), unless the learner is
	 * being deleted. */
	"CREATE TRIGGER quiz_takes_best_insert AFTER INSERT ON quiz_takes BEGIN"
	"  DELETE FROM coach_lesson_best WHERE learner_id = NEW.learner_id"
	"   AND lesson_id = NEW.lesson_id;"
	"  INSERT INTO coach_lesson_best SELECT learner_id, lesson_id, MAX(100.0 * correct / total)"
	"   FROM quiz_takes WHERE learner_id = NEW.learner_id AND lesson_id = NEW.lesson_id"
	"   AND finished_at IS NOT NULL AND total > 0 GROUP BY learner_id, lesson_id;"
	"END;"
	"CREATE TRIGGER quiz_takes_best_update AFTER UPDATE OF learner_id, lesson_id, finished_at,"
	"  correct, total ON quiz_takes BEGIN"
	"  DELETE FROM coach_lesson_best WHERE (learner_id = OLD.learner_id"
	"   AND lesson_id = OLD.lesson_id) OR (learner_id = NEW.learner_id"
	"   AND lesson_id = NEW.lesson_id);"
	"  INSERT INTO coach_lesson_best SELECT learner_id, lesson_id, MAX(100.0 * correct / total)"
	"   FROM quiz_takes WHERE ((learner_id = OLD.learner_id AND lesson_id = OLD.lesson_id)"
	"   OR (learner_id = NEW.learner_id AND lesson_id = NEW.lesson_id))"
	"   AND finished_at IS NOT NULL AND total > 0 GROUP BY learner_id, lesson_id;"
	"END;"
	"CREATE TRIGGER quiz_takes_best_delete AFTER DELETE ON quiz_takes BEGIN"
	"  DELETE FROM coach_lesson_best WHERE learner_id = OLD.learner_id"
	"   AND lesson_id = OLD.lesson_id;"
	"  INSERT INTO coach_lesson_best SELECT learner_id, lesson_id, MAX(100.0 * correct / total)"
	"   FROM quiz_takes WHERE learner_id = OLD.learner_id AND lesson_id = OLD.lesson_id"
	"   AND finished_at IS NOT NULL AND total > 0"
	"   AND EXISTS (SELECT 1 FROM learners WHERE id = OLD.learner_id)"
	"   GROUP BY learner_id, lesson_id;"
	"END;"
	/* The rubric points left out ("missed", grade 0) in interview answers
	 * that missed the question, per question, point and learner: the
	 * common wrong answers of an interview question. An answer's grades are
	 * written with it, after it; deleting the answer takes its grades out
	 * first (BEFORE, while they are still there). */
	"CREATE TABLE coach_rubric_misses (question_id TEXT NOT NULL, ord INTEGER NOT NULL,"
	"  learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,"
	"  misses INTEGER NOT NULL, PRIMARY KEY (question_id, ord, learner_id)) WITHOUT ROWID;"
	"CREATE INDEX coach_rubric_misses_learner ON coach_rubric_misses(learner_id);"
	"INSERT INTO coach_rubric_misses SELECT a.question_id, g.ord, a.learner_id, COUNT(*)"
	"  FROM rubric_grades g JOIN interview_attempts a ON a.uid = g.attempt_uid"
	"  WHERE g.grade = 0 AND a.score < 60 GROUP BY a.question_id, g.ord, a.learner_id;"
	"CREATE TRIGGER rubric_grades_tally AFTER INSERT ON rubric_grades WHEN NEW.grade = 0 BEGIN"
	"  INSERT INTO coach_rubric_misses SELECT a.question_id, NEW.ord, a.learner_id, 1"
	"   FROM interview_attempts a WHERE a.uid = NEW.attempt_uid AND a.score < 60"
	"   ON CONFLICT DO UPDATE SET misses = misses + 1;"
	"END;"
	"CREATE TRIGGER interview_attempts_unmiss BEFORE DELETE ON interview_attempts"
	"  WHEN OLD.score < 60 BEGIN"
	"  UPDATE coach_rubric_misses SET misses = misses - 1 WHERE question_id = OLD.question_id"
	"   AND learner_id = OLD.learner_id AND ord IN (SELECT ord FROM rubric_grades"
	"   WHERE attempt_uid = OLD.uid AND grade = 0);"
	"  DELETE FROM coach_rubric_misses WHERE question_id = OLD.question_id"
	"   AND learner_id = OLD.learner_id AND misses <= 0;"
	"END;"
	"CREATE INDEX lesson_progress_read ON lesson_progress(learner_id, read_to_end, lesson_id);"
	"CREATE INDEX quiz_attempts_wrong ON quiz_attempts(question_id, correct, answer, learner_id);"
	"CREATE INDEX estimation_attempts_question ON estimation_attempts(question_id, hit, point,"
	"  learner_id);",
	/* 6: bulk loads. An import writes a learner's rows by the thousand, and
	 * the per-row triggers of migration 5 made it 2.4 times slower (200
	 * learners: 9.0 s against 3.8 s without them, sqlite3 .import). While
	 * coach_bulk holds a learner (inside the importer's transaction) the
	 * triggers an import fires stand aside; deleting the row recomputes
	 * that learner's totals from their rows in a few statements. */
	"CREATE TABLE coach_bulk (learner_id INTEGER PRIMARY KEY REFERENCES learners(id)"
	"  ON DELETE CASCADE);"
	"CREATE TRIGGER coach_bulk_done AFTER DELETE ON coach_bulk"
	"  WHEN EXISTS (SELECT 1 FROM learners WHERE id = OLD.learner_id) BEGIN"
	"  DELETE FROM coach_answers WHERE learner_id = OLD.learner_id;"
	"  INSERT INTO coach_answers SELECT 0, question_id, learner_id, COUNT(*), SUM(correct = 0),"
	"   SUM(correct != 0), MAX(answered_at) FROM quiz_attempts WHERE learner_id = OLD.learner_id"
	"   GROUP BY question_id;"
	"  INSERT INTO coach_answers SELECT 1, question_id, learner_id, COUNT(*), SUM(hit = 0),"
	"   SUM(hit), MAX(answered_at) FROM estimation_attempts WHERE learner_id = OLD.learner_id"
	"   GROUP BY question_id;"
	"  INSERT INTO coach_answers SELECT 2, question_id, learner_id, COUNT(*), SUM(score < 60),"
	"   SUM(score), MAX(answered_at) FROM interview_attempts WHERE learner_id = OLD.learner_id"
	"   GROUP BY question_id;"
	"  DELETE FROM coach_lesson_best WHERE learner_id = OLD.learner_id;"
	"  INSERT INTO coach_lesson_best SELECT learner_id, lesson_id, MAX(100.0 * correct / total)"
	"   FROM quiz_takes WHERE learner_id = OLD.learner_id AND finished_at IS NOT NULL"
	"   AND total > 0 GROUP BY lesson_id;"
	"  DELETE FROM coach_rubric_misses WHERE learner_id = OLD.learner_id;"
	"  INSERT INTO coach_rubric_misses SELECT a.question_id, g.ord, a.learner_id, COUNT(*)"
	"   FROM interview_attempts a JOIN rubric_grades g ON g.attempt_uid = a.uid"
	"   WHERE a.learner_id = OLD.learner_id AND a.score < 60 AND g.grade = 0"
	"   GROUP BY a.question_id, g.ord;"
	"END;"
	"DROP TRIGGER quiz_attempts_tally;"
	"CREATE TRIGGER quiz_attempts_tally AFTER INSERT ON quiz_attempts"
	"  WHEN NOT EXISTS (SELECT 1 FROM coach_bulk WHERE learner_id = NEW.learner_id) BEGIN"
	"  INSERT INTO coach_answers VALUES (0, NEW.question_id, NEW.learner_id, 1, NEW.correct = 0,"
	"   NEW.correct != 0, NEW.answered_at) ON CONFLICT DO UPDATE SET attempts = attempts + 1,"
	"   misses = misses + excluded.misses, score = score + excluded.score,"
	"   last_at = MAX(last_at, excluded.last_at);"
	"END;"
	"DROP TRIGGER estimation_attempts_tally;"
	"CREATE TRIGGER estimation_attempts_tally AFTER INSERT ON estimation_attempts"
	"  WHEN NOT EXISTS (SELECT 1 FROM coach_bulk WHERE learner_id = NEW.learner_id) BEGIN"
	"  INSERT INTO coach_answers VALUES (1, NEW.question_id, NEW.learner_id, 1, NEW.hit = 0,"
	"   NEW.hit, NEW.answered_at) ON CONFLICT DO UPDATE SET attempts = attempts + 1,"
	"   misses = misses + excluded.misses, score = score + excluded.score,"
	"   last_at = MAX(last_at, excluded.last_at);"
	"END;"
	"DROP TRIGGER interview_attempts_tally;"
	"CREATE TRIGGER interview_attempts_tally AFTER INSERT ON interview_attempts"
	"  WHEN NOT EXISTS (SELECT 1 FROM coach_bulk WHERE learner_id = NEW.learner_id) BEGIN"
	"  INSERT INTO coach_answers VALUES (2, NEW.question_id, NEW.learner_id, 1, NEW.score < 60,"
	"   NEW.score, NEW.answered_at) ON CONFLICT DO UPDATE SET attempts = attempts + 1,"
	"   misses = misses + excluded.misses, score = score + excluded.score,"
	"   last_at = MAX(last_at, excluded.last_at);"
	"END;"
	"DROP TRIGGER rubric_grades_tally;"
	"CREATE TRIGGER rubric_grades_tally AFTER INSERT ON rubric_grades"
	"  WHEN NEW.grade = 0 AND NOT EXISTS (SELECT 1 FROM coach_bulk) BEGIN"
	"  INSERT INTO coach_rubric_misses SELECT a.question_id, NEW.ord, a.learner_id, 1"
	"   FROM interview_attempts a WHERE a.uid = NEW.attempt_uid AND a.score < 60"
	"   ON CONFLICT DO UPDATE SET misses = misses + 1;"
	"END;"
	"DROP TRIGGER quiz_takes_best_insert;"
	"CREATE TRIGGER quiz_takes_best_insert AFTER INSERT ON quiz_takes"
	"  WHEN NOT EXISTS (SELECT 1 FROM coach_bulk WHERE learner_id = NEW.learner_id) BEGIN"
	"  DELETE FROM coach_lesson_best WHERE learner_id = NEW.learner_id"
	"   AND lesson_id = NEW.lesson_id;"
	"  INSERT INTO coach_lesson_best SELECT learner_id, lesson_id, MAX(100.0 * correct / total)"
	"   FROM quiz_takes WHERE learner_id = NEW.learner_id AND lesson_id = NEW.lesson_id"
	"   AND finished_at IS NOT NULL AND total > 0 GROUP BY learner_id, lesson_id;"
	"END;"
	"DROP TRIGGER quiz_takes_best_update;"
	"CREATE TRIGGER quiz_takes_best_update AFTER UPDATE OF learner_id, lesson_id, finished_at,"
	"  correct, total ON quiz_takes"
	"  WHEN NOT EXISTS (SELECT 1 FROM coach_bulk WHERE learner_id = NEW.learner_id) BEGIN"
	"  DELETE FROM coach_lesson_best WHERE (learner_id = OLD.learner_id"
	"   AND lesson_id = OLD.lesson_id) OR (learner_id = NEW.learner_id"
	"   AND lesson_id = NEW.lesson_id);"
	"  INSERT INTO coach_lesson_best SELECT learner_id, lesson_id, MAX(100.0 * correct / total)"
	"   FROM quiz_takes WHERE ((learner_id = OLD.learner_id AND lesson_id = OLD.lesson_id)"
	"   OR (learner_id = NEW.learner_id AND lesson_id = NEW.lesson_id))"
	"   AND finished_at IS NOT NULL AND total > 0 GROUP BY learner_id, lesson_id;"
	"END;",
	/* 7: an import that writes no row (the same bundle again) leaves the
	 * learner's totals as they were: the importer clears changed, and the
	 * recount of migration 6 runs only for a learner whose rows changed
	 * (importing 1,000 unchanged bundles again: 26 s before, 10.5 s). */
	"ALTER TABLE coach_bulk ADD COLUMN changed INTEGER NOT NULL DEFAULT 1;"
	"DROP TRIGGER coach_bulk_done;"
	"CREATE TRIGGER coach_bulk_done AFTER DELETE ON coach_bulk"
	"  WHEN OLD.changed AND EXISTS (SELECT 1 FROM learners WHERE id = OLD.learner_id) BEGIN"
	"  DELETE FROM coach_answers WHERE learner_id = OLD.learner_id;"
	"  INSERT INTO coach_answers SELECT 0, question_id, learner_id, COUNT(*), SUM(correct = 0),"
	"   SUM(correct != 0), MAX(answered_at) FROM quiz_attempts WHERE learner_id = OLD.learner_id"
	"   GROUP BY question_id;"
	"  INSERT INTO coach_answers SELECT 1, question_id, learner_id, COUNT(*), SUM(hit = 0),"
	"   SUM(hit), MAX(answered_at) FROM estimation_attempts WHERE learner_id = OLD.learner_id"
	"   GROUP BY question_id;"
	"  INSERT INTO coach_answers SELECT 2, question_id, learner_id, COUNT(*), SUM(score < 60),"
	"   SUM(score), MAX(answered_at) FROM interview_attempts WHERE learner_id = OLD.learner_id"
	"   GROUP BY question_id;"
	"  DELETE FROM coach_lesson_best WHERE learner_id = OLD.learner_id;"
	"  INSERT INTO coach_lesson_best SELECT learner_id, lesson_id, MAX(100.0 * correct / total)"
	"   FROM quiz_takes WHERE learner_id = OLD.learner_id AND finished_at IS NOT NULL"
	"   AND total > 0 GROUP BY lesson_id;"
	"  DELETE FROM coach_rubric_misses WHERE learner_id = OLD.learner_id;"
	"  INSERT INTO coach_rubric_misses SELECT a.question_id, g.ord, a.learner_id, COUNT(*)"
	"   FROM interview_attempts a JOIN rubric_grades g ON g.attempt_uid = a.uid"
	"   WHERE a.learner_id = OLD.learner_id AND a.score < 60 AND g.grade = 0"
	"   GROUP BY a.question_id, g.ord;"
	"END;",
	/* 8: an estimation question names the lesson that teaches what it
	 * practises (estimation.csv's lesson column), as interview questions
	 * do, so that the coach's difficult questions link every kind to a
	 * lesson. Filled by the next content import. */
	"ALTER TABLE estimation_questions ADD COLUMN lesson_id TEXT REFERENCES lessons(id);",
	/* 9: coach_answers keyed by learner first. It is only ever read by
	 * learner (a group's answers) or by its whole key, and an import
	 * writes a learner's rows at once: under the old key (kind, question,
	 * learner) each of a learner's ~420 rows went to another page, under
	 * the new one they are appended together, and the (learner, kind)
	 * index is the key's own prefix. Rebuilt as SQLite's "generalized
	 * ALTER TABLE" does; its three triggers as in migration 5. */
	"CREATE TABLE coach_answers_new (kind INTEGER NOT NULL, question_id TEXT NOT NULL,"
	"  learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,"
	"  attempts INTEGER NOT NULL, misses INTEGER NOT NULL, score REAL NOT NULL,"
	"  last_at INTEGER NOT NULL, PRIMARY KEY (learner_id, kind, question_id)) WITHOUT ROWID;"
	"INSERT INTO coach_answers_new SELECT kind, question_id, learner_id, attempts, misses,"
	"  score, last_at FROM coach_answers;"
	"DROP TABLE coach_answers;"
	/* The triggers of other tables name coach_answers, gone for the
	 * moment: the legacy rename leaves them be instead of refusing. */
	"PRAGMA legacy_alter_table = ON;"
	"ALTER TABLE coach_answers_new RENAME TO coach_answers;"
	"PRAGMA legacy_alter_table = OFF;"
	"CREATE TRIGGER coach_answers_insert AFTER INSERT ON coach_answers BEGIN"
	"  INSERT INTO coach_questions VALUES (NEW.kind, NEW.question_id, 1, NEW.misses > 0,"
	"   NEW.attempts, NEW.misses) ON CONFLICT DO UPDATE SET learners = learners + 1,"
	"   missed_by = missed_by + excluded.missed_by, attempts = attempts + excluded.attempts,"
	"   misses = misses + excluded.misses;"
	"  INSERT INTO coach_learners (learner_id) VALUES (NEW.learner_id) ON CONFLICT DO NOTHING;"
	"  UPDATE coach_learners SET quiz_answers = quiz_answers + (NEW.kind = 0) * NEW.attempts,"
	"   quiz_correct = quiz_correct + (NEW.kind = 0) * NEW.score,"
	"   estimation_answers = estimation_answers + (NEW.kind = 1) * NEW.attempts,"
	"   estimation_hits = estimation_hits + (NEW.kind = 1) * NEW.score,"
	"   interview_answers = interview_answers + (NEW.kind = 2) * NEW.attempts,"
	"   interview_score = interview_score + (NEW.kind = 2) * NEW.score,"
	"   last_active = MAX(last_active, NEW.last_at) WHERE learner_id = NEW.learner_id;"
	"END;"
	"CREATE TRIGGER coach_answers_update AFTER UPDATE ON coach_answers BEGIN"
	"  UPDATE coach_questions SET missed_by = missed_by + (NEW.misses > 0) - (OLD.misses > 0),"
	"   attempts = attempts + NEW.attempts - OLD.attempts, misses = misses + NEW.misses - OLD.misses"
	"   WHERE kind = NEW.kind AND question_id = NEW.question_id;"
	"  UPDATE coach_learners SET"
	"   quiz_answers = quiz_answers + (NEW.kind = 0) * (NEW.attempts - OLD.attempts),"
	"   quiz_correct = quiz_correct + (NEW.kind = 0) * (NEW.score - OLD.score),"
	"   estimation_answers = estimation_answers + (NEW.kind = 1) * (NEW.attempts - OLD.attempts),"
	"   estimation_hits = estimation_hits + (NEW.kind = 1) * (NEW.score - OLD.score),"
	"   interview_answers = interview_answers + (NEW.kind = 2) * (NEW.attempts - OLD.attempts),"
	"   interview_score = interview_score + (NEW.kind = 2) * (NEW.score - OLD.score),"
	"   last_active = MAX(last_active, NEW.last_at) WHERE learner_id = NEW.learner_id;"
	"END;"
	"CREATE TRIGGER coach_answers_delete AFTER DELETE ON coach_answers BEGIN"
	"  UPDATE coach_questions SET learners = learners - 1, missed_by = missed_by - (OLD.misses > 0),"
	"   attempts = attempts - OLD.attempts, misses = misses - OLD.misses"
	"   WHERE kind = OLD.kind AND question_id = OLD.question_id;"
	"  DELETE FROM coach_questions WHERE kind = OLD.kind AND question_id = OLD.question_id"
	"   AND learners <= 0;"
	"  UPDATE coach_learners SET quiz_answers = quiz_answers - (OLD.kind = 0) * OLD.attempts,"
	"   quiz_correct = quiz_correct - (OLD.kind = 0) * OLD.score,"
	"   estimation_answers = estimation_answers - (OLD.kind = 1) * OLD.attempts,"
	"   estimation_hits = estimation_hits - (OLD.kind = 1) * OLD.score,"
	"   interview_answers = interview_answers - (OLD.kind = 2) * OLD.attempts,"
	"   interview_score = interview_score - (OLD.kind = 2) * OLD.score"
	"   WHERE learner_id = OLD.learner_id;"
	"END;",
	/* 10: signed progress bundles. learner_keys holds the Ed25519 key pair
	 * of each learner who signs in here (the private key never leaves this
	 * database: bundles leave the table home); coach_keys the public key
	 * the coach pinned for each imported learner's UUID at the first
	 * import (trust on first use); each import logs the fingerprint of the
	 * key that signed it. */
	"CREATE TABLE learner_keys (learner_id INTEGER PRIMARY KEY REFERENCES learners(id)"
	"  ON DELETE CASCADE, public_key BLOB NOT NULL CHECK (length(public_key) = 32),"
	"  private_key BLOB NOT NULL CHECK (length(private_key) = 32),"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE coach_keys (learner_uuid TEXT PRIMARY KEY,"
	"  public_key BLOB NOT NULL CHECK (length(public_key) = 32), fingerprint TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL, first_file TEXT NOT NULL);"
	"ALTER TABLE bundle_imports ADD COLUMN fingerprint TEXT;",
	/* 11: quizzes that cannot be passed by position, cumulative quizzes
	 * and the course's review (issue 16). An attempt keeps the order its
	 * options were shown in (the bank's option numbers, comma-separated;
	 * '' for the bank's order), so that a review shows what the learner
	 * saw; a take keeps the seed that drew and shuffled its questions and
	 * its scope: a lesson's quiz (lesson_id the lesson), a module's
	 * cumulative quiz (lesson_id the module) or the final exam (lesson_id
	 * 'final'). Answered quiz questions are scheduled in review_cards as
	 * 'quiz:<id>' beside the drill's cards. Content: the module recaps,
	 * and the glossary terms used in at least half of the lessons, which
	 * the reader links once per section only. */
	"ALTER TABLE quiz_attempts ADD COLUMN shown TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE quiz_takes ADD COLUMN seed INTEGER;"
	"ALTER TABLE quiz_takes ADD COLUMN scope TEXT NOT NULL DEFAULT 'lesson'"
	"  CHECK (scope IN ('lesson', 'module', 'final'));"
	"ALTER TABLE glossary ADD COLUMN common INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE recaps (module_id TEXT PRIMARY KEY REFERENCES modules(id),"
	"  title TEXT NOT NULL, sources TEXT NOT NULL, body TEXT NOT NULL, words INTEGER NOT NULL,"
	"  file TEXT NOT NULL);",
	/* 12: a choice question's attempt keeps the options and the right
	 * answer it was asked with (the bank's ' | ' list and numbers, '' for
	 * the other kinds), because a content update may reword or reorder a
	 * question's options and its stored numbers would then name other
	 * texts. Attempts written before are given the bank this database
	 * holds now: it is migrated before the new content is imported, so
	 * that is the bank they were answered on (unless an earlier content
	 * update changed it already, which nothing recorded). */
	"ALTER TABLE quiz_attempts ADD COLUMN choices TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE quiz_attempts ADD COLUMN right_answer TEXT NOT NULL DEFAULT '';"
	"UPDATE quiz_attempts SET (choices, right_answer) = (SELECT q.choices, q.answer"
	"  FROM quiz_questions q WHERE q.id = quiz_attempts.question_id)"
	" WHERE question_id IN (SELECT id FROM quiz_questions"
	"  WHERE kind IN ('single', 'multiple'));",
	/* 13: the lab's runs as an honest comparison needs them: the threshold
	 * their accuracy and F1 are at (a threshold moved after training is
	 * recorded there), the AUC that picks the best run (it does not move
	 * with the threshold) and the log loss. Runs logged before take their
	 * threshold and AUC from their metrics; their log loss was not kept. */
	"ALTER TABLE experiments ADD COLUMN threshold REAL NOT NULL DEFAULT 0.5;"
	"ALTER TABLE experiments ADD COLUMN auc REAL;"
	"ALTER TABLE experiments ADD COLUMN log_loss REAL;"
	"UPDATE experiments SET threshold = coalesce(json_extract(metrics, '$.threshold'), 0.5),"
	"  auc = json_extract(metrics, '$.auc');",
	/* 14: bookmarks: a paragraph of a lesson the learner marked, with
	 * the start of its text to list it by (issue 17). */
	"CREATE TABLE bookmarks (uid TEXT PRIMARY KEY, learner_id INTEGER NOT NULL"
	"  REFERENCES learners(id) ON DELETE CASCADE, lesson_id TEXT NOT NULL,"
	"  para INTEGER NOT NULL, excerpt TEXT NOT NULL, created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE INDEX bookmarks_learner ON bookmarks(learner_id, lesson_id);",
	/* 15: an answer undone (issue 17) leaves its question's tally as
	 * before it: the last answer's time goes back to the one before, not
	 * only the counts. */
	"DROP TRIGGER quiz_attempts_untally;"
	"CREATE TRIGGER quiz_attempts_untally AFTER DELETE ON quiz_attempts BEGIN"
	"  UPDATE coach_answers SET attempts = attempts - 1, misses = misses - (OLD.correct = 0),"
	"   score = score - (OLD.correct != 0), last_at = coalesce((SELECT MAX(answered_at) FROM quiz_attempts"
	"    WHERE question_id = OLD.question_id AND learner_id = OLD.learner_id), last_at)"
	"   WHERE kind = 0 AND question_id = OLD.question_id AND learner_id = OLD.learner_id;"
	"  DELETE FROM coach_answers WHERE kind = 0 AND question_id = OLD.question_id"
	"   AND learner_id = OLD.learner_id AND attempts <= 0;"
	"END;"
	"DROP TRIGGER estimation_attempts_untally;"
	"CREATE TRIGGER estimation_attempts_untally AFTER DELETE ON estimation_attempts BEGIN"
	"  UPDATE coach_answers SET attempts = attempts - 1, misses = misses - (OLD.hit = 0),"
	"   score = score - OLD.hit, last_at = coalesce((SELECT MAX(answered_at) FROM estimation_attempts"
	"    WHERE question_id = OLD.question_id AND learner_id = OLD.learner_id), last_at)"
	"   WHERE kind = 1 AND question_id = OLD.question_id AND learner_id = OLD.learner_id;"
	"  DELETE FROM coach_answers WHERE kind = 1 AND question_id = OLD.question_id"
	"   AND learner_id = OLD.learner_id AND attempts <= 0;"
	"END;"
	"DROP TRIGGER interview_attempts_untally;"
	"CREATE TRIGGER interview_attempts_untally AFTER DELETE ON interview_attempts BEGIN"
	"  UPDATE coach_answers SET attempts = attempts - 1, misses = misses - (OLD.score < 60),"
	"   score = score - OLD.score, last_at = coalesce((SELECT MAX(answered_at) FROM interview_attempts"
	"    WHERE question_id = OLD.question_id AND learner_id = OLD.learner_id), last_at)"
	"   WHERE kind = 2 AND question_id = OLD.question_id AND learner_id = OLD.learner_id;"
	"  DELETE FROM coach_answers WHERE kind = 2 AND question_id = OLD.question_id"
	"   AND learner_id = OLD.learner_id AND attempts <= 0;"
	"END;",
	/* 16: the coach's wrong-answer views read only wrong answers and
	 * missed ranges, so their indexes hold only those (a quarter of the
	 * quiz attempts, a fifth of the estimates): each attempt imported
	 * wrote an entry into an index sorted by question, at a random place,
	 * and those two indexes were a sixth of an import's time. */
	"DROP INDEX quiz_attempts_wrong;"
	"CREATE INDEX quiz_attempts_wrong ON quiz_attempts(question_id, answer, learner_id)"
	"  WHERE correct = 0;"
	"DROP INDEX estimation_attempts_question;"
	"CREATE INDEX estimation_attempts_question ON estimation_attempts(question_id, point,"
	"  learner_id) WHERE hit = 0;",
	/* 17: a learner's totals recounted as sets. The recount of migration 7
	 * rewrote coach_answers row by row, and each row's triggers then
	 * updated coach_questions and the learner's coach_learners row, the
	 * same row some 420 times: a tenth of an import. Now coach_answers'
	 * triggers stand aside while coach_bulk holds the learner, and the
	 * recount (on the importer's UPDATE, while the row is still there)
	 * takes the learner's old answers out of coach_questions, writes the
	 * new ones, adds them back in one statement, and sets the learner's
	 * totals from them in another: coach_learners' answer totals are the
	 * sums of the learner's coach_answers, and last_active keeps the
	 * newest answer ever seen, as before. */
	"DROP TRIGGER coach_answers_insert;"
	"DROP TRIGGER coach_answers_update;"
	"DROP TRIGGER coach_answers_delete;"
	"CREATE TRIGGER coach_answers_insert AFTER INSERT ON coach_answers"
	"  WHEN NOT EXISTS (SELECT 1 FROM coach_bulk WHERE learner_id = NEW.learner_id) BEGIN"
	"  INSERT INTO coach_questions VALUES (NEW.kind, NEW.question_id, 1, NEW.misses > 0,"
	"   NEW.attempts, NEW.misses) ON CONFLICT DO UPDATE SET learners = learners + 1,"
	"   missed_by = missed_by + excluded.missed_by, attempts = attempts + excluded.attempts,"
	"   misses = misses + excluded.misses;"
	"  INSERT INTO coach_learners (learner_id) VALUES (NEW.learner_id) ON CONFLICT DO NOTHING;"
	"  UPDATE coach_learners SET quiz_answers = quiz_answers + (NEW.kind = 0) * NEW.attempts,"
	"   quiz_correct = quiz_correct + (NEW.kind = 0) * NEW.score,"
	"   estimation_answers = estimation_answers + (NEW.kind = 1) * NEW.attempts,"
	"   estimation_hits = estimation_hits + (NEW.kind = 1) * NEW.score,"
	"   interview_answers = interview_answers + (NEW.kind = 2) * NEW.attempts,"
	"   interview_score = interview_score + (NEW.kind = 2) * NEW.score,"
	"   last_active = MAX(last_active, NEW.last_at) WHERE learner_id = NEW.learner_id;"
	"END;"
	"CREATE TRIGGER coach_answers_update AFTER UPDATE ON coach_answers"
	"  WHEN NOT EXISTS (SELECT 1 FROM coach_bulk WHERE learner_id = NEW.learner_id) BEGIN"
	"  UPDATE coach_questions SET missed_by = missed_by + (NEW.misses > 0) - (OLD.misses > 0),"
	"   attempts = attempts + NEW.attempts - OLD.attempts, misses = misses + NEW.misses - OLD.misses"
	"   WHERE kind = NEW.kind AND question_id = NEW.question_id;"
	"  UPDATE coach_learners SET"
	"   quiz_answers = quiz_answers + (NEW.kind = 0) * (NEW.attempts - OLD.attempts),"
	"   quiz_correct = quiz_correct + (NEW.kind = 0) * (NEW.score - OLD.score),"
	"   estimation_answers = estimation_answers + (NEW.kind = 1) * (NEW.attempts - OLD.attempts),"
	"   estimation_hits = estimation_hits + (NEW.kind = 1) * (NEW.score - OLD.score),"
	"   interview_answers = interview_answers + (NEW.kind = 2) * (NEW.attempts - OLD.attempts),"
	"   interview_score = interview_score + (NEW.kind = 2) * (NEW.score - OLD.score),"
	"   last_active = MAX(last_active, NEW.last_at) WHERE learner_id = NEW.learner_id;"
	"END;"
	"CREATE TRIGGER coach_answers_delete AFTER DELETE ON coach_answers"
	"  WHEN NOT EXISTS (SELECT 1 FROM coach_bulk WHERE learner_id = OLD.learner_id) BEGIN"
	"  UPDATE coach_questions SET learners = learners - 1, missed_by = missed_by - (OLD.misses > 0),"
	"   attempts = attempts - OLD.attempts, misses = misses - OLD.misses"
	"   WHERE kind = OLD.kind AND question_id = OLD.question_id;"
	"  DELETE FROM coach_questions WHERE kind = OLD.kind AND question_id = OLD.question_id"
	"   AND learners <= 0;"
	"  UPDATE coach_learners SET quiz_answers = quiz_answers - (OLD.kind = 0) * OLD.attempts,"
	"   quiz_correct = quiz_correct - (OLD.kind = 0) * OLD.score,"
	"   estimation_answers = estimation_answers - (OLD.kind = 1) * OLD.attempts,"
	"   estimation_hits = estimation_hits - (OLD.kind = 1) * OLD.score,"
	"   interview_answers = interview_answers - (OLD.kind = 2) * OLD.attempts,"
	"   interview_score = interview_score - (OLD.kind = 2) * OLD.score"
	"   WHERE learner_id = OLD.learner_id;"
	"END;"
	"DROP TRIGGER coach_bulk_done;"
	"CREATE TRIGGER coach_bulk_done AFTER UPDATE OF changed ON coach_bulk"
	"  WHEN NEW.changed AND EXISTS (SELECT 1 FROM learners WHERE id = NEW.learner_id) BEGIN"
	"  UPDATE coach_questions SET learners = learners - 1,"
	"   missed_by = missed_by - (a.misses > 0), attempts = coach_questions.attempts - a.attempts,"
	"   misses = coach_questions.misses - a.misses FROM coach_answers a"
	"   WHERE a.learner_id = NEW.learner_id AND a.kind = coach_questions.kind"
	"   AND a.question_id = coach_questions.question_id;"
	"  DELETE FROM coach_questions WHERE learners <= 0 AND (kind, question_id) IN"
	"   (SELECT kind, question_id FROM coach_answers WHERE learner_id = NEW.learner_id);"
	"  DELETE FROM coach_answers WHERE learner_id = NEW.learner_id;"
	"  INSERT INTO coach_answers SELECT 0, question_id, learner_id, COUNT(*), SUM(correct = 0),"
	"   SUM(correct != 0), MAX(answered_at) FROM quiz_attempts WHERE learner_id = NEW.learner_id"
	"   GROUP BY question_id;"
	"  INSERT INTO coach_answers SELECT 1, question_id, learner_id, COUNT(*), SUM(hit = 0),"
	"   SUM(hit), MAX(answered_at) FROM estimation_attempts WHERE learner_id = NEW.learner_id"
	"   GROUP BY question_id;"
	"  INSERT INTO coach_answers SELECT 2, question_id, learner_id, COUNT(*), SUM(score < 60),"
	"   SUM(score), MAX(answered_at) FROM interview_attempts WHERE learner_id = NEW.learner_id"
	"   GROUP BY question_id;"
	"  INSERT INTO coach_questions SELECT kind, question_id, 1, misses > 0, attempts, misses"
	"   FROM coach_answers WHERE learner_id = NEW.learner_id"
	"   ON CONFLICT DO UPDATE SET learners = learners + 1,"
	"   missed_by = missed_by + excluded.missed_by, attempts = attempts + excluded.attempts,"
	"   misses = misses + excluded.misses;"
	"  INSERT INTO coach_learners (learner_id) SELECT NEW.learner_id"
	"   WHERE EXISTS (SELECT 1 FROM coach_answers WHERE learner_id = NEW.learner_id)"
	"   ON CONFLICT DO NOTHING;"
	"  UPDATE coach_learners SET quiz_answers = t.quiz_answers, quiz_correct = t.quiz_correct,"
	"   estimation_answers = t.estimation_answers, estimation_hits = t.estimation_hits,"
	"   interview_answers = t.interview_answers, interview_score = t.interview_score,"
	"   last_active = MAX(last_active, COALESCE(t.last_at, 0))"
	"   FROM (SELECT TOTAL((kind = 0) * attempts) AS quiz_answers,"
	"    TOTAL((kind = 0) * score) AS quiz_correct,"
	"    TOTAL((kind = 1) * attempts) AS estimation_answers,"
	"    TOTAL((kind = 1) * score) AS estimation_hits,"
	"    TOTAL((kind = 2) * attempts) AS interview_answers,"
	"    TOTAL((kind = 2) * score) AS interview_score, MAX(last_at) AS last_at"
	"    FROM coach_answers WHERE learner_id = NEW.learner_id) AS t"
	"   WHERE learner_id = NEW.learner_id;"
	"  DELETE FROM coach_lesson_best WHERE learner_id = NEW.learner_id;"
	"  INSERT INTO coach_lesson_best SELECT learner_id, lesson_id, MAX(100.0 * correct / total)"
	"   FROM quiz_takes WHERE learner_id = NEW.learner_id AND finished_at IS NOT NULL"
	"   AND total > 0 GROUP BY lesson_id;"
	"  DELETE FROM coach_rubric_misses WHERE learner_id = NEW.learner_id;"
	"  INSERT INTO coach_rubric_misses SELECT a.question_id, g.ord, a.learner_id, COUNT(*)"
	"   FROM interview_attempts a JOIN rubric_grades g ON g.attempt_uid = a.uid"
	"   WHERE a.learner_id = NEW.learner_id AND a.score < 60 AND g.grade = 0"
	"   GROUP BY a.question_id, g.ord;"
	"END;",
	/* 18: a note and a bookmark keep the paragraph they were made at as
	 * an anchor that survives a new import of the course (lesson.h);
	 * a bookmark may be a highlight. Those made before have no anchor:
	 * a note stays on its whole lesson, a bookmark at its paragraph
	 * index (issue 17). */
	"ALTER TABLE notes ADD COLUMN anchor TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE bookmarks ADD COLUMN anchor TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE bookmarks ADD COLUMN highlight INTEGER NOT NULL DEFAULT 0;",
	/* 19: whether a learner has signed in here before
	 * (store_learner_sign_in), so that the first sign-in greets and the
	 * next ones welcome back. Those of an older aipm count as seen: most
	 * have been. */
	"INSERT OR IGNORE INTO learner_settings (learner_id, key, value)"
	"  SELECT id, 'signed_in_at', '' FROM learners;",
};


#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof migrations[0]))

int store_latest_version(void)
{
	return MIGRATION_COUNT;
}

char *store_default_path(void)
{
	/* Only absolute folders: a relative one would make the database
	 * depend on where aipm was started. */
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg == '/')
		return xasprintf("%s/aipm/aipm.db", xdg);
	const char *home = getenv("HOME");
	if (home && *home == '/')
		return xasprintf("%s/.local/share/aipm/aipm.db", home);
	return NULL;
}

const char *store_no_default_path(void)
{
	return "no database: neither HOME nor XDG_DATA_HOME is set to a folder (an absolute "
	       "path); set one of them, or pass --db PATH";
}

/* mkdir -p, the last (aipm's own) folder private to the user. */
static int make_parent_dirs(const char *path, char *err, size_t errlen)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	struct stat sb;
	if (stat(dir, &sb) == 0) {
		free(dir);
		return 0;
	}
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
			format_error(err, errlen, "cannot create folder %s: %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		format_error(err, errlen, "cannot create folder %s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	free(dir);
	return 0;
}

static int create_private_file(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		return format_error(err, errlen, "cannot create %s: %s", path, strerror(errno));
	}
	close(fd);
	return 0;
}

/* SQLite's message, except that a disk with no room left says so: SQLite
 * reports it as "disk I/O error" when the shared-memory file cannot grow. */
static const char *describe_error(sqlite3 *db)
{
	int rc = sqlite3_errcode(db) & 0xff;
	if ((rc == SQLITE_IOERR || rc == SQLITE_FULL) && sqlite3_system_errno(db) == ENOSPC)
		return "the disk is full";
	return sqlite3_errmsg(db);
}

static int exec_sql(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		format_error(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int read_user_version(sqlite3 *db, int *version)
{
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
		return sqlite3_errcode(db);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*version = sqlite3_column_int(stmt, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Applies the missing migrations, each in its own transaction. The version
 * is read again under the write lock: another process opening the same
 * new database at the same moment (two terminals) may have applied some
 * meanwhile. */
static enum store_error migrate(struct store *st, char *err, size_t errlen)
{
	for (;;) {
		if (exec_sql(st->db, "BEGIN IMMEDIATE", err, errlen) != 0)
			return STORE_ERR_SQL;
		int v = 0;
		int rc = read_user_version(st->db, &v);
		if (rc != SQLITE_OK || v >= MIGRATION_COUNT) {
			exec_sql(st->db, "ROLLBACK", NULL, 0);
			if (rc != SQLITE_OK)
				format_error(err, errlen, "cannot read the schema version: %s",
					     sqlite3_errstr(rc));
			return rc == SQLITE_OK ? STORE_OK : STORE_ERR_SQL;
		}
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
		if (exec_sql(st->db, migrations[v], err, errlen) != 0 ||
		    exec_sql(st->db, pragma, err, errlen) != 0) {
			char detail[512];
			snprintf(detail, sizeof detail, "%s", err ? err : "");
			exec_sql(st->db, "ROLLBACK", NULL, 0);
			format_error(err, errlen, "migration %d failed: %s", v + 1, detail);
			return STORE_ERR_SQL;
		}
		if (exec_sql(st->db, "COMMIT", err, errlen) != 0) {
			exec_sql(st->db, "ROLLBACK", NULL, 0);
			return STORE_ERR_SQL;
		}
	}
}

/* WAL is switched on once, when the database is new. Another process
 * opening it at the same moment can hold a lock that makes the switch fail
 * at once (SQLite does not wait where waiting could deadlock), or leave the
 * old mode in place: both are tried again for as long as the busy timeout.
 * Any other failure means the file or its folder cannot be written. */
static int set_wal(sqlite3 *db)
{
	for (int tries = 0;; tries++) {
		sqlite3_stmt *stmt;
		int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &stmt, NULL);
		if (rc == SQLITE_OK) {
			rc = sqlite3_step(stmt);
			if (rc == SQLITE_ROW)
				rc = sqlite3_stricmp((const char *)sqlite3_column_text(stmt, 0), "wal")
					 ? SQLITE_BUSY
					 : SQLITE_OK;
			sqlite3_finalize(stmt);
		}
		bool busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
		if (!busy || tries >= BUSY_TIMEOUT_MS / 10)
			return rc;
		usleep(10 * 1000);
	}
}

/* A WAL database is read through its -shm file, which SQLite creates
 * beside it: in a folder this user cannot write (a shared copy, another
 * user's files) it cannot, and refuses to read. When no -wal file with
 * writes in it was left there, the file alone holds the whole database and
 * can be read as immutable. */
static bool wal_is_empty(const char *path)
{
	char *wal = xasprintf("%s-wal", path);
	struct stat sb;
	bool empty = stat(wal, &sb) != 0 || sb.st_size == 0;
	free(wal);
	return empty;
}

/* SQLite's allocation statistics (sqlite3_memory_used), which aipm never
 * reads, take a global mutex on every malloc and free: off before SQLite
 * starts, once per process. */
static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static void sqlite_start(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_sqlite);
}

/* A new database says it is aipm's before anything else is written to
 * it: another aipm opening it meanwhile (a second terminal) must not take
 * the half-made file for someone else's. A failure here is a read-only
 * file, which set_wal finds out. Its pages are 8 KB, fixed from the first
 * write on: a coach's import inserts millions of index entries at random
 * places, and trees of 8 KB pages are shallower and split half as often
 * (sqlite3 .import of 300 learners' rows: 12% less CPU than 4 KB pages). */
static void claim_new_database(sqlite3 *db)
{
	exec_sql(db, "PRAGMA page_size = 8192; PRAGMA application_id = " STORE_APPLICATION_ID_TEXT,
		 NULL, 0);
}

static int open_immutable(const char *path, sqlite3 **db)
{
	struct strbuf uri;
	sb_init(&uri);
	sb_puts(&uri, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '?' || *p == '#' || *p == '%' || *p <= ' ' || *p >= 0x7f)
			sb_printf(&uri, "%%%02X", *p);
		else
			sb_putc(&uri, (char)*p);
	}
	sb_puts(&uri, "?immutable=1");
	sqlite_start();
	int rc = sqlite3_open_v2(uri.data, db,
				 SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
	sb_free(&uri);
	return rc;
}

/* What a file is, told from its header before SQLite writes anything. */
enum file_identity {
	IDENTITY_NEW,       /* empty: aipm makes it its database */
	IDENTITY_AIPM,      /* aipm's, by its application id */
	IDENTITY_AIPM_OLD,  /* aipm's from before the id: by its tables */
	IDENTITY_FOREIGN,   /* an SQLite database of another program */
	IDENTITY_UNKNOWN,   /* not SQLite, or unreadable: SQLite's open says why */
};

static uint32_t header_u32(const unsigned char *h, size_t at)
{
	return (uint32_t)h[at] << 24 | (uint32_t)h[at + 1] << 16 | (uint32_t)h[at + 2] << 8 |
	       h[at + 3];
}

/* Tables that every aipm database has had since its first version. */
static const char *const aipm_tables[] = {"content_meta", "modules", "lessons", "learners",
					  "app_settings", "quiz_attempts"};

/* One number a PRAGMA gives, or -1. */
static int64_t pragma_number(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *stmt;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK) {
		if (sqlite3_step(stmt) == SQLITE_ROW)
			v = sqlite3_column_int64(stmt, 0);
		sqlite3_finalize(stmt);
	}
	return v;
}

/* A database whose header does not settle it: no application id in the
 * file, or a WAL file that may hold a newer header. Read through a
 * connection that writes nothing: an immutable one (no lock, no -wal or
 * -shm made) when everything is in the file, else a read-only one, which
 * reads the -wal (an aipm killed before its first checkpoint leaves its
 * tables and its id there) and at most rebuilds the -shm beside it. It is
 * aipm's by its id, or from before the id (user_version 1 or more and
 * aipm's tables); empty; or someone else's. */
static enum file_identity identify_by_contents(const char *path, bool wal_pending)
{
	sqlite3 *db = NULL;
	sqlite_start();
	int rc = wal_pending ? sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
					       NULL)
			     : open_immutable(path, &db);
	if (rc != SQLITE_OK) {
		sqlite3_close(db);
		return IDENTITY_UNKNOWN;
	}
	int64_t app_id = pragma_number(db, "PRAGMA application_id");
	int64_t user_version = pragma_number(db, "PRAGMA user_version");
	int64_t objects = pragma_number(db, "SELECT count(*) FROM sqlite_master");
	int ours = 0;
	sqlite3_stmt *stmt;
	for (size_t i = 0; i < sizeof aipm_tables / sizeof aipm_tables[0]; i++) {
		if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
				       -1, &stmt, NULL) != SQLITE_OK)
			continue;
		sqlite3_bind_text(stmt, 1, aipm_tables[i], -1, SQLITE_STATIC);
		ours += sqlite3_step(stmt) == SQLITE_ROW;
		sqlite3_finalize(stmt);
	}
	sqlite3_close(db);
	if (objects < 0 || app_id < 0 || user_version < 0)
		return IDENTITY_UNKNOWN;
	if ((uint32_t)app_id == STORE_APPLICATION_ID)
		return IDENTITY_AIPM;
	if (app_id != 0)
		return IDENTITY_FOREIGN;
	if (user_version >= 1 && ours == (int)(sizeof aipm_tables / sizeof aipm_tables[0]))
		return IDENTITY_AIPM_OLD;
	if (objects == 0 && user_version == 0)
		return IDENTITY_NEW;
	return IDENTITY_FOREIGN;
}

static enum file_identity identify(const char *path)
{
	struct stat sb;
	char why[256];
	int fd = file_open_read(path, &sb, why, sizeof why);
	if (fd < 0)
		return IDENTITY_UNKNOWN;
	unsigned char h[100];
	ssize_t n;
	do
		n = pread(fd, h, sizeof h, 0);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n == 0)
		return IDENTITY_NEW;
	if (n < (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
		return IDENTITY_UNKNOWN;
	uint32_t app_id = header_u32(h, 68);
	if (app_id == STORE_APPLICATION_ID)
		return IDENTITY_AIPM;
	/* bytes 18 and 19 are 2 in WAL mode */
	bool wal_pending = h[18] == 2 && !wal_is_empty(path);
	if (app_id != 0 && !wal_pending)
		return IDENTITY_FOREIGN;
	return identify_by_contents(path, wal_pending);
}

enum store_error store_open(const char *path, struct store **out, char *err, size_t errlen)
{
	*out = NULL;
	file_protect_database(path);
	struct stat sb;
	bool exists = stat(path, &sb) == 0;
	if (exists && !S_ISREG(sb.st_mode)) {
		format_error(err, errlen, "cannot open %s: not a regular file (%s)", path,
			     file_type_name(sb.st_mode));
		return STORE_ERR_OPEN;
	}
	/* Look before SQLite touches the file: another program's database is
	 * left as it is, byte for byte (no table, no WAL switch). */
	enum file_identity identity = exists ? identify(path) : IDENTITY_NEW;
	if (identity == IDENTITY_FOREIGN) {
		format_error(err, errlen,
			     "%s is an SQLite database of another program; aipm left it untouched "
			     "(use another --db)",
			     path);
		return STORE_ERR_FOREIGN;
	}
	if (!exists) {
		if (make_parent_dirs(path, err, errlen) != 0 ||
		    create_private_file(path, err, errlen) != 0)
			return STORE_ERR_OPEN;
	}

	sqlite3 *db = NULL;
	sqlite_start();
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		format_error(err, errlen, "cannot open database %s: %s", path,
			db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return STORE_ERR_OPEN;
	}
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db, 1);

	/* Look before touching: a newer schema is refused before any PRAGMA
	 * that could write (journal_mode rewrites the header). */
	int version = 0;
	rc = read_user_version(db, &version);
	if (((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN) &&
	    wal_is_empty(path)) {
		sqlite3_close(db);
		db = NULL;
		rc = open_immutable(path, &db);
		if (rc == SQLITE_OK)
			rc = read_user_version(db, &version);
	}
	if (rc != SQLITE_OK) {
		int base = rc & 0xff;
		format_error(err, errlen,
			     base == SQLITE_IOERR || base == SQLITE_FULL || base == SQLITE_CANTOPEN
				 ? "cannot open %s: %s"
				 : "%s is not a usable aipm database: %s",
			     path, describe_error(db));
		sqlite3_close(db);
		return (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT
			   ? STORE_ERR_CORRUPT
			   : STORE_ERR_OPEN;
	}
	if (version > MIGRATION_COUNT) {
		format_error(err, errlen,
			"%s was written by a newer version of aipm (schema %d; this aipm knows up "
			"to %d). It was left untouched: upgrade aipm or use another --db.",
			path, version, MIGRATION_COUNT);
		sqlite3_close(db);
		return STORE_ERR_NEWER;
	}

	struct store *st = xcalloc(1, sizeof *st);
	st->db = db;
	st->path = xstrdup(path);
	st->readonly = sqlite3_db_readonly(db, "main") == 1;

	if (!st->readonly && identity == IDENTITY_NEW)
		claim_new_database(db);
	if (!st->readonly) {
		rc = set_wal(db);
		if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
			format_error(err, errlen, "%s stayed locked by another process: %s", path,
				     sqlite3_errstr(rc));
			store_close(st);
			return STORE_ERR_SQL;
		}
		st->readonly = rc != SQLITE_OK;
	}
	if (exec_sql(db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL", err, errlen) != 0) {
		store_close(st);
		return STORE_ERR_SQL;
	}
	if (version < MIGRATION_COUNT) {
		if (st->readonly) {
			format_error(err, errlen,
				"%s is read-only and needs an upgrade (schema %d -> %d); make it "
				"writable or use another --db",
				path, version, MIGRATION_COUNT);
			store_close(st);
			return STORE_ERR_READONLY;
		}
		enum store_error e = migrate(st, err, errlen);
		if (e != STORE_OK) {
			store_close(st);
			return e;
		}
	}
	/* A database from before aipm set its id gets it now, once; until a
	 * write succeeds (a full disk), its tables keep telling it apart. */
	if (!st->readonly && identity == IDENTITY_AIPM_OLD)
		exec_sql(db, "PRAGMA application_id = " STORE_APPLICATION_ID_TEXT, NULL, 0);
	*out = st;
	return STORE_OK;
}

/* ---- checkpoints behind a long write ------------------------------------------- */

/* SQLite copies the WAL back into the database (a checkpoint) on the
 * connection that commits, once the WAL holds 1,000 pages: for a coach's
 * import that is reading and writing every page again, and its fsync, on
 * the thread the import waits for. Behind a long write the checkpoints
 * run on a second connection and thread instead; PASSIVE ones, which
 * never wait for the writer and never make it wait. Its commits until the
 * last do not fsync the WAL (synchronous NORMAL): the checkpoints do, and
 * the last commit, FULL again, makes all of it durable at once. */
struct checkpointer {
	sqlite3 *db;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool due, stop;
};

static void *checkpoint_loop(void *arg)
{
	struct checkpointer *c = arg;
	pthread_setname_np(pthread_self(), "aipm-checkpoint");
	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->due && !c->stop)
			pthread_cond_wait(&c->wake, &c->lock);
		if (!c->due)
			break;
		c->due = false;
		pthread_mutex_unlock(&c->lock);
		sqlite3_wal_checkpoint_v2(c->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* After each commit (SQLite's WAL hook, on the writer's thread). */
static int checkpoint_when_due(void *arg, sqlite3 *db, const char *schema, int pages)
{
	(void)db;
	(void)schema;
	struct checkpointer *c = arg;
	if (pages >= 1000) {
		pthread_mutex_lock(&c->lock);
		c->due = true;
		pthread_cond_signal(&c->wake);
		pthread_mutex_unlock(&c->lock);
	}
	return SQLITE_OK;
}

void store_long_write_begin(struct store *st)
{
	if (st->checkpointer || st->readonly)
		return;
	struct checkpointer *c = xcalloc(1, sizeof *c);
	const char *file = sqlite3_db_filename(st->db, "main");
	/* Without a second connection, SQLite's own checkpoints go on. */
	if (!file || !*file ||
	    sqlite3_open_v2(file, &c->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(c->db);
		free(c);
		return;
	}
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	/* A connection opens its database (and finds the WAL) at its first
	 * read; a checkpoint before that does nothing. */
	if (sqlite3_exec(c->db, "SELECT COUNT(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_close(c->db);
		free(c);
		return;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	if (pthread_create(&c->thread, NULL, checkpoint_loop, c) != 0) {
		pthread_mutex_destroy(&c->lock);
		pthread_cond_destroy(&c->wake);
		sqlite3_close(c->db);
		free(c);
		return;
	}
	st->checkpointer = c;
	sqlite3_wal_hook(st->db, checkpoint_when_due, c);
	sqlite3_exec(st->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
}

void store_long_write_end(struct store *st)
{
	struct checkpointer *c = st->checkpointer;
	if (!c)
		return;
	/* SQLite's own hook back (it checkpoints at 1,000 pages), and a
	 * commit that waits for the disk. */
	sqlite3_wal_autocheckpoint(st->db, 1000);
	sqlite3_exec(st->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	pthread_mutex_lock(&c->lock);
	c->stop = true;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->wake);
	sqlite3_close(c->db);
	free(c);
	st->checkpointer = NULL;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	store_long_write_end(st);
	for (size_t i = 0; i < st->ncache; i++) {
		sqlite3_finalize(st->cache[i].stmt);
		free(st->cache[i].sql);
	}
	free(st->cache);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

sqlite3 *store_db(struct store *st)
{
	return st->db;
}

const char *store_path(const struct store *st)
{
	return st->path;
}

bool store_is_readonly(const struct store *st)
{
	return st->readonly;
}

int store_schema_version(struct store *st)
{
	int v = 0;
	read_user_version(st->db, &v);
	return v;
}

const char *store_errmsg(struct store *st)
{
	if (st->readonly)
		return "the database is read-only: nothing can be saved";
	int rc = sqlite3_errcode(st->db);
	if ((rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) && st->last_error[0])
		return st->last_error;
	return describe_error(st->db);
}

static void keep_error(struct store *st)
{
	int rc = sqlite3_errcode(st->db);
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		snprintf(st->last_error, sizeof st->last_error, "%s", describe_error(st->db));
}

enum store_error store_error_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return STORE_OK;
	case SQLITE_READONLY:
		return STORE_ERR_READONLY;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return STORE_ERR_CORRUPT;
	default:
		return STORE_ERR_SQL;
	}
}

enum store_error store_begin(struct store *st)
{
	if (st->readonly)
		return STORE_ERR_READONLY;
	return store_error_of(sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
}

enum store_error store_commit(struct store *st)
{
	int rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		store_rollback(st);
	return store_error_of(rc);
}

void store_rollback(struct store *st)
{
	keep_error(st);
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3_stmt *store_prepare(struct store *st, const char *sql)
{
	for (size_t i = 0; i < st->ncache; i++) {
		if (strcmp(st->cache[i].sql, sql) == 0) {
			sqlite3_reset(st->cache[i].stmt);
			sqlite3_clear_bindings(st->cache[i].stmt);
			return st->cache[i].stmt;
		}
	}
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
	    SQLITE_OK)
		return NULL;
	struct cached_stmt c = {xstrdup(sql), stmt};
	ARRAY_PUSH(st->cache, st->ncache, st->capcache, c);
	return stmt;
}

enum store_error store_step_done(struct store *st, sqlite3_stmt *stmt)
{
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return STORE_OK;
	keep_error(st);
	return store_error_of(rc);
}

char *store_column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);
	return xstrdup(t ? (const char *)t : "");
}

void store_column_copy(char *dst, size_t size, sqlite3_stmt *stmt, int col)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);
	snprintf(dst, size, "%s", t ? (const char *)t : "");
}

enum store_error store_finish(sqlite3_stmt *stmt, int rc)
{
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : rc == SQLITE_ROW ? STORE_ERR_SQL : store_error_of(rc);
}

void store_new_uuid(char out[37])
{
	uuid_t u;
	uuid_generate_random(u);
	uuid_unparse_lower(u, out);
}

static void learner_from_row(sqlite3_stmt *stmt, struct learner *out)
{
	out->id = sqlite3_column_int64(stmt, 0);
	snprintf(out->uuid, sizeof out->uuid, "%s", (const char *)sqlite3_column_text(stmt, 1));
	snprintf(out->name, sizeof out->name, "%s", (const char *)sqlite3_column_text(stmt, 2));
	out->created_at = sqlite3_column_int64(stmt, 3);
}

const char *store_learner_name_problem(const char *name)
{
	if (!*name)
		return "it is empty";
	if (strlen(name) >= sizeof ((struct learner *)0)->name)
		return "it is longer than 127 bytes";
	return sanitize_name_problem(name);
}

#define SIGNED_IN_KEY "signed_in_at"

enum store_error store_learner_sign_in(struct store *st, int64_t learner_id, bool *before)
{
	*before = true;
	sqlite3_stmt *stmt = store_prepare(
	    st, "SELECT 1 FROM learner_settings WHERE learner_id = ? AND key = '" SIGNED_IN_KEY "'");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_int64(stmt, 1, learner_id);
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error_of(rc);
	*before = rc == SQLITE_ROW;
	if (st->readonly)
		return STORE_OK;
	stmt = store_prepare(st, "INSERT INTO learner_settings (learner_id, key, value)"
				 " VALUES (?, '" SIGNED_IN_KEY "', ?) ON CONFLICT (learner_id, key)"
				 " DO UPDATE SET value = excluded.value");
	if (!stmt)
		return STORE_ERR_SQL;
	char now[24];
	snprintf(now, sizeof now, "%lld", (long long)clock_now());
	sqlite3_bind_int64(stmt, 1, learner_id);
	sqlite3_bind_text(stmt, 2, now, -1, SQLITE_TRANSIENT);
	return store_step_done(st, stmt);
}

enum store_error store_learner_create(struct store *st, const char *name, struct learner *out)
{
	if (st->readonly)
		return STORE_ERR_READONLY;
	if (store_learner_name_problem(name))
		return STORE_ERR_INVALID;
	enum store_error e = store_begin(st);
	if (e != STORE_OK)
		return e;
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO learners (uuid, name, created_at) VALUES (?, ?, ?)");
	if (!stmt) {
		store_rollback(st);
		return STORE_ERR_SQL;
	}
	char uuid[37];
	store_new_uuid(uuid);
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 3, clock_now());
	e = store_step_done(st, stmt);
	/* The learner's signing key is made with them, in one transaction. */
	if (e == STORE_OK)
		e = learner_key_create(st, sqlite3_last_insert_rowid(st->db));
	if (e == STORE_OK)
		e = store_commit(st);
	else
		store_rollback(st);
	if (e != STORE_OK)
		return e;
	return store_learner_by_name(st, name, out);
}

static enum store_error learner_query(struct store *st, const char *sql, const char *text,
				      int64_t id, struct learner *out)
{
	sqlite3_stmt *stmt = store_prepare(st, sql);
	if (!stmt)
		return STORE_ERR_SQL;
	if (text)
		sqlite3_bind_text(stmt, 1, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_int64(stmt, 1, id);
	int rc = sqlite3_step(stmt);
	enum store_error e = STORE_ERR_NOTFOUND;
	if (rc == SQLITE_ROW) {
		learner_from_row(stmt, out);
		e = STORE_OK;
	} else if (rc != SQLITE_DONE) {
		e = store_error_of(rc);
	}
	sqlite3_reset(stmt);
	return e;
}

enum store_error store_learner_by_name(struct store *st, const char *name, struct learner *out)
{
	return learner_query(st,
			     "SELECT id, uuid, name, created_at FROM learners"
			     " WHERE name = ? AND origin = 'local'",
			     name, 0, out);
}

enum store_error store_learner_by_id(struct store *st, int64_t id, struct learner *out)
{
	return learner_query(st, "SELECT id, uuid, name, created_at FROM learners WHERE id = ?",
			     NULL, id, out);
}

enum store_error store_learner_list(struct store *st, struct learner **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	size_t cap = 0;
	sqlite3_stmt *stmt =
	    store_prepare(st, "SELECT id, uuid, name, created_at FROM learners"
			      " WHERE origin = 'local' ORDER BY id");
	if (!stmt)
		return STORE_ERR_SQL;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct learner l;
		learner_from_row(stmt, &l);
		ARRAY_PUSH(*out, *count, cap, l);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? STORE_OK : store_error_of(rc);
}

enum store_error store_setting_set(struct store *st, const char *key, const char *value)
{
	if (st->readonly)
		return STORE_ERR_READONLY;
	sqlite3_stmt *stmt = store_prepare(
	    st, "INSERT INTO app_settings (key, value) VALUES (?, ?)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value");
	if (!stmt)
		return STORE_ERR_SQL;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, value, -1, SQLITE_TRANSIENT);
	return store_step_done(st, stmt);
}

static char *single_text(struct store *st, const char *sql, const char *key)
{
	sqlite3_stmt *stmt = store_prepare(st, sql);
	if (!stmt)
		return NULL;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
	char *value = NULL;
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		value = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_reset(stmt);
	return value;
}

char *store_setting_get(struct store *st, const char *key)
{
	return single_text(st, "SELECT value FROM app_settings WHERE key = ?", key);
}

char *store_content_hash(struct store *st)
{
	return single_text(st, "SELECT value FROM content_meta WHERE key = ?", "hash");
}
