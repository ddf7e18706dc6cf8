"""Reply memory: start from what the owner actually sent to someone who said something similar.

An approved or edited reply is the owner's own voice. For a new post close to one answered
before (same occasion, sentence embeddings above `SIMILAR`), that reply, with the new person's
name in place of the old one, becomes the first candidate; the guard then checks it against the
new post and the knowledge like any draft, so a fact that no longer holds is never repeated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from core.models import Occasion
from suggest.schemas import RememberedReply
from suggest.wording import first_name

SIMILAR = 0.8


class ReplyMemory:
    def __init__(self, replies: Sequence[RememberedReply]) -> None:
        self.replies = list(replies)
        self.vectors = (
            np.asarray([r.embedding for r in self.replies], dtype=np.float32)
            if self.replies
            else np.zeros((0, 1), dtype=np.float32)
        )

    def recall(
        self, *, occasion: Occasion, embedding: Sequence[float], person_name: str | None
    ) -> tuple[str, RememberedReply] | None:
        """The remembered reply to start from, adapted to this person, or None."""
        if not self.replies or not embedding:
            return None
        sims = self.vectors @ np.asarray(embedding, dtype=np.float32)
        for index in np.argsort(-sims):
            reply = self.replies[int(index)]
            if sims[index] < SIMILAR:
                return None
            if _alike(reply.occasion, occasion):
                return adapt(reply, person_name), reply
        return None


# A question answered from knowledge or by the owner's own words is the same kind of reply.
ANSWERS = {Occasion.ANSWER, Occasion.HELP, Occasion.RECOMMEND, Occasion.KNOWLEDGE_GAP}


def _alike(before: Occasion, now: Occasion) -> bool:
    return before == now or (before in ANSWERS and now in ANSWERS)


def adapt(reply: RememberedReply, person_name: str | None) -> str:
    """The remembered text with the new person's first name in place of the old one."""
    text = reply.text
    old = first_name(reply.person_name)
    if old:
        if person_name:
            text = re.sub(rf"\b{re.escape(old)}\b", person_name, text)
        else:
            text = re.sub(rf",?\s*\b{re.escape(old)}\b,?", "", text).strip()
    return text


def based_on(reply: RememberedReply) -> str:
    when = f" on {reply.decided_at:%d %b}" if reply.decided_at else ""
    return f"Based on your reply to {reply.person_handle}{when}: “{reply.text}”"
