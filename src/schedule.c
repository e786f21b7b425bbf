/* FSRS-4.5, from the open-spaced-repetition project's description of the
 * algorithm (github.com/open-spaced-repetition/fsrs4anki/wiki/The-Algorithm)
 * and its reference implementations. With G the rating 1-4, t the whole
 * days since the last review, S stability and D difficulty:
 *
 *   R(t, S)  = (1 + FACTOR * t / S)^DECAY, DECAY = -0.5, FACTOR = 19/81
 *   I(r, S)  = S / FACTOR * (r^(1/DECAY) - 1)          (= S when r = 0.9)
 *   S0(G)    = w[G-1]
 *   D0(G)    = w4 - (G - 3) * w5
 *   D'       = w7 * D0(3) + (1 - w7) * (D - w6 * (G - 3)), within [1, 10]
 *   S'r      = S * (e^w8 * (11 - D) * S^-w9 * (e^(w10 * (1 - R)) - 1)
 *                   * (w15 if G = 2) * (w16 if G = 4) + 1)
 *   S'f      = w11 * D^-w12 * ((S + 1)^w13 - 1) * e^(w14 * (1 - R)),
 *              at most S (forgetting never makes a memory sturdier)
 *
 * The new stability uses the difficulty before the review, as the
 * optimiser that fitted the weights does. */
#include "schedule.h"

#include <math.h>
#include <stdbool.h>

#define DECAY (-0.5)
#define FACTOR (19.0 / 81.0)
#define SECONDS_PER_DAY 86400
#define MIN_STABILITY 0.01

static const double w[17] = {
	0.4872, 1.4003, 3.7145, 13.8206, 5.1618, 1.2298, 0.8975, 0.031, 1.6474,
	0.1367, 1.0461, 2.1072, 0.0793, 0.3246, 1.587,	0.2272, 2.8755,
};

static double clamp(double x, double low, double high)
{
	return x < low ? low : x > high ? high : x;
}

static double initial_difficulty(int g)
{
	return w[4] - (g - 3) * w[5];
}

static double forgetting_curve(double days, double stability)
{
	return pow(1 + FACTOR * days / stability, DECAY);
}

static double next_difficulty(double d, int g)
{
	double moved = d - w[6] * (g - 3);
	return clamp(w[7] * initial_difficulty(SCHEDULE_GOOD) + (1 - w[7]) * moved, 1, 10);
}

static double recall_stability(double d, double s, double r, int g)
{
	double hard_penalty = g == SCHEDULE_HARD ? w[15] : 1;
	double easy_bonus = g == SCHEDULE_EASY ? w[16] : 1;
	return s * (exp(w[8]) * (11 - d) * pow(s, -w[9]) * (exp(w[10] * (1 - r)) - 1) *
			    hard_penalty * easy_bonus +
		    1);
}

static double forget_stability(double d, double s, double r)
{
	double next = w[11] * pow(d, -w[12]) * (pow(s + 1, w[13]) - 1) * exp(w[14] * (1 - r));
	return fmin(next, s);
}

static int interval_days(double stability)
{
	double days = stability / FACTOR * (pow(SCHEDULE_RETENTION, 1 / DECAY) - 1);
	return (int)clamp(round(days), 1, SCHEDULE_MAX_INTERVAL_DAYS);
}

/* Whole days, as FSRS-4.5 counts them; a clock that went back counts 0. */
static double elapsed_days(const struct schedule_card *card, int64_t now)
{
	double seconds = (double)now - (double)card->last_review;
	return seconds > 0 ? floor(seconds / SECONDS_PER_DAY) : 0;
}

/* A card read back from storage with a broken state starts over as new
 * rather than poisoning the arithmetic. */
static bool has_memory(const struct schedule_card *card)
{
	return card->reps > 0 && isfinite(card->stability) && card->stability > 0 &&
	       card->difficulty >= 1 && card->difficulty <= 10;
}

double schedule_retrievability(const struct schedule_card *card, int64_t now)
{
	if (!has_memory(card))
		return 0;
	return forgetting_curve(elapsed_days(card, now), card->stability);
}

int schedule_review(struct schedule_card *card, enum schedule_rating rating, int64_t now)
{
	if (rating < SCHEDULE_AGAIN || rating > SCHEDULE_EASY)
		return -1;
	int g = rating;
	if (!has_memory(card)) {
		card->stability = w[g - 1];
		card->difficulty = clamp(initial_difficulty(g), 1, 10);
	} else {
		double r = schedule_retrievability(card, now);
		double d = card->difficulty;
		double s = card->stability;
		card->stability = g == SCHEDULE_AGAIN ? forget_stability(d, s, r)
						      : recall_stability(d, s, r, g);
		card->difficulty = next_difficulty(d, g);
	}
	card->stability = clamp(card->stability, MIN_STABILITY, SCHEDULE_MAX_INTERVAL_DAYS);
	card->reps++;
	if (g == SCHEDULE_AGAIN)
		card->lapses++;
	card->last_review = now;
	card->due = now + (int64_t)interval_days(card->stability) * SECONDS_PER_DAY;
	return 0;
}

enum schedule_rating schedule_rating_from_percent(double percent)
{
	if (percent >= 85)
		return SCHEDULE_EASY;
	if (percent >= 60)
		return SCHEDULE_GOOD;
	if (percent >= 30)
		return SCHEDULE_HARD;
	return SCHEDULE_AGAIN;
}

const char *schedule_rating_name(enum schedule_rating rating)
{
	static const char *const names[] = {"again", "hard", "good", "easy"};
	return rating >= SCHEDULE_AGAIN && rating <= SCHEDULE_EASY ? names[rating - SCHEDULE_AGAIN] : "";
}
