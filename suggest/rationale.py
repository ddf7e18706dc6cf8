"""Why a card is in the queue, in plain words: what the post is, what is suggested, and what
the owner should know before answering."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from core.models import Occasion
from suggest.schemas import Candidate
from suggest.selection import Plan

# A post to the business unanswered this long says so on its card.
WAITING_DAYS = 2
WHY = {
    Occasion.ANSWER: "answer their question from what you know",
    Occasion.RECOMMEND: "share the recommendation they asked for, from what you know",
    Occasion.HELP: "help with the problem they describe, from what you know",
    Occasion.CONGRATULATE: "congratulate them on what they did",
    Occasion.CELEBRATE_OUTCOME: "good news after a worry: be glad with them",
    Occasion.EMPATHISE: "a hard moment, said plainly: a kind word",
    Occasion.THANKS: "they thanked or praised you: thank them warmly",
    Occasion.COMPLAINT: "a complaint to you: own it, apologise, offer to put it right",
    Occasion.PERSONAL_NOTE: (
        "grief or serious illness: write a short personal note yourself, gently; "
        "no advice, nothing about the business"
    ),
    Occasion.CRISIS: (
        "this post may be about self-harm or suicide. A person should reach out today, "
        "gently and directly, and point to local crisis lines (UK: Samaritans 116 123, any time; "
        "emergency 999). No draft is suggested"
    ),
    # (what the post is, WHAT below, is said first: the suggestion does not say it again)
    Occasion.KNOWLEDGE_GAP: (
        "answer it yourself, and if you'll be asked it again, save the answer as knowledge so "
        "the next draft can use it"
    ),
    Occasion.OTHER_LANGUAGE: "a reply from you, in their language if you can",
    Occasion.NEEDS_PERSON: "write it yourself, or leave it",
}
HEALTH = re.compile(
    r"\b(digest\w*|allerg\w*|coeliac|celiac|intoleran\w*|gut|bloat\w*|diabet\w*|"
    r"blood sugar|pregnan\w*|medic\w*|health\w*|ibs|fodmap|calories?)\b",
    re.I,
)
# What the post is, by occasion: the intent reader's words can mislabel a success or a loss.
WHAT = {
    Occasion.ANSWER: "asked a question",
    Occasion.RECOMMEND: "asked for a recommendation",
    Occasion.HELP: "described a problem",
    Occasion.CONGRATULATE: "shared an achievement or a milestone",
    Occasion.CELEBRATE_OUTCOME: "shared good news after a worry",
    Occasion.EMPATHISE: "described a hard moment",
    Occasion.THANKS: "thanked or praised the business",
    Occasion.COMPLAINT: "complained to the business",
    Occasion.PERSONAL_NOTE: "wrote about grief or serious illness",
    Occasion.CRISIS: "wrote something that may be about self-harm or suicide",
    Occasion.KNOWLEDGE_GAP: "asked something your knowledge doesn't cover",
    Occasion.OTHER_LANGUAGE: "wrote in another language",
    Occasion.NEEDS_PERSON: "needs a reply in your own words",
}


def quoted(post: Candidate) -> str:
    return f"“{post.text}” ({post.posted_at:%a %d %b})"


def explain(
    plan_in: Plan, interests: Sequence[str], memory_note: str = "", *, now: datetime | None = None
) -> str:
    """Why this card is in the queue, in plain words."""
    post, occasion = plan_in.post, plan_in.occasion
    who = post.display_name or post.handle
    first = f"{who} {WHAT[occasion]}"
    if post.summons_business and occasion != Occasion.NEEDS_PERSON:
        first += ", mentioning the business"
    parts = [f"{first}.", f"Suggested: {WHY[occasion]}."]
    waiting = (now - post.posted_at).days if now else 0
    # (not to someone hostile: waiting is no reason to answer "rip-off merchants")
    if plan_in.addressed and waiting >= WAITING_DAYS and "hostile" not in post.flags:
        # ("sofia_bakes asked four days ago whether you have gluten-free bread": first, then)
        parts.append(f"They wrote to you {waiting} days ago and are still waiting for a reply.")
    if plan_in.note:
        parts.append(plan_in.note)
    if plan_in.moment.what_happened is not None and occasion.is_card:
        parts.append(f"What they are going through: {quoted(plan_in.moment.what_happened)}.")
    if plan_in.moment.earlier is not None:
        parts.append(f"It follows their earlier post {quoted(plan_in.moment.earlier)}.")
    elif plan_in.moment.overtaken:
        parts.append(
            f"It moves on from their earlier post {quoted(plan_in.moment.overtaken[-1])}, "
            "which gets no card."
        )
    elif plan_in.moment.context and occasion.is_card:
        # What they asked before says most about what they need ("a local baker to talk to my
        # class?", before a recipe for 28 children); else what they wrote last.
        questions = [p for p in plan_in.moment.context if p.has_question]
        if questions:
            parts.append(f"Before this they asked {quoted(questions[-1])}.")
        else:
            parts.append(f"Before this they wrote {quoted(plan_in.moment.context[-1])}.")
    if plan_in.moment.celebrating is not None:
        parts.append(f"What they are celebrating: {quoted(plan_in.moment.celebrating)}.")
    if occasion == Occasion.KNOWLEDGE_GAP and HEALTH.search(post.text):
        parts.append(
            "A health question: answer only what you know for sure, make no health claims, "
            "and think twice before saving it as knowledge."
        )
    if occasion == Occasion.KNOWLEDGE_GAP and plan_in.need.question:
        question = plan_in.need.question
        if len(question.split()) < 6:
            question = post.text
        parts.append(f"The question: “{question}”")
    if plan_in.need.constraints and plan_in.matches:
        parts.append("They already said what matters: " + ", ".join(plan_in.need.constraints) + ".")
    for match in plan_in.matches:
        parts.append(f"Uses “{match.snippet.title}” (match {match.score:.2f}).")
    if plan_in.also is not None:
        parts.append(f"It also celebrates their news {quoted(plan_in.also.post)}.")
    if memory_note:
        parts.append(memory_note)
    if interests and occasion not in (Occasion.PERSONAL_NOTE, Occasion.CRISIS):
        parts.append("They care about: " + ", ".join(interests) + ".")
    return " ".join(parts)
