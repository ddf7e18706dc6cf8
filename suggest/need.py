"""What a post asks for: the question itself, and what the person already said matters.

A reply that asks again what someone already told us ("step-free", "with the dog") shows
nobody read the post, so the constraints they state steer retrieval and are never asked back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from analysis.text import (
    ADDRESSED_TO,
    ASKS_FIRST,
    EMOJI_END,
    NEED_SAID,
    NEXT_STEP,
    STOPWORDS,
    UNMARKED_ASK,
)

# Constraints said beside the question, never its subject: a second snippet may speak to them,
# the first must answer what was asked ("how much is a basic service? last shop quoted £60 and
# handed me a bill for £175" is the price first, then the promise to phone first).
BESIDE_THE_QUESTION = {"paying in cash", "no surprise bills"}

# A dog as people name it: "my old Westie", "the lurcher".
DOGS = (
    "dog|pup|puppy|collie|spaniel|lab|labrador|terrier|whippet|lurcher|greyhound|cockapoo|"
    "dachshund|poodle|westie|beagle|pug|staffie|schnauzer|retriever|corgi|husky"
)

# Phrase lists are the right tool here: each line is something people say in a few fixed
# ways, and the expansion is the words a business's knowledge uses for the same thing.
CONSTRAINTS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "step-free",
        re.compile(
            r"can'?t (do|manage|climb) (the )?stairs|no stairs|step-?free|wheelchair|walker|"
            r"walking frame|zimmer|mobility|accessible|a step\b|steps\b",
            re.I,
        ),
        "stairs step accessible",
    ),
    # Said alongside the question, not as its subject: "with the dog", not "do dogs need coats".
    (
        "dog",
        re.compile(
            rf"\b(with|bring|bringing|take|taking|and) (the|my|our|a|her|his) "
            rf"(?:[\w-]+,? ){{0,4}}(?:{DOGS})\b|"
            # "I never go anywhere without Hector, my old Westie"
            rf"\bwithout (?:[\w-]+,? ){{0,2}}(?:the|my|our|her|his) (?:[\w-]+,? ){{0,3}}"
            rf"(?:{DOGS})\b|"
            r"dog[- ]?friendly|muddy paws|🐕|🐶|🐩|🦮|"
            # a dog by name, then what kind: "without Bramble (elderly collie, very well
            # behaved)", "with Bracken (spaniel, permanently 40% mud)"
            rf"\b(?:with|without|and|bring|bringing) [A-Z][\w-]+\s*\((?:[\w-]+,? ){{0,3}}"
            rf"(?:{DOGS})\b|"
            # "I'd have the dog with me though"
            rf"\b(?:have|had|bring|got) (?:the|my|our) (?:{DOGS}) with (?:me|us)\b|"
            # "Pippa (elderly lurcher, sheds like it's a competitive sport) will have to come too"
            rf"\b(?:{DOGS})s?\b[^.?!]{{0,80}}?\b(?:come|coming|tag|tagging) "
            r"(?:too|along|with)\b|"
            # whether a place takes them: "is Leith Market alright for dogs?"
            r"\b(?:ok|okay|alright|fine|good|allowed|welcome) (?:for|with) "
            r"(?:dogs?|pups?|puppies)\b|"
            r"\bdogs? (?:allowed|welcome)\b|"
            # "let a filthy dog in for a coffee", "won't glare at a wet dog"
            rf"\b(?:let|allow|take|glare at|mind|welcome) (?:a|my|the|our) (?:[\w-]+ ){{0,2}}?"
            rf"(?:{DOGS})\b|\b(?:a|my|our|the) (?:wet|muddy|filthy|mucky|soggy|damp|sandy|smelly) "
            rf"(?:{DOGS})\b",
            re.I,
        ),
        "dogs",
    ),
    (
        "children",
        re.compile(
            r"\b(toddler|buggy|pram|little ones?|\d+-?year-olds?|\d+ ?yo|"
            r"with (the |my |our |two |three |\d+ )?(kids|children|wee ones)|"
            r"(ok|okay|fine|alright|suitable|good) for (kids|children|a child))\b",
            re.I,
        ),
        "children buggy playground",
    ),
    (
        "laptop",
        re.compile(
            r"\blaptops?\b|\b(spot|place|somewhere|table) to work\b|\bwork(ing)? from (a|the) "
            r"(café|cafe|coffee)|\bremote(ly)?\b|plug socket|wi-?fi",
            re.I,
        ),
        "laptops work",
    ),
    (
        "wheat-free",
        re.compile(r"\b(wheat|gluten|coeliac|celiac|glúten|celíac)", re.I),  # not buckwheat
        # (not "gluten": flour advice names it as what holds the rise, not what is left out)
        "wheat coeliac",
    ),
    (
        "other dietary needs",
        re.compile(
            r"\b(dairy|milk|lactose|vegan|vegetarian|nuts?|peanuts?|eggs?|halal|kosher|sesame|"
            r"soya?)\b(?!\s+(?:wash|free range))",
            re.I,
        ),
        "dairy milk lactose vegan vegetarian nut peanut egg halal kosher sesame soy soya",
    ),
    # A quiet place or time wanted, not a bike gone quiet or a clicking noise.
    (
        "quiet",
        re.compile(
            r"\bquiet(er)? (spot|place|café|cafe|corner|table|time|morning|afternoon|area|route|"
            r"road|street|walk)s?\b|\bsomewhere (quiet|calm)\b|"
            r"\b(too|very|less|not) (noisy|busy)\b|\bruido\b",
            re.I,
        ),
        "quiet",
    ),
    # A cold room or a cold spell: "the flat is about 13 degrees", "boiler died on Hogmanay",
    # "lives on the windowsill… in winter" (not a cold they caught).
    (
        "cold",
        re.compile(
            r"\b(?:[0-9]|1[0-7])\s?(?:degrees|°c?)\b|\bboiler(?:'s| has| is)? (?:died|broke|broken|"
            r"packed in|gone|off|bust)|\bboiler (?:in \w+ \w+ )?(?:died|broke|packed in)|"
            r"\bheating(?:'s| is)? (?:off|broken|not on|does not go on|doesn'?t go on)\b|"
            r"\b(?:baltic|freezing|frozen north)\b|\bcold (?:kitchen|flat|house|room|spell|snap)\b|"
            r"\btoo cold\b|\bin (?:the )?winter\b",
            re.I,
        ),
        "cold warm winter",
    ),
    (
        "after dark",
        re.compile(r"\b(at night|in the dark|dark|unlit|late shift)\b", re.I),
        "lights dark",
    ),
    (
        "booking",
        # "book a table", "do I need to book?", not "a good book" or "book club"
        re.compile(
            r"\bbooking\b|\b(to|I|we|you|can) book\b|\bbook (a|the|in|ahead)\b|\bappointment|"
            r"\bjust (turn|show) up",
            re.I,
        ),
        "book booking",
    ),
    # how they can pay: "only have a tenner in cash on me", "my bank card got cloned"
    (
        "paying in cash",
        re.compile(r"\bcash\b|\bbank card\b|\bcontactless\b", re.I),
        "cash card contactless",
    ),
    # a bill that came out bigger than the quote: "quoted me £60 and handed me a bill for £175"
    (
        "no surprise bills",
        re.compile(
            r"\bquoted\b[^.!?]{0,60}\b(?:charged|bill|handed|paid|came back)\b|"
            r"\b(?:surprise|shock|extra) (?:bills?|charges?)\b|"
            r"\bgot stung\b|\bstung (?:for|with)\b",
            re.I,
        ),
        "surprise bills",
    ),
    # level ground, not a home ("my flat"), a tyre ("went flat", "tyre's flat again") or a
    # coffee; in one sentence
    (
        "flat",
        re.compile(
            r"\bflat (route|walk|path)|(?<!\bmy )(?<!\bthe )(?<!\bthis )(?<!\bour )(?<!\bnew )"
            r"(?<!\bwent )(?<!\bgone )(?<!\bgot a )(?<!'s )(?<!’s )(?<!\bis )(?<!\bare )(?<!\bwas )"
            r"\bflat\b(?! (tyre|tire|white|battery|mate))"
            r"[^.!?]*\b(walk|route|run)|"
            # "somewhere completely flat with no cars", "flat, no cars, and a loo"
            r"\bsomewhere (?:\w+ ){0,2}?flat\b|"
            r"\bflat(?:,| and| with)? (?:no|zero) (?:cars|traffic)\b",
            re.I,
        ),
        "flat",
    ),
    # away from traffic: "no cars at all", "traffic-free", "off-road"
    (
        "no traffic",
        re.compile(
            r"\b(?:no|zero|without) (?:cars|traffic)\b|\b(?:traffic|car)[- ]free\b|\boff[- ]road\b|"
            r"\baway from (?:the )?(?:cars|traffic|roads)\b",
            re.I,
        ),
        "traffic",
    ),
)
DAYS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b|\bweekends?\b", re.I
)
# ("… their leftover bread at close?" asks about the bread, not the hours.)
WHEN = re.compile(r"\b(what time|when|open|opening|hours|(?<!at )close|closing)\b", re.I)
ASKING = re.compile(
    r"\?|^" + ADDRESSED_TO + ASKS_FIRST + r"|"
    r"\b(any (tips|ideas|advice|recommendations)|recommend|looking for|need (a|some|ideas))\b|"
    + NEXT_STEP.pattern
    + "|"
    + UNMARKED_ASK.pattern
    + "|"
    + NEED_SAID.pattern,
    re.I,
)
# A further question said without its question mark ("… a loo I can use? Also are you open
# Sundays, it's the only day she can take me"): asked all the same.
# (A verb that asks, then who or what it asks about: "Would love to set something up" and
# "can't find a hole" ask nothing; a question word only after "also", "and": "When I got home
# the loaf had sunk" is no question.)
FOLLOW_UP = re.compile(
    r"^" + ADDRESSED_TO + r"(?:(?:also|and|oh and|plus|but|so),? )?"
    r"(?:do|does|is|are|can|could|will|would|should) "
    r"(?:i|you|we|they|it|there|he|she|this|that|the|my|your|a|an|anyone|any ?one)\b|"
    # "did you …?" asks; "did the poke test thing everyone told me about" tells
    r"^" + ADDRESSED_TO + r"(?:(?:also|and|oh and|plus|but|so),? )?did (?:you|anyone|any ?one)\b|"
    r"^" + ADDRESSED_TO + r"(?:also|and|oh and|plus|but|so),? "
    r"(?:what(?! a\b)|where|when|how|which|who|any ?one)\b",
    re.I,
)
# The question asks what something costs ("how much would a cake for 25 be?", "what do you
# charge?"), not how much of something to use ("how much coffee do I put in?").
PRICE_QUESTION = re.compile(
    r"\bhow much (is|are|does|do|would|will|for|to)\b|\bwhat do(es)? (you|it|that|they) charge\b|"
    r"\b(costs?|prices?|pricing|charge|fees?)\b",
    re.I,
)
ASKS_OF_IT_ALL = re.compile(
    r"\W*(?:what am i doing wrong|what (?:did|have) i (?:do|done) wrong|where am i going wrong|"
    r"what(?:'s| is) (?:going )?wrong|what went wrong|what gives|how come|why(?: though)?)\W*$",
    re.I,
)
REFERS_BACK = re.compile(
    r"(same|or|and|so|what about|how about|thoughts|ideas|recommendations|suggestions|help|"
    r"any (ideas|tips|thoughts|recommendations|suggestions|advice))\b|"
    # "Is that something you'd look at?": what it asks about was said before
    r"(?:is|would|could|can|will) (?:that|this) (?:something|a thing|one)\b|"
    # "Edinburgh folk, where", "which one": the ask word last, what it asks said before
    r"(?:[\w'-]+\s+){0,2}[\w'-]+,\s*where\W*$|which one\W*$|"
    # "northside maybe?": a guess at who, the question is the one before
    r"[\w'-]+ maybe\W*$",
    re.I,
)
# They say they are new to it ("total beginner", "never baked").
BEGINNER = re.compile(
    r"\b(total |complete |absolute )?beginners?\b|\bnever (baked|made|cooked|done)\b|"
    r"\bwhere do(es)? (i|a \w+) (even )?start\b",
    re.I,
)
# "Now what" names nothing; from someone who has never done it, it asks for a first step, which
# a business's knowledge calls a first loaf, a first ride, what beginners need. ("Where do I
# even start?" names it already.)
FIRST_STEP_WORDS = "first beginners"
# Asking where to take something to have it looked at ("anywhere I could take one and get
# someone to look at it?"): a business's knowledge says "bring it", "drop it off".
TAKE_IT = re.compile(
    r"\b(take|bring) (it|one|them|this|mine|my \w+|a \w+)\b.{0,40}?"
    r"\b(look(ed)? at|a look|check(ed)?|seen to|fixed)\b|"
    # "what I need is a human to look at the thing in person"
    r"\b(someone|somebody|a human|a person|an expert|a baker|a mechanic|a pro) to "
    r"(look at|check|have a look)\b",
    re.I,
)
TAKE_IT_WORDS = "bring drop"
# Asking where to learn it from someone ("any classes for learning to bake bread?", "anywhere
# that'll show you how?"): a place or session like the business's is what they are after, and
# a business's knowledge calls it a class, a clinic, a session with someone to guide you.
# (Not "workshop": a bike workshop's every snippet says it.)
LEARN_FROM_SOMEONE = re.compile(
    r"\b(class|classes|course|courses|workshops?|lessons?|tutor|someone to teach)\b|"
    r"\b(show|teach) (me|you|us|folk|people) how\b",
    re.I,
)
LEARN_WORDS = "class course lesson clinic surgery session guide ask"
# A part of the post that rules something out ("crust is fine when it comes out", "the starter
# isn't the problem"): the person said it is not what they need, so it must not steer retrieval
# towards it (a crust snippet for a loaf that goes stale). A part that goes on ("fine except
# ...") still counts.
_SUBJECT = r"^(?:and |but |so )?(?:[\w'-]+ ){0,3}?(?:[\w-]+)"
RULED_OUT = re.compile(
    _SUBJECT + r"(?: is| are| was| were|'s|'re| seems?| looks?| comes? out| came out)"
    r" (?:\w+ly )?(?:fine|ok|okay|perfect|spot on)\b"
    r"(?!.*\b(?:except|apart from|other than|until|unless)\b)|"
    + _SUBJECT
    + r" (?:isn'?t|aren'?t|wasn'?t|is not|are not|was not) (?:the|my) (?:problem|issue)\b|"
    # "doesn't smell of anything weird", "no funny smell": the smell is not what worries them
    r"\b(?:doesn'?t|does not|don'?t|do not|didn'?t) (?:smell|taste|look) (?:of |like )?"
    r"(?:anything )?(?:weird|odd|funny|strange|bad|off|wrong)\b|"
    r"\bno (?:weird|funny|bad|strange|odd|off) (?:smell|taste)\b",
    re.I,
)
CLAUSE = re.compile(r"\s*(?:[,;:]|\s[-–—]\s)\s*|\s+(?=but\b)", re.I)
PLACE = re.compile(
    r"\b(anywhere|somewhere|spot|place|café|cafe|cafés|cafes|coffee shop|bakery|bakeries|"
    r"recommend\w*|suggestions?|"
    r"where('s| is| are| can| could| does| do| should)? (good |best |\w+ )?"
    r"(to |for |i |we |you )?(go(?! wrong)|get|eat|sit|take|find|coffee|cake|brunch|breakfast|"
    r"lunch)|"
    # "where in Leith does a decent coffee and cake?"
    r"where\b[^?.!]{0,30}\b(does|do|serves?|sells?|has|have) (a |an |some )?"
    r"(decent |good |nice |proper |great )?(coffee|cake|brunch|breakfast|lunch))\b",
    re.I,
)
OF_THEMSELVES = re.compile(r"(i|i'm|im|we|we're|my|our)\b", re.I)
SENTENCE = re.compile(rf"(?<=[.!?{EMOJI_END}])\s+|\n+")


@dataclass(frozen=True)
class Need:
    """The question a post asks and the constraints its author already stated."""

    question: str | None
    constraints: list[str] = field(default_factory=list)
    days: list[str] = field(default_factory=list)
    asks_when: bool = False
    query: str = ""
    # The words a business's knowledge would use for the constraints ("laptops", "step-free").
    constraint_words: list[str] = field(default_factory=list)
    # Those of them the question itself asks about ("is the clinic ok for kids?"), not said
    # beside it ("… me and my 7yo").
    asked_constraint_words: list[str] = field(default_factory=list)
    day_words: str = ""
    # The days their questions name: to the business, the day they mean to come ("can I just
    # turn up on Monday?"), not a day of their own week ("we're out of loaves by Thursday").
    asked_days: str = ""
    # They ask to come at a time of that day ("I finish work at 6 on Thursday, any chance I
    # could bring it in after that?"): the hours for the day answer it too.
    comes_at_a_time: bool = False
    # They ask where to go: a place like the business is what they are after.
    asks_for_place: bool = False
    # The question asks a price: an answer without one does not answer it.
    asks_price: bool = False
    # Each thing asked when one post asks two ("what does it cost and do I need to book?").
    asks: list[str] = field(default_factory=list)
    # What the question chooses between or turns on, which an answer must name: "24 inch or
    # 26?", "swap half the white flour for wholemeal?", "is a flashing front light legal?".
    specifics: list[str] = field(default_factory=list)
    # What they already tried that did not work ("did the poke test thing … STILL a puddle"):
    # advice that tells them to do it again is no help.
    tried: list[str] = field(default_factory=list)
    # What they ask whether the business does, sells or has ("do you do tubeless setups?",
    # "do you have wifi?"): an answer must name it.
    offered: list[str] = field(default_factory=list)
    # They ask what is in right now ("any refurbs in a small frame at the moment?"): what the
    # business usually sells does not say.
    asks_stock_now: bool = False
    # They ask how long something lasts or when it ends ("how long does the clinic go on?"):
    # a start time alone does not answer it.
    asks_how_long: bool = False
    # The post without the parts it rules out ("crust is fine"): what retrieval reads.
    focus: str = ""
    ruled_out: list[str] = field(default_factory=list)

    @property
    def leading_words(self) -> list[str]:
        """The constraints an answer should lead with (a dog, the stairs), not those only a
        second snippet speaks to (paying in cash, a bill bigger than the quote)."""
        return [
            words
            for name, words in zip(self.constraints, self.constraint_words, strict=True)
            if name not in BESIDE_THE_QUESTION
        ]


# "Anyone in Leith do one?", "Does anyone in Edinburgh do that?": a business there that does it.
DOES_IT = re.compile(
    r"\b(any ?one|anybody|anywhere) (in|round|near|around) [\w ]{1,25}?"
    r"\b(do|does|make|makes|sell|sells|bake|bakes)\b|"
    # "do bike shops round Canonmills do student discount"
    r"\b(?:do|does|are there|is there) (?:any )?(?:[\w-]+ )?(?:shops?|caf[eé]s?|bakeries|places|"
    r"garages|workshops) (?:in|round|near|around)\b",
    re.I,
)


def asks_for_a_place(question: str) -> bool:
    """Do they ask where to go, where to learn it from someone, or who there does it? A place,
    or a session, like the business's is what they are after."""
    return bool(
        PLACE.search(question) or LEARN_FROM_SOMEONE.search(question) or DOES_IT.search(question)
    )


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text) if s.strip()]


