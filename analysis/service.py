"""Analysis logic: read posts in batches, then build each person's profile from the readings."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.orm import Session

from analysis import repository, text
from analysis.labels import (
    EMOTION_LABELS,
    INTENTS,
    SENTIMENT_LABELS,
    SENTIMENTS,
    TOPIC_LABELS,
    TOPICS,
)
from analysis.models import (
    SENSITIVE_HEADS,
    Embedder,
    PrototypeClassifier,
    TrainedHeads,
    TransformersClassifier,
    Vectors,
    load_heads,
    pick_topics,
)
from analysis.schemas import (
    InterestHistory,
    InterestRead,
    PersonHistory,
    PostBrief,
    PostReading,
    ProfileRead,
)
from core.errors import NotFound
from core.logging import get_logger
from core.models import Person

log = get_logger(__name__)

# Bump when the readers below change, so that every post is read again.
READERS_VERSION = "readers-32"
# What each reader sees of a post. The lexicon, keyphrase and cue readers grow faster than
# linearly with length (160,000 characters took 82 s), and a post's first few thousand
# characters say what it is about; the embedder already stops at 128 tokens. The whole text
# stays stored.
READ_CHARS = 5000
ASKING = ("question", "help", "recommendation")
HALF_LIFE_DAYS = 14.0
# Emotions a grief post is never read as, whatever the emotion reader says ("made Dad's
# shortbread, the kitchen smelled like him" reads as warm), nor a crisis as hopeful.
CELEBRATORY_EMOTIONS = frozenset({"joy", "happiness", "excitement", "amusement"})
HOPEFUL_EMOTIONS = frozenset({"optimism"})
GENERIC = set(
    """anyone someone everyone everything nothing thing things today week weekend people time
    last next little made make making getting good best great still really actually tips ideas
    advice help anybody somewhere something morning night year years day days home nobody fine
    place proper lovely better worth much long last right sure kind bit whole half full everywhere
    anywhere nowhere enough another other others start started done gone feel feels felt
    love loved hate hated wish wait need needs look looks looking find found
    makes sense seems keeps tried trying want wants think know says said takes gets goes
    comes""".split()
)


class Analyzer:
    """The embedder plus the classifiers built on it; one per process."""

    def __init__(
        self,
        embedder: Embedder,
        heads: TrainedHeads | None | str = "shipped",
        replacements: Mapping[str, TransformersClassifier] | None = None,
        sensitive_heads: TrainedHeads | None | str = "shipped",
    ) -> None:
        self.embedder = embedder
        # Models configured to replace a head: "sentiment", "emotion" and/or "topic".
        self.replacements = dict(replacements or {})
        # Trained heads (sentiment, emotion, topics) when shipped for this embedder; the
        # prototype classifiers otherwise, and always for intents (no public training set).
        self.heads: TrainedHeads | None = load_heads(embedder) if isinstance(heads, str) else heads
        self.intents = PrototypeClassifier(INTENTS, embedder)
        # The trained readers of a possible crisis and of grief or illness, when shipped for
        # this embedder (the phrase lists in analysis.text read alone otherwise).
        self.sensitive_heads: TrainedHeads | None = (
            load_heads(embedder, SENSITIVE_HEADS)
            if isinstance(sensitive_heads, str)
            else sensitive_heads
        )
        # The prototype readers are the fallback when no heads were trained for this embedder.
        self.prototypes = (
            None
            if self.heads
            else (PrototypeClassifier(SENTIMENTS, embedder), PrototypeClassifier(TOPICS, embedder))
        )
        version = READERS_VERSION + "".join(
            f"+{h.version}" for h in (self.heads, self.sensitive_heads) if h is not None
        )
        for task, model in sorted(self.replacements.items()):
            version += f"+{task}:{model.model_id}"
        self.model_version = f"{embedder.model_id}+{version}"

    def read(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> list[PostReading]:
        if not len(texts):
            return []
        texts = [capped(t) for t in texts]
        vectors, features = self.embedder.encode(texts)
        intents = self.intents.predict_proba(vectors)
        reads_inputs = self.heads or self.sensitive_heads
        inputs = reads_inputs.inputs(texts, features) if reads_inputs is not None else None
        sentiment_labels, sentiments = self._scores("sentiment", texts, vectors, inputs)
        emotion_labels, emotions = self._scores("emotion", texts, vectors, inputs)
        topic_labels, topics = self._scores("topic", texts, vectors, inputs)
        topic_floor = (
            0.5
            if "topic" in self.replacements
            else self.heads.topic_threshold
            if self.heads is not None
            else 0.15
        )
        chosen = pick_topics(topics, topic_floor)
        crisis, sensitive, person = self._must_reach(inputs, len(texts))
        readings = []
        for i, body in enumerate(texts):
            language = text.detect_language(body, langs[i] if langs else None)
            # The trained readers know English only (the embedder reads other languages as noise).
            english = language == "en"
            sentiment_scores = dict(zip(sentiment_labels, sentiments[i].tolist(), strict=True))
            emotion_scores = dict(zip(emotion_labels, emotions[i].tolist(), strict=True))
            # A joyful post the grief reader alone finds is a family day, not a loss ("my mum
            # turned 60 and cried at the cake. Best day"); the phrase lists still read every
            # post, and a possible crisis is never overruled.
            sentiment = max(sentiment_scores, key=lambda k: sentiment_scores[k], default="")
            joyful = sentiment == "positive" and (
                max(emotion_scores, key=lambda k: emotion_scores[k], default="")
                in CELEBRATORY_EMOTIONS
            )
            flags = text.flags(
                body,
                crisis=english and bool(crisis[i]),
                sensitive=english and bool(sensitive[i]) and not joyful,
                person=english and bool(person[i]),
            )
            question = text.has_question(body)
            intent_scores = _adjust_intents(
                dict(zip(self.intents.labels, intents[i].tolist(), strict=True)), question, flags
            )
            post_topics = sorted(
                (
                    (label, round(float(score), 3))
                    for label, score, keep in zip(topic_labels, topics[i], chosen[i], strict=True)
                    if keep
                ),
                key=lambda kv: -kv[1],
            )
            readings.append(
                PostReading(
                    language=language,
                    sentiment=sentiment,
                    sentiment_scores=_rounded(sentiment_scores),
                    emotion=_emotion(emotion_scores, flags),
                    emotion_scores=_rounded(emotion_scores),
                    intent=max(intent_scores, key=lambda k: intent_scores[k]),
                    intents=_rounded(intent_scores),
                    topics=dict(post_topics),
                    keyphrases=text.keyphrases(body),
                    entities=text.entities(body),
                    question=question,
                    hostile="hostile" in flags,
                    flags=flags,
                    embedding=vectors[i].tolist(),
                )
            )
        return readings

    def _must_reach(
        self, inputs: Vectors | None, n: int
    ) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]]:
        """What the trained readers find in each post: a possible crisis; grief or illness;
        something only a person at the business can settle (each reader when shipped)."""
        heads = self.sensitive_heads
        none = np.zeros(n, dtype=bool)
        if heads is None or inputs is None:
            return none, none, none
        crisis, sensitive, person = (
            heads.sigmoid(reader, inputs)[:, 0] >= heads.thresholds[reader]
            if reader in heads.thresholds
            else none
            for reader in ("crisis", "sensitive", "person")
        )
        return crisis, sensitive, person

    def _scores(
        self, task: str, texts: Sequence[str], vectors: Vectors, inputs: Vectors | None
    ) -> tuple[list[str], Vectors]:
        """One reader's labels and scores: a configured model, else the heads, else prototypes."""
        if task in self.replacements:
            return self.replacements[task].predict_proba(texts)
        if self.heads is not None and inputs is not None:
            if task == "topic":
                return TOPIC_LABELS, self.heads.sigmoid("topic", inputs)
            labels = SENTIMENT_LABELS if task == "sentiment" else EMOTION_LABELS
            return labels, self.heads.softmax(task, inputs)
        if task == "emotion":  # no prototype reader for emotion: no scores
            return [], np.zeros((len(texts), 0), dtype=np.float32)
        assert self.prototypes is not None
        reader = self.prototypes[0] if task == "sentiment" else self.prototypes[1]
        return reader.labels, reader.predict_proba(vectors)


