#!/usr/bin/env python3
"""Generate aipm's labelled movie-review set (content/datasets/reviews.csv).

The file has the shape of Kaggle's "IMDB Dataset.csv": two columns,
`review,sentiment`, sentiment `positive` or `negative`, balanced, rows in
random order, `<br /><br />` between some paragraphs. Every review is
composed by the grammar below from our own vocabulary: invented film titles
and people, movie aspects, degree adverbs, negations that flip meaning
("not a masterpiece", "never boring"), contrast sentences ("the acting was
superb, but the plot fell apart") and neutral plot summary.

Negated praise ("not a masterpiece", "far from a masterpiece", "not exactly
brilliant") belongs to negative reviews, as in real ones; only a few
positive reviews concede it ("Not a masterpiece, but great fun."), and some
more carry it in a sentence that goes against their label. So a model that
reads word pairs learns "not masterpiece" as negative, while one that reads
single words mostly sees "masterpiece" as praise: the spot check of lesson
m2-07 ("not a masterpiece") comes out negative with bigrams and positive
without.

The set is deliberately not trivially separable:
  * review "kinds" (KINDS below): clear 66%, leaning 20% (mostly one way,
    with real criticism or praise of the other side), mixed 9% (both sides,
    the label carried by a mild verdict) and ambiguous 5% (both sides and a
    noncommittal verdict; the label is the reviewer's, the text barely
    shows it);
  * label noise: 105 labels per class (3.5% in all) are flipped at random,
    so the balance stays exactly 3,000 / 3,000.
With seed 42, TF-IDF + logistic regression scores about 88-89% on a held-out
20% (content/generators/check_reviews.py).

Standard library only; deterministic: the same --seed gives byte-identical
output (random.Random(seed), no hashing or set iteration in the output path).

    python3 content/generators/gen_reviews.py --seed 42 > content/datasets/reviews.csv
"""

import argparse
import csv
import io
import sys
import random

N_ROWS = 6000
NOISE_PER_CLASS = 105          # 2 x 105 = 210 flipped labels = 3.5%

# Share of each kind of review (of the true labels, before noise).
KINDS = (("clear", 0.66), ("lean", 0.20), ("mixed", 0.09), ("ambiguous", 0.05))
# Probability that the reviewer's stance on an aspect (acting, plot, ...)
# agrees with the review's label; the stance holds for the whole review.
AGREE = {"clear": 0.93, "lean": 0.72, "mixed": 0.55, "ambiguous": 0.5}
# Probability that a sentence about an aspect goes against the stance (nuance).
NUANCE = 0.06
# Probability that a sentence about the whole film agrees with the label.
FILM_AGREE = {"clear": 0.97, "lean": 0.85, "mixed": 0.7, "ambiguous": 0.5}

# ---------------------------------------------------------------- people

FEMALE = """Maren Ilse Noor Tove Asha Delphine Rosalind Wren Ines Kalinda Petra
Sunniva Mireille Odile Hana Clio Marisol Tamsin Yara Linnea Beatrix Zofia
Amara Leonie Saskia Imogen Talia Esme Nadia Ottilie Rhea Vesna Juno Lorna
Philippa Greta Anouk Celeste Priya Miriam Zoë Renata Solveig Adaeze""".split()
MALE = """Tobias Anselm Caspar Idris Lucan Matthias Rafe Dorian Ezra Florin
Hollis Jasper Kasimir Leander Marek Niall Orrin Pascal Quentin Rowan Silas
Thaddeus Ulrich Viggo Wystan Yannick Emeric Bastian Cormac Darius Evander
Felix Gideon Hamish Ivo Jory Konrad Lorcan Mateo Nikolai José Osric""".split()
SURNAMES = """Holloway Vantreight Okafor Lindqvist Marchetti Abernathy Castellane
Drummond Ferrier Galloway Hartigan Isley Jaramillo Kessler Lowther Maddox
Nakashima Oyelaran Pennick Quarles Rasmussen Strand Thornbury Underhill
Valcourt Whitlock Yardley Zeller Achterberg Blackwood Corvino Delacroix
Eskildsen Fairweather Grimaldi Haverford Ingram Juhl Kovalenko Larkspur
Montague Nyberg Ostrander Prescott Ravenscroft Sørensen Tremayne Ashdown
Beaumont Calloway Dunmore Elsworth Fenwick Greaves Hallorann Kincaid""".split()


def person(rng):
    if rng.random() < 0.5:
        return rng.choice(FEMALE) + " " + rng.choice(SURNAMES), "she"
    return rng.choice(MALE) + " " + rng.choice(SURNAMES), "he"


# ---------------------------------------------------------------- titles

T_ADJ = """Last Silent Hollow Burning Quiet Crimson Distant Broken Golden
Paper Salt Iron Glass Winter Northern Lost Hidden Velvet Bitter Pale Long
Drowned Seventh Lonely Restless Borrowed Copper Wild Sleeping Faded""".split()
T_NOUN = """Harbor Lighthouse Orchard Frontier Verdict Season Meridian Tide
Garden Signal Horizon Archive Inheritance Crossing Ledger Mirror Compass Valley
Furnace Choir Cartographer Ferryman Widow Engine Promise Kingdom Passage
Lantern Shoreline Reckoning Summer Foundry Carousel Telegram Orbit""".split()
PLACES = ["Varenholt", "Port Alden", "Kessington", "Marrowby", "Saltcombe",
          "Dunmere", "Calloway Falls", "Lisbon", "Tangier", "Juneau", "Halifax",
          "Trieste", "Tallinn", "Oaxaca", "Galveston", "Brindisi", "Reykjavik",
          "Marseille", "Tbilisi", "Ashgrove", "New Kerry", "Bellhaven"]


def title(rng):
    r = rng.random()
    if r < 0.30:
        t = "The %s %s" % (rng.choice(T_ADJ), rng.choice(T_NOUN))
    elif r < 0.45:
        t = "%s of %s" % (rng.choice(T_NOUN), rng.choice(PLACES))
    elif r < 0.57:
        t = "The %s" % rng.choice(T_NOUN)
    elif r < 0.67:
        t = "%s %s" % (rng.choice(["Midnight in", "Goodbye,", "Return to",
                                   "Letters from", "Summer in", "Nights in",
                                   "Escape from", "Winter in"]),
                       rng.choice(PLACES))
    elif r < 0.77:
        t = "%s's %s" % (rng.choice(FEMALE + MALE), rng.choice(T_NOUN))
    elif r < 0.87:
        t = "%s %s" % (rng.choice(T_ADJ), rng.choice(T_NOUN) + "s")
    else:
        t = "The %s %s" % (rng.choice(T_NOUN), rng.choice(
            ["Affair", "Protocol", "Conspiracy", "Diaries", "Job",
             "Experiment", "Incident", "Sessions"]))
    if rng.random() < 0.06:
        t += rng.choice([" 2", " II", ": Part Two", " Returns"])
    return t


