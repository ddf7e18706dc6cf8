"""The `transformers` drafting backend, with a tiny causal model the test builds itself."""

from pathlib import Path

import pytest
import torch

from core.errors import ModelLoadError
from core.settings import Settings
from suggest import guard
from suggest.backends import TransformersDrafter, drafter_for
from suggest.composer import DraftRequest

WORDS = ["[UNK]", "<eos>", "hi", "sam", "keep", "the", "starter", "warm", "how", "is", "it", "?"]


def _tiny_causal_model(path: Path) -> Path:
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", eos_token="<eos>", pad_token="<eos>"
    ).save_pretrained(path)
    config = GPT2Config(
        vocab_size=len(WORDS),
        n_positions=1024,
        n_embd=16,
        n_layer=1,
        n_head=2,
        bos_token_id=1,
        eos_token_id=1,
    )
    torch.manual_seed(0)
    GPT2LMHeadModel(config).save_pretrained(path)
    return path


REQUEST = DraftRequest(
    occasion="help",
    post_external_id="7",
    person_name="Sam",
    knowledge=["Keep the starter somewhere warm, around 24°C."],
    post_text="My starter is sulking in the cold kitchen. Tips?",
)


def test_a_local_model_drafts_and_composer_follows(tmp_path: Path) -> None:
    path = _tiny_causal_model(tmp_path / "tiny-drafter")
    drafter = drafter_for("transformers", Settings(_env_file=None, drafting_model=str(path)))
    assert isinstance(drafter, TransformersDrafter)
    assert drafter.version == "transformers:tiny-drafter"
    torch.manual_seed(1)
    candidates = drafter.candidates(REQUEST, max_chars=280)
    composer_part = drafter.fallback.candidates(REQUEST, max_chars=280)
    model_part = candidates[: len(candidates) - len(composer_part)]
    assert model_part, "the model produced no candidate"
    assert all(set(c.replace("?", " ?").split()) <= set(WORDS) for c in model_part)
    assert candidates[len(model_part) :] == composer_part
    context = guard.GuardContext(
        post_text=REQUEST.post_text, knowledge_texts=REQUEST.knowledge, person_names=["Sam"]
    )
    assert any(guard.check(c, context).passed for c in candidates)


def test_a_missing_drafting_model_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="RAPPORT_DRAFTING_MODEL"):
        drafter_for("transformers", Settings(_env_file=None, drafting_model=str(tmp_path / "x")))