def read_need(text: str, *, context: Sequence[str] = ()) -> Need:
    """The asking sentence (or None), the stated constraints, and a lexical query for both.

    `context` is what the person said just before; its constraints still count ("she can't do
    stairs" yesterday, "where for coffee on Sunday?" today), its questions do not.
    """
    parts = sentences(text)
    # Constraints come from what they said before too; the query's words only from this post.
    said = " ".join([*context, text])
    asking = [s for s in parts if "?" in s or FOLLOW_UP.search(s) or UNMARKED_ASK.search(s)] or [
        s for s in parts if ASKING.search(s)
    ]
    question, at = (asking[-1], parts.index(asking[-1])) if asking else (None, len(parts))
    # What the question itself asks about, before any sentence it goes with is joined to it
    # ("doing bread with the kids at the weekend. which flour do I use??" asks about flour).
    asked_itself = question
    # "Looking for somewhere that could do 30 mince pies. Any ideas?", "what do you charge for
    # an e-bike? same as a normal bike?": a question that names nothing of its own, or points
    # back, goes with the sentence before it.
    of_it_all = bool(question and at > 0 and ASKS_OF_IT_ALL.match(question))
    if of_it_all:
        # "…tip it out and it just slumps… leaving it 6 hours… What am I doing wrong": the
        # question is about everything they told before it.
        question, at = " ".join(parts[: at + 1]), 0
    if (
        question
        and at > 0
        and (REFERS_BACK.match(question) or len(re.findall(r"[a-z]{4,}", question, re.I)) < 2)
    ):
        at -= 1
        question = f"{parts[at]} {question}"
    found = [(name, words) for name, pattern, words in CONSTRAINTS if pattern.search(said)]
    days = _days(parts)
    # (when the question is about all they told, "6 hours on the worktop" asks no time)
    asks_when = bool(question and WHEN.search((asked_itself if of_it_all else question) or ""))
    asks_for_place = bool(question and asks_for_a_place(question))
    focus, ruled_out = _focus(parts)
    query = " ".join(
        [
            focus,
            *(words for name, words in found if name not in BESIDE_THE_QUESTION),
            *_asked_in_other_words(question, text),
        ]
    )
    if asks_when or days:
        query += " open opening hours " + " ".join(days)
    # The day they ask about favours the snippets that name it (the hours), but a snippet that
    # merely names the day (a Saturday market) is not a second answer. A place is no use on a
    # day it is shut: for "where does a decent coffee? Sunday morning" the day counts too.
    # (Not a day in what they say of themselves: "we're out of loaves by Thursday".)
    day_words = ""
    if asks_when:
        day_words = " ".join(days)
    elif asks_for_place:
        # the question and what follows it ("… coffee? Sunday morning"), not what came before
        # ("down for the long weekend. looking for a walk, then somewhere for a coffee")
        day_words = " ".join(_days([p for p in parts[at:] if not OF_THEMSELVES.match(p)]))
    return Need(
        question=question,
        constraints=[name for name, _ in found],
        days=days,
        asks_when=asks_when,
        query=query,
        constraint_words=[words for _, words in found],
        asked_constraint_words=[
            words
            for _, pattern, words in CONSTRAINTS
            if asked_itself and pattern.search(asked_itself)
        ],
        day_words=day_words,
        asked_days=" ".join(_days(asking)),
        comes_at_a_time=any(COMING_IN.search(a) for a in asking) and bool(AT_A_TIME.search(text)),
        asks_for_place=asks_for_place,
        asks_price=any(PRICE_QUESTION.search(a) for a in asking),
        specifics=list(dict.fromkeys([*_specifics(asking), *_holidays(parts)])),
        asks_how_long=any(HOW_LONG.search(a) for a in asking),
        offered=_offered(asking),
        tried=_tried(text),
        asks_stock_now=any(STOCK_NOW.search(a) for a in asking),
        asks=_asks(asking),
        focus=focus,
        ruled_out=ruled_out,
    )


