# The model lab: load the shipped reviews, take a balanced subset, train
# while the loss chart draws, read the confusion matrix, move the threshold,
# spot-check a sentence, save the model (and read it with aipm predict),
# compare two runs; bad files are refused on screen; the CLI's JSON.

# open_lab NAME: the lab for a fresh learner, on cell 1.
open_lab() {
	start_app 80x24 --learner "$1"
	wait_for "Welcome back, $1" || return 1
	keys m
	wait_for "Notebook" || return 1
	wait_for "balanced subset 1000 per class" || return 1
}

# set_prompt TEXT: replaces the text of an open prompt and confirms it.
set_prompt() {
	wait_for "Enter: OK  Esc: cancel" || return 1
	keys C-u
	type_text "$1"
	keys Enter
	wait_gone "Enter: OK  Esc: cancel"
}

test_lab_notebook_end_to_end() {
	open_lab Ana || return
	# The course's small balanced subset, smaller still: 500 per class.
	keys j j j j
	keys h
	wait_for "balanced subset 500 per class" || return
	keys r
	wait_for "in use: 1,000 rows (balanced subset)" || return
	wait_for "reviews.csv: 6,000 rows" || return
	wait_for "text column 'review', label column 'sentiment'" || return
	wait_for "length of the rows in use (words)" || return

	# Training runs the cells above it first and draws the loss live.
	keys 5
	wait_for "5  Train" || return
	keys r
	wait_for "epoch 10/10" || return
	wait_for "Ran cells 2-4 first" || return
	wait_for "training loss" || return
	wait_for "validation loss" || return
	wait_for "accuracy: training" || return
	screen | grep -q "5 Train        done" || fail "cell 5 is not marked done"

	# The confusion matrix in the course's words.
	keys 6
	wait_for "truly negative" || return
	wait_for "called positive" || return
	wait_for "TN " || return
	wait_for "TP " || return
	wait_for "macro avg" || return
	wait_for "weighted avg" || return
	keys v
	wait_for "true positive rate (ROC)" || return

	# The threshold moves the matrix.
	keys 7
	wait_for "threshold 0.50: call a review positive" || return
	local before after
	before=$(screen | grep -o "FP [0-9,]*" | head -n 1)
	keys h h h h
	wait_for "threshold 0.30: call a review positive" || return
	wait_for "0.30 now" || return
	wait_for "Below 0.5 more reviews are called positive" || return
	after=$(screen | grep -o "FP [0-9,]*" | head -n 1)
	[[ -n $before && $before != "$after" ]] ||
		fail "false positives did not change with the threshold ($before -> $after)"
	keys l l l l
	wait_for "threshold 0.50: call a review positive" || return

	# Spot check: the label, the probability and each term's push.
	keys 8
	wait_for "pushes to positive" || return
	wait_for "pushes to negative" || return
	keys i
	wait_for "Enter/Esc done typing" || return
	keys C-u
	type_text "An awful, boring film"
	keys Enter
	wait_for "probability" || return
	wait_for "awful " || return
	wait_for "boring " || return

	# Save, and read the file with aipm predict.
	keys 9
	wait_for "9  Save/load" || return
	keys s
	wait_for "Model saved." || return
	wait_for "Saved " || return
	local model="$E2E_HOME/.local/share/aipm/lab-model.aipm" out
	[[ -s $model ]] || fail "no model file at $model"
	out=$(aipm_cli predict --model "$model" --format csv "a wonderful film" 2>&1)
	grep -Eq '^(positive|negative),0\.[0-9]+,a wonderful film$' <<<"$out" ||
		fail "aipm predict did not read the saved model: $out"

	# A second run with fewer epochs, then the comparison.
	keys 5
	keys j
	keys h h
	wait_for "epochs          8" || return
	screen | grep -q "6 Evaluate    stale" || fail "evaluate is not stale after a training change"
	keys r
	wait_for "epoch 8/8" || return
	keys 0
	wait_for "10  Experiments" || return
	wait_for "best" || return
	screen | grep -Eq "^ .*│ +1  LR tfidf 1-2" || fail "run 1 is not listed"
	screen | grep -Eq "^ .*│ +2  LR tfidf 1-2" || fail "run 2 is not listed"
	wait_for "run 2, " || return
	wait_for "8 epochs, learning rate 2" || return
	# The runs outlive the session.
	keys q
	wait_for "Welcome back, Ana" || return
	keys m 0
	wait_for "8 epochs, learning rate 2" || return
}

test_lab_stop_training_with_esc() {
	open_lab Bo || return
	keys 5
	keys j
	keys Enter
	set_prompt 400 || return
	wait_for "epochs          400" || return
	keys r
	wait_for "Esc stop training" || return
	keys Escape
	wait_for "stopped after epoch" || return
	wait_for "5 Train     stopped" || return
	# A stopped run still evaluates and is logged.
	keys 0
	wait_for "best" || return
}

test_lab_bad_files_are_refused() {
	open_lab Cy || return
	printf 'text,label\ngood,pos\nbad,neg\nmeh,neutral\n' >"$E2E_HOME/three.csv"
	keys Enter
	set_prompt "$E2E_HOME/three.csv" || return
	keys r
	wait_for "three.csv:4: a third label" || return
	wait_for "'neutral' (after 'pos' and 'neg')" || return
	wait_for "1 Data        error" || return
	# A file that is not a model is refused when opened.
	printf 'review,sentiment\n' >"$E2E_HOME/not-a-model.aipm"
	keys 9
	keys o
	set_prompt "$E2E_HOME/not-a-model.aipm" || return
	wait_for "model file (it does not start with AIPMMODL)" || return
	wait_for "9 Save/load   error" || return
}

test_lab_sentence_tokens_and_ids() {
	open_lab Dee || return
	keys 3
	wait_for "3  Tokenize" || return
	# Before the vocabulary exists the tokens show without ids.
	wait_for "[not]" || return
	keys r
	wait_for "vocabulary:" || return
	wait_for "[not masterpiece] #" || return
	keys j
	keys l
	wait_for "dropped (English list)" || return
	wait_for "this (stop word)" || return
	wait_for "[film masterpiece]" || return
}

test_lab_cli_train_json_and_predict() {
	local dir out
	dir=$(mktemp -d)
	out=$(aipm_cli train "$CONTENT_DIR/datasets/reviews.csv" --balanced 300 --epochs 3 \
		--save "$dir/m.aipm" --format json)
	for key in accuracy auc confusion_matrix macro_avg weighted_avg epochs sizes seconds; do
		grep -q "\"$key\"" <<<"$out" || fail "train JSON lacks $key"
	done
	grep -q '"train": 420' <<<"$out" || fail "train JSON has the wrong training size"
	out=$(printf 'a masterpiece\nan awful mess\n' | aipm_cli predict --model "$dir/m.aipm" --format csv)
	[[ $(grep -c '^\(positive\|negative\),' <<<"$out") == 2 ]] || fail "predict from stdin: $out"
	out=$(aipm_cli train "$dir/none.csv" 2>&1)
	grep -q "none.csv: cannot read" <<<"$out" || fail "missing file: $out"
	rm -rf "$dir"
}
