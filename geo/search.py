"""Place search for names typed the way they are heard: no accents, typos, words missing.

Scoring is rapidfuzz's ``WRatio`` on normalised names (accents stripped, case folded,
articles and prepositions dropped, so "casar el", "Casar, El" and "el casar" are one name).
Each name with several significant words is also scored on its leading words alone
("Azuqueca" for Azuqueca de Henares, "Molina" for Molina de Aragón): that is how people say
them, so such a match counts 0.95 of a full one, above a bare substring (which ``WRatio``
already scales by 0.9) and below the full name. Equal scores are ordered by how well the start
of the name matches what was typed, then by population (the bigger town is the likelier
meaning), then by name.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Protocol, TypeAlias, runtime_checkable

import numpy as np
from rapidfuzz import fuzz, process

from geo.errors import AmbiguousPlace, PlaceNotFound
from geo.gazetteer import gazetteer

#: Words that carry no identity in Spanish place names and are often dropped or moved.
STOP_WORDS = frozenset({"el", "la", "los", "las", "de", "del", "y", "d", "l"})
#: Below this score a place is not offered as a search result.
MIN_SCORE = 75.0
#: ``resolve`` accepts a best match only at or above this score.
CONFIDENT_SCORE = 85.0
#: ``PlaceNotFound`` suggests the nearest names at or above this score.
SUGGESTION_SCORE = 60.0
#: Weight of a match on a name's leading words alone (see the module docstring).
LEADING_WORDS_WEIGHT = 0.95
#: Queries shorter than this (after normalising) match nothing: every name contains them.
MIN_QUERY_LENGTH = 2

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@runtime_checkable
class Searchable(Protocol):
    """Anything with a stable key and a display name, e.g. a stop stored in the database."""

    @property
    def key(self) -> Hashable:
        """Identify the place to the caller (INE code, database id...)."""
        ...

    @property
    def name(self) -> str:
        """Name the place the way it should be shown."""
        ...


#: A candidate: a :class:`Searchable` object or a ``(key, name)`` pair.
Candidate: TypeAlias = Searchable | tuple[Hashable, str]


@dataclass(frozen=True, slots=True)
class Match:
    """One search result: which place, its official spelling and how close it is (0-100)."""

    key: Hashable
    name: str
    score: float
    place: object
    ine_code: str | None = None


def normalise(text: str) -> str:
    """Fold a name to comparable form: no accents, lower case, no articles or punctuation.

    Args:
        text: a place name or a query as typed.

    Returns:
        Space-separated significant words, e.g. ``"casar"`` for ``"El Casar"``.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = _NON_ALNUM.sub(" ", bare.casefold()).split()
    return " ".join(word for word in words if word not in STOP_WORDS)


def _as_candidate(item: object) -> tuple[Hashable, str, object]:
    """Return (key, name, original) for a Searchable or a (key, name) pair."""
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], str):
        return item[0], item[1], item
    key = getattr(item, "key", None)
    name = getattr(item, "name", None)
    if key is None or not isinstance(name, str):
        raise TypeError(
            f"search candidate {item!r} needs a 'key' and a str 'name', or be a (key, name) pair"
        )
    return key, name, item


