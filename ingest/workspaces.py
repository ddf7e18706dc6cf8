"""Workspaces described by a file: parse and validate, create, export, diff, apply.

One service for the CLI, the API and the settings pages. A file is checked as a whole before
anything is written, and every error is reported with its path in the file
("knowledge[3].text: Field required (line 41)"); writes only flush, so the caller's
transaction applies all of a file or none of it.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import (
    Conflict,
    InvalidInput,
    WorkspaceFileError,
    WorkspaceNotFound,
)
from core.models import Workspace
from ingest import repository
from ingest.schemas import Cadence, KnowledgeSnippet, WorkspaceFile, check_slug

SCHEMA_FILE = Path(__file__).parent / "workspace.schema.json"

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class _Loader(yaml.SafeLoader):
    """YAML with 1.2-style scalars: `no` is Norwegian, not false, and `07:30` is a time, not
    the sexagesimal number 450; a key given twice is an error, not silently the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"'{key}' is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), None)
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT, re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), None
)


def load(text: str) -> Any:
    """The document in a YAML or JSON text; a syntax error names its line."""
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise WorkspaceFileError(
                [f"line {exc.lineno}, column {exc.colno}: {exc.msg}"]
            ) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise WorkspaceFileError([f"{where}{exc.problem or exc.context}"]) from None
    except yaml.YAMLError as exc:
        raise WorkspaceFileError([str(exc)]) from None


def parse(text: str, *, name: str | None = None) -> WorkspaceFile:
    """A validated workspace file, or every error in it with its path.

    `name`, when given, is the workspace's name whatever the file says (a copy of a file
    creates another business).
    """
    data = load(text)
    if isinstance(data, dict) and name is not None:
        data["name"] = name
    return validate(data, text=text)


def validate(data: Any, *, text: str | None = None) -> WorkspaceFile:
    """`data` as a workspace file, or a WorkspaceFileError listing every problem."""
    if not isinstance(data, dict):
        raise WorkspaceFileError(
            ["(file): a workspace file is a mapping of fields such as 'name' and 'display_name'"]
        )
    # PostgreSQL stores no NUL character in text or JSONB: an error here, not a failed write.
    nul = [f"{path_of(loc)}: contains a NUL character (\\u0000)" for loc in _nul_paths(data, [])]
    try:
        file = WorkspaceFile.model_validate(data)
    except ValidationError as exc:
        errors = describe_errors(exc, text=text) + nul
        if not any(e["type"] == "duplicate_title" for e in exc.errors()):
            # The model checks titles only once every snippet is valid; a file gets all its
            # errors at once, so look at the titles as given too.
            errors += _duplicate_titles(data.get("knowledge"), text=text)
        raise WorkspaceFileError(sorted(errors, key=_line_number)) from None
    if nul:
        raise WorkspaceFileError(nul)
    return file


def _nul_paths(value: Any, loc: list[int | str]) -> list[list[int | str]]:
    if isinstance(value, str):
        return [loc] if "\x00" in value else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nul_paths(v, [*loc, str(k)])]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nul_paths(v, [*loc, i])]
    return []


def _line_number(error: str) -> int:
    """Errors are listed in the order of the file; those without a line last."""
    found = re.search(r"\(line (\d+)\)$", error)
    return int(found.group(1)) if found else 1 << 30


def _duplicate_titles(snippets: Any, *, text: str | None) -> list[str]:
    if not isinstance(snippets, list):
        return []
    tree = _compose(text) if text else None
    seen: dict[str, int] = {}
    out = []
    for index, snippet in enumerate(snippets):
        title = snippet.get("title") if isinstance(snippet, dict) else None
        if not isinstance(title, str) or not title.strip():
            continue
        key = title.strip().casefold()
        if key in seen:
            loc: list[int | str] = ["knowledge", index, "title"]
            line = _line_of(tree, loc) if tree is not None else None
            out.append(
                f"{path_of(loc)}: '{title}' is already the title of knowledge[{seen[key]}]; "
                "titles must be unique" + (f" (line {line})" if line else "")
            )
        else:
            seen[key] = index
    return out