def capped(body: str) -> str:
    """The part of a post the readers see: its first READ_CHARS characters, cut at a space."""
    if len(body) <= READ_CHARS:
        return body
    cut = body[:READ_CHARS]
    space = cut.rfind(" ", READ_CHARS // 2)
    return cut[:space] if space > 0 else cut


def _rounded(scores: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in sorted(scores.items(), key=lambda kv: -kv[1])}


def _emotion(scores: dict[str, float], flags: list[str]) -> str | None:
    """The strongest emotion; for a sensitive post, the strongest that is not a celebration."""
    if "sensitive" in flags:
        excluded = CELEBRATORY_EMOTIONS | (HOPEFUL_EMOTIONS if "crisis" in flags else frozenset())
        scores = {k: v for k, v in scores.items() if k not in excluded} or scores
    return max(scores, key=lambda k: scores[k]) if scores else None


def _adjust_intents(scores: dict[str, float], question: bool, flags: list[str]) -> dict[str, float]:
    """Combine the classifier with what the words say plainly."""
    # Spam and milestones need a plain cue in the words as well as a similar meaning.
    scores["spam"] = scores["spam"] + 1.0 if "spammy" in flags else scores["spam"] * 0.3
    scores["milestone"] *= 1.5 if "milestone_cue" in flags else 0.4
    if "sensitive" in flags:
        # Grief or a crisis is neither an occasion to congratulate nor spam to pass over.
        scores["milestone"] = scores["spam"] = 0.0
    for label in ASKING:
        scores[label] *= 2.0 if question else 0.5
    if "hostile" in flags:
        scores["complaint"] += 0.5
    total = sum(scores.values())
    return {k: v / total for k, v in scores.items()}


def analyse_batch(
    session: Session, *, workspace_id: int, analyzer: Analyzer, limit: int = 256
) -> tuple[int, set[int]]:
    """Read up to `limit` posts not yet read at this model version: (posts read, people)."""
    rows = repository.posts_to_analyse(
        session, workspace_id=workspace_id, model_version=analyzer.model_version, limit=limit
    )
    if not rows:
        return 0, set()
    readings = analyzer.read([r.text for r in rows], [r.lang for r in rows])
    repository.insert_analyses(
        session,
        rows=[
            {
                "workspace_id": workspace_id,
                "post_id": row.id,
                "model_version": analyzer.model_version,
                "language": reading.language,
                "sentiment": reading.sentiment,
                "emotion": reading.emotion,
                "intent": reading.intent,
                "intents": reading.intents,
                "topics": reading.topics,
                "keyphrases": reading.keyphrases,
                "entities": reading.entities,
                "has_question": reading.question,
                "hostile": reading.hostile,
                "flags": reading.flags,
                "embedding": reading.embedding,
            }
            for row, reading in zip(rows, readings, strict=True)
        ],
    )
    session.flush()
    return len(rows), {r.person_id for r in rows}


def analyse_pending(
    session: Session,
    *,
    workspace_id: int,
    analyzer: Analyzer,
    batch_size: int = 256,
    on_batch: Callable[[int], None] | None = None,
) -> set[int]:
    """Read every post not yet read at this model version in one transaction; return the
    people touched. (The daily cycle commits batch by batch instead: `analysis.tasks`.)"""
    touched: set[int] = set()
    while True:
        n, people = analyse_batch(
            session, workspace_id=workspace_id, analyzer=analyzer, limit=batch_size
        )
        if not n:
            break
        touched |= people
        if on_batch:
            on_batch(n)
    log.info("analysis.posts.done", workspace_id=workspace_id, people=len(touched))
    return touched


def _decay(posted_at: datetime, now: datetime) -> float:
    age_days = max((now - posted_at).total_seconds() / 86400, 0.0)
    return float(0.5 ** (age_days / HALF_LIFE_DAYS))


def build_interests(rows: Sequence[Any], *, now: datetime) -> list[dict[str, Any]]:
    """Interests of one person from their readings (newest first): topics, and the things they
    name in two posts or more ("food bank", "grandson", "cycling")."""
    topic_weight: dict[str, float] = defaultdict(float)
    topic_posts: dict[str, list[Any]] = defaultdict(list)
    term_posts: dict[str, list[Any]] = defaultdict(list)
    said_as: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if row.intent == "spam":
            continue
        decay = _decay(row.posted_at, now)
        for label, score in row.topics.items():
            if score >= 0.2 and label not in CATCH_ALL_TOPICS:
                topic_weight[label] += score * decay
                topic_posts[label].append(row)
        for key, surface in _named(row).items():
            term_posts[key].append(row)
            said_as[key][surface] += 1
    interests = []
    for label, weight in sorted(topic_weight.items(), key=lambda kv: -kv[1])[:5]:
        if weight >= 0.3:
            posts = topic_posts[label]
            interests.append(_interest("topic", label, weight, posts))
    recurring = {k: p for k, p in term_posts.items() if len(p) >= 2}
    # A word of a thing they name in full is that thing: "food bank", not "food" and "bank".
    within = {w for key in recurring if " " in key for w in key.split()}
    kept = [
        (sum(_decay(r.posted_at, now) for r in p), k, p)
        for k, p in recurring.items()
        if k not in within
    ]
    kept.sort(key=lambda wkp: (-wkp[0], " " not in wkp[1]))
    for weight, key, posts in kept[:8]:
        interests.append(_interest("keyphrase", said_as[key].most_common(1)[0][0], weight, posts))
    return interests


# The tweet-topic reader's catch-all, true of nearly every post: it tells nothing about them.
CATCH_ALL_TOPICS = frozenset({"diaries_&_daily_life", "other_hobbies"})
# Words that describe rather than name a thing ("a little studio", "small business owners"), or
# name nothing of theirs ("winter's coming", "cycled to work").
DESCRIBING = frozenset(
    """small little big large tiny huge new old quiet simple busy nice cold warm hot early late
    first second third final only same different free cheap easy hard many more most less
    hours hour minutes took liked coming going work""".split()
)
# An -ing word followed by what it acts on is something they did ("running a kiln", "running
# a small business"), not a pastime of theirs ("cycling proficiency badge", "knitting").
AS_VERB = re.compile(
    r"\b(\w+ing)\s+(?:a|an|the|my|our|your|his|her|their|this|that|these|those|some|it|them|"
    r"me|him|us|all|out|up)\b",
    re.I,
)


def _named(row: Any) -> dict[str, str]:
    """The things a post names, from its keyphrases: each word that names something, and each
    pair of such words ("food bank"), keyed without a plural "s" so "food banks" counts too."""
    done = {m.group(1).lower() for m in AS_VERB.finditer(row.text)}
    found: dict[str, str] = {}
    for phrase in row.keyphrases:
        words = [
            w
            for w in phrase.lower().split()
            if len(w) >= 3 and w not in GENERIC and w not in DESCRIBING and not w.isdigit()
        ]
        naming = [
            w
            for w in words
            if len(w) >= 4
            and not w.endswith("ly")
            and not (w.endswith("ed") and len(w) > 5)
            and w not in done
        ]
        for word in naming:
            found.setdefault(_key(word), word)
        if len(words) == len(phrase.split()):
            for pair in zip(words, words[1:], strict=False):
                found.setdefault(" ".join(_key(w) for w in pair), " ".join(pair))
    return found


def _key(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 4 and word[-2] not in "su" else word


def _interest(kind: str, label: str, weight: float, posts: list[Any]) -> dict[str, Any]:
    return {
        "kind": kind,
        "label": label,
        "weight": round(weight, 3),
        "evidence_post_ids": [p.id for p in posts[:3]],
        "last_seen_at": max(p.posted_at for p in posts),
    }


def update_profiles(
    session: Session,
    *,
    workspace_id: int,
    model_version: str,
    person_ids: Sequence[int] | None = None,
    now: datetime | None = None,
) -> int:
    """Rebuild the interests of the given people (default: everyone in the workspace)."""
    now = now or datetime.now(UTC)
    ids = (
        list(person_ids)
        if person_ids is not None
        else repository.all_person_ids(session, workspace_id=workspace_id)
    )
    rows = repository.person_readings(
        session, workspace_id=workspace_id, person_ids=ids, model_version=model_version
    )
    by_person: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_person[row.person_id].append(row)
    rows_out = [
        {**interest, "workspace_id": workspace_id, "person_id": person_id}
        for person_id in ids
        for interest in build_interests(by_person.get(person_id, []), now=now)
    ]
    repository.replace_interests(session, person_ids=ids, rows=rows_out)
    session.flush()
    return len(ids)


def profile(
    session: Session,
    *,
    workspace_id: int,
    handle: str,
    model_version: str | None = None,
    now: datetime | None = None,
) -> ProfileRead:
    """What one person cares about, needs and is going through, with the posts that show it;
    read at `model_version`, or at the newest one stored (no model needs loading)."""
    now = now or datetime.now(UTC)
    if model_version is None:
        model_version = repository.latest_model_version(session, workspace_id=workspace_id) or ""
    person: Person | None = repository.find_person(
        session, workspace_id=workspace_id, handle=handle
    )
    if person is None:
        raise NotFound(f"No person with handle '{handle}' in this workspace.")
    interests = repository.interests_of(session, person_id=person.id)
    evidence_ids = {pid for i in interests for pid in i.evidence_post_ids}
    texts = repository.posts_by_ids(session, ids=list(evidence_ids))
    rows = repository.person_readings(
        session, workspace_id=workspace_id, person_ids=[person.id], model_version=model_version
    )
    recent = [r for r in rows if (now - r.posted_at).days < 7]
    sentiments = Counter(r.sentiment for r in rows)
    languages = Counter(r.language for r in rows if r.language)
    return ProfileRead(
        handle=person.handle,
        platform=person.platform.value,
        display_name=person.display_name,
        posts=len(rows),
        languages=[lang for lang, _ in languages.most_common()],
        typical_sentiment=sentiments.most_common(1)[0][0] if sentiments else None,
        interests=[
            InterestRead(
                kind=i.kind,
                label=i.label,
                weight=i.weight,
                evidence=[texts[p] for p in i.evidence_post_ids if p in texts],
                last_seen_at=i.last_seen_at,
            )
            for i in interests
        ],
        open_needs=[r.text for r in recent if r.intent in ASKING],
        occasions=[r.text for r in recent if r.intent == "milestone" or "sensitive" in r.flags],
    )


def person_history(
    session: Session, *, workspace_id: int, handle: str, posts: int = 50
) -> PersonHistory:
    """A person's interests over time with their evidence posts, and their latest posts."""
    person: Person | None = repository.find_person(
        session, workspace_id=workspace_id, handle=handle
    )
    if person is None:
        raise NotFound(f"No person with handle '{handle}' in this workspace.")
    interests = repository.interests_of(session, person_id=person.id)
    evidence_ids = sorted({pid for i in interests for pid in i.evidence_post_ids})
    briefs = {
        r.id: PostBrief.model_validate(r, from_attributes=True)
        for r in repository.post_briefs(session, ids=evidence_ids, limit=len(evidence_ids) or 1)
    }
    history = []
    for interest in interests:
        evidence = sorted(
            (briefs[p] for p in interest.evidence_post_ids if p in briefs),
            key=lambda b: b.posted_at,
        )
        history.append(
            InterestHistory(
                kind=interest.kind,
                label=interest.label,
                weight=interest.weight,
                first_seen_at=evidence[0].posted_at if evidence else None,
                last_seen_at=interest.last_seen_at,
                evidence=evidence,
            )
        )
    return PersonHistory(
        id=person.id,
        handle=person.handle,
        platform=person.platform.value,
        display_name=person.display_name,
        profile_url=person.profile_url,
        interests=sorted(history, key=lambda i: i.last_seen_at, reverse=True),
        posts=[
            PostBrief.model_validate(r, from_attributes=True)
            for r in repository.post_briefs(session, person_id=person.id, limit=posts)
        ],
    )