GENRES = [
    "thriller", "drama", "comedy", "western", "horror film",
    "science fiction film", "romance", "war film", "crime drama", "musical",
    "noir", "heist movie", "family film", "mystery", "period drama",
    "road movie", "coming-of-age story", "disaster movie", "satire",
    "psychological thriller", "action movie", "animated feature",
    "ghost story", "courtroom drama", "sports drama", "spy thriller",
    "romantic comedy", "biopic"]

# ---------------------------------------------------------------- aspects
# Each aspect: noun phrases (text, plural), aspect adjectives (+/-),
# aspect verb phrases (+/-) as (present, past).

ASPECTS = {
    "acting": {
        "np": [("the acting", 0), ("the performances", 1), ("the cast", 0),
               ("the ensemble", 0), ("the lead performance", 0),
               ("the supporting cast", 0), ("the chemistry between the leads", 0),
               ("{actor}'s performance", 0), ("{actor} as the {role}", 0),
               ("the child actors", 1), ("the whole cast", 0)],
        # subjects for the verb phrases below
        "vnp": [("{actor}", 0), ("{actor} as the {role}", 0), ("{actor2}", 0),
                ("the lead", 0), ("the cast", 0), ("{actor2} as the {kin}", 0)],
        "+": ["convincing", "natural", "understated", "magnetic", "heartfelt",
              "committed", "fearless", "luminous", "pitch-perfect", "nuanced"],
        "-": ["wooden", "stiff", "hammy", "unconvincing", "one-note", "mannered",
              "shrill", "lifeless", "overcooked", "stilted"],
        "v+": [("carries the film", "carried the film"),
               ("elevates the material", "elevated the material"),
               ("brings real depth to every scene", "brought real depth to every scene"),
               ("disappears into the role", "disappeared into the role"),
               ("holds the screen effortlessly", "held the screen effortlessly")],
        "v-": [("sleepwalks through the role", "sleepwalked through the role"),
               ("mugs for the camera", "mugged for the camera"),
               ("recites the lines rather than speaking them",
                "recited the lines rather than speaking them"),
               ("never settles into the role", "never settled into the role"),
               ("overacts in every scene", "overacted in every scene")],
    },
    "plot": {
        "np": [("the plot", 0), ("the story", 0), ("the storyline", 0),
               ("the script", 0), ("the screenplay", 0), ("the narrative", 0),
               ("the central mystery", 0), ("the premise", 0), ("the subplots", 1)],
        "+": ["gripping", "original", "clever", "tightly plotted", "unpredictable",
              "layered", "absorbing", "intricate", "ingenious", "involving"],
        "-": ["predictable", "convoluted", "thin", "nonsensical", "derivative",
              "contrived", "muddled", "threadbare", "far-fetched", "formulaic"],
        "v+": [("keeps you guessing", "kept me guessing"),
               ("holds together beautifully", "held together beautifully"),
               ("builds to a terrific finish", "built to a terrific finish"),
               ("pays off every setup", "paid off every setup"),
               ("twists in ways I did not see coming", "twisted in ways I did not see coming")],
        "v-": [("falls apart", "fell apart"), ("goes nowhere", "went nowhere"),
               ("runs out of steam", "ran out of steam"),
               ("makes no sense", "made no sense"),
               ("loses the thread halfway through", "lost the thread halfway through"),
               ("collapses in the last act", "collapsed in the last act")],
    },
    "score": {
        "np": [("the score", 0), ("the soundtrack", 0), ("the music", 0),
               ("{composer}'s score", 0), ("the song choices", 1)],
        "+": ["haunting", "soaring", "evocative", "lush", "memorable",
              "gorgeous", "beautifully restrained", "stirring"],
        "-": ["intrusive", "overbearing", "syrupy", "generic", "forgettable",
              "shrill", "relentless", "cloying"],
        "v+": [("lifts every scene", "lifted every scene"),
               ("stays with you long after", "stayed with me long after"),
               ("does half the storytelling", "did half the storytelling")],
        "v-": [("drowns out the dialogue", "drowned out the dialogue"),
               ("tells you what to feel", "told me what to feel"),
               ("never lets a quiet moment breathe", "never let a quiet moment breathe")],
    },
    "pacing": {
        "np": [("the pacing", 0), ("the editing", 0), ("the running time", 0),
               ("the first hour", 0), ("the middle section", 0), ("the rhythm", 0)],
        "+": ["brisk", "tight", "patient", "well judged", "propulsive", "lean",
              "confident", "measured"],
        "-": ["sluggish", "plodding", "glacial", "rushed", "uneven", "padded",
              "choppy", "bloated"],
        "v+": [("never drags", "never dragged"), ("flies by", "flew by"),
               ("moves like a freight train", "moved like a freight train")],
        "v-": [("drags badly", "dragged badly"), ("grinds to a halt", "ground to a halt"),
               ("feels twice as long as it is", "felt twice as long as it was"),
               ("lurches from scene to scene", "lurched from scene to scene")],
    },
    "cinematography": {
        "np": [("the cinematography", 0), ("the camera work", 0),
               ("the photography", 0), ("the visuals", 1), ("the lighting", 0),
               ("{dop}'s cinematography", 0), ("the framing", 0),
               ("the location shooting", 0)],
        "+": ["gorgeous", "luminous", "striking", "breathtaking", "painterly",
              "crisp", "atmospheric", "ravishing", "elegant"],
        "-": ["murky", "flat", "ugly", "shaky", "drab", "washed-out", "garish",
              "television-grade", "muddy"],
        "v+": [("makes every frame count", "made every frame count"),
               ("captures the landscape beautifully", "captured the landscape beautifully"),
               ("turns every room into a painting", "turned every room into a painting")],
        "v-": [("hides the action in darkness", "hid the action in darkness"),
               ("makes everything look like a soap opera",
                "made everything look like a soap opera"),
               ("never finds a reason to move", "never found a reason to move")],
    },
    "dialogue": {
        "np": [("the dialogue", 0), ("the writing", 0), ("the lines", 1),
               ("the banter", 0), ("the voice-over", 0), ("the exchanges", 1)],
        "+": ["sharp", "witty", "natural", "quotable", "crackling", "smart",
              "understated", "precise"],
        "-": ["clunky", "stilted", "corny", "expository", "cringeworthy",
              "leaden", "tin-eared", "wooden"],
        "v+": [("sparkles", "sparkled"), ("rings true", "rang true"),
               ("trusts the audience", "trusted the audience")],
        "v-": [("clunks", "clunked"), ("spells everything out", "spelled everything out"),
               ("never sounds like real people talking",
                "never sounded like real people talking")],
    },
    "direction": {
        "np": [("the direction", 0), ("{director}'s direction", 0),
               ("the filmmaking", 0), ("the staging", 0), ("the craft", 0)],
        "+": ["assured", "confident", "inventive", "controlled", "bold",
              "masterful", "precise", "disciplined"],
        "-": ["clumsy", "heavy-handed", "aimless", "timid", "self-indulgent",
              "pedestrian", "anonymous", "lazy"],
        "v+": [("never puts a foot wrong", "never put a foot wrong"),
               ("finds something new in a familiar genre",
                "found something new in a familiar genre")],
        "v-": [("has no idea what film it wants to be", "had no idea what film it wanted to be"),
               ("smothers every scene in style", "smothered every scene in style")],
    },
    "ending": {
        "np": [("the ending", 0), ("the final act", 0), ("the climax", 0),
               ("the twist", 0), ("the last twenty minutes", 1),
               ("the final scene", 0), ("the resolution", 0)],
        "+": ["satisfying", "devastating", "earned", "perfect", "surprising",
              "moving", "bold", "unforgettable"],
        "-": ["rushed", "unearned", "baffling", "limp", "abrupt",
              "anticlimactic", "silly", "botched"],
        "v+": [("lands perfectly", "landed perfectly"),
               ("ties everything together", "tied everything together"),
               ("left me speechless", "left me speechless")],
        "v-": [("ruins everything that came before", "ruined everything that came before"),
               ("comes out of nowhere", "came out of nowhere"),
               ("fizzles out", "fizzled out")],
    },
    "characters": {
        "np": [("the characters", 1), ("the villain", 0), ("the hero", 0),
               ("the heroine", 0), ("the central relationship", 0),
               ("the family at the center of it", 0), ("the sidekick", 0)],
        "+": ["well drawn", "believable", "complex", "likable", "richly drawn",
              "human", "memorable", "sympathetic"],
        "-": ["flat", "cardboard", "unlikable", "paper-thin", "one-dimensional",
              "irritating", "hollow", "clichéd"],
        "v+": [("feels fully human", "felt fully human"),
               ("earns every bit of sympathy", "earned every bit of sympathy")],
        "v-": [("never becomes more than a type", "never became more than a type"),
               ("exists only to move the plot along", "existed only to move the plot along")],
    },
    "effects": {
        "np": [("the special effects", 1), ("the CGI", 0), ("the effects", 1),
               ("the creature design", 0), ("the makeup", 0), ("the stunts", 1)],
        "+": ["seamless", "spectacular", "convincing", "impressive", "inventive",
              "tactile", "eye-popping"],
        "-": ["cheap", "dated", "cartoonish", "unconvincing", "rubbery",
              "weightless", "shoddy"],
        "v+": [("serves the story", "served the story"),
               ("holds up on a big screen", "held up on a big screen")],
        "v-": [("looks unfinished", "looked unfinished"),
               ("pulls you right out of the film", "pulled me right out of the film")],
    },
    "design": {
        "np": [("the production design", 0), ("the sets", 1), ("the costumes", 1),
               ("the period detail", 0), ("the art direction", 0)],
        "+": ["lavish", "meticulous", "immersive", "gorgeous", "inspired",
              "handsome", "detailed"],
        "-": ["cheap-looking", "drab", "tacky", "stagy", "sterile",
              "anachronistic", "threadbare"],
        "v+": [("brings the period to life", "brought the period to life")],
        "v-": [("looks borrowed from a theme park", "looked borrowed from a theme park")],
    },
    "humor": {
        "np": [("the humor", 0), ("the jokes", 1), ("the comedy", 0),
               ("the running gags", 1), ("the comic timing", 0)],
        "+": ["hilarious", "witty", "genuinely funny", "sly", "laugh-out-loud funny",
              "deft", "delightful"],
        "-": ["unfunny", "juvenile", "forced", "stale", "crude", "embarrassing",
              "desperate", "tired"],
        "v+": [("lands every time", "landed every time"),
               ("has the whole theater laughing", "had the whole theater laughing")],
        "v-": [("falls flat", "fell flat"),
               ("wears out its welcome", "wore out its welcome")],
    },
    "action": {
        "np": [("the action scenes", 1), ("the fight choreography", 0),
               ("the car chase", 0), ("the set pieces", 1), ("the battle scenes", 1)],
        "+": ["thrilling", "kinetic", "exhilarating", "well staged",
              "bone-crunching", "inventive", "breathless"],
        "-": ["choppy", "incoherent", "repetitive", "weightless", "numbing",
              "overedited", "perfunctory"],
        "v+": [("puts most blockbusters to shame", "put most blockbusters to shame")],
        "v-": [("blurs into noise", "blurred into noise")],
    },
    "sound": {
        "np": [("the sound design", 0), ("the sound mix", 0), ("the silence", 0)],
        "+": ["immersive", "rich", "precise", "unnerving", "superb"],
        "-": ["muddy", "deafening", "tinny", "sloppy", "grating"],
        "v+": [("does a lot of the work", "did a lot of the work")],
        "v-": [("buries half the dialogue", "buried half the dialogue")],
    },
    "tone": {
        "np": [("the tone", 0), ("the mood", 0), ("the atmosphere", 0),
               ("the balance of comedy and drama", 0)],
        "+": ["perfectly balanced", "assured", "eerie", "warm", "consistent",
              "melancholy in the best way"],
        "-": ["all over the place", "jarring", "uneven", "smug", "confused",
              "monotonous"],
        "v+": [("never wavers", "never wavered")],
        "v-": [("swings wildly from scene to scene", "swung wildly from scene to scene")],
    },
}
ASPECT_NAMES = list(ASPECTS)
ASPECT_WEIGHTS = [9, 9, 4, 5, 5, 5, 4, 5, 4, 2, 2, 2, 2, 1, 2]

