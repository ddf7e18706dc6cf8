"""Setting up a business from the command line: create, export, apply, knowledge."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.service import SAMPLE_WORKSPACE
from service.cli import app

runner = CliRunner()


@pytest.fixture
def cli_env(new_database, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: ANN001
    url = new_database()
    monkeypatch.setenv("RAPPORT_DATABASE_URL", url)
    return url


def _ok(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output


def test_export_create_export_gives_the_same_file(cli_env: str, tmp_path: Path) -> None:
    _ok(["workspaces", "create", "crumb-and-kettle", "--from", str(SAMPLE_WORKSPACE)])
    exported = _ok(["workspaces", "export", "crumb-and-kettle"])
    assert exported == SAMPLE_WORKSPACE.read_text(encoding="utf-8")
    (tmp_path / "business.yaml").write_text(exported, encoding="utf-8")

    # A copy under another name is another business with the same description.
    _ok(["workspaces", "create", "leith-copy", "--from", str(tmp_path / "business.yaml")])
    copy = _ok(["workspaces", "export", "leith-copy"])
    assert copy == exported.replace("name: crumb-and-kettle", "name: leith-copy")
    as_json = _ok(["workspaces", "export", "leith-copy", "--json"])
    (tmp_path / "business.json").write_text(as_json, encoding="utf-8")
    _ok(["workspaces", "create", "json-copy", "--from", str(tmp_path / "business.json")])
    assert _ok(["workspaces", "export", "json-copy"]) == copy.replace("leith-copy", "json-copy")


def test_a_bad_file_gets_every_error_with_its_path_and_creates_nothing(
    cli_env: str, tmp_path: Path
) -> None:
    path = tmp_path / "business.yaml"
    path.write_text(
        "name: honeycrumb\n"
        "display_name: Honeycrumb\n"
        "languages: [en, english]\n"
        "timezone: Europe/Edinbrugh\n"
        "ready_at: 7:30\n"
        "cadence:\n"
        "  replies_per_day: 0\n"
        "own_products: [Honey Loaf]\n"
        "knowledge:\n"
        "  - title: Opening hours\n"
        "    text: Open every day.\n"
        "  - title: Parking\n"
        "  - title: opening hours\n"
        "    text: Again.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["workspaces", "create", "honeycrumb", "--from", str(path)])
    output = " ".join(result.output.split())
    assert result.exit_code == 1
    assert "6 errors; nothing changed" in output
    for line in (
        "languages[1]: 'english' is not a language code",
        "timezone: 'Europe/Edinbrugh' is not a time zone",
        "cadence.replies_per_day: Input should be greater than or equal to 1 (line 7)",
        "own_products: not a field of a workspace file; did you mean 'products'? (line 8)",
        "knowledge[1].text: Field required (line 12)",
        "knowledge[2].title: 'opening hours' is already the title of knowledge[0]",
    ):
        assert line in output
    # 7:30 unquoted is a time (YAML 1.1 would read the number 450)
    assert "ready_at" not in output
    assert "No workspace named 'honeycrumb'" in " ".join(
        runner.invoke(app, ["workspaces", "export", "honeycrumb"]).output.split()
    )


def test_names_are_slugs_with_a_clear_error_and_display_names_are_free(cli_env: str) -> None:
    result = runner.invoke(app, ["workspaces", "create", "Honey Crumb"])
    assert result.exit_code == 2
    assert "'Honey Crumb' is not a valid name" in " ".join(result.output.split())
    _ok(["workspaces", "create", "honey-crumb", "--display-name", "Honey & Crumb — Café ☕"])
    assert "display_name: Honey & Crumb — Café ☕" in _ok(["workspaces", "export", "honey-crumb"])
    taken = runner.invoke(app, ["workspaces", "create", "honey-crumb"])
    assert taken.exit_code == 1
    assert "already exists" in taken.output


def test_apply_shows_the_changes_then_makes_them(cli_env: str, tmp_path: Path) -> None:
    _ok(["workspaces", "create", "crumb-and-kettle", "--from", str(SAMPLE_WORKSPACE)])
    text = SAMPLE_WORKSPACE.read_text(encoding="utf-8")
    changed = (
        text.replace("display_name: Crumb & Kettle", "display_name: Crumb and Kettle")
        .replace("  replies_per_day: 60", "  replies_per_day: 25")
        .replace("- use code\n", "- use code\n- act now\n")
        .replace("closed on Mondays.", "closed on Mondays and Tuesdays.")
    )
    changed += "- title: Vegan options\n  text: Every loaf is vegan except the brioche.\n"
    path = tmp_path / "business.yaml"
    path.write_text(changed, encoding="utf-8")

    dry = " ".join(_ok(["workspaces", "apply", "crumb-and-kettle", str(path), "--dry-run"]).split())
    for line in (
        '~ display_name: "Crumb & Kettle" → "Crumb and Kettle"',
        "~ cadence.replies_per_day: 60 → 25",
        '+ banned_phrases: "act now"',
        '~ knowledge["Opening hours"].text:',
        '+ knowledge: "Vegan options"',
        "5 changes; nothing applied",
    ):
        assert line in dry
    assert _ok(["workspaces", "export", "crumb-and-kettle"]) == text

    assert "Applied 5 changes" in _ok(["workspaces", "apply", "crumb-and-kettle", str(path)])
    after = _ok(["workspaces", "export", "crumb-and-kettle"])
    assert "replies_per_day: 25" in after and "Vegan options" in after
    # Rich wraps long paths at the terminal's width: read the words, not the lines.
    again = " ".join(_ok(["workspaces", "apply", "crumb-and-kettle", str(path)]).split())
    assert "nothing to change" in again


def test_knowledge_commands(cli_env: str) -> None:
    _ok(["workspaces", "create", "honeycrumb"])
    w = ["--workspace", "honeycrumb"]
    _ok(["workspaces", "knowledge", "add", *w, "--title", "Parking", "--text", "Free after 6pm."])
    _ok(
        [
            "workspaces", "knowledge", "add", *w, "--title", "Dogs",
            "--text", "Dogs are welcome inside.", "--tag", "visiting",
        ]
    )  # fmt: skip
    twice = runner.invoke(
        app, ["workspaces", "knowledge", "add", *w, "--title", "dogs", "--text", "x"]
    )
    assert twice.exit_code == 1 and "already exists" in twice.output
    blank = runner.invoke(app, ["workspaces", "knowledge", "add", *w, "--title", " ", "--text", ""])
    assert blank.exit_code == 1
    assert "title: must not be blank" in blank.output and "text:" in blank.output

    found = _ok(["workspaces", "knowledge", "search", "welcome dogs", *w])
    assert "Dogs are welcome inside." in found and "Parking" not in found
    _ok(["workspaces", "knowledge", "edit", "parking", *w, "--text", "Free after 18:00."])
    assert "Free after 18:00." in _ok(["workspaces", "knowledge", "list", *w])
    _ok(["workspaces", "knowledge", "remove", "Dogs", *w])
    listed = _ok(["workspaces", "knowledge", "list", *w])
    assert "Dogs" not in listed and "Parking" in listed
    missing = runner.invoke(app, ["workspaces", "knowledge", "remove", "Dogs", *w])
    assert missing.exit_code == 1 and "No knowledge snippet titled 'Dogs'" in missing.output


def test_the_schema_command_prints_the_published_schema(cli_env: str) -> None:
    from ingest.workspaces import SCHEMA_FILE

    assert _ok(["workspaces", "schema"]) == SCHEMA_FILE.read_text(encoding="utf-8")


def test_importing_a_workspace_file_as_posts_says_what_to_run(cli_env: str, tmp_path: Path) -> None:
    _ok(["workspaces", "create", "honeycrumb"])
    for name in ("business.yaml", "business.json"):
        path = tmp_path / name
        path.write_text(
            _ok(["workspaces", "export", "honeycrumb"] + (["--json"] if "json" in name else [])),
            encoding="utf-8",
        )
        result = runner.invoke(app, ["import", str(path), "--workspace", "honeycrumb"])
        output = " ".join(result.output.split())
        assert result.exit_code == 1
        assert f"{name} is a workspace file" in output
        assert f"rapport workspaces apply NAME {name}" in output
