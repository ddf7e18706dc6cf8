"""Check a built Rapport environment: the model weights are inside and are the expected ones,
torch is the CPU build, the migrations end at one head, and every command loads.

Run by the image build (`deploy/Dockerfile`) and by the tests (`tests/unit/test_deploy.py`).
"""

from __future__ import annotations

import sys


def main() -> int:
    import torch
    from typer.testing import CliRunner

    from analysis.models import load_embedder
    from core import migrate
    from core.settings import Settings
    from service.cli import app

    problems: list[str] = []
    if torch.cuda.is_available() or "+cu" in torch.__version__:
        problems.append(f"torch {torch.__version__} is not the CPU build")
    # loading verifies the SHA-256 of the weights shipped in the image
    embedder = load_embedder(Settings(_env_file=None))
    if embedder.embed(["hello"]).shape[1] != 384:
        problems.append("the embedder does not give 384-dimensional vectors")
    if len(migrate.heads()) != 1:
        problems.append(f"the migrations have several heads: {sorted(migrate.heads())}")
    result = CliRunner().invoke(app, ["--help"])
    for command in ("web", "worker", "up", "db"):
        if command not in result.output:
            problems.append(f"`rapport {command}` is missing")
    for problem in problems:
        print(f"verify: {problem}", file=sys.stderr)
    if not problems:
        print(f"verify: ok (torch {torch.__version__}, embedder {embedder.model_id})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
