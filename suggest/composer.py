"""The `composer` drafting backend: no model needed.

It builds a reply from the occasion, the person's own words and the workspace's knowledge.
Every fact in a draft comes from the post or a knowledge snippet; the phrasing varies with
the post so that a morning's queue does not read like a form letter.
"""

from __future__ import annotations

import hashlib
import re

from pydantic import BaseModel

VERSION = "composer-1"

OPENERS = {
    "answer": [
        "Good question{name}!",
        "Hi{name}, happy to help.",
        "Hi{name}, here is what tends to help.",
    ],
    "recommend": ["Hi{name}!", "Ooh, good one{name}.", "Happy to share an idea{name}."],
    "help": [
        "Sorry you're dealing with that{name}.",
        "That sounds frustrating{name}.",
        "Oh no{name}, that's annoying.",
    ],
    "ask": ["Good question{name}.", "Hi{name}!", "Interesting one{name}."],
    "congratulate": [
        "Congratulations{name}!",
        "That's brilliant news{name}, congratulations!",
        "Huge congratulations{name}!",
    ],
    "empathise": [
        "Sorry to hear that{name}.",
        "That sounds really tough{name}.",
        "Oh{name}, that sounds hard.",
    ],
}

FOLLOW_UPS = {
    "answer": [
        "Does that match what you're seeing?",
        "How are you getting on with it so far?",
        "Let us know how it goes for you!",
    ],
    "recommend": [
        "What matters most to you in a spot like that?",
        "Is that the sort of thing you're after?",
        "What would make it perfect for you?",
    ],
    "help": [
        "What have you tried so far?",
        "Does that help with what you're seeing?",
        "If you tell us a bit more about your method, we'll happily think it through with you.",
    ],
    "ask": [
        "What matters most to you in it? Happy to think it through with you.",
        "What have you tried or looked at so far?",
        "What would help you most right now?",
    ],
    "congratulate": [
        "How are you going to celebrate?",
        "What are you most looking forward to now?",
        "What was the hardest part of getting there?",
    ],
    "empathise": [
        "Is there anything that would make the week a bit easier for you?",
        "Hope things look up for you soon. How are you holding up?",
        "Hope the rest of your week is kinder to you.",
    ],
}


class DraftRequest(BaseModel):
    """Everything the composer may use."""

    occasion: str
    post_external_id: str
    person_name: str | None = None
    keyphrases: list[str] = []
    knowledge: list[str] = []
    post_text: str = ""
    interests: list[str] = []
    business_name: str = ""
    voice: str = ""


def _pick(options: list[str], seed: str, offset: int) -> str:
    digest = int(hashlib.sha256(seed.encode()).hexdigest(), 16)
    return options[(digest + offset) % len(options)]


def first_name(display_name: str) -> str | None:
    """A first name worth greeting by, or None for brand-like or empty display names."""
    token = (display_name or "").split(" ")[0]
    if re.fullmatch(r"[A-Z][a-zà-ÿ'’-]{1,20}", token):
        return token
    return None


def compose(request: DraftRequest, *, max_chars: int) -> list[str]:
    """Candidate replies, best first; each fits in max_chars when it can."""
    occasion = request.occasion
    name = f", {request.person_name}" if request.person_name else ""
    phrase = request.keyphrases[0] if request.keyphrases else "it"
    # Facts belong in answers; a congratulation or a question stays about the person.
    fact = " ".join(request.knowledge[:1]) if occasion in ("answer", "recommend", "help") else ""
    candidates: list[str] = []
    for offset in range(3):
        opener = _pick(OPENERS[occasion], request.post_external_id, offset).format(name=name)
        follow = _pick(FOLLOW_UPS[occasion], request.post_external_id + "f", offset).format(
            phrase=phrase
        )
        parts = [opener, fact, follow] if fact else [opener, follow]
        draft = " ".join(p for p in parts if p)
        if len(draft) > max_chars and fact:
            draft = f"{opener} {fact}"
        if len(draft) > max_chars and fact:
            draft = fact
        if draft not in candidates:
            candidates.append(draft)
    return candidates
