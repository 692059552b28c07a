"""Match two sequences (blocks, words): which items of one are kept, in order, in the other. No Django here.

Patience matching (as git's patience diff): items that occur once in each side anchor the match (their longest
increasing run, found in n log n), and the stretches between anchors are matched the same way. A stretch with no
unique common item falls back to difflib when small and counts as replaced when large, so the time stays near
linear for long texts with few changes instead of quadratic.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Sequence
from difflib import SequenceMatcher

# Largest stretch (items of one side × items of the other) handed to difflib, which is quadratic.
_SMALL_STRETCH = 40_000


def matching_pairs(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[int, int]]:
    """Return the index pairs (i, j) with a[i] == b[j] that are kept in order, both indexes increasing."""
    pairs: list[tuple[int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        a_low, a_high, b_low, b_high = stack.pop()
        while a_low < a_high and b_low < b_high and a[a_low] == b[b_low]:
            pairs.append((a_low, b_low))
            a_low, b_low = a_low + 1, b_low + 1
        while a_low < a_high and b_low < b_high and a[a_high - 1] == b[b_high - 1]:
            a_high, b_high = a_high - 1, b_high - 1
            pairs.append((a_high, b_high))
        if a_low == a_high or b_low == b_high:
            continue
        anchors = _unique_anchors(a, b, a_low, a_high, b_low, b_high)
        if anchors:
            previous = (a_low, b_low)
            for i, j in anchors:
                stack.append((previous[0], i, previous[1], j))
                pairs.append((i, j))
                previous = (i + 1, j + 1)
            stack.append((previous[0], a_high, previous[1], b_high))
        elif (a_high - a_low) * (b_high - b_low) <= _SMALL_STRETCH:
            matcher = SequenceMatcher(None, a[a_low:a_high], b[b_low:b_high], autojunk=False)
            for start_a, start_b, size in matcher.get_matching_blocks():
                pairs.extend((a_low + start_a + k, b_low + start_b + k) for k in range(size))
    pairs.sort()
    return pairs


def _unique_anchors(
    a: Sequence[Hashable], b: Sequence[Hashable], a_low: int, a_high: int, b_low: int, b_high: int
) -> list[tuple[int, int]]:
    """Return the longest run of items unique in both stretches whose positions increase on both sides."""
    count_a = Counter(a[a_low:a_high])
    count_b = Counter(b[b_low:b_high])
    where_b = {b[j]: j for j in range(b_low, b_high) if count_b[b[j]] == 1 and count_a[b[j]] == 1}
    candidates = [(i, where_b[a[i]]) for i in range(a_low, a_high) if a[i] in where_b and count_a[a[i]] == 1]
    # Patience sorting: tails[k] is the smallest b index ending an increasing run of length k + 1.
    tails: list[int] = []
    tail_index: list[int] = []
    back: list[int] = []
    for index, (_i, j) in enumerate(candidates):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[k] = j
            tail_index[k] = index
        back.append(tail_index[k - 1] if k else -1)
    run = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        run.append(candidates[index])
        index = back[index]
    run.reverse()
    return run
