"""random.Random's own draws, computed in bulk with numpy: the same numbers, without a call per number.

random.Random is a Mersenne Twister, and numpy's MT19937 bit generator, given the same state, yields
the same 32-bit words. The methods below turn those words into exactly what random.Random returns
(its rejection sampling for integers, its 53-bit arithmetic for floats), for every starting word of
the stream at once. A table row is a fixed recipe of draws, so one pass over all starting positions
tells where a row starting at each word ends, a walk along those ends finds where each actual row
starts, and a second pass reads the rows' values there: a few array operations per table instead of
millions of Python calls. tests/dataset/test_synthetic.py checks them against random.Random itself.
"""

import random
from collections.abc import Callable, Sequence

import numpy as np

_TWO_26 = 67108864.0
_TWO_MINUS_53 = 1.0 / 9007199254740992.0


def _bit_generator(rng: random.Random) -> np.random.MT19937:
    _version, internal, _gauss = rng.getstate()
    bits = np.random.MT19937()
    state = {"key": np.array(internal[:624], dtype=np.uint32), "pos": internal[624]}
    bits.state = {"bit_generator": "MT19937", "state": state}
    return bits


def _set_state(rng: random.Random, bits: np.random.MT19937) -> None:
    state = bits.state["state"]
    rng.setstate((3, (*(int(word) for word in state["key"]), int(state["pos"])), None))


def randoms(rng: random.Random, count: int) -> np.ndarray:
    """`count` successive rng.random() values; rng moves on past them, as if it had drawn them."""
    bits = _bit_generator(rng)
    words = bits.random_raw(2 * count)
    _set_state(rng, bits)
    return ((words[0::2] >> 5).astype(np.float64) * _TWO_26 + (words[1::2] >> 6)) * _TWO_MINUS_53


def weighted(values: np.ndarray, cumulative: Sequence[float]) -> np.ndarray:
    """Indexes rng.choices(..., cum_weights=cumulative) picks for these rng.random() values."""
    total = cumulative[-1] + 0.0
    picked = np.searchsorted(np.asarray(cumulative, dtype=np.float64), values * total, side="right")
    return np.minimum(picked, len(cumulative) - 1)


class Draws:
    """`count` words of a random.Random's stream, read as draws starting at any word."""

    def __init__(self, rng: random.Random, count: int) -> None:
        self.count = count
        self.words = _bit_generator(rng).random_raw(count)
        self._below: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._random: np.ndarray | None = None

    def below(self, n: int, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """rng._randbelow(n) (so randrange, randint, choice) starting at each position in `at`.

        Returns the values and the positions just after each draw. A draw that would need words past
        the end ends past `count`, which `walk` reports.
        """
        if n not in self._below:
            k = n.bit_length()
            if not 0 < k <= 32:
                raise ValueError(f"cannot draw below {n}")
            bits = self.words >> np.uint64(32 - k)
            accepted = np.where(bits < n, np.arange(self.count), self.count)
            first = np.minimum.accumulate(accepted[::-1])[::-1]
            # Past the last accepted word there is no value (0 keeps it a valid index), only an end.
            values = np.where(first < self.count, bits[np.minimum(first, self.count - 1)], 0).astype(np.int64)
            self._below[n] = (values, first + 1)
        values, after = self._below[n]
        at = np.minimum(at, self.count - 1)
        return values[at], after[at]

    def below_each(self, ns: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Like `below`, with a bound per position (0: no draw at all, value 0)."""
        values = np.zeros(len(at), dtype=np.int64)
        after = at.copy()
        for n in np.unique(ns).tolist():
            if n:
                mask = ns == n
                values[mask], after[mask] = self.below(n, at[mask])
        return values, after

    def random(self, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """rng.random() starting at each position in `at` (two words each)."""
        if self._random is None:
            high = (self.words[:-1] >> 5).astype(np.float64)
            self._random = (high * _TWO_26 + (self.words[1:] >> 6)) * _TWO_MINUS_53
        clipped = np.minimum(at, self.count - 2)
        return self._random[clipped], np.where(at < self.count - 1, at + 2, self.count + 1)

    def walk(
        self, ends: Sequence[np.ndarray], variants: Sequence[int] | None, rows: int
    ) -> np.ndarray | None:
        """Where each of `rows` consecutive rows starts, the first at word 0.

        A row of variant v starting at word p ends where ends[v][p] says; `variants` gives each row's
        variant (None: all 0). Returns None when the rows need more words than were drawn.
        """
        # Ends are at most count + 1; past the stream a row "ends" at count + 1 again.
        tables = [[*end.tolist(), self.count + 1, self.count + 1] for end in ends]
        starts = [0] * rows
        position = 0
        if variants is None:
            table = tables[0]
            for row in range(rows):
                starts[row] = position
                position = table[position]
        else:
            for row, variant in enumerate(variants):
                starts[row] = position
                position = tables[variant][position]
        return np.array(starts, dtype=np.int64) if position < self.count else None


Recipe = Callable[[Draws, np.ndarray, object], tuple[dict[str, np.ndarray], np.ndarray]]


def draw_rows(
    rng: random.Random,
    rows: int,
    recipe: Recipe,
    words_per_row: float,
    variants: Sequence[object] = (None,),
    row_variant: Sequence[int] | None = None,
) -> dict[str, np.ndarray]:
    """The values `recipe` draws for `rows` consecutive rows, exactly as a loop over rng would.

    `recipe(draws, positions, variant)` draws one row's values at every position given, returning
    them by name and the positions after the row. A row's recipe may depend on something known
    beforehand (its variant): `variants` lists the distinct ones, `row_variant` each row's index
    into it; in the second pass the recipe gets an array of the rows' variants.
    """
    if rows == 0:
        return {}
    count = int(rows * words_per_row) + 64
    while True:
        draws = Draws(rng, count)
        everywhere = np.arange(count)
        ends = [recipe(draws, everywhere, variant)[1] for variant in variants]
        starts = draws.walk(ends, row_variant, rows)
        if starts is not None:
            if row_variant is None:
                return recipe(draws, starts, variants[0])[0]
            return recipe(draws, starts, np.asarray(variants)[np.asarray(row_variant)])[0]
        count *= 2