GEN_POS = """excellent superb wonderful terrific outstanding brilliant compelling
solid effective memorable stunning top-notch first-rate impressive strong
engaging moving charming refreshing sharp polished gripping remarkable
fantastic lovely great good fine splendid extraordinary""".split()
GEN_NEG = """awful terrible dreadful weak lazy clumsy flat dull boring tedious
forgettable sloppy muddled incoherent bland lifeless painful amateurish
uninspired tiresome cheap overwrought laughable generic pointless shallow
poor bad mediocre disappointing""".split()
# Adjectives that read naturally after a negation ("never boring").
NEGATABLE_NEG = """boring dull tedious predictable bad forgettable clumsy
sluggish lazy bland slow pretentious cheap preachy sentimental confusing
gimmicky heavy-handed""".split()
NEGATABLE_POS = """good great special memorable original funny gripping
convincing exciting clever moving interesting satisfying remarkable
engaging""".split()

STRONG_ADV = """truly really absolutely incredibly thoroughly genuinely
remarkably utterly consistently downright exceptionally""".split()
MILD_ADV = """quite rather fairly pretty mostly reasonably largely""".split()
HEDGE_ADV = ["a bit", "slightly", "somewhat", "a little", "occasionally", "at times"]

FILM_NP = ["the film", "this film", "the movie", "this movie", "it", "the picture",
           "{title}", "\"{title}\""]

