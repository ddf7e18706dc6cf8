"""Find what the business knows that answers a post: hybrid retrieval, then the sentences.

Each knowledge snippet is scored two ways: the sentence embedding of the post against the
snippet's (meaning), and BM25 (`bm25s`, with an English stemmer) of the post's need against the
snippet's words (the exact thing asked: "Sunday", "stairs", "laptop"). The two are combined and
compared with a threshold calibrated on the labelled drafting set (bench/drafting_set.py), so an
unrelated snippet is never used. From each chosen snippet only the sentences that answer are
kept. A snippet that talks about the business itself ("we", "our", "the café") is only for
people who addressed the business or asked for a place like it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import bm25s
import numpy as np
import Stemmer

from analysis.models import Embedder
from suggest import grounding
from suggest.need import Need, sentences

# Calibrated on bench/data/drafting/tune*.jsonl (python -m bench.drafting_set --tune).
DENSE_WEIGHT = 0.7
LEXICAL_WEIGHT = 0.3
# A BM25 score of LEXICAL_HALF counts as half a lexical match.
LEXICAL_HALF = 1.5
MATCH = 0.5
# ... or this far ahead of the next snippet (all above CONSTRAINT_MATCH).
CLEAR_GAP = 0.25
# What a snippet gains for naming something the person already said matters (their dog, the
# stairs, the Sunday): a good answer speaks to it.
CONSTRAINT_BONUS = 0.1
# A second snippet joins the first only when it speaks to something the person said matters
# that the first leaves open (the Sunday hours, and the laptop): a merely similar second
# snippet was more often wrong than right on the tune split.
CONSTRAINT_MATCH = 0.4
SECOND_FLOOR = 0.45
# A snippet already chosen this close to the best for one of two questions answers it already.
ASK_MARGIN = 0.05
# A part of the post (a sentence or clause) that one snippet answers this well, and this much
# better than the snippets already chosen, brings that snippet in as a second answer: lower, a
# second snippet was as often wrong as right on the tune splits (0.5: 15 right, 38 wrong).
CLAUSE_MATCH = 0.6
CLAUSE_GAP = 0.15
# …and only a part whose words match a snippet not chosen this well (BM25, 0 to 1) is weighed:
# meaning alone seldom reaches CLAUSE_MATCH, and each part weighed costs an embedding.
CLAUSE_WORDS = 0.4
# (not what they have done already: "used the proper strong bread flour and everything")
DONE_ALREADY = re.compile(r"\b(?:used|tried|already)\b", re.I)
CLAUSES = re.compile(r"(?<=[.!?])\s+|[,;:]\s+|\s+(?:and|but|also|plus)\s+", re.I)
# A time of day in a snippet ("9:00 to 18:00"): the snippet gives hours.
CLOCK = re.compile(r"\b\d{1,2}[:.]\d\d\b|\b\d{1,2}\s*(?:am|pm)\b", re.I)
OPEN = re.compile(r"\bopen\b", re.I)
# What a business offers when something it sold goes wrong: "three months of free
# adjustments", "a guarantee", "we'll replace it".
REMEDY = re.compile(
    r"\bfree (?:of charge|adjustments?|re-?checks?|re-?bakes?|replacements?)\b|"
    r"\bguarantee\w*|\bwarrant(?:y|ies)\b|\brefund\w*|\bmoney back\b|"
    r"\bat no (?:extra )?cost\b|\bwe(?:'ll| will) (?:replace|re-?do|fix) (?:it|them)\b",
    re.I,
)
# What the business says about itself gains this when someone asks for a place like it.
PLACE_BONUS = 0.08
# How close a post must be to what the business helps with to be its business at all.
IN_SCOPE = 0.38
# A snippet's second sentence is kept when it is nearly as close to the post as its best.
SENTENCE_GAP = 0.25
# The owner can say a snippet is about the business (its orders, hours, services) with this
# tag; without it, the wording decides ("we", "our", "the café", "... are welcome").
ABOUT_US_TAG = "about-us"
ABOUT_US = re.compile(
    r"\b(we|our|us)\b|\bthe (café|cafe|shop|bakery|kitchen|workshop|store|studio|salon|garage)\b|"
    r"\b(are|is) welcome\b",
    re.I,
)


WEEKEND = re.compile(r"\bweekends?\b", re.I)
# Words of a "helps with" line too general to say what the business knows (stemmed).
TOO_GENERAL = frozenset(
    "home keep free time where from through care option spend fresh simpl choos thing north south "
    "east west near".split()
)


# Stemmed words that name a kind of thing, and the kind ("loaves" -> "loav" -> "bread").
KIND_OF = {"loaf": "bread", "loav": "bread", "spong": "cake", "bicycl": "bike"}


def _as_theirs(sentence: str, title: str) -> str:
    """The remedy said of what they bought, not as a sales line: "We sell a few refurbished
    second-hand bikes, fully serviced, with three months of free adjustments." -> "Your
    refurbished bike comes with three months of free adjustments." (the sentence as it is
    when the remedy is not what something comes with)."""
    given = re.search(r"\bwith ([^,;:.]+)", sentence)
    if not given or not REMEDY.search(given[1]):
        return sentence
    words = title.lower().split()
    if not words:
        return sentence
    last = words[-1]
    words[-1] = last[:-1] if last.endswith("s") and not last.endswith("ss") else last
    return f"Your {' '.join(words)} comes with {given[1].strip()}."


def _weekend(days: str) -> str:
    """Days as said, "weekend(s)" named as its days too: a Saturday market is on at the
    weekend, and "at weekends" answers a Saturday question."""
    return WEEKEND.sub(lambda m: f"{m.group()} saturday sunday", days)


@cache
def _stemmer() -> Any:
    return Stemmer.Stemmer("english")


def _tokens(texts: Sequence[str]) -> list[list[str]]:
    # "cafetiere" as people type it is "cafetière"
    plain = [
        "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
        for t in texts
    ]
    tokens = bm25s.tokenize(
        plain, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
    )
    return [list(t) for t in tokens]


def _without_handles(text: str) -> str:
    return re.sub(r"@[\w.]+", "", text)


@cache
def _token_set(words: str) -> frozenset[str]:
    return frozenset(_tokens([words])[0])


_EMBEDDED: OrderedDict[tuple[str, str, int, tuple[str, ...]], np.ndarray] = OrderedDict()


def _embedded(embedder: Embedder, texts: tuple[str, ...]) -> np.ndarray:
    """A workspace's knowledge embedded once while it is unchanged (each morning's queue, each
    `rapport draft`, in one worker), not once per run: half of a run's time on the sample."""
    key = (type(embedder).__name__, embedder.model_id, embedder.dim, texts)
    if key not in _EMBEDDED:
        vectors = np.asarray(embedder.embed(list(texts)), dtype=np.float32)
        vectors.setflags(write=False)
        _EMBEDDED[key] = vectors
        if len(_EMBEDDED) > 32:
            _EMBEDDED.popitem(last=False)
    _EMBEDDED.move_to_end(key)
    return _EMBEDDED[key]


