"""Import never loses a good line: bad bytes, encodings, NULs and broken quotes cost one line."""

import csv
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.errors import ImportFileError
from ingest.connectors import FileConnector

FIELDS = ["platform", "post_id", "author_id", "author_handle", "text", "created_at"]


def good(i: int, text: str = "Where can I walk my dog?") -> dict:
    return {
        "platform": "mastodon",
        "post_id": f"p{i}",
        "author_id": f"a{i % 7}",
        "author_handle": f"person{i % 7}@example.social",
        "text": text,
        "created_at": "2026-11-20T09:00:00Z",
    }


def read(path: Path) -> tuple[dict[str, str], list[str]]:
    posts, errors = {}, []
    for page in FileConnector(path).pages():
        posts.update({p.external_id: p.text for p in page.posts})
        errors.extend(page.errors)
    return posts, errors


def csv_line(row: dict) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([row[f] for f in FIELDS])
    return out.getvalue().encode("utf-8")


def test_a_nul_byte_is_dropped_and_all_100_lines_are_stored(tmp_path: Path) -> None:
    lines = [json.dumps(good(i)).encode() for i in range(100)]
    lines[41] = lines[41].replace(b"walk", b"wa\x00lk")
    path = tmp_path / "export.jsonl"
    path.write_bytes(b"\n".join(lines))

    posts, errors = read(path)

    assert errors == []
    assert len(posts) == 100 and posts["p41"] == "Where can I walk my dog?"


def test_an_escaped_nul_or_lone_surrogate_inside_json_is_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(
        json.dumps(good(1, "caf\u0000e")) + "\n" + json.dumps(good(2)).replace("dog", "\\ud800"),
        encoding="utf-8",
    )
    posts, errors = read(path)
    assert errors == [] and posts == {"p1": "cafe", "p2": "Where can I walk my \ufffd?"}


def test_a_latin1_byte_costs_its_line_only_with_the_right_number(tmp_path: Path) -> None:
    lines = [json.dumps(good(i)).encode() for i in range(5)]
    lines[2] = json.dumps(good(2, "Caf\u00e9 au lait"), ensure_ascii=False).encode("latin-1")
    path = tmp_path / "export.jsonl"
    path.write_bytes(b"\n".join(lines))

    posts, errors = read(path)

    assert sorted(posts) == ["p0", "p1", "p3", "p4"]
    assert len(errors) == 1 and errors[0].startswith("line 3: not UTF-8 (byte 0xe9")


def test_a_latin1_csv_keeps_its_ascii_lines_and_names_the_others(tmp_path: Path) -> None:
    header = ",".join(FIELDS).encode() + b"\n"
    rows = [csv_line(good(0)), csv_line(good(1, "Cr\u00e8me br\u00fbl\u00e9e?")), csv_line(good(2))]
    path = tmp_path / "export.csv"
    path.write_bytes(header + b"".join(r.decode().encode("latin-1") for r in rows))

    posts, errors = read(path)

    assert sorted(posts) == ["p0", "p2"]
    assert [e.split(":")[0] for e in errors] == ["line 3"]


def test_an_unclosed_quote_does_not_swallow_the_next_valid_line(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        ",".join(FIELDS) + "\n"
        'mastodon,p1,a1,maria,"Open on Sunday?,2026-11-20T09:00:00Z\n'
        "mastodon,p2,a2,tam,Flat loaf again,2026-11-20T09:00:00Z\n"
        'mastodon,p3,a3,kez,"Two lines,\nin one text",2026-11-20T09:00:00Z\n'
        "mastodon,p4,a4,ali,Last one,2026-11-20T09:00:00Z\n",
        encoding="utf-8",
    )

    posts, errors = read(path)

    assert posts == {"p2": "Flat loaf again", "p3": "Two lines,\nin one text", "p4": "Last one"}
    assert errors == ["line 2: a quote opened on this line is never closed"]


def test_an_unclosed_quote_on_the_last_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        ",".join(FIELDS) + '\nmastodon,p1,a1,maria,ok,2026-11-20T09:00:00Z\nmastodon,p2,a2,"oops\n',
        encoding="utf-8",
    )
    posts, errors = read(path)
    assert list(posts) == ["p1"] and errors == [
        "line 3: a quote opened on this line is never closed"
    ]


def test_a_huge_text_field_is_stored_whole(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    huge = "rye " * 300_000
    path.write_bytes(",".join(FIELDS).encode() + b"\n" + csv_line(good(1, huge)))
    posts, errors = read(path)
    assert errors == [] and posts["p1"] == huge.strip()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"PK\x03\x04" + bytes(range(256)) * 4, "ZIP archive"),
        (bytes(range(256)) * 40, "not a text file"),
        (b"\x00\x00\x00", "empty"),
        (b"", "empty"),
    ],
)
def test_a_file_that_is_not_text_is_refused_in_one_sentence(
    tmp_path: Path, content: bytes, said: str
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=said) as exc:
        read(path)
    assert str(exc.value).count(". ") == 0 and str(exc.value).endswith(".")


