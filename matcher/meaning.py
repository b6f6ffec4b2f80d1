"""What an item means, as a vector: the semantic signal of taught themes.

Why: a theme written as words misses how outlets paraphrase, and its labels teach little
through words alone when they are few ("Belgium bans TikTok" and "Montana bans TikTok" share
every word a query looks for; what tells them apart is that one is another country). A static
word-embedding model places such texts by meaning: the average of its token vectors.

The model is `wordllama`'s 256-d "l2_supercat": its token matrix (16 MB of safetensors) and
its tokenizer ship inside the wheel, so nothing is fetched at run time. We read those two files
with `safetensors` and `tokenizers` (wordllama's own dependencies) and pool as its `embed` does
(the mean of the text's token vectors, then unit length; tests/test_matcher_meaning.py checks
the vectors against wordllama's own), without importing wordllama's inference wrapper: that
wrapper's imports (pydantic, its config models) and its float32 copy of the matrix doubled
what a parse worker holds (~100 MB against ~45 MB). The matrix is kept in float16.

Loaded on first use, once per process: only a process scoring a taught theme, or fitting
one, pays for it. Does not decide anything: `matcher.learning` turns these vectors into a
model feature.
"""

from __future__ import annotations

import importlib.util
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

__all__ = ["DIM", "embed", "embed_many", "item_text", "model_files"]

DIM = 256
MAX_CHARS = 1_500  # a feed item's title and summary; a whole article would drown its lead
_WEIGHTS = f"weights/l2_supercat_{DIM}.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"

_LOCK = threading.Lock()
_MODEL: list[tuple[Any, Any]] = []  # (tokenizer, float16 token matrix)


def model_files() -> tuple[Path, Path]:
    """The weights and tokenizer files inside the installed wordllama package (not imported)."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or spec.origin is None:
        raise RuntimeError("the wordllama package is not installed: pip install wordllama")
    folder = Path(spec.origin).parent
    return folder / _WEIGHTS, folder / _TOKENIZER


def _model() -> tuple[Any, Any]:
    if not _MODEL:
        with _LOCK:
            if not _MODEL:
                import numpy as np
                from safetensors import safe_open
                from tokenizers import Tokenizer

                weights, tokenizer_file = model_files()
                tokenizer = Tokenizer.from_file(str(tokenizer_file))
                tokenizer.no_truncation()
                tokenizer.no_padding()
                with safe_open(str(weights), framework="np", device="cpu") as f:
                    matrix = np.ascontiguousarray(f.get_tensor("embedding.weight"), np.float16)
                _MODEL.append((tokenizer, matrix))
    return _MODEL[0]


def item_text(title: str, summary: str) -> str:
    """The text whose meaning stands for an item: its title, then its summary."""
    return f"{title.strip()}. {summary.strip()}"[:MAX_CHARS]


def embed_many(texts: list[str]) -> np.ndarray:
    """Unit vectors (rows) for texts; a text with no token gets a zero vector."""
    import numpy as np

    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    tokenizer, matrix = _model()
    for row, encoding in enumerate(tokenizer.encode_batch(texts, add_special_tokens=False)):
        ids = np.clip(np.asarray(encoding.ids, dtype=np.int64), 0, matrix.shape[0] - 1)
        if ids.size == 0:
            continue
        vector = matrix[ids].astype(np.float32).mean(axis=0)
        norm = float(np.linalg.norm(vector))
        if norm > 0:
            out[row] = vector / norm
    return out


@lru_cache(maxsize=512)
def embed(text: str) -> np.ndarray:
    """The unit vector of one text, cached: every taught theme asks for the same item."""
    vector: np.ndarray = embed_many([text])[0]
    vector.setflags(write=False)
    return vector