def _focus(parts: Sequence[str]) -> tuple[str, list[str]]:
    """The post without the parts that rule something out, and those parts.

    A question is never ruled out, and neither is everything they said."""
    kept: list[str] = []
    ruled_out: list[str] = []
    for sentence in parts:
        clauses = [c for c in CLAUSE.split(sentence) if c.strip()]
        out = [c for c in clauses if "?" not in c and RULED_OUT.search(c)]
        ruled_out += out
        kept.append(", ".join(c for c in clauses if c not in out))
    if not any(kept):
        return " ".join(parts), []
    return " ".join(k for k in kept if k), ruled_out


def _asked_in_other_words(question: str | None, text: str) -> list[str]:
    """The words a business's knowledge uses for what the question asks in other words."""
    if question is None:
        return []
    words = []
    if NEXT_STEP.search(question) and BEGINNER.search(text):
        words.append(FIRST_STEP_WORDS)
    # (Who is to look at it may be said beside the question: "I need a human to look at it.
    # Does anyone in Edinburgh do that?")
    if TAKE_IT.search(text) and asks_for_a_place(question):
        words.append(TAKE_IT_WORDS)
    if LEARN_FROM_SOMEONE.search(question):
        words.append(LEARN_WORDS)
    return words


# The words a further question starts with.
ASK_WORDS = r"(?:do|does|is|are|can|could|should|will|what|where|when|how|which|who)"
# A second question inside one sentence: "… cost and do I need to book?" ("… or do I just buy
# half loaves" offers another way out of the same question).
SECOND_ASK = re.compile(
    rf",?\s+(?:and|also|plus)\s+(?=(?:{ASK_WORDS}|somewhere|anywhere)\b)",
    re.I,
)
# "two questions from a novice: what do I do about the salt": the question after its preface
PREFACE = re.compile(rf"^[^:?]+:\s+(?={ASK_WORDS}\b)", re.I)


