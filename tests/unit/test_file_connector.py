import json
from pathlib import Path

import pytest

from core.errors import ImportFileError
from core.models import Platform
from ingest.connectors import FileConnector

GOOD = {
    "platform": "mastodon",
    "post_id": "1",
    "author_id": "a1",
    "author_handle": "@maria@example.social",
    "author_name": "Maria",
    "text": "Where can I walk my dog?",
    "created_at": "2026-11-20T09:00:00Z",
}


def _posts_and_errors(path: Path) -> tuple[list, list[str]]:
    posts, errors = [], []
    for page in FileConnector(path).pages():
        posts.extend(page.posts)
        errors.extend(page.errors)
    return posts, errors


def test_jsonl_malformed_lines_are_reported_by_number_and_the_rest_kept(tmp_path: Path) -> None:
    lines = [
        json.dumps(GOOD),
        "{not json",
        json.dumps({**GOOD, "post_id": "2", "created_at": "yesterday-ish"}),
        json.dumps({**GOOD, "post_id": "3", "platform": "myspace"}),
        "",
        json.dumps({**GOOD, "post_id": "4", "text": ""}),
        json.dumps({**GOOD, "post_id": "5", "mentions_business": True}),
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")

    posts, errors = _posts_and_errors(path)

    assert [p.external_id for p in posts] == ["1", "5"]
    assert [e.split(":")[0] for e in errors] == ["line 2", "line 3", "line 4", "line 6"]
    assert "created_at" in errors[1]
    assert "platform" in errors[2]
    assert posts[1].summons_business is True
    assert posts[0].author.handle == "maria@example.social"
    assert posts[0].posted_at.tzinfo is not None


def test_csv_with_optional_columns_left_empty(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "platform,post_id,author_id,author_handle,author_name,text,created_at,lang,"
        "mentions_business,author_bot\n"
        'x,10,u1,jamie,Jamie,"Open on Sundays, @shop?",2026-11-20 08:00:00,,true,\n'
        "bluesky,11,u2,kim.bsky.social,Kim,Lovely morning,2026-11-20T08:00:00+01:00,en,,true\n"
        "x,12,u3\n",
        encoding="utf-8",
    )

    posts, errors = _posts_and_errors(path)

    assert [p.platform for p in posts] == [Platform.X, Platform.BLUESKY]
    assert posts[0].text == "Open on Sundays, @shop?"
    assert posts[0].summons_business is True and posts[0].lang is None
    assert posts[1].author.flags == {"bot": True}
    assert len(errors) == 1 and errors[0].startswith("line 4:")


def test_unknown_file_type_says_what_to_use(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(ImportFileError, match=r"\.jsonl .*\.csv"):
        list(FileConnector(path).pages())


def test_bundled_sample_is_valid_and_varied(sample_path: Path) -> None:
    posts, errors = _posts_and_errors(sample_path)
    assert errors == []
    assert len(posts) >= 350
    assert len({p.author.external_id for p in posts}) == 40
    assert {p.platform for p in posts} >= {Platform.MASTODON, Platform.X, Platform.BLUESKY}
    days = {p.posted_at.date() for p in posts}
    assert len(days) == 14