def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(("\n".join(json.dumps(good(i)) for i in range(3))).encode("utf-16"))
    posts, errors = read(path)
    assert errors == [] and sorted(posts) == ["p0", "p1", "p2"]


# --- properties: whatever the bad lines are, no exception and no good line lost ---------------

TEXTS = st.text(
    alphabet=st.characters(
        blacklist_categories=["Cs"],
        blacklist_characters="\x00\r\n\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029",
    ),
    min_size=1,
    max_size=300,
).filter(lambda t: t.strip() != "")
BAD_LINES = st.one_of(
    st.binary(max_size=60).map(lambda b: b.replace(b"\n", b"")),
    st.just(b'"unclosed quote, here'),
    st.just(b'mastodon,px,ax,h,"half'),
    st.text(max_size=40).map(lambda t: t.replace("\n", "").encode("latin-1", "replace")),
    st.binary(max_size=20).map(lambda b: b"\xff\xfe" + b.replace(b"\n", b"")),
)
SETTINGS = settings(
    max_examples=int(os.environ.get("RAPPORT_HYPOTHESIS_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _mixed(goods: list[bytes], bads: list[bytes], where: list[int]) -> bytes:
    lines = list(goods)
    for bad, at in zip(bads, where, strict=False):
        lines.insert(at % (len(lines) + 1), bad)
    return b"\n".join(lines) + b"\n"


@SETTINGS
@given(
    texts=st.lists(TEXTS, min_size=1, max_size=15),
    bads=st.lists(BAD_LINES, max_size=8),
    where=st.lists(st.integers(min_value=0), min_size=8, max_size=8),
    nul_at=st.integers(min_value=0),
)
def test_jsonl_with_bad_lines_never_fails_and_never_loses_a_good_line(
    tmp_path_factory: pytest.TempPathFactory, texts, bads, where, nul_at
) -> None:
    goods = [json.dumps(good(i, t), ensure_ascii=False).encode() for i, t in enumerate(texts)]
    data = _mixed(goods, bads, where)
    data = data[: nul_at % len(data)] + b"\x00" + data[nul_at % len(data) :]
    path = tmp_path_factory.mktemp("jsonl") / "export.jsonl"
    path.write_bytes(data)

    try:
        posts, _ = read(path)
    except ImportFileError:
        event("refused as not text")
        return  # the whole file was judged not text: refused in one sentence, nothing half-read
    for i, text in enumerate(texts):
        assert posts.get(f"p{i}") == text.strip()


@SETTINGS
@given(
    texts=st.lists(TEXTS, min_size=1, max_size=15),
    bads=st.lists(BAD_LINES, max_size=8),
    where=st.lists(st.integers(min_value=0), min_size=8, max_size=8),
)
def test_csv_with_bad_lines_never_fails_and_never_loses_a_good_line(
    tmp_path_factory: pytest.TempPathFactory, texts, bads, where
) -> None:
    goods = [csv_line(good(i, t)).rstrip(b"\n") for i, t in enumerate(texts)]
    data = ",".join(FIELDS).encode() + b"\n" + _mixed(goods, bads, where)
    path = tmp_path_factory.mktemp("csv") / "export.csv"
    path.write_bytes(data)

    try:
        posts, _ = read(path)
    except ImportFileError:
        event("refused as not text")
        return
    for i, text in enumerate(texts):
        assert posts.get(f"p{i}") == text.strip()


@SETTINGS
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".jsonl", ".csv"]))
def test_random_bytes_are_refused_or_reported_never_an_unhandled_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("random") / f"export{suffix}"
    path.write_bytes(data)
    try:
        read(path)
    except ImportFileError as exc:
        message = str(exc)
    else:
        message = "read."
    assert message.endswith(".")  # a sentence, not a traceback


@SETTINGS
@given(
    texts=st.lists(TEXTS, min_size=1, max_size=10),
    codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252", "mac_roman"]),
    suffix=st.sampled_from([".jsonl", ".csv"]),
)
def test_a_file_in_any_encoding_is_read_or_refused_and_utf_files_lose_nothing(
    tmp_path_factory: pytest.TempPathFactory, texts, codec: str, suffix: str
) -> None:
    if suffix == ".jsonl":
        lines = [json.dumps(good(i, t), ensure_ascii=False) for i, t in enumerate(texts)]
        body = "\n".join(lines) + "\n"
    else:
        body = (
            ",".join(FIELDS)
            + "\n"
            + "".join(csv_line(good(i, t)).decode() for i, t in enumerate(texts))
        )
    path = tmp_path_factory.mktemp("codec") / f"export{suffix}"
    path.write_bytes(body.encode(codec, errors="replace"))

    try:
        posts, errors = read(path)
    except ImportFileError:
        event("refused as not text")
        assert codec not in ("utf-8", "utf-8-sig", "utf-16")
        return
    if codec in ("utf-8", "utf-8-sig", "utf-16"):
        assert errors == []
        for i, text in enumerate(texts):
            assert posts.get(f"p{i}") == text.strip()
    else:  # a line is stored as written or reported by number, never silently lost
        numbers = {int(e.split(":")[0].removeprefix("line ")) for e in errors}
        assert len(posts) + len(numbers) >= len(texts)