# "24 inch or straight to 26?": two sizes, amounts or temperatures to choose between.
NUMBER_CHOICE = re.compile(
    r"\b(?P<a>\d+)(?:\s?(?:inch(?:es)?|in|\"|cm|mm|°c|c|g|kg|ml))?\s+or\s+"
    r"(?:straight\s+to\s+|go\s+(?:for\s+)?|a\s+)?(?P<b>\d+)\b",
    re.I,
)
# "swap half the white flour for wholemeal", "use honey instead": what they would use.
SWAP = re.compile(
    r"\b(?:swap|switch|replace|sub)\b(?:\s+\w+){0,5}?\s+(?:for|with)\s+(?P<t>[a-z][\w-]+)|"
    r"\b(?:use|try)\s+(?P<u>[a-z][\w-]+)\s+instead\b|"
    # (not a thing done: "teaches you instead of just taking the bike off you")
    r"\binstead\s+of\s+(?!(?:just|simply|only)\b|[a-z]+ing\b)(?P<v>[a-z][\w-]+)",
    re.I,
)
# "is a flashing front light actually legal?": the kind of thing whose legality is asked.
IS_IT_ALLOWED = re.compile(
    r"\b(?:is|are)\s+(?:a|an|my|the)\s+(?P<np>(?:[a-z-]+\s+){1,3}?)(?:actually\s+|really\s+|"
    r"even\s+)?(?:legal|allowed|road[- ]legal|against\s+the\s+law)\b",
    re.I,
)
HOW_LONG = re.compile(
    r"\bhow long (?:does|do|will|is|would) (?:the|it|this|that|a|an) (?:[\w-]+ ){0,3}?"
    r"(?:go on|last|run|keep|stay good|be good|good for|take)\b|"
    r"\b(?:what time|when) (?:does|do|will) (?:it|the [\w-]+(?: [\w-]+)?) "
    r"(?:finish|end|wrap up|close|stop)\b",
    re.I,
)
HOLIDAY = re.compile(
    r"\b(?:christmas|xmas|boxing day|new year|hogmanay|easter|bank holidays?|public holidays?)\b",
    re.I,
)
OPEN_OR_ON = re.compile(r"\b(?:open|shut|closed?|still on|running|be on)\b", re.I)