ROLES = """retired detective|struggling musician|young widow|small-town doctor|
disgraced chess champion|lighthouse keeper|cartographer|teenage runaway|aging
boxer|marine biologist|translator|substitute teacher|night-shift nurse|getaway
driver|failed novelist|ferry captain|hotel manager|forensic accountant|war
photographer|beekeeper|radio host|orchestra conductor|stage magician|park
ranger|antiques dealer|astronaut|public defender|pastry chef|tax inspector|
former spy|village priest|circus acrobat|mountain guide|cold-case
investigator|wedding planner""".replace("\n", " ").split("|")
ROLES = [" ".join(r.split()) for r in ROLES]
EVENTS = [
    "returns home after twenty years away", "inherits a crumbling hotel",
    "stumbles onto a conspiracy", "has to cross the country in a week",
    "falls for exactly the wrong person", "agrees to one last job",
    "is haunted by a decision made long ago", "tries to keep a family secret buried",
    "gets stranded on an island with a stranger", "is framed for a crime",
    "discovers that the town's founder was not who everyone believed",
    "takes in a mysterious lodger", "starts receiving letters from a dead friend",
    "is hired to find a missing painting", "must win back a daughter's trust",
    "wakes up in a city with no memory of arriving",
    "enters a competition nobody expects to win", "races to stop a flood",
    "tries to save the family vineyard", "goes undercover in a rival company",
    "finds a child hiding in the back of a truck",
    "has one night to clear a brother's name",
]
SETTINGS = [
    "a mining town in Nevada", "1970s Glasgow", "a space station orbiting Jupiter",
    "postwar Vienna", "a fishing village in Norway", "present-day {place}",
    "a boarding school in the 1950s", "a remote research base in Antarctica",
    "the outskirts of {place}", "a luxury train crossing Europe",
    "a single apartment block", "a snowed-in mountain lodge",
    "a near-future {place}", "a traveling carnival", "a container ship",
    "the last days of the Roman Republic", "a suburban shopping mall",
]
SOURCES = ["novel", "short story", "true story", "stage play", "graphic novel",
           "memoir", "radio drama", "newspaper article"]
QUOTES = [
    "We were never meant to leave this town.", "You don't get to decide how this ends.",
    "Some doors stay closed for a reason.", "I'm not the man you think I am.",
    "Everybody lies, kid. The trick is knowing why.", "The sea always keeps its promises.",
    "Nobody remembers the second one through the door.", "We'll sleep when it's over.",
    "It's not a map, it's a confession.", "If you run, run toward something.",
    "I kept the light on for you.", "Count the exits, then count them again.",
    "Tell them I was here.", "Every family has a ghost.",
]
OCCASIONS = ["on a rainy Sunday", "on a long flight", "at a late-night screening",
             "at a small festival", "with my {relation}", "on the recommendation of a friend",
             "after a long week", "on a whim", "at a preview screening",
             "as part of a double bill", "on cable at two in the morning"]
RELATIONS = ["wife", "husband", "brother", "sister", "dad", "mom", "roommate",
             "girlfriend", "boyfriend", "grandmother", "best friend", "kids",
             "film club"]
KIN = ["sister", "brother", "old partner", "estranged father", "rival",
       "business partner", "neighbor", "mentor", "ex-wife", "landlord", "mother",
       "son", "daughter", "uncle", "best friend", "first love", "cellmate"]
OPENINGS = ["a funeral", "a storm", "a long tracking shot", "a phone call in the night",
            "a flashback", "a car on an empty road", "a wedding", "a title card",
            "a voice-over", "a map", "a bank robbery", "a child running through a field",
            "a ship coming into port", "a dream", "an interrogation"]
SUBPLOTS = ["a stolen violin", "an election", "a dog", "a failing restaurant",
            "a long-lost uncle", "a lottery ticket", "a wedding", "a bank loan",
            "a community theater", "a rare stamp", "a custody battle", "a bakery",
            "a missing cat", "a chess tournament", "a radio station", "a forged will"]
FESTIVALS = ["Varenholt", "Port Alden", "Saltcombe", "Halifax", "Trieste",
             "Bellhaven", "Ashgrove"]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth", "first", "latest"]


def plural(noun):
    """English plural of a genre phrase ("comedy" -> "comedies")."""
    if noun.endswith("y") and not noun.endswith(("ay", "ey", "oy")):
        return noun[:-1] + "ies"
    return noun + "s"


def plural_verb(v):
    """Third person singular -> plural ("carries" -> "carry")."""
    irregular = {"has": "have", "does": "do", "goes": "go", "is": "are"}
    if v in irregular:
        return irregular[v]
    if v.endswith("ies"):
        return v[:-3] + "y"
    if v.endswith(("shes", "ches", "xes", "sses", "zes")):
        return v[:-2]
    if v.endswith("s") and not v.endswith("ss"):
        return v[:-1]
    return v


def cap(s):
    for i, ch in enumerate(s):
        if ch.isalpha():
            return s[:i] + ch.upper() + s[i + 1:]
    return s


