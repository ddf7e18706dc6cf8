"""The workspace file on its own: the schema on disk, names, YAML quirks, errors with paths."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import WorkspaceFileError
from ingest import workspaces
from ingest.schemas import WorkspaceFile, slugify


def test_the_published_schema_is_the_models() -> None:
    on_disk = json.loads(workspaces.SCHEMA_FILE.read_text(encoding="utf-8"))
    assert on_disk == workspaces.json_schema(), (
        "ingest/workspace.schema.json is stale: rapport workspaces schema > "
        "ingest/workspace.schema.json"
    )
    assert on_disk["properties"]["name"]["pattern"]


@pytest.mark.parametrize("name", ["crumb-and-kettle", "a", "cafe-2", "x" * 64])
def test_slugs_are_names(name: str) -> None:
    assert WorkspaceFile(name=name, display_name="Anything & all ☕").name == name


@pytest.mark.parametrize(
    "name", ["Crumb", "crumb and kettle", "-crumb", "crumb-", "café", "", "x" * 65, "a_b"]
)
def test_other_names_get_a_sentence_saying_what_a_name_is(name: str) -> None:
    with pytest.raises(WorkspaceFileError) as caught:
        workspaces.parse(json.dumps({"name": name, "display_name": "Crumb"}))
    assert caught.value.errors == [
        f"name: '{name}' is not a valid name: a workspace name is 1 to 64 lowercase letters, "
        "digits and hyphens, starting and ending with a letter or digit (e.g. "
        "'crumb-and-kettle'); the display name can be anything (line 1)"
    ]


def test_slugify_makes_a_valid_name_from_a_display_name() -> None:
    assert slugify("Crumb & Kettle — Café!") == "crumb-kettle-cafe"
    WorkspaceFile(name=slugify("Crumb & Kettle — Café!"), display_name="x")


def test_yaml_reads_norwegian_and_times_as_written() -> None:
    file = workspaces.parse(
        "name: fjord\ndisplay_name: Fjord\nlanguages: [no, en]\nready_at: 7:30\n"
    )
    assert file.languages == ["no", "en"]
    assert file.ready_at.strftime("%H:%M") == "07:30"


def test_syntax_errors_and_repeated_keys_name_their_line() -> None:
    with pytest.raises(WorkspaceFileError) as bad:
        workspaces.parse("name: a\ndisplay_name: [oops\n")
    assert bad.value.errors[0].startswith("line 3, column 1:")
    with pytest.raises(WorkspaceFileError) as twice:
        workspaces.parse("name: a\ndisplay_name: A\nname: b\n")
    assert twice.value.errors == ["line 3, column 1: 'name' is given twice"]
    with pytest.raises(WorkspaceFileError) as not_a_mapping:
        workspaces.parse("- just\n- a list\n")
    assert not_a_mapping.value.errors[0].startswith("(file): a workspace file is a mapping")


def test_json_errors_name_their_line() -> None:
    with pytest.raises(WorkspaceFileError) as caught:
        workspaces.parse('{"name": "a",\n "display_name": }')
    assert caught.value.errors[0].startswith("line 2, column")


def test_the_diff_says_what_changes_snippet_by_snippet() -> None:
    before = WorkspaceFile(
        name="a",
        display_name="A",
        knowledge=[{"title": "Hours", "text": "9 to 5."}, {"title": "Dogs", "text": "Yes."}],
    )
    after = WorkspaceFile.model_validate(
        before.model_dump()
        | {
            "languages": ["en", "fr"],
            "knowledge": [
                {"title": "Hours", "text": "9 to 6."},
                {"title": "Parking", "text": "Free."},
            ],
        }
    )
    assert [str(c) for c in workspaces.diff(before, after)] == [
        '+ languages: "fr"',
        '- knowledge: "Dogs"',
        '~ knowledge["Hours"].text: "9 to 5." → "9 to 6."',
        '+ knowledge: "Parking"',
    ]
    assert workspaces.diff(after, after) == []


def test_the_morning_queue_starts_half_an_hour_before_local_ready_time() -> None:
    from datetime import UTC, datetime, time, timedelta

    from core.models import Workspace
    from suggest.service import morning_due

    ws = Workspace(name="a", display_name="A", timezone="Europe/London", ready_at=time(7, 0))
    tick = timedelta(minutes=15)

    def due(now: datetime) -> bool:
        return morning_due(ws, since=now - tick, now=now)

    # winter: London is UTC; summer: UTC+1, so the same 06:30 local is 05:30 UTC
    assert due(datetime(2026, 1, 10, 6, 30, tzinfo=UTC))
    assert not due(datetime(2026, 1, 10, 6, 45, tzinfo=UTC))
    assert not due(datetime(2026, 1, 10, 6, 15, tzinfo=UTC))
    assert due(datetime(2026, 7, 10, 5, 30, tzinfo=UTC))
    assert not due(datetime(2026, 7, 10, 6, 30, tzinfo=UTC))
    # every day exactly once across a day of 15-minute ticks
    start = datetime(2026, 3, 29, 0, 0, tzinfo=UTC)  # the clocks go forward in London
    ticks = [start + tick * i for i in range(96)]
    assert [t.strftime("%H:%M") for t in ticks if due(t)] == ["05:30"]


def test_a_nul_character_is_an_error_with_its_path_not_a_failed_write() -> None:
    with pytest.raises(WorkspaceFileError) as caught:
        workspaces.parse(
            json.dumps(
                {"name": "a", "display_name": "A", "knowledge": [{"title": "x", "text": "y\0"}]}
            )
        )
    assert caught.value.errors == ["knowledge[0].text: contains a NUL character (\\u0000)"]


@given(text=st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_text_is_a_workspace_file_or_a_list_of_errors(text: str) -> None:
    file, errors = _outcome(lambda: workspaces.parse(text))
    assert file is not None or (errors and all(isinstance(e, str) and e for e in errors))


def _outcome(read):  # noqa: ANN001, ANN202
    """(the file, None) or (None, its errors): any other exception fails the test."""
    try:
        return read(), None
    except WorkspaceFileError as exc:
        return None, exc.errors


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=20,
)


@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            field: JSON for field in ["name", "display_name", "languages", "timezone", "ready_at"]
        }
        | {"knowledge": st.lists(st.dictionaries(st.sampled_from(["title", "text", "tags"]), JSON))}
        | {"cadence": st.dictionaries(st.sampled_from(["replies_per_day", "x"]), JSON)},
    )
)
@settings(max_examples=300, deadline=None)
def test_any_document_is_valid_or_every_error_has_a_path(data: dict) -> None:
    file, errors = _outcome(lambda: workspaces.validate(data))
    if file is None:
        assert errors and all(": " in e for e in errors)
    else:
        assert workspaces.parse(workspaces.dump(file)) == file