def _holidays(parts: Sequence[str]) -> list[str]:
    """Holidays named beside whether something is open or on ("open on Boxing Day?",
    "between christmas and new year, so wasn't sure if you'd be shut"), in any sentence of the
    post: usual hours and events say nothing of a holiday's."""
    return list(
        dict.fromkeys(
            m.group(0).lower()
            for part in parts
            if OPEN_OR_ON.search(part)
            for m in HOLIDAY.finditer(part)
        )
    )


# "is the £45 basic service the same price for a tandem?", "what do you charge for an e-bike":
# what is priced
PRICED_FOR = re.compile(
    r"\b(?:price|prices|cost|costs|charge|how much)\b[^?.!]{0,30}?\bfor (?:a|an|my|our)\s+"
    r"(?P<what>[^?.!,;:()]+)",
    re.I,
)


def _specifics(asking: Sequence[str]) -> list[str]:
    """What the question chooses between or turns on, which an answer must name."""
    found: list[str] = []
    for sentence in asking:
        found += [t for m in PRICED_FOR.finditer(sentence) if (t := _thing(m["what"], most=3))]
        for m in NUMBER_CHOICE.finditer(sentence):
            found += [m["a"], m["b"]]
        # "Pour it off or stir it back in??": an answer says which
        for m in DO_WHICH.finditer(sentence):
            found += [m["a"].lower(), m["b"].lower()]
        for m in SWAP.finditer(sentence):
            found.append((m["t"] or m["u"] or m["v"]).lower())
        for m in IS_IT_ALLOWED.finditer(sentence):
            found += [w for w in m["np"].lower().split() if w not in STOPWORDS["en"]]
        # "is it actually ok to cycle on??", "are there any chicane barriers or narrow gates on
        # it?", "does anyone hire bikes out": the path being flat answers none of them
        found += [next(g for g in m.groups() if g).lower() for m in TURNS_ON.finditer(sentence)]
    return list(dict.fromkeys(found))


