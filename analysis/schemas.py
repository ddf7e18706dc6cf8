"""What the analysis says about a post and about a person."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class PostReading(BaseModel):
    """The analysis of one text."""

    language: str | None
    sentiment: str
    sentiment_scores: dict[str, float]
    emotion: str | None = None
    emotion_scores: dict[str, float] = Field(default_factory=dict)
    intent: str
    intents: dict[str, float]
    topics: dict[str, float]
    keyphrases: list[str]
    entities: list[dict[str, str]]
    question: bool
    hostile: bool
    flags: list[str]
    embedding: list[float] = Field(default_factory=list, exclude=True)


class InterestRead(BaseModel):
    kind: str
    label: str
    weight: float
    evidence: list[str]
    last_seen_at: datetime


class ProfileRead(BaseModel):
    handle: str
    platform: str
    display_name: str
    posts: int
    languages: list[str]
    typical_sentiment: str | None
    interests: list[InterestRead]
    open_needs: list[str]
    occasions: list[str]
