import pytest
from typer.testing import CliRunner

from service.cli import app

runner = CliRunner()


def test_top_level_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in (
        "demo",
        "queue",
        "import",
        "run",
        "serve",
        "people",
        "db",
        "worker",
        "accounts",
        "sync",
        "draft",
        "guard",
        "gaps",
    ):
        assert command in result.output


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["demo", "--help"], "sample workspace"),
        (["queue", "--help"], "pending suggestions"),
        (["import", "--help"], "malformed lines"),
        (["run", "--help"], "Analyse new posts"),
        (["people", "show", "--help"], "cares about"),
        (["db", "upgrade", "--help"], "migrations"),
        (["worker", "--help"], "job worker"),
        (["accounts", "add", "--help"], "encrypted at rest"),
        (["accounts", "reconnect", "--help"], "New credentials"),
        (["sync", "--help"], "progress bar"),
        (["draft", "--help"], "guard verdicts and routes"),
        (["guard", "--help"], "verdict and reasons"),
        (["analyze", "--help"], "sentiment, emotion, intents"),
    ],
)
def test_each_command_says_what_it_does(args: list[str], phrase: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert phrase in " ".join(result.output.split())