# (what they might do to it, not whether it does: "can you freeze it or does it go weird?")
NOT_DONE_TO_IT = r"(?!(?:do|does|did|is|was|will|would|can|could|should|get|have|keep|leave|not)\b)"
DO_WHICH = re.compile(
    rf"\b(?P<a>{NOT_DONE_TO_IT}[a-z]{{3,}}) (?:it|them) (?:\w+ )?or (?:just )?"
    rf"(?P<b>{NOT_DONE_TO_IT}[a-z]{{3,}}) (?:it|them)\b",
    re.I,
)
TURNS_ON = re.compile(
    # (an activity: "ok to bring the dog" turns on the dog, a constraint of its own)
    r"\bis it (?:actually |really |even )?(?:ok|okay|alright|allowed|possible|fine) to "
    r"(?!(?:bring|take|come|pop|drop|turn|have|leave|park|book|order|sit|stay|wait)\b)"
    r"(?P<what>[a-z]{4,})\b|"
    r"\bare there (?:any )?(?:of (?:those|the) )?(?:[\w-]+ ){0,3}?(?P<what2>[a-z-]{4,})"
    r"(?= or\b| on\b| in\b| at\b| along\b|\s*\?)|"
    r"\b(?P<what3>hire|rent)s?\b|"
    # "Can you cycle the Water of Leith walkway with a trailer?": a path's being flat is no
    # answer to whether it may be ridden
    r"\bcan (?:you|i|we|one|people) (?:actually |still |legally )?"
    r"(?P<what4>cycle|ride|scoot|skate|swim|camp|fish)\b",
    re.I,
)