@dataclass(frozen=True)
class Snippet:
    title: str
    text: str
    about_us: bool
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """A snippet that answers, with the sentences of it that do."""

    snippet: Snippet
    score: float
    sentences: tuple[str, ...]


class KnowledgeBase:
    """A workspace's snippets and what it helps with, indexed once per suggestion run."""

    def __init__(
        self,
        snippets: Sequence[dict[str, Any]],
        helps_with: Sequence[str],
        embedder: Embedder,
    ) -> None:
        self.snippets = [
            Snippet(
                title=str(s["title"]),
                text=str(s["text"]),
                # (by how it starts: "A worn chain wears out the cassette … we check chains
                # for free" is advice for anyone, its last sentence for those who asked us)
                about_us=ABOUT_US_TAG in (s.get("tags") or [])
                or bool(ABOUT_US.search(sentences(str(s["text"]))[0] if s["text"] else "")),
                sentences=tuple(sentences(str(s["text"]))),
            )
            for s in snippets
        ]
        self.helps_with = list(helps_with)
        # The words of what it helps with that say what it is (not "Leith", "home", "keep").
        self.topic_tokens = frozenset(
            t
            for topic in self.helps_with
            for t in _token_set(" ".join(w for w in topic.split() if not w[:1].isupper()))
            if len(t) > 3 and t not in TOO_GENERAL
        )
        self.embedder = embedder
        texts = [f"{s.title}. {s.text}" for s in self.snippets]
        # Every word the knowledge and what it helps with use (stemmed).
        said = [*texts, *self.helps_with]
        self.vocabulary = frozenset(t for tokens in (_tokens(said) if said else []) for t in tokens)
        # Sentences are only chosen among in snippets longer than two of them.
        all_sentences = [
            sentence for s in self.snippets if len(s.sentences) > 2 for sentence in s.sentences
        ]
        vectors = (
            _embedded(embedder, (*texts, *all_sentences, *self.helps_with))
            if texts or self.helps_with
            else np.zeros((0, embedder.dim), dtype=np.float32)
        )
        n, m = len(texts), len(all_sentences)
        self.vectors = vectors[:n]
        self.sentence_vectors = vectors[n : n + m]
        self.topic_vectors = vectors[n + m :]
        # Tags are words the owner chose to find a snippet by: lexical matching only.
        # A day range names every day in it ("Tuesday to Sunday" answers a Saturday question);
        # "at weekends" names Saturday and Sunday.
        lexical = [
            _weekend(" ".join([grounding.every_day_named(text), *map(str, raw.get("tags") or [])]))
            for text, raw in zip(texts, snippets, strict=True)
        ]
        # (What a snippet names includes the kind of thing it names: a loaf is bread, for
        # "do you ever have bread without wheat?")
        self.snippet_tokens = (
            [set(t) | {KIND_OF[w] for w in t if w in KIND_OF} for t in _tokens(lexical)]
            if texts
            else []
        )
        self.bm25: bm25s.BM25 | None = None
        # Embeddings of parts of posts: what they ask once the parts they rule out are set
        # aside, and their questions alone.
        self._focus_vectors: dict[str, np.ndarray] = {}
        if texts:
            self.bm25 = bm25s.BM25()
            self.bm25.index(_tokens(lexical), show_progress=False)

    def scores(self, need: Need, embedding: Sequence[float]) -> np.ndarray:
        """Each snippet's combined score for this post (0 to about 1)."""
        if not self.snippets:
            return np.zeros(0, dtype=np.float32)
        # (Only for a question: "still pitch dark at 8am" said in passing asks for no lights.)
        bonus = np.asarray(
            [
                need.question is not None
                and any(
                    self._names(i, w) for w in [*need.leading_words, _weekend(need.day_words)] if w
                )
                for i in range(len(self.snippets))
            ],
            dtype=np.float32,
        )
        meaning_and_words = self._meaning_and_words(
            self._meaning(need, embedding), _tokens([need.query])[0]
        )
        return np.asarray(meaning_and_words + CONSTRAINT_BONUS * bonus, dtype=np.float32)

    def _meaning(self, need: Need, embedding: Sequence[float]) -> np.ndarray:
        """The post's embedding; when it rules something out ("the crust is fine"), the
        embedding of the rest, so that what they said is fine does not pull its snippet in."""
        if not need.ruled_out:
            return np.asarray(embedding, dtype=np.float32)
        return self.embedded(need.focus)

    def embedded(self, text: str) -> np.ndarray:
        """A text's embedding, once per text (a post's focus, the question it asks)."""
        self.embed_once([text])
        return self._focus_vectors[text]

    def embed_once(self, texts: Sequence[str]) -> None:
        """Embed, in one batch, the texts not embedded yet (the parts of a post, scored each)."""
        new = list(dict.fromkeys(t for t in texts if t not in self._focus_vectors))
        if new:
            for text, vector in zip(new, self.embedder.embed(new), strict=True):
                self._focus_vectors[text] = np.asarray(vector, dtype=np.float32)

    def _meaning_and_words(self, embedding: np.ndarray, query: list[str]) -> np.ndarray:
        """Each snippet's dense similarity and lexical (BM25) match, weighted together."""
        dense = self.vectors @ np.asarray(embedding, dtype=np.float32)
        lexical = self._words(query)
        return np.asarray(DENSE_WEIGHT * dense + LEXICAL_WEIGHT * lexical, dtype=np.float32)

    def _words(self, query: list[str]) -> np.ndarray:
        """Each snippet's lexical (BM25) match for these tokens, from 0 to 1."""
        if self.bm25 is None or not query:
            return np.zeros(len(self.snippets), dtype=np.float32)
        raw = np.asarray(self.bm25.get_scores(query), dtype=np.float32)
        return np.asarray(raw / (raw + LEXICAL_HALF), dtype=np.float32)

    def in_scope(
        self,
        embedding: Sequence[float],
        *,
        question: str | None = None,
        text: str = "",
        of_us: bool = True,
    ) -> float:
        """How close the post, or the question it asks, is to what the business helps with or
        knows about (what it says of itself only when the post is `of_us`: to it, naming it,
        or asking for a place like it).

        The question alone counts too: "tubeless or tubes for winter commuting? everyone on the
        forums is a zealot" asks a tyre question, whatever the rest of the post chats about."""
        vectors = [np.asarray(embedding, dtype=np.float32)]
        if question:
            vectors.append(self.embedded(question))
        known = self.vectors[self.may_speak(of_us)]
        scores = [
            float(np.max(m @ vector))
            for m in (self.topic_vectors, known)
            if len(m)
            for vector in vectors
        ]
        # "how often should I change the brake pads?" is "brake care" in any embedding's eyes
        # but MiniLM's (0.33): the question naming what the business says it helps with counts.
        if question and _token_set(question) & self.topic_tokens:
            scores.append(IN_SCOPE)
        # …and so does a post that names two of those things ("gears slipping… never changed
        # a thing except the tyres"; "replacing the tyres before winter… would 32mm fit?").
        if len(_token_set(text) & self.topic_tokens) >= 2:
            scores.append(IN_SCOPE)
        return max(scores, default=0.0)

    def answer(
        self,
        scores: np.ndarray,
        need: Need,
        embedding: Sequence[float],
        *,
        may_mention_us: bool,
        prefer_us: bool = False,
        limit: int = 2,
    ) -> list[Match]:
        """The snippets that answer this need, best first (empty when none does); `scores`
        are `self.scores(need, embedding)`, computed once by the caller.

        With `prefer_us` (they asked for a place like the business: "any coffee spot where my
        dad's wheelchair is fine?"), what the business says about itself comes first.
        """
        vector = self._meaning(need, embedding)
        if prefer_us:
            scores = scores + PLACE_BONUS * np.asarray([s.about_us for s in self.snippets])
        allowed = [
            i
            for i in np.argsort(-scores)
            if scores[i] >= CONSTRAINT_MATCH and (may_mention_us or not self.snippets[i].about_us)
        ]
        if not allowed:
            return []
        # A question to the business that turns on what they said matters (a mobility scooter,
        # "never anywhere without Hector, my old Westie"), and what it says of itself on that:
        # the answer, however long the post around it ("would the two of us be able to get in?").
        on_what_matters = (
            may_mention_us
            and need.question is not None
            and self.snippets[allowed[0]].about_us
            and any(self._names(allowed[0], w) for w in need.constraint_words)
        )
        # Short of MATCH, a snippet far ahead of every other still answers ("how much air am I
        # meant to put in??" and the tyre pressures, 0.44 against 0.14 for the next).
        ranked = np.sort(scores)[::-1]
        clear = len(ranked) > 1 and ranked[0] - ranked[1] >= CLEAR_GAP
        # Two things asked, each answered by its own snippet among those nearest the whole
        # post, judged by that question alone: those two, whatever leads for the post as a
        # whole ("a flat bit of the river walk… and can she get into the cafe without
        # steps?": the walkway and the step-free access, not the playground the whole post is
        # nearest). With the whole post near no one snippet, that or none ("what do I do
        # about the salt, and what lights do I need?").
        each = self._each_ask(need, allowed[:3], vector, limit=limit, for_anyone=not may_mention_us)
        # (Nor one that meets everything they said matters, two things or more: "somewhere
        # completely flat with no cars at all", the flat, traffic-free promenade.)
        meets_all = len(need.constraint_words) >= 2 and all(
            self._names(allowed[0], w) for w in need.constraint_words
        )
        if each or (scores[allowed[0]] < MATCH and not (on_what_matters or clear or meets_all)):
            return each
        chosen = [allowed[0]]
        # Constraints the first snippet leaves open, each a word list the knowledge would use.
        # The day they named ("Sunday morning") is one too: a place is no use when it is shut.
        # (A Saturday market is open at the weekend they named; a second snippet is only for
        # the day as they said it: a weekend visit wants no first-Saturday clinic.)
        # To the business, the day their question names is the day they mean to come ("can I
        # just turn up on Monday, my only day off?"): the hours for it may be a second answer.
        days = need.day_words or (need.asked_days if may_mention_us else "")
        open_constraints = [
            w
            for w in [*need.constraint_words, days]
            if w and not self._names(allowed[0], _weekend(w))
        ]
        # What the business says of itself goes with what it says of itself: a laptop welcome
        # and "with the dog" is the café's dogs-welcome, not the dog-friendly walkway.
        ours = self.snippets[allowed[0]].about_us
        for i in sorted(allowed[1:], key=lambda i: ours and not self.snippets[i].about_us):
            if len(chosen) == limit:
                break
            # (Advice does not follow what the business says of itself: "heating's off in our
            # flat… so I'm planning to decamp to yours with the laptop" wants the laptop rule, not
            # how to keep a starter warm.)
            if (
                float(scores[i]) >= SECOND_FLOOR
                and any(self._names(int(i), w) for w in open_constraints)
                and (self.snippets[i].about_us or not ours)
            ):
                chosen.append(i)
        permitted = [int(i) for i in np.flatnonzero(self.may_speak(may_mention_us))]
        if on_what_matters:
            # …and the other thing they come with, by what the business says of it (the dogs
            # welcome, for "my old Westie", which names no dog in a word of it)
            for words in [w for w in open_constraints if w in need.constraint_words]:
                ours_on_it = max(
                    (
                        i
                        for i in permitted
                        if i not in chosen and self.snippets[i].about_us and self._names(i, words)
                    ),
                    key=lambda i: float(scores[i]),
                    default=None,
                )
                if ours_on_it is not None and len(chosen) < limit:
                    chosen.append(ours_on_it)
        # A constraint still open, judged by the sentence that states it, as a second question
        # is ("… how much, I'll bring cash": the payment snippet, far from the tyre as a whole).
        for words in open_constraints:
            if len(chosen) == limit:
                break
            if (best := self._stated(need, words, permitted, chosen)) is not None:
                chosen.append(best)
        only: dict[int, tuple[str, ...]] = {}
        # The hours of the day they mean to come at a time of ("at 6 on Thursday … bring it in
        # after that?"), when the first answer does not give them.
        days_asked = need.asked_days.split() or need.days
        if may_mention_us and need.comes_at_a_time and len(chosen) < limit:
            hours = [
                i
                for i in permitted
                if i not in chosen
                and self._gives_hours(i)
                and not any(self._gives_hours(c) for c in chosen)
                and (not days_asked or any(self._names(i, _weekend(d)) for d in days_asked))
            ]
            if hours:
                best = max(hours, key=lambda i: float(scores[i]))
                chosen.append(best)
                # only the sentences for their day ("a late night on Thursday until 20:00"),
                # or, with no day said, the ones with the times
                only[best] = tuple(
                    t
                    for t in self.snippets[best].sentences
                    if (
                        any(_token_set(_weekend(d)) & _token_set(t) for d in days_asked)
                        if days_asked
                        else CLOCK.search(t)
                    )
                )

        # Two things asked in one post: the snippet that answers the other one too, judged by
        # that question alone ("Also do you take cash?" is a small part of the whole post).
        for ask in need.asks:
            if len(chosen) == limit:
                break
            best = self._best_for(ask, permitted, chosen)
            if best is not None:
                chosen.append(best)
        # A part of the post another snippet answers far better than any chosen one ("flat as
        # a pancake… and the crust nearly took my thumb off": the proofing and the crust),
        # weighed against the snippets near the whole post; the parts embedded in one batch.
        parts = (
            self._parts(need, [int(i) for i in allowed if i not in chosen])
            if len(chosen) < limit
            else []
        )
        self.embed_once([_without_handles(part) for part in parts])
        for part in parts:
            if len(chosen) == limit:
                break
            if best := self._clearly_for(part, permitted, chosen):
                chosen.append(best)
                # (its sentences for that part: "the path is unlit after dark" to someone who
                # rides it home, not where it goes)
                only[best] = self._sentences(
                    best, self.embedded(_without_handles(part)), for_anyone=not may_mention_us
                )
        return [
            Match(
                self.snippets[int(i)],
                float(scores[i]),
                only.get(int(i)) or self._sentences(int(i), vector, for_anyone=not may_mention_us),
            )
            for i in chosen
        ]

    def _each_ask(
        self,
        need: Need,
        nearest: Sequence[int],
        vector: np.ndarray,
        *,
        limit: int,
        for_anyone: bool = False,
    ) -> list[Match]:
        """A snippet for each thing asked, judged by that question alone, when every one of
        them has its own among those nearest the whole post (two at most); else none."""
        if not 2 <= len(need.asks) <= limit or not nearest:
            return []
        chosen: list[tuple[int, float]] = []
        for ask in need.asks:
            combined = self._ask_scores(ask)
            if combined is None:
                return []
            best = max(nearest, key=lambda i: float(combined[i]))
            if combined[best] < CONSTRAINT_MATCH or best in [i for i, _ in chosen]:
                return []
            chosen.append((int(best), float(combined[best])))
        return [
            Match(self.snippets[i], score, self._sentences(i, vector, for_anyone=for_anyone))
            for i, score in chosen
        ]

    def knows_word(self, word: str) -> bool:
        """Does the knowledge, or what the business helps with, use this word at all?"""
        return bool(_token_set(word) & self.vocabulary)

    def hours(self, scores: np.ndarray) -> Match | None:
        """The snippet that gives the business's opening hours, whole, with its score for the
        post (`scores`, as `self.scores` gives them), if there is one: for someone who came and
        found it shut."""
        index = next((i for i in range(len(self.snippets)) if self._gives_hours(i)), None)
        if index is None:
            return None
        return Match(self.snippets[index], float(scores[index]), self.snippets[index].sentences)

    def remedy(self, scores: np.ndarray) -> Match | None:
        """What the business offers when something it sold goes wrong ("three months of free
        adjustments"), for a complaint about it: the snippet nearest the complaint, when it is
        about the business and offers a remedy, with the sentences that offer it. Not the
        promise that failed them ("usually ready by 17:00" to someone whose bike was not)."""
        if not len(scores):
            return None
        best = int(np.argmax(scores))
        snippet = self.snippets[best]
        if not snippet.about_us or scores[best] < CONSTRAINT_MATCH:
            return None
        offered = tuple(_as_theirs(s, snippet.title) for s in snippet.sentences if REMEDY.search(s))
        return Match(snippet, float(scores[best]), offered) if offered else None

    def _gives_hours(self, index: int) -> bool:
        """Does the snippet give the business's opening hours ("open Tuesday to Sunday, 7:30 to
        16:00")?"""
        snippet = self.snippets[index]
        return snippet.about_us and bool(CLOCK.search(snippet.text) and OPEN.search(snippet.text))

    def _stated(
        self, need: Need, words: str, allowed: Sequence[int], chosen: Sequence[int]
    ) -> int | None:
        """The allowed snippet naming what these constraint words name that best answers the
        sentence stating it, when it answers it well enough (None otherwise)."""
        naming = [i for i in allowed if i not in chosen and self._names(i, words)]
        if not naming:
            return None
        for sentence in sentences(need.focus):
            if not _token_set(sentence) & _token_set(words):
                continue
            combined = self._ask_scores(sentence)
            if combined is None:
                continue
            best = max(naming, key=lambda i: float(combined[i]))
            if combined[best] >= SECOND_FLOOR:
                return int(best)
        return None

    def _best_for(self, ask: str, allowed: Sequence[int], chosen: Sequence[int]) -> int | None:
        """The allowed snippet that answers one of several questions in a post, if one does
        and none already chosen answers it as well (scored as a whole post is: meaning and
        words)."""
        combined = self._ask_scores(ask)
        if not allowed or combined is None:
            return None
        best = max(allowed, key=lambda i: float(combined[i]))
        covered = max(float(combined[i]) for i in chosen)
        if best in chosen or covered >= combined[best] - ASK_MARGIN:
            return None
        return int(best) if combined[best] >= SECOND_FLOOR else None

    def _parts(self, need: Need, others: Sequence[int]) -> list[str]:
        """The parts of a post (sentences, clauses) worth weighing for a second snippet: of
        three words or more, not what they have done already, and sharing a word with a snippet
        not chosen (meaning alone seldom reaches CLAUSE_MATCH); none for a post of one part,
        which was scored whole."""
        parts = [
            part
            for part in CLAUSES.split(need.focus)
            if len(part.split()) >= 3 and not DONE_ALREADY.search(part)
        ]
        if len(parts) < 2 or not others:
            return []
        return [
            part
            for part, tokens in zip(parts, _tokens(parts), strict=True)
            if float(self._words(tokens)[list(others)].max()) >= CLAUSE_WORDS
        ]

    def _clearly_for(self, part: str, allowed: Sequence[int], chosen: Sequence[int]) -> int | None:
        """The allowed snippet that answers this part of a post squarely (CLAUSE_MATCH) and far
        better than every chosen one (CLAUSE_GAP), if one does."""
        combined = self._ask_scores(part)
        if not allowed or combined is None:
            return None
        best = max(allowed, key=lambda i: float(combined[i]))
        covered = max(float(combined[i]) for i in chosen)
        if best in chosen or combined[best] < CLAUSE_MATCH or combined[best] - covered < CLAUSE_GAP:
            return None
        return int(best)

    def _ask_scores(self, ask: str) -> np.ndarray | None:
        """Each snippet's score for one thing asked, alone (meaning and words, as a whole post
        is scored), or None when it names nothing of its own ("… do you?")."""
        ask = _without_handles(ask)
        query = _tokens([ask])[0]
        if len(query) < 2:
            return None
        return self._meaning_and_words(self.embedded(ask), query)

    def may_speak(self, of_us: bool) -> np.ndarray:
        """Which snippets may speak to a post: all of them to one about the business (to it,
        naming it, or asking for a place like it); to anyone else, none that speaks of it."""
        return np.asarray([of_us or not s.about_us for s in self.snippets], dtype=bool)

    def sharing_words(self, text: str, *, shortest: int = 5) -> list[tuple[Snippet, list[str]]]:
        """The snippets that share a word of `shortest` letters or more with a text in any
        language, with those words: what the owner may start from on a post the embedder cannot
        read ("vocês têm pão sem glúten?" shares "gluten" with the wheat-free snippet). Those
        whose title has the word, when any does ("Flour for beginners" says "gluten" only in
        passing)."""
        said = {t for t in _token_set(text) if len(t) >= shortest}
        found = []
        for snippet, tokens in zip(self.snippets, self.snippet_tokens, strict=True):
            if shared := sorted(said & tokens):
                found.append((snippet, shared))
        titled = [(s, words) for s, words in found if _token_set(s.title) & set(words)]
        return titled or found

    def names(self, snippet: Snippet, words: str) -> bool:
        """Does this snippet name the thing these words name ("children buggy", "laptops")?"""
        return self._names(self.snippets.index(snippet), words)

    def _names(self, index: int, words: str) -> bool:
        """Does this snippet name the thing these words name (stemmed: "laptop", "stairs")?"""
        return bool(self.snippet_tokens[index] & _token_set(words))

    def _sentences(
        self, index: int, embedding: np.ndarray, *, for_anyone: bool = False
    ) -> tuple[str, ...]:
        """The sentences of a snippet that answer: the best one, and any nearly as good; for
        someone who did not address the business, none that speaks of it."""
        chosen = self._closest_sentences(index, embedding)
        if not for_anyone:
            return chosen
        # clause by clause: "Replace the chain when a checker reads 0.5%; we check chains…"
        kept = []
        for sentence in chosen:
            clauses = [c for c in sentence.rstrip(".").split("; ") if not ABOUT_US.search(c)]
            if clauses:
                kept.append("; ".join(clauses) + ".")
        return tuple(kept) or chosen

    def _closest_sentences(self, index: int, embedding: np.ndarray) -> tuple[str, ...]:
        snippet = self.snippets[index]
        if len(snippet.sentences) <= 2:
            return snippet.sentences
        start = sum(len(s.sentences) for s in self.snippets[:index] if len(s.sentences) > 2)
        vectors = self.sentence_vectors[start : start + len(snippet.sentences)]
        sims = vectors @ np.asarray(embedding, dtype=np.float32)
        best = float(np.max(sims))
        return tuple(
            s for s, sim in zip(snippet.sentences, sims, strict=True) if sim >= best - 0.08
        )
