"""Near-duplicate pages (pure): the same letter filed five times, scanned or printed again. Each
page's words make 3-word shingles; 32 min-hashes of them are its signature; pages sharing a band of
the signature are compared, and a page agreeing on at least `THRESHOLD` of the hashes with an
earlier one is its duplicate (Broder's min-hash, banded as in locality-sensitive hashing)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

HASHES = 32
BANDS = 8
ROWS = HASHES // BANDS
THRESHOLD = 0.75
MIN_WORDS = 20  # a page with fewer words (a blank page, a compliments slip) is never a duplicate
_PRIME = (1 << 61) - 1
_SALTS = [
    (
        int.from_bytes(hashlib.sha256(f"a{i}".encode()).digest()[:8], "big") | 1,
        int.from_bytes(hashlib.sha256(f"b{i}".encode()).digest()[:8], "big"),
    )
    for i in range(HASHES)
]


def signature(tokens: Sequence[str]) -> list[int]:
    """The page's min-hash signature, or [] when it has too few words to compare."""
    words = [t for t in tokens if t]
    if len(words) < MIN_WORDS:
        return []
    shingles = {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}
    hashed = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") for s in shingles]
    return [min((a * h + b) % _PRIME for h in hashed) for a, b in _SALTS]


def similarity(one: Sequence[int], other: Sequence[int]) -> float:
    if not one or not other:
        return 0.0
    return sum(1 for x, y in zip(one, other, strict=True) if x == y) / HASHES


def group(pages: Iterable[tuple[int, Sequence[int]]]) -> dict[int, int]:
    """For pages in file order (id, signature): each duplicate's id → the first page it repeats."""
    bands: dict[tuple[int, tuple[int, ...]], list[int]] = {}
    signatures: dict[int, Sequence[int]] = {}
    original: dict[int, int] = {}
    for page_id, sig in pages:
        if not sig:
            continue
        signatures[page_id] = sig
        keys = [(b, tuple(sig[b * ROWS : (b + 1) * ROWS])) for b in range(BANDS)]
        candidates = {c for key in keys for c in bands.get(key, [])}
        best = max(candidates, key=lambda c: (similarity(sig, signatures[c]), -c), default=None)
        if best is not None and similarity(sig, signatures[best]) >= THRESHOLD:
            original[page_id] = original.get(best, best)
        for key in keys:
            bands.setdefault(key, []).append(page_id)
    return original