def names_specific(word: str, text: str) -> bool:
    """Does the text name this thing a question turns on, in any of its forms ("cycle":
    "cycling", "cyclists"; "barriers": "a barrier")?"""
    # (with or without its hyphen: "ebike" is named by "e-bike rear wheels")
    stem = re.escape(_stem(word.replace("-", "")))
    return any(re.search(rf"\b{stem}", t, re.I) for t in (text, text.replace("-", "")))


def _stem(word: str) -> str:
    """The start every form of a word shares ("cycl" for cycle, cycling; "barrier")."""
    word = word.lower()
    for end in ("ing", "es", "s", "e"):
        if word.endswith(end) and len(word) - len(end) >= 4:
            return word[: -len(end)]
    return word


# "do you do tubeless setups", "does @northsidecycles fit mudguards", "do u have wifi"
OFFERED = re.compile(
    r"\b(?:do|does|can|could|will|would)\s+(?:you|u|ye|you guys|y'all|@[\w.]+|"
    # "does crumb and kettle have wifi", "does the café do oat milk"
    r"(?!any|some|every|it\b|that\b|this\b|they\b|he\b|she\b|i\b|we\b|or\b|and\b|but\b)"
    r"[\w'&]+(?: [\w'&]+){0,3}?)\s+"
    r"(?:still\s+|also\s+|ever\s+|actually\s+)?"
    r"(?:do|sell|offer|stock|fit|make|bake|carry|serve|hire|rent|have|take)\s+"
    r"(?P<what>[^?.!,;:()]+)",
    re.I,
)
# Where the thing asked about ends: "tubeless setups | and roughly what…", "mudguards | to a bike"
THING_ENDS = re.compile(
    r"\s+(?:to|for|with|without|in|on|at|from|and|or|if|that|which|who|i|you|we|as|like|by|"
    r"before|after|when|this|these|today|tomorrow|anymore|still|please|there|here|now|or)\b.*",
    re.I,
)
DETERMINERS = re.compile(r"^(?:(?:a|an|any|the|some|your|ur|those|these|proper|decent)\s+)+", re.I)
# Not a thing the business would offer: "have a look", "do anything", "take them".
NOT_OFFERED = set(
    """anything something everything one ones it that this them they stuff thing things look
    go chat lot bit way time day job work question kind sort type idea ideas much many more
    same difference""".split()
)
# "any in a small frame at the moment?", "what's in stock this week"
STOCK_NOW = re.compile(
    r"\b(?:have|got|any|stock|sell|selling)\b[^?.!]*\b(?:at the moment|right now|just now|"
    r"currently|in stock|atm|this week|today)\b",
    re.I,
)


