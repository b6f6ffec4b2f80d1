"""The meaning vectors taught themes use: wordllama's own model, read from its wheel.

`matcher.meaning` reads the package's token matrix and tokenizer without importing its
inference wrapper (half the memory); these tests hold it to the wrapper's own vectors, and to
what the feature is for: texts that mean alike are nearer than texts about something else.
Every sentence here was written for these tests.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from matcher.meaning import embed, embed_many, item_text, model_files

TEXTS = [
    "Arland restores diplomatic ties with Borovia after a decade",
    "The two governments agreed to reopen their embassies next month.",
    "A storm closed the port and stranded hundreds of passengers",
    "",
]


def test_the_model_is_read_from_the_installed_package_not_the_network() -> None:
    weights, tokenizer = model_files()
    assert weights.is_file() and tokenizer.is_file()
    assert "site-packages" in str(weights) or "wordllama" in str(weights.parent.parent)


def test_vectors_are_wordllamas_own() -> None:
    wordllama = pytest.importorskip("wordllama")
    model = wordllama.WordLlama.load(
        cache_dir=os.path.dirname(wordllama.__file__), disable_download=True
    )
    with np.errstate(invalid="ignore"):
        theirs = np.nan_to_num(model.embed(TEXTS, norm=True))
    ours = embed_many(TEXTS)
    assert np.abs(ours - theirs).max() < 1e-5
    assert float(np.linalg.norm(ours[0])) == pytest.approx(1.0, abs=1e-5)
    assert not ours[3].any()  # no token, no direction


def test_texts_that_mean_alike_are_nearer_than_texts_about_something_else() -> None:
    ties = embed(item_text("Arland and Borovia restore diplomatic relations", ""))
    embassy = embed(item_text("The two countries agreed to reopen their embassies", ""))
    storm = embed(item_text("A storm hit the coast and flooded the port", ""))
    assert float(ties @ embassy) > float(ties @ storm) + 0.1
    assert embed("same text") is embed("same text")  # cached: themes share one vector