class Review:
    """State shared by the sentences of one review."""

    def __init__(self, rng, pol, kind):
        self.rng = rng
        # the reviewer's stance on every aspect, fixed for the whole review
        agree = AGREE[kind]
        self.stance = {}
        for a in ASPECT_NAMES:
            self.stance[a] = pol if rng.random() < agree else -pol
        self.title = title(rng)
        self.director, self.dir_pron = person(rng)
        self.actor, self.actor_pron = person(rng)
        self.actor2, self.actor2_pron = person(rng)
        self.composer, _ = person(rng)
        self.dop, _ = person(rng)
        self.genre = rng.choice(GENRES)
        self.role = rng.choice(ROLES)
        self.past = rng.random() < 0.55     # preferred tense
        self.used = set()                   # (key, option) pairs used, to avoid repeats
        # facts about the film, fixed so that a long review stays consistent
        self.ordinal = rng.choice(ORDINALS)
        self.cowriter = person(rng)[0] if rng.random() < 0.5 else None
        self.source = rng.choice(SOURCES)
        self.festival = rng.choice(FESTIVALS)

    def fresh(self, key, opts):
        """Pick one of opts not yet used under key in this review (if possible)."""
        free = [i for i in range(len(opts)) if (key, i) not in self.used]
        i = self.rng.choice(free) if free else self.rng.randrange(len(opts))
        self.used.add((key, i))
        return opts[i]

    # ---- helpers
    def fill(self, s):
        rng = self.rng
        if "{" not in s:
            return s
        return s.format(title=self.title, director=self.director,
                        actor=self.actor, actor2=self.actor2,
                        composer=self.composer, dop=self.dop,
                        role=self.role, genre=self.genre,
                        kin=self.rng.choice(KIN),
                        place=rng.choice(PLACES),
                        relation=rng.choice(RELATIONS))

    def tense(self):
        return self.past if self.rng.random() < 0.85 else not self.past

    def be(self, plural, past):
        if past:
            return "were" if plural else "was"
        return "are" if plural else "is"

    def film(self):
        np = self.rng.choice(FILM_NP)
        return self.fill(np)

    def aspect(self):
        a = self.rng.choices(ASPECT_NAMES, ASPECT_WEIGHTS)[0]
        return a, ASPECTS[a]

    def aspect_with(self, pol, exclude=None):
        """An aspect the reviewer judges with polarity pol, or None."""
        names = [a for a in ASPECT_NAMES if self.stance[a] == pol and a != exclude]
        if not names:
            return None, None
        weights = [ASPECT_WEIGHTS[ASPECT_NAMES.index(a)] for a in names]
        a = self.rng.choices(names, weights)[0]
        return a, ASPECTS[a]

    def np(self, asp, key="np"):
        text, plural = self.rng.choice(asp[key])
        return self.fill(text), plural

    def adj(self, asp, pol):
        rng = self.rng
        key = "+" if pol > 0 else "-"
        if rng.random() < 0.55:
            return rng.choice(asp[key])
        return rng.choice(GEN_POS if pol > 0 else GEN_NEG)

    def adv(self, strength):
        rng = self.rng
        r = rng.random()
        if strength >= 2:
            return rng.choice(STRONG_ADV) + " " if r < 0.6 else ""
        if strength == 1:
            return rng.choice(MILD_ADV) + " " if r < 0.45 else ""
        return rng.choice(HEDGE_ADV) + " " if r < 0.5 else ""

    def vp(self, asp, pol, past, plural):
        key = "v+" if pol > 0 else "v-"
        pres, pst = self.rng.choice(asp[key])
        if past:
            return pst
        if plural:
            words = pres.split(" ")
            i = 1 if words[0] in ("never", "only", "really") else 0
            words[i] = plural_verb(words[i])
            return " ".join(words)
        return pres

    # ---- evaluative clauses about one aspect (no final period)
    def aspect_clause(self, pol, strength, asp=None, allow_neg=True):
        """A clause that judges one aspect with polarity pol (+1/-1)."""
        rng = self.rng
        if asp is None:
            _, asp = self.aspect()
        np, plural = self.np(asp)
        past = self.tense()
        be = self.be(plural, past)
        r = rng.random()
        if allow_neg and r < 0.26:
            return self.negated_clause(np, plural, past, pol, asp)
        if r < 0.58:
            adj = self.adj(asp, pol)
            adv = self.adv(strength) if " " not in adj else ""
            return "%s %s %s%s" % (np, be, adv, adj)
        if r < 0.80:
            if "vnp" in asp:
                np, plural = self.np(asp, "vnp")
            return "%s %s" % (np, self.vp(asp, pol, past, plural))
        if r < 0.90:
            word = rng.choice(["loved", "admired", "adored", "enjoyed", "was impressed by"]
                              if pol > 0 else
                              ["hated", "could not stand", "was annoyed by",
                               "was bored by", "winced at"])
            return "I %s %s" % (word, np)
        nouns = (["a highlight", "the best thing about it", "a revelation", "a triumph",
                  "a real asset", "worth the price of admission alone",
                  "a masterpiece of craft"]
                 if pol > 0 else
                 ["a letdown", "the weakest link", "a mess", "an afterthought",
                  "a real problem", "the biggest disappointment"])
        return "%s %s %s" % (np, be, rng.choice(nouns))

    def negated_clause(self, np, plural, past, pol, asp):
        """Express polarity pol by negating the opposite: 'never boring'."""
        rng = self.rng
        be = self.be(plural, past)
        if pol > 0:
            adj = rng.choice(NEGATABLE_NEG + asp["-"][:4])
            forms = [
                "%s %s never %s" % (np, be, adj),
                "%s %s never once %s" % (np, be, adj),
                "%s %s far from %s" % (np, be, adj),
                "%s %s anything but %s" % (np, be, adj),
                "%s %s not %s at all" % (np, be, adj),
                "%s %s not remotely %s" % (np, be, adj),
                "there %s nothing %s about %s" % ("was" if past else "is", adj, np),
                "I would not call %s %s for a second" % (np, adj),
                "%s could not have been better" % np,
                "not once did I find %s %s" % (np, adj),
                "%s %s in no way %s" % (np, be, adj),
            ]
        else:
            adj = rng.choice(NEGATABLE_POS + asp["+"][:4])
            forms = [
                "%s %s not %s" % (np, be, adj),
                "%s %s not exactly %s" % (np, be, adj),
                "%s %s hardly %s" % (np, be, adj),
                "%s %s far from %s" % (np, be, adj),
                "%s %s not particularly %s" % (np, be, adj),
                "%s %s never %s" % (np, be, adj),
                "%s %s by no means %s" % (np, be, adj),
                "there %s nothing %s about %s" % ("was" if past else "is", adj, np),
                "I would not call %s %s" % (np, adj),
                "%s could hardly have been worse" % np,
                "I cannot say I found %s %s" % (np, adj),
                "%s %s never anywhere near %s" % (np, be, adj),
            ]
        return rng.choice(forms)

    def negated_praise(self):
        """Praise denied, for negative reviews: 'not a masterpiece'."""
        r = self.rng.random()
        if r < 0.5:
            return "not a masterpiece"
        return self.rng.choice(["far from a masterpiece", "hardly a masterpiece",
                                "not exactly brilliant", "not exactly a classic",
                                "far from great", "hardly a triumph"])

    # ---- whole-film judgements (full sentences)
    def film_sentence(self, pol, strength):
        rng = self.rng
        f = self.film()
        past = self.tense()
        be = self.be(False, past)
        g = self.genre
        if pol > 0 and strength >= 2:
            opts = [
                "%s %s a masterpiece" % (f, be), "%s %s a gem" % (f, be),
                "%s %s a small masterpiece" % (f, be),
                "%s %s nothing less than a masterpiece" % (f, be),
                "%s %s a masterpiece, plain and simple" % (f, be),
                "%s %s a triumph from start to finish" % (f, be),
                "%s %s one of the best %s I have seen in years" % (f, be, plural(g)),
                "%s %s an absolute joy" % (f, be),
                "I loved every minute of %s" % f,
                "%s %s never boring, not for a single minute" % (f, be),
                "%s %s not a film I will forget any time soon" % (f, be),
                "%s %s worth every minute" % (f, be),
                "%s %s the best thing %s has ever made" % (f, be, self.director),
                "I cannot recommend %s highly enough" % f,
                "%s %s a must-see" % (f, be),
                "this is what a %s should be" % g,
            ]
        elif pol > 0:
            opts = [
                "%s %s %s, but it is a good deal better than I expected" % (
                    f, be, "not a masterpiece" if rng.random() < 0.15 else "not perfect"),
                "%s %s worth a look" % (f, be),
                "%s %s not the disaster some critics claimed" % (f, be),
                "%s %s not a bad film at all" % (f, be),
                "%s %s not without its charms" % (f, be),
                "%s %s a pleasant surprise" % (f, be),
                "%s %s a decent way to spend an evening" % (f, be),
                "I did not expect to enjoy %s as much as I did" % f,
                "I did not hate %s; in fact I rather liked it" % f,
                "%s %s a modest %s that mostly works" % (f, be, g),
                "it is no masterpiece, but I had a good time",
                "I can't say it is perfect, but I would watch it again",
            ]
        elif strength >= 2:
            opts = [
                "%s %s a mess" % (f, be), "%s %s a disaster" % (f, be),
                "%s %s a complete waste of time" % (f, be),
                "%s %s one of the worst %s I have ever sat through" % (f, be, plural(g)),
                "%s %s a chore to sit through" % (f, be),
                "I hated almost every minute of %s" % f,
                "%s %s hardly worth the price of a ticket" % (f, be),
                "%s %s not worth your time" % (f, be),
                "I want those two hours of my life back",
                "%s %s the worst thing %s has made" % (f, be, self.director),
                "%s %s an embarrassment for everyone involved" % (f, be),
                "I cannot think of a single reason to watch %s" % f,
                "%s %s not even so bad it's good" % (f, be),
                "%s %s %s, not by any stretch" % (f, be, self.negated_praise()),
            ]
        else:
            opts = [
                "%s %s not a masterpiece" % (f, be),
                "%s %s %s" % (f, be, self.negated_praise()),
                "%s %s hardly worth it" % (f, be),
                "%s %s not as good as it thinks it is" % (f, be),
                "%s %s not without problems, and they add up" % (f, be),
                "%s %s a bit of a letdown" % (f, be),
                "%s %s a missed opportunity" % (f, be),
                "I did not love %s" % f,
                "I really wanted to like %s" % f,
                "%s %s not terrible, but it is not good either" % (f, be),
                "%s %s an ambitious %s that never quite works" % (f, be, g),
                "I can't say I would sit through it again",
                "it is watchable, I suppose, but only just",
            ]
        return self.fresh(("film", pol, strength >= 2), opts)

    # ---- contrast sentence: main clause pol, concession the opposite
    def contrast_sentence(self, pol, strength):
        rng = self.rng
        a2, asp2 = self.aspect_with(pol)
        a1, asp1 = self.aspect_with(-pol, exclude=a2)
        if asp2 is None:
            return cap(self.film_sentence(pol, strength)) + "."
        if asp1 is None:
            return cap(self.aspect_clause(pol, strength, asp2)) + "."
        conc = self.aspect_clause(-pol, max(1, strength - 1), asp1, allow_neg=False)
        main = self.aspect_clause(pol, strength, asp2)
        r = rng.random()
        if r < 0.32:
            return cap(conc) + ", but " + main + "."
        if r < 0.50:
            return "Although " + conc + ", " + main + "."
        if r < 0.62:
            return cap(conc) + "; " + rng.choice(["still, ", "even so, ", "then again, ",
                                                   "on the other hand, "]) + main + "."
        if r < 0.74:
            return cap(conc) + ". " + rng.choice(
                ["Unfortunately, " if pol < 0 else "Thankfully, ",
                 "However, ", "That said, ", "Even so, "]) + main + "."
        if r < 0.86:
            return cap(main) + ", even if " + conc + "."
        return cap(main) + ", though " + conc + "."

    # ---- neutral material
    def follows(self):
        rng = self.rng
        if rng.random() < 0.5:
            name, pron = rng.choice(FEMALE), "she"
        else:
            name, pron = rng.choice(MALE), "he"
        return "The film follows %s, a %s, as %s %s." % (name, self.role, pron,
                                                         rng.choice(EVENTS))

    def neutral_templates(self):
        rng = self.rng
        t = '"%s"' % self.title if rng.random() < 0.35 else self.title
        poss = "her" if self.dir_pron == "she" else "his"
        return [
            lambda: "%s plays a %s who %s." % (self.actor, self.role, rng.choice(EVENTS)),
            self.follows,
            lambda: "The story is set in %s." % self.fill(rng.choice(SETTINGS)),
            lambda: "Without giving too much away, a %s %s, and things get complicated from there." % (
                self.role, rng.choice(EVENTS)),
            lambda: "%s plays the %s's %s." % (self.actor2, self.role, rng.choice(KIN)),
            lambda: "Most of it takes place over a single %s." % rng.choice(
                ["day", "night", "weekend", "summer", "winter", "afternoon", "week"]),
            lambda: "It runs %d minutes." % rng.randrange(82, 176),
            lambda: "It is based on a %s by %s." % (self.source, person(rng)[0]),
            (lambda: "%s directed it from %s own script." % (self.director, poss))
            if self.cowriter is None else
            (lambda: "%s co-wrote the script with %s." % (self.director, self.cowriter)),
            lambda: "The film was shot in and around %s." % rng.choice(PLACES),
            lambda: "At one point the %s says, \"%s\"" % (self.role, rng.choice(QUOTES)),
            lambda: "The tagline is \"%s\"" % rng.choice(QUOTES),
            lambda: "I watched %s %s." % (t, self.fill(rng.choice(OCCASIONS))),
            lambda: "This is %s's %s feature as a director." % (self.director, self.ordinal),
            lambda: "Like most %s, it opens with %s." % (plural(self.genre), rng.choice(OPENINGS)),
            lambda: "It came out in %d and mostly went unnoticed." % rng.randrange(1968, 2026),
            lambda: "I saw it at the %s film festival, where %s introduced it." % (
                self.festival, self.director),
            lambda: "The cast also includes %s and %s." % (person(rng)[0], person(rng)[0]),
            lambda: "Fans of %s's earlier work will know roughly what to expect." % self.director,
            lambda: "There is a subplot about %s." % rng.choice(SUBPLOTS),
            lambda: "I have seen it %s now." % rng.choice(["twice", "three times", "once",
                                                          "a couple of times", "four times"]),
            lambda: "My %s, who had read the %s, had a different take." % (
                rng.choice(RELATIONS), self.source),
            lambda: "It is rated %s for %s." % (rng.choice(["PG", "PG-13", "R"]), rng.choice(
                ["violence", "language", "some thematic material", "brief nudity",
                 "smoking", "scary images", "drug use"])),
            lambda: "The original title, I am told, was \"%s\"." % title(rng),
            lambda: "I went in knowing nothing about it, which is probably the best way.",
            lambda: "It's a %s, but it borrows from %s as well." % (
                self.genre, plural(rng.choice(GENRES))),
            lambda: "The first scene shows %s." % rng.choice(OPENINGS),
            lambda: "Half of the film is told in flashback, %s." % rng.choice(
                ["from the point of view of the %s" % self.role, "in black and white",
                 "through a series of letters", "over one long dinner",
                 "in a police interview room"]),
            lambda: "%s, who plays the %s, also produced it." % (self.actor, self.role),
            lambda: "The film premiered at %s and opened %s." % (
                rng.choice(["a festival in %s" % rng.choice(FESTIVALS), "a gala in London",
                            "a small theater in %s" % rng.choice(PLACES)]),
                rng.choice(["in a handful of theaters", "on streaming a month later",
                            "wide the following spring", "in the autumn"])),
            lambda: "The %s is played by %s, whom you may remember from %s." % (
                rng.choice(["villain", "sheriff", "landlady", "mayor", "best friend",
                            "lawyer", "stranger", "grandfather"]),
                person(rng)[0], title(rng)),
            lambda: "There are %s and a long sequence %s." % (
                rng.choice(["two songs", "a couple of dream sequences", "three timelines",
                            "several chapter titles", "two narrators"]),
                rng.choice(["on a frozen lake", "in a casino", "at a wedding",
                            "inside a lighthouse", "on a night train", "in a hospital"])),
            lambda: "Some viewers will recognize the story from the %s it is loosely based on." % (
                self.source),
            lambda: "I watched the %s version, which is about %d minutes longer." % (
                rng.choice(["director's cut", "extended", "restored", "uncut"]),
                rng.randrange(6, 31)),
            lambda: "The %s, the %s and the %s all get something to do." % tuple(
                rng.sample(KIN, 3)),
            lambda: "It is %s's %s collaboration with %s." % (
                self.director, rng.choice(["second", "third", "first"]), self.actor),
        ]

    def neutral_sentences(self, n):
        """Up to n neutral sentences, no template used twice."""
        pool = self.neutral_templates()
        self.rng.shuffle(pool)
        return [f() for f in pool[:n]]

    def opener(self, pol, kind):
        rng = self.rng
        t = '"%s"' % self.title if rng.random() < 0.4 else self.title
        neutral = [
            "I watched %s last night." % t,
            "I caught %s at the %s festival." % (t, self.festival),
            "My %s talked me into seeing %s." % (rng.choice(RELATIONS), t),
            "I had heard a lot about %s before I finally saw it." % t,
            "%s turned up on streaming this week with little fanfare." % t,
            "This is %s's %s film." % (self.director, self.ordinal),
            "I rented %s on a whim." % t,
            "Having read the %s first, I was curious to see how %s would work on screen." % (
                self.source, t),
            "So, %s." % t,
            "Where to begin with %s?" % t,
            "A %s from %s, starring %s." % (self.genre, self.director, self.actor),
        ]
        if kind in ("clear", "lean") and rng.random() < 0.35:
            if pol > 0:
                return rng.choice([
                    "I went in with low expectations and came out pleasantly surprised.",
                    "I did not expect much from %s." % t,
                    "I had no idea what to expect, and I was blown away.",
                    "Every so often a small film like %s comes along and reminds you why you love movies." % t,
                ])
            return rng.choice([
                "I went in with high expectations and left disappointed.",
                "I really wanted to like %s." % t,
                "After all the hype, I expected a lot more from %s." % t,
                "I had been looking forward to %s for months." % t,
            ])
        return rng.choice(neutral)

    def verdict(self, pol, kind):
        rng = self.rng
        if kind == "ambiguous" or pol == 0:
            return rng.choice([
                "I am still not sure what I think of it.",
                "Your mileage may vary.",
                "Make of that what you will.",
                "I honestly can't decide whether I liked it.",
                "It is a hard one to score.",
                "Somewhere in the middle, then.",
                "Some will love it, some will hate it.",
                "%d/10." % rng.choice([5, 6]),
                "Take that for what it's worth.",
            ])
        if kind == "clear":
            if pol > 0:
                opts = ["Highly recommended.", "Go and see it.", "Don't miss it.",
                        "I will be watching it again.", "A must-see.",
                        "%d/10." % rng.choice([8, 9, 10, 10]),
                        "%d out of 10." % rng.choice([8, 9, 10]),
                        "Recommended without reservation.", "A masterpiece.",
                        "One of the best films of the year."]
            else:
                opts = ["Avoid.", "Save your money.", "Skip it.",
                        "A waste of two hours.", "Not recommended.",
                        "%d/10." % rng.choice([1, 2, 3, 1]),
                        "%d out of 10." % rng.choice([1, 2, 3]),
                        "Avoid at all costs.", "I want my money back.",
                        "Not a masterpiece. Not even close."]
            return rng.choice(opts)
        # lean / mixed: mild verdicts, often carried by negation
        if pol > 0:
            opts = ["Not perfect, but worth your time.", "Worth a look.",
                    "I'd recommend it, with reservations.",
                    "Not a masterpiece, but great fun." if rng.random() < 0.2
                    else "Not perfect, but great fun.",
                    "On balance, I liked it.", "It won me over in the end.",
                    "%d/10." % rng.choice([6, 7, 7]), "%d out of 10." % rng.choice([6, 7]),
                    "Flawed, but I would not talk anyone out of it.",
                    "Not bad at all.", "In the end, the good outweighs the bad."]
        else:
            opts = ["Not terrible, but not worth your time either.",
                    "I can't really recommend it.", "Skip it unless you are a completist.",
                    "On balance, it did not work for me.", "It never won me over.",
                    "%d/10." % rng.choice([4, 4, 3]), "%d out of 10." % rng.choice([3, 4]),
                    "Not good, not awful, just disappointing.",
                    "Not bad, exactly, but not good.",
                    cap(self.negated_praise()) + ", and not much fun either.",
                    "In the end, the bad outweighs the good."]
        return rng.choice(opts)


