"""`rapport users`, `rapport tokens` and `rapport serve` refusing to serve without sign-in."""

import pytest
from typer.testing import CliRunner

from service.cli import app

runner = CliRunner()


@pytest.fixture
def cli_env(new_database, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: ANN001
    url = new_database()
    monkeypatch.setenv("RAPPORT_DATABASE_URL", url)
    from core.database import open_database, session_scope
    from core.settings import Settings
    from tests.factories import make_workspace

    db = open_database(Settings(_env_file=None))
    with session_scope(db) as session:
        make_workspace(session, name="kims-cafe")
    db.close()
    return url


def _say(result) -> str:  # noqa: ANN001
    return " ".join(result.output.split())


def test_serving_beyond_this_machine_needs_a_user_first(cli_env: str) -> None:
    refused = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--port", "1"])
    assert refused.exit_code == 2
    assert "Refusing to serve on 0.0.0.0: nobody can sign in yet" in _say(refused)
    short = runner.invoke(
        app,
        ["users", "create", "kim@cafe.example", "-w", "kims-cafe", "--password-stdin"],
        input="short\n",
    )
    assert short.exit_code == 1 and "at least 8 characters" in _say(short)
    made = runner.invoke(
        app,
        [
            "users",
            "create",
            "kim@cafe.example",
            "-w",
            "kims-cafe",
            "--role",
            "owner",
            "--password-stdin",
        ],
        input="a long passphrase\n",
    )
    assert made.exit_code == 0, made.output
    assert "User kim@cafe.example created: owner in kims-cafe." in _say(made)
    twice = runner.invoke(
        app, ["users", "create", "KIM@cafe.example", "--password-stdin"], input="a long one\n"
    )
    assert twice.exit_code == 1 and "already exists" in _say(twice)
    listed = runner.invoke(app, ["users", "list"])
    assert "kim@cafe.example" in listed.output and "owner" in listed.output
    bad_role = runner.invoke(
        app, ["users", "grant", "kim@cafe.example", "-w", "kims-cafe", "--role", "admin"]
    )
    assert bad_role.exit_code == 2


def test_tokens_are_shown_once_listed_by_prefix_and_revocable(cli_env: str) -> None:
    made = runner.invoke(
        app, ["tokens", "create", "-w", "kims-cafe", "--name", "zapier", "--role", "reviewer"]
    )
    assert made.exit_code == 0, made.output
    token = made.output.strip().splitlines()[-1]
    assert token.startswith("rap_") and len(token) > 40
    listed = runner.invoke(app, ["tokens", "list", "-w", "kims-cafe"])
    assert "zapier" in listed.output and "reviewer" in listed.output
    assert token not in listed.output and token[:12] in listed.output
    token_id = made.output.split("Token ")[1].split(" ")[0]
    revoked = runner.invoke(app, ["tokens", "revoke", token_id])
    assert revoked.exit_code == 0 and f"Token {token_id} revoked." in _say(revoked)
    assert "never" in runner.invoke(app, ["tokens", "list", "-w", "kims-cafe"]).output
    missing = runner.invoke(app, ["tokens", "revoke", "999999"])
    assert missing.exit_code == 1 and "No API token 999999." in _say(missing)


def test_the_demo_login_signs_in_and_changes_every_run(db) -> None:  # noqa: ANN001
    from core.database import session_scope
    from service.cli.users import demo_login
    from service.users import service as users_service
    from tests.factories import make_workspace

    with session_scope(db) as session:
        make_workspace(session, name="crumb-and-kettle")
    email, first = demo_login(db, "crumb-and-kettle")
    _, second = demo_login(db, "crumb-and-kettle")
    assert first != second
    with session_scope(db) as session:
        assert users_service.authenticate(session, email=email, password=first) is None
        user = users_service.authenticate(session, email=email, password=second)
        assert user is not None
        caller = users_service.caller_for_user(session, user_id=user.id)
        assert [r.value for r in caller.roles.values()] == ["owner"]
