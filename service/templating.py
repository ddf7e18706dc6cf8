"""The Jinja environment every page shares: one place for filters and globals (CSRF field)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape

from analysis.labels import label_name
from service import auth

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["label"] = label_name
# What each kind of card asks of the reviewer, in a few words.
templates.env.globals["card_kinds"] = {
    "crisis": "Possible crisis: reach out yourself today, gently; see the note below",
    "personal_note": "Grief or illness: a personal note from you, no draft",
    "knowledge_gap": "Asked something your knowledge doesn't cover",
    "other_language": "Another language: reply yourself",
    "needs_person": "Needs your decision",
}

# How a platform is named to people ("posted to Bluesky by Rapport").
templates.env.globals["platform_names"] = {
    "x": "X",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "file": "the imported platform",
}


@pass_context
def csrf_field(context: Any) -> Markup:
    """The hidden CSRF input every form carries: `{{ csrf_field() }}` inside the <form>."""
    token = auth.csrf_token(context["request"])
    return Markup(f'<input type="hidden" name="csrf_token" value="{escape(token)}">')


@pass_context
def csrf_value(context: Any) -> str:
    return auth.csrf_token(context["request"])


templates.env.globals["csrf_field"] = csrf_field
templates.env.globals["csrf_token"] = csrf_value