def n_sentences(rng):
    """Review length in sentences: mostly 4-14, some one-liners, a long tail."""
    r = rng.random()
    if r < 0.035:
        return 1
    if r < 0.09:
        return rng.randrange(2, 4)
    n = int(round(rng.lognormvariate(2.65, 0.7)))
    return max(3, min(n, 90))


def compose(rng, pol, kind):
    """One review text with true polarity pol (+1/-1) of the given kind."""
    rv = Review(rng, pol, kind)
    n = n_sentences(rng)
    film_agree = FILM_AGREE[kind]
    strength = {"clear": 2, "lean": 1, "mixed": 1, "ambiguous": 0}[kind]

    if n == 1:
        if kind == "clear" or rng.random() < 0.5:
            return cap(rv.film_sentence(pol, strength)) + rng.choice([".", ".", "!"])
        return rv.contrast_sentence(pol, 1)

    body = []
    # evaluative sentences, most of the review's opinion
    n_neutral = 0
    if n >= 4:
        n_neutral = int(n * rng.uniform(0.15, 0.45))
    n_eval = max(1, n - n_neutral - 2)
    contrast_share = {"clear": 0.12, "lean": 0.3, "mixed": 0.45, "ambiguous": 0.5}[kind]
    for _ in range(n_eval):
        r = rng.random()
        if r < contrast_share:
            a, _ = rv.aspect()
            body.append(rv.contrast_sentence(rv.stance[a], strength))
        elif r < contrast_share + 0.18:
            p = pol if rng.random() < film_agree else -pol
            body.append(cap(rv.film_sentence(p, strength if strength else 1)) + ".")
        else:
            a, asp = rv.aspect()
            p = rv.stance[a] if rng.random() >= NUANCE else -rv.stance[a]
            s = cap(rv.aspect_clause(p, strength, asp)) + "."
            if strength >= 2 and rng.random() < 0.05:
                s = s[:-1] + "!"
            body.append(s)
    neutral = rv.neutral_sentences(n_neutral)
    # neutral material mostly early (plot summary), opinions later
    rng.shuffle(body)
    k = rng.randrange(0, len(neutral) + 1)
    sentences = neutral[:k] + body
    for s in neutral[k:]:
        sentences.insert(rng.randrange(0, len(sentences) + 1), s)

    # opener and verdict
    if rng.random() < 0.7:
        sentences.insert(0, rv.opener(pol, kind))
    vr = rng.random()
    if kind == "clear":
        if vr < 0.72:
            sentences.append(rv.verdict(pol, kind))
    elif kind in ("lean", "mixed"):
        if vr < 0.65:
            sentences.append(rv.verdict(pol, kind))
    else:
        if vr < 0.6:
            sentences.append(rv.verdict(0, kind))

    # de-duplicate exact repeats within the review
    seen = set()
    out = []
    for s in sentences:
        if s not in seen:
            seen.add(s)
            out.append(s)
    sentences = out

    # paragraphs
    paras = []
    i = 0
    while i < len(sentences):
        size = rng.randrange(2, 7)
        paras.append(" ".join(sentences[i:i + size]))
        i += size
    if len(paras) > 1 and rng.random() < 0.6:
        return "<br /><br />".join(paras)
    return " ".join(paras)