class PlaceIndex:
    """Normalised names of a set of places, prepared once and searched many times."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        """Prepare the search keys of every candidate.

        Args:
            candidates: :class:`Searchable` objects or ``(key, name)`` pairs.

        Raises:
            TypeError: a candidate has neither shape.
        """
        self._places = [_as_candidate(item) for item in candidates]
        self._keys = [normalise(name) for _, name, _ in self._places]
        self._population = np.array(
            [getattr(place, "population", 0) or 0 for _, _, place in self._places], dtype=float
        )
        aliases: list[str] = []
        owners: list[int] = []
        weights: list[float] = []
        for index, key in enumerate(self._keys):
            words = key.split()
            aliases.append(key)
            owners.append(index)
            weights.append(1.0)
            for size in range(1, len(words)):
                aliases.append(" ".join(words[:size]))
                owners.append(index)
                weights.append(LEADING_WORDS_WEIGHT)
        self._aliases = aliases
        self._owners = np.array(owners, dtype=np.intp)
        self._weights = np.array(weights)

    def __len__(self) -> int:
        """Count the places in the index."""
        return len(self._places)

    def _scores(self, query: str) -> np.ndarray:
        """Score every place against a normalised query (0-100)."""
        raw = process.cdist([query], self._aliases, scorer=fuzz.WRatio, dtype=np.float64)[0]
        best = np.zeros(len(self._places))
        np.maximum.at(best, self._owners, raw * self._weights)
        return best

    def _ranked(self, query: str, min_score: float) -> list[tuple[float, float, int]]:
        """Return (score, start similarity, place index) above min_score, best first."""
        if len(query.replace(" ", "")) < MIN_QUERY_LENGTH or not self._places:
            return []
        scores = self._scores(query)
        chosen = np.flatnonzero(scores >= min_score)
        ranked = [
            (float(scores[i]), fuzz.ratio(query, self._keys[i][: len(query)]), int(i))
            for i in chosen
        ]
        ranked.sort(
            key=lambda item: (
                -round(item[0], 6),
                -round(item[1], 6),
                -self._population[item[2]],
                self._places[item[2]][1],
            )
        )
        return ranked

    def _match(self, score: float, index: int) -> Match:
        """Build the Match for a ranked place."""
        key, name, place = self._places[index]
        ine_code = getattr(place, "ine_code", None)
        return Match(
            key=key,
            name=name,
            score=round(score, 1),
            place=place,
            ine_code=ine_code if isinstance(ine_code, str) else None,
        )

    def search(self, query: str, limit: int = 5, min_score: float = MIN_SCORE) -> list[Match]:
        """Return up to ``limit`` places close to ``query``, best first.

        Args:
            query: a name as typed: any case, accents optional, typos tolerated.
            limit: the most results to return.
            min_score: the least score (0-100) a result needs.

        Returns:
            Matches, best first; empty when nothing is close.

        Raises:
            ValueError: ``limit`` is not positive.
        """
        if limit < 1:
            raise ValueError(f"search limit must be at least 1, got {limit}")
        ranked = self._ranked(normalise(query), min_score)
        return [self._match(score, index) for score, _, index in ranked[:limit]]

    def resolve(self, query: str) -> Match:
        """Return the one place ``query`` confidently names.

        Args:
            query: a name as typed.

        Returns:
            The best :class:`Match`, scoring at least :data:`CONFIDENT_SCORE` and strictly
            closer than any other place.

        Raises:
            PlaceNotFound: no place is close enough; ``.suggestions`` holds the nearest names.
            AmbiguousPlace: several places are equally close; ``.candidates`` names them.
        """
        normalised = normalise(query)
        ranked = self._ranked(normalised, SUGGESTION_SCORE)
        if not ranked or ranked[0][0] < CONFIDENT_SCORE:
            raise PlaceNotFound(query, [self._places[index][1] for _, _, index in ranked[:3]])
        best_score, best_start, _ = ranked[0]
        tied = [item for item in ranked if abs(item[0] - best_score) < 1e-6]
        # Among equal scores, a name that starts with what was typed wins ("molina" is
        # Molina de Aragón, not Pinilla de Molina); anything less is a guess.
        starts_with_query = best_start >= CONFIDENT_SCORE and all(
            start < best_start for _, start, _ in tied[1:]
        )
        if len(tied) > 1 and not starts_with_query:
            raise AmbiguousPlace(query, [self._places[index][1] for _, _, index in tied[:5]])
        return self._match(best_score, ranked[0][2])


#: Two words are one when this close (a letter or two wrong: "siguensa", "mochal").
SAME_WORD_SCORE = 75.0


def _same_word(typed: str, word: str) -> bool:
    """Whether a typed word is this word of a name, misspelt or cut short ("sigu")."""
    return fuzz.ratio(typed, word) >= SAME_WORD_SCORE or (
        len(typed) >= 3 and word.startswith(typed)
    )


def extra_words(query: str, name: str) -> tuple[str, ...]:
    """Return the words of ``query`` that are not words of ``name``.

    A query that a search matched to a village but that says more than the village's name
    ("Centro de Salud, Sigüenza", "Hospital de Sigüenza") meant something inside it; a close
    spelling of the name alone ("siguensa", "molina aragon", "Molina") has no extra word.

    Args:
        query: the name as typed.
        name: the name of the place it was matched to.

    Returns:
        The normalised extra words (articles and prepositions never count), in typed order;
        empty when the query says nothing beyond the name.
    """
    typed, own = normalise(query).split(), normalise(name).split()
    if fuzz.ratio("".join(typed), "".join(own)) >= CONFIDENT_SCORE:
        return ()  # the name with its words run together or split ("torre mocha campo")
    return tuple(word for word in typed if not any(_same_word(word, o) for o in own))


@functools.cache
def gazetteer_index() -> PlaceIndex:
    """Return the search index of the gazetteer, built on first use."""
    return PlaceIndex(gazetteer())


def _index(candidates: PlaceIndex | Iterable[Candidate] | None) -> PlaceIndex:
    """Pick the prepared index for these candidates."""
    if candidates is None:
        return gazetteer_index()
    if isinstance(candidates, PlaceIndex):
        return candidates
    return PlaceIndex(candidates)


def search(
    query: str,
    limit: int = 5,
    candidates: PlaceIndex | Iterable[Candidate] | None = None,
    *,
    min_score: float = MIN_SCORE,
) -> list[Match]:
    """Suggest places for a name typed the way it sounds, best first.

    Args:
        query: the name as typed ("siguenza", "molina aragon", "casar el").
        limit: the most suggestions to return.
        candidates: places to search: :class:`Searchable` objects, ``(key, name)`` pairs or a
            prepared :class:`PlaceIndex` (reuse one for repeated searches). Defaults to the
            gazetteer.
        min_score: the least score (0-100) a suggestion needs.

    Returns:
        Matches with the official ``name``, ``key``, ``ine_code`` (when the place has one) and
        ``score``; an empty list when nothing is close.

    Raises:
        ValueError: ``limit`` is not positive.
        TypeError: a candidate has neither a key and name nor the pair shape.
    """
    return _index(candidates).search(query, limit, min_score)


def resolve(query: str, candidates: PlaceIndex | Iterable[Candidate] | None = None) -> Match:
    """Return the single place a typed name confidently means.

    Args:
        query: the name as typed.
        candidates: as for :func:`search`; defaults to the gazetteer.

    Returns:
        The confident :class:`Match`.

    Raises:
        PlaceNotFound: nothing is close enough; the message reads "did you mean A, B or C?"
            and ``.suggestions`` lists those names.
        AmbiguousPlace: two or more places are equally close.
    """
    return _index(candidates).resolve(query)