def describe_errors(exc: ValidationError, *, text: str | None = None) -> list[str]:
    """One line per error: its path in the file, what is wrong, and the line when known."""
    tree = _compose(text) if text else None
    known = list(WorkspaceFile.model_fields)
    out = []
    for error in exc.errors():
        loc = list(error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        ctx = error.get("ctx") or {}
        if error["type"] == "duplicate_title":
            loc += [ctx["index"], "title"]
        elif error["type"] == "extra_forbidden":
            message = "not a field of a workspace file"
            if len(loc) == 1:
                close = difflib.get_close_matches(str(loc[0]), known, n=1, cutoff=0.6)
                message += (
                    f"; did you mean '{close[0]}'?" if close else f" (fields: {', '.join(known)})"
                )
        elif error["type"] == "missing" and len(loc) == 1:
            message = "required"
        line = _line_of(tree, loc) if tree is not None else None
        out.append(f"{path_of(loc)}: {message}" + (f" (line {line})" if line else ""))
    return out


def path_of(loc: Sequence[int | str]) -> str:
    """('knowledge', 3, 'text') -> 'knowledge[3].text'."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(file)"


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        return None


def _line_of(node: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """The line of the deepest node on `loc` (a missing field: the mapping that lacks it)."""
    if node is None:
        return None
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
        if child is None:
            break
        node = child
    return int(node.start_mark.line) + 1


def dump(file: WorkspaceFile, *, as_json: bool = False) -> str:
    """The file as YAML (or JSON): fields in the schema's order, defaults included."""
    data = file.model_dump(mode="json")
    for snippet in data["knowledge"]:
        if not snippet["tags"]:
            del snippet["tags"]  # optional: a file without tags stays short
    if as_json:
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    header = "# Rapport workspace file. Schema: `rapport workspaces schema`.\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


@cache
def json_schema() -> dict[str, Any]:
    """The JSON Schema of a workspace file, generated from the model."""
    schema = WorkspaceFile.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def to_file(workspace: Workspace) -> WorkspaceFile:
    """What a stored workspace says, as a file."""
    return WorkspaceFile.model_validate(
        {
            "name": workspace.name,
            "display_name": workspace.display_name,
            "description": workspace.description or "",
            "helps_with": list(workspace.helps_with or []),
            "voice": workspace.voice,
            "languages": list(workspace.languages or ["en"]),
            "timezone": workspace.timezone,
            "ready_at": workspace.ready_at,
            "cadence": {
                "replies_per_day": workspace.replies_per_day,
                "days_between_replies": workspace.days_between_replies,
            },
            "products": list(workspace.own_products or []),
            "banned_phrases": list(workspace.banned_phrases or []),
            "knowledge": [
                {"title": k["title"], "text": k["text"], "tags": list(k.get("tags") or [])}
                for k in workspace.knowledge or []
            ],
        }
    )


def columns(file: WorkspaceFile) -> dict[str, Any]:
    """The workspace row's columns for what the file declares."""
    return {
        "name": file.name,
        "display_name": file.display_name,
        "description": file.description,
        "helps_with": list(file.helps_with),
        "voice": file.voice,
        "languages": list(file.languages),
        "timezone": file.timezone,
        "ready_at": file.ready_at,
        "replies_per_day": file.cadence.replies_per_day,
        "days_between_replies": file.cadence.days_between_replies,
        "own_products": list(file.products),
        "banned_phrases": list(file.banned_phrases),
        "knowledge": [k.model_dump() for k in file.knowledge],
    }


def get(session: Session, *, name: str) -> Workspace:
    workspace = repository.get_workspace(session, name=name)
    if workspace is None:
        raise WorkspaceNotFound(
            f"No workspace named '{name}'. Create one with "
            "`rapport workspaces create NAME --from business.yaml`, or run `rapport demo` for "
            "the sample one."
        )
    return workspace


def get_locked(session: Session, *, name: str) -> Workspace:
    """The workspace locked until commit and re-read, for a change built from what it holds
    (e.g. the settings form, which keeps the knowledge as it is): no edit made meanwhile is
    written over."""
    return repository.lock_workspace(session, workspace_id=get(session, name=name).id)


def create(session: Session, *, file_in: WorkspaceFile) -> Workspace:
    """A new workspace as the file describes it; a taken name is a conflict."""
    if repository.get_workspace(session, name=file_in.name) is not None:
        raise Conflict(
            f"A workspace named '{file_in.name}' already exists: "
            f"use `rapport workspaces apply {file_in.name} FILE` to change it."
        )
    try:
        return repository.add_workspace(session, values=columns(file_in))
    except IntegrityError:  # created by someone else since the check above
        raise Conflict(f"A workspace named '{file_in.name}' already exists.") from None


def export(session: Session, *, name: str) -> WorkspaceFile:
    return to_file(get(session, name=name))


@dataclass(frozen=True)
class Change:
    """One difference between what is stored and what a file says."""

    path: str
    before: str | None
    after: str | None

    def __str__(self) -> str:
        if self.before is None:
            return f"+ {self.path}: {self.after}"
        if self.after is None:
            return f"- {self.path}: {self.before}"
        return f"~ {self.path}: {self.before} → {self.after}"


def _show(value: Any, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + '…"'


def diff(before: WorkspaceFile, after: WorkspaceFile) -> list[Change]:
    """What applying `after` over `before` changes, field by field, snippet by snippet."""
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    changes: list[Change] = []
    for field in WorkspaceFile.model_fields:
        a, b = old[field], new[field]
        if a == b:
            continue
        if field == "cadence":
            for key in Cadence.model_fields:
                if a[key] != b[key]:
                    changes.append(Change(f"cadence.{key}", _show(a[key]), _show(b[key])))
        elif field == "knowledge":
            changes += _knowledge_diff(a, b)
        elif isinstance(a, list):
            changes += [Change(field, _show(x), None) for x in a if x not in b]
            changes += [Change(field, None, _show(x)) for x in b if x not in a]
            if sorted(map(str, a)) == sorted(map(str, b)):
                changes.append(Change(field, "order", "new order"))
        else:
            changes.append(Change(field, _show(a), _show(b)))
    return changes


def _knowledge_diff(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    by_title = {k["title"]: k for k in old}
    new_titles = {k["title"] for k in new}
    changes = [Change("knowledge", _show(t), None) for t in by_title if t not in new_titles]
    for snippet in new:
        was = by_title.get(snippet["title"])
        if was is None:
            changes.append(Change("knowledge", None, _show(snippet["title"])))
            continue
        for key in ("text", "tags"):
            if was[key] != snippet[key]:
                path = f"knowledge[{_show(snippet['title'])}].{key}"
                changes.append(Change(path, _show(was[key]), _show(snippet[key])))
    if not changes and old != new:
        changes.append(Change("knowledge", "order", "new order"))
    return changes


def apply(session: Session, *, name: str, file_in: WorkspaceFile) -> list[Change]:
    """Make workspace `name` what the file says (all of it, or nothing); the changes made.

    A different `name` in the file renames the workspace, unless that name is taken.
    """
    workspace = get(session, name=name)
    # Locked and re-read: a snippet edited meanwhile is in the diff, and no edit made while
    # the file is applied is lost under it.
    repository.lock_workspace(session, workspace_id=workspace.id)
    changes = diff(to_file(workspace), file_in)
    if file_in.name != name and repository.get_workspace(session, name=file_in.name) is not None:
        raise Conflict(f"Cannot rename '{name}' to '{file_in.name}': that name is taken.")
    for column, value in columns(file_in).items():
        setattr(workspace, column, value)
    try:
        session.flush()
    except IntegrityError:  # the new name was taken since the check above
        raise Conflict(f"Cannot rename '{name}' to '{file_in.name}': that name is taken.") from None
    return changes


def snippet(data: Any) -> KnowledgeSnippet:
    """A knowledge snippet from untrusted input, or every error with its path."""
    nul = [f"{path_of(loc)}: contains a NUL character (\\u0000)" for loc in _nul_paths(data, [])]
    try:
        snippet_in = KnowledgeSnippet.model_validate(data)
    except ValidationError as exc:
        errors = [
            f"{path_of(list(e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        ]
        raise WorkspaceFileError(errors + nul) from None
    if nul:
        raise WorkspaceFileError(nul)
    return snippet_in


def valid_name(name: str) -> str:
    """The name, or InvalidInput saying what a workspace name may be."""
    try:
        return check_slug(name)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
