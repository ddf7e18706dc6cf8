"""Two people editing the knowledge at once: neither edit is lost, and an edit made from a
version someone else has changed since is a 409 that keeps what was typed.

The threaded tests use their own database (not the rolled-back test transaction): the editors
must be separate connections committing for real, as two web requests are.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from core.database import Database, open_database, session_scope
from core.errors import StaleVersion
from core.settings import Settings
from ingest import knowledge, repository, workspaces
from ingest.schemas import KnowledgeSnippet
from service.app import create_app
from tests.factories import make_member, make_user, make_workspace
from tests.signin import sign_in

HOURS = {"title": "Hours", "text": "Open 8 to 4.", "tags": []}
DOGS = {"title": "Dogs", "text": "Dogs welcome on the terrace.", "tags": ["about-us"]}
HOLD = 0.3  # how long the first editor keeps its transaction open after writing


@pytest.fixture
def shared_db(new_database) -> Iterator[Database]:  # noqa: ANN001
    db = open_database(Settings(_env_file=None, database_url=new_database()))
    with session_scope(db) as session:
        make_workspace(session, name="honey", knowledge=[HOURS, DOGS])
    yield db
    db.close()


def _two_editors(
    db: Database, first: Callable[..., object], second: Callable[..., object]
) -> list[BaseException]:
    """Both load the workspace (as a request's access check does) before either writes; the
    first writes and holds its transaction open a moment, the second writes meanwhile."""
    loaded = threading.Barrier(2)
    errors: list[BaseException] = []

    def editor(edit: Callable[..., object], delay: float, hold: float) -> None:
        try:
            with session_scope(db) as session:
                workspace = repository.get_workspace(session, name="honey")
                assert workspace is not None and workspace.knowledge
                loaded.wait(timeout=10)
                time.sleep(delay)
                edit(session, workspace)
                time.sleep(hold)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)

    threads = [
        threading.Thread(target=editor, args=(first, 0.0, HOLD)),
        threading.Thread(target=editor, args=(second, HOLD / 3, 0.0)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return errors


def _wait_for_a_lock_wait(db: Database, timeout: float = 10) -> None:
    """Until another connection waits for a lock in this database."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + timeout
    with db.engine.connect() as conn:
        while not conn.execute(query).scalar() and time.monotonic() < deadline:
            conn.rollback()
            time.sleep(0.02)


def _stored(db: Database) -> dict[str, str]:
    with session_scope(db) as session:
        workspace = repository.get_workspace(session, name="honey")
        assert workspace is not None
        return {k["title"]: k["text"] for k in workspace.knowledge}


def test_two_people_editing_two_snippets_at_once_both_keep_their_edit(
    shared_db: Database,
) -> None:
    def edit_hours(session, workspace) -> None:  # noqa: ANN001
        new = KnowledgeSnippet(title="Hours", text="Open 9 to 5 from December.")
        knowledge.edit(session, workspace=workspace, title="Hours", snippet_in=new)

    def edit_dogs(session, workspace) -> None:  # noqa: ANN001
        new = KnowledgeSnippet(title="Dogs", text="Dogs welcome inside too.")
        knowledge.edit(session, workspace=workspace, title="Dogs", snippet_in=new)

    assert _two_editors(shared_db, edit_hours, edit_dogs) == []
    assert _stored(shared_db) == {
        "Hours": "Open 9 to 5 from December.",
        "Dogs": "Dogs welcome inside too.",
    }


def test_an_edit_and_an_addition_at_once_both_stay(shared_db: Database) -> None:
    def edit_hours(session, workspace) -> None:  # noqa: ANN001
        new = KnowledgeSnippet(title="Hours", text="Open 9 to 5.")
        knowledge.edit(session, workspace=workspace, title="Hours", snippet_in=new)

    def add_parking(session, workspace) -> None:  # noqa: ANN001
        new = KnowledgeSnippet(title="Parking", text="On Bath Street.")
        knowledge.add(session, workspace=workspace, snippet_in=new)

    assert _two_editors(shared_db, edit_hours, add_parking) == []
    assert _stored(shared_db) == {
        "Hours": "Open 9 to 5.",
        "Dogs": DOGS["text"],
        "Parking": "On Bath Street.",
    }


def test_two_people_editing_one_snippet_from_one_version_the_second_is_refused(
    shared_db: Database,
) -> None:
    seen = knowledge.version(HOURS)

    def edit_to(text: str) -> Callable[..., object]:
        def edit(session, workspace) -> None:  # noqa: ANN001
            new = KnowledgeSnippet(title="Hours", text=text)
            knowledge.edit(
                session, workspace=workspace, title="Hours", snippet_in=new, expected_version=seen
            )

        return edit

    errors = _two_editors(shared_db, edit_to("Open 9 to 5."), edit_to("Open 7 to 3."))
    assert [type(e) for e in errors] == [StaleVersion]
    assert "was changed by someone else since you opened it" in str(errors[0])
    assert _stored(shared_db)["Hours"] == "Open 9 to 5."  # the first, not overwritten


def test_saving_the_settings_form_during_a_knowledge_edit_keeps_the_edit(
    shared_db: Database,
) -> None:
    with session_scope(shared_db) as session:
        ws = repository.get_workspace(session, name="honey")
        make_user(session, email="owner@example.com", workspace=ws)
    form = {
        "display_name": "Honey & Crumb",
        "description": "A bakery.",
        "languages": "en",
        "timezone": "Europe/London",
        "ready_at": "07:00",
        "replies_per_day": "20",
        "days_between_replies": "2",
    }
    editing = threading.Event()
    with TestClient(create_app(Settings(_env_file=None), shared_db)) as client:
        sign_in(client, "owner@example.com")

        def edit_hours() -> None:
            with session_scope(shared_db) as session:
                workspace = repository.get_workspace(session, name="honey")
                new = KnowledgeSnippet(title="Hours", text="Open 9 to 5.")
                knowledge.edit(session, workspace=workspace, title="Hours", snippet_in=new)
                editing.set()
                # Uncommitted until the form's request waits for this row: it has read the
                # workspace as it was before this edit.
                _wait_for_a_lock_wait(shared_db)

        editor = threading.Thread(target=edit_hours)
        editor.start()
        assert editing.wait(timeout=10)
        saved = client.post("/workspaces/honey/settings", data=form, follow_redirects=False)
        editor.join(timeout=30)
    assert saved.status_code == 303, saved.text
    with session_scope(shared_db) as session:
        workspace = repository.get_workspace(session, name="honey")
        assert workspace is not None and workspace.display_name == "Honey & Crumb"
    assert _stored(shared_db)["Hours"] == "Open 9 to 5."


# The same through the knowledge page and the API.

VERSION = re.compile(r'name="version" value="([0-9a-f]+)"')


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    with db.sessions() as session:
        ws = make_workspace(session, name="honey", knowledge=[HOURS, DOGS])
        make_user(session, email="owner@example.com")
        make_member(session, workspace=ws)
        session.commit()
    with TestClient(create_app(Settings(_env_file=None), db)) as c:
        sign_in(c, "owner@example.com")
        yield c


def test_a_stale_form_is_a_409_that_keeps_what_was_typed(client: TestClient) -> None:
    page = client.get("/workspaces/honey/knowledge")
    hours_version = VERSION.findall(page.text)[0]
    listed = client.get("/api/workspaces/honey/knowledge").json()
    assert listed[0]["version"] == hours_version == knowledge.version(HOURS)

    # someone else saves "Hours" through the API, from the version they read
    theirs = client.put(
        "/api/workspaces/honey/knowledge/Hours",
        json={"title": "Hours", "text": "Open 9 to 5."},
        headers={"If-Match": f'"{hours_version}"'},
    )
    assert theirs.status_code == 200 and theirs.json()["version"] != hours_version

    # the page opened before that is submitted now
    mine = client.post(
        "/workspaces/honey/knowledge/edit",
        data={
            "original": "Hours",
            "version": hours_version,
            "title": "Hours",
            "text": "Open 8 to 6 on Saturdays.",
        },
    )
    assert mine.status_code == 409
    assert "was changed by someone else since you opened it" in mine.text
    assert "What you wrote: Open 8 to 6 on Saturdays." in mine.text
    assert "Open 9 to 5." in mine.text  # the current version, to edit again
    # the API refuses the same stale version, for an edit and a removal
    stale = {"If-Match": hours_version}
    put = client.put(
        "/api/workspaces/honey/knowledge/Hours", json={"title": "Hours", "text": "x"}, headers=stale
    )
    assert put.status_code == 409 and "Reload" in put.json()["detail"]
    assert client.delete("/api/workspaces/honey/knowledge/Hours", headers=stale).status_code == 409
    assert client.get("/api/workspaces/honey/knowledge").json()[0]["text"] == "Open 9 to 5."
    # the workspace file is what it was: title, text and (when there are any) tags, no versions
    file = client.get("/api/workspaces/honey").json()
    assert file["knowledge"] == [
        {"title": "Hours", "text": "Open 9 to 5."},
        {"title": "Dogs", "text": DOGS["text"], "tags": ["about-us"]},
    ]
    assert workspaces.parse(client.get("/api/workspaces/honey?format=yaml").text).knowledge[
        0
    ].text == ("Open 9 to 5.")