# "did the poke test thing", "tried the oven light trick", "followed your storage tips"
TRIED = re.compile(
    r"\b(?:did|done|tried|followed|doing|gave)\s+(?:the|that|your|this|a|an)\s+"
    r"(?P<what>[a-z][\w-]*\s+[a-z][\w-]*)",
    re.I,
)
# ... and it did not work: "STILL a puddle", "no joy", "made no difference"
DID_NOT_WORK = re.compile(
    r"\bstill\b|\bdidn'?t (?:work|help)\b|\bdid nothing\b|\bno (?:luck|joy|difference)\b|"
    r"\bsame (?:result|thing|again)\b|\bmade no difference\b",
    re.I,
)


def _tried(text: str) -> list[str]:
    """What they say they already did, when they also say it did not work."""
    if not DID_NOT_WORK.search(text):
        return []
    return list(dict.fromkeys(m["what"].lower() for m in TRIED.finditer(text)))


def _offered(asking: Sequence[str]) -> list[str]:
    """What they ask whether the business does or has, by its last word ("setups", "wifi")."""
    found = [t for s in asking for m in OFFERED.finditer(s) if (t := _thing(m["what"], most=4))]
    return list(dict.fromkeys(found))


def _thing(what: str, *, most: int) -> str:
    """The last word of the thing a phrase names ("tubeless setups" -> "setups"), or '' when
    it names none ("anything I could eat") or says more than a thing (over `most` words)."""
    words = re.findall(
        r"[a-z][\w'-]*", DETERMINERS.sub("", THING_ENDS.sub("", what.strip())).lower()
    )
    last: str = words[-1] if words else ""
    if len(words) <= most and last not in NOT_OFFERED | STOPWORDS["en"]:
        return last
    return ""


def _asks(asking: Sequence[str]) -> list[str]:
    """The separate things asked, when there are two or more; else empty."""
    asks = [part.strip() for s in asking for part in SECOND_ASK.split(s)]
    asks = [PREFACE.sub("", a) for a in asks]
    # "… @crumbandkettle do you?" names nothing of its own: not a second question.
    asks = [a for a in asks if len(re.findall(r"(?<![@\w])[a-z]{4,}", a, re.I)) >= 2]
    return asks if len(asks) > 1 else []


# Coming in, with or without something or someone: "can i just turn up tomorrow morning before
# work", "drop the bike off", "set up with my laptop", "I'm thinking of bringing her down on
# Monday morning", "coming through from Glasgow".
COMING_IN = re.compile(
    r"\b(?:bring|drop|pop|come|call|wheel|walk|turn|rock|head|pick|set)\s+(?:it\s+|the bike\s+|"
    r"them\s+|one\s+|her\s+|him\s+|my laptop\s+|the laptop\s+)?(?:in|by|round|over|down|off|up)\b|"
    r"\b(?:bring|take|sit with|set up with) (?:my|the|a) laptop\b|"
    r"\bwork(?:ing)? from (?:yours|there|the café|the cafe)\b|"
    r"\bcollect (?:it|the bike|my bike)\b|\bdecamp\b|"
    r"\b(?:come to yours|(?:work|sit|study) (?:\w+ ){0,4}?at yours|visit|"
    r"bringing (?:her|him|them|the kids|(?:my|our) \w+) (?:down|in|over|round|along|by)|"
    r"bring (?:the kids|(?:my|our) \w+) (?:down|in|over|round|along|by)|"
    r"coming (?:in|down|over|round|by|through))\b",
    re.I,
)
# A time of day they would come at, or can only come at ("I don't finish till half 5").
AT_A_TIME = re.compile(
    r"\b(?:at|after|before|around|about|by|till|til|until|from)\s+(?:\d{1,2}(?:[:.]\d\d)?\s*"
    r"(?:am|pm)?|work|lunch|school|half \w+)\b|\b\d{1,2}(?:[:.]\d\d)?\s*(?:am|pm)\b|"
    r"\b\d{1,2}(?:[:.]\d\d)?\s*(?:till|til|to|-)\s*\d{1,2}(?:[:.]\d\d)?\b|"
    r"\b(?:when|the minute) (?:you|they) open\b|\ball day\b|\bmost of the day\b",
    re.I,
)


def _days(parts: Sequence[str]) -> list[str]:
    """The days these sentences name ("sunday", "weekend"), each once."""
    text = " ".join(parts)
    named = {d.lower().rstrip("s") for d in DAYS.findall(text) if d}
    return sorted(named | ({"weekend"} if re.search(r"\bweekends?\b", text, re.I) else set()))
