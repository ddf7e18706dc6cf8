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


class PostBrief(BaseModel):
    id: int
    text: str
    posted_at: datetime
    url: str | None


class InterestHistory(BaseModel):
    """An interest with the dated posts that show it, oldest first."""

    kind: str
    label: str
    weight: float
    first_seen_at: datetime | None
    last_seen_at: datetime
    evidence: list[PostBrief]


class PersonHistory(BaseModel):
    """One person over time: what they care about (with evidence) and what they posted."""

    id: int
    handle: str
    platform: str
    display_name: str
    profile_url: str | None
    interests: list[InterestHistory]
    posts: list[PostBrief]