def generate(seed):
    rng = random.Random(seed)
    labels = [1] * (N_ROWS // 2) + [-1] * (N_ROWS // 2)
    rng.shuffle(labels)
    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    rows = []
    seen = set()
    for pol in labels:
        kind = rng.choices(kinds, weights)[0]
        while True:
            text = compose(rng, pol, kind)
            if text not in seen:
                seen.add(text)
                break
        rows.append([text, pol, kind, False])
    # label noise: flip exactly NOISE_PER_CLASS labels in each class
    pos_idx = [i for i, r in enumerate(rows) if r[1] > 0]
    neg_idx = [i for i, r in enumerate(rows) if r[1] < 0]
    for i in rng.sample(pos_idx, NOISE_PER_CLASS) + rng.sample(neg_idx, NOISE_PER_CLASS):
        rows[i][1] = -rows[i][1]
        rows[i][3] = True
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", help="output file (default: standard output)")
    args = ap.parse_args()
    rows = generate(args.seed)
    if args.out:
        f = open(args.out, "w", encoding="utf-8", newline="")
    else:
        f = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["review", "sentiment"])
    for text, pol, _kind, _flipped in rows:
        w.writerow([text, "positive" if pol > 0 else "negative"])
    f.flush()
    if args.out:
        f.close()


if __name__ == "__main__":
    main()
