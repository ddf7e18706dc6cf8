"""Real responses recorded by the client libraries' own test suites (see
`../shared/fixtures/SOURCES.md`), read in place beside the clone and served with `responses`
or `respx` so that the real client libraries parse them. Nothing is copied into the project;
without the folder these tests are skipped and say why."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"

needs_fixtures = pytest.mark.skipif(
    not (FIXTURES / "SOURCES.md").is_file(),
    reason=f"the recorded responses are not beside the clone ({FIXTURES})",
)


def json_file(relative: str) -> Any:
    return json.loads((FIXTURES / relative).read_text(encoding="utf-8"))


def postman_body(name: str) -> Any:
    """The body of an example response saved in X's Postman collection."""
    return json_file(f"x_official/postman_examples/{name}")["body"]


def cassette(relative: str) -> list[dict[str, Any]]:
    """A vcrpy cassette's interactions: method, uri, status, headers and the decoded body."""
    data = yaml.safe_load((FIXTURES / relative).read_text(encoding="utf-8"))
    out = []
    for interaction in data["interactions"]:
        response = interaction["response"]
        body = response["body"]["string"]
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers = {k.lower(): v for k, v in response["headers"].items()}
        if "gzip" in (headers.get("content-encoding") or [""])[0]:
            body = gzip.decompress(body)
        out.append(
            {
                "method": interaction["request"]["method"],
                "uri": interaction["request"]["uri"],
                "status": response["status"]["code"],
                "headers": {k: v[0] for k, v in headers.items() if isinstance(v, list) and v},
                "body": body,
            }
        )
    return out


def cassette_json(relative: str, index: int = 0) -> Any:
    return json.loads(cassette(relative)[index]["body"])
