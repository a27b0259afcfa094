"""Map a store variant's options onto a catalog product's attributes (pure: no database, no clients).

A merchant picks one catalog product (its catalog and every attribute the store's options do not decide, e.g. the
print sides) and says which store option decides which catalog attribute (Size → Garment size). Each store value
is then matched to one of the attribute's values: case-insensitively on the value's uid or title, then after a
small normalisation of size names ("XXL" = "2XL", "X-Large" = "XL", "Medium" = "M"). The variant is made from the
catalog product that has the picked product's attributes with the matched values in place."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

Options = Sequence[tuple[str, str]]  # (option name, value), e.g. (("Size", "M"), ("Colour", "White"))

# Compact (lower case, no spaces, hyphens or underscores) size spellings → one canonical spelling.
SIZE_ALIASES = {
    "xxxs": "3xs",
    "xxs": "2xs",
    "extrasmall": "xs",
    "xsmall": "xs",
    "small": "s",
    "medium": "m",
    "large": "l",
    "extralarge": "xl",
    "xlarge": "xl",
    "xxl": "2xl",
    "xxlarge": "2xl",
    "2xlarge": "2xl",
    "2x": "2xl",
    "xxxl": "3xl",
    "xxxlarge": "3xl",
    "3xlarge": "3xl",
    "3x": "3xl",
    "xxxxl": "4xl",
    "4xlarge": "4xl",
    "4x": "4xl",
    "xxxxxl": "5xl",
    "5xlarge": "5xl",
    "5x": "5xl",
}
NAME_ALIASES = {"colour": "color", "grey": "gray"}
MIN_NAME_SIMILARITY = 0.6


@dataclass(frozen=True)
class Attribute:
    """A catalog attribute with its values (uid, title), in the catalog's order."""

    uid: str
    title: str
    values: tuple[tuple[str, str], ...]

    @property
    def label(self) -> str:
        return self.title or self.uid

    def value_title(self, uid: str) -> str:
        return next((title or uid for value, title in self.values if value == uid), uid)

    def position(self, uid: str) -> int:
        return next((index for index, (value, _) in enumerate(self.values) if value == uid), len(self.values))


@dataclass(frozen=True)
class Resolved:
    """The catalog product a variant is made from, or why there is none."""

    product_uid: str = ""
    problem: str = ""
    values: tuple[tuple[str, str], ...] = ()  # (attribute uid, value uid) the options decided


def canonical(value: str) -> str:
    compact = re.sub(r"[\s_\-]+", "", value.casefold())
    return SIZE_ALIASES.get(compact, compact)


def match_value(attribute: Attribute, store_value: str) -> str | None:
    """The attribute's value uid for a store value: equal uid or title (any case), else equal after the size
    normalisation; None when no value matches."""
    wanted = store_value.strip().casefold()
    for uid, title in attribute.values:
        if wanted in (uid.casefold(), title.casefold()):
            return uid
    normal = canonical(store_value)
    for uid, title in attribute.values:
        if normal in (canonical(uid), canonical(title)):
            return uid
    return None


def resolve(
    base: Mapping[str, str],
    mapping: Mapping[str, Attribute],
    options: Options,
    products: Mapping[frozenset, str],
) -> Resolved:
    """The product for one variant: `base` (the picked product's attributes) with each mapped option's value in
    place. `products`: every catalog product, keyed by frozenset(attributes.items())."""
    chosen = {name.casefold(): value for name, value in options}
    wanted = dict(base)
    decided: list[tuple[str, str]] = []
    for option, attribute in mapping.items():
        value = chosen.get(option.casefold())
        if value is None:
            return Resolved(problem=f"it has no {option} option")
        uid = match_value(attribute, value)
        if uid is None:
            known = ", ".join(title or uid for uid, title in attribute.values)
            return Resolved(
                problem=f"{option} {value!r} matches no {attribute.label} of the catalog ({known})"
            )
        wanted[attribute.uid] = uid
        decided.append((attribute.uid, uid))
    found = products.get(frozenset(wanted.items()))
    if found is None:
        return Resolved(problem=f"the catalog has no product with {_described(mapping, decided)}")
    return Resolved(found, values=tuple(decided))


def _described(mapping: Mapping[str, Attribute], decided: list[tuple[str, str]]) -> str:
    """E.g. Garment size 6XL, Garment color Navy and the picked product's other attributes."""
    titles = {attribute.uid: attribute for attribute in mapping.values()}
    chosen = ", ".join(f"{titles[a].label} {titles[a].value_title(v)}" for a, v in decided)
    return (
        f"{chosen} and the picked product's other attributes" if chosen else "the picked product's attributes"
    )


def product_index(rows: Iterable[tuple[str, dict]]) -> dict[frozenset, str]:
    """(product uid, attributes) rows → {frozenset(attributes.items()): product uid}."""
    return {frozenset((str(k), str(v)) for k, v in attributes.items()): uid for uid, attributes in rows}


def suggest_mapping(options: Options, attributes: Sequence[Attribute]) -> dict[str, str]:
    """{option name: attribute uid} pre-filled for the form: each option to the attribute (with more than one
    value, not taken yet) whose values hold the option's value, else the one most like it by name."""
    taken: set[str] = set()
    result: dict[str, str] = {}
    choosable = [a for a in attributes if len(a.values) > 1]
    for name, value in options:
        scored = [(_score(name, value, a), a.uid) for a in choosable if a.uid not in taken]
        best = max(scored, default=(0.0, ""))
        if best[0] >= MIN_NAME_SIMILARITY:
            result[name] = best[1]
            taken.add(best[1])
    return result


def _score(name: str, value: str, attribute: Attribute) -> float:
    """2 + name likeness when the value matches one of the attribute's values, else the name likeness alone."""
    likeness = name_similarity(name, attribute)
    return (2.0 + likeness) if match_value(attribute, value) is not None else likeness


def name_similarity(name: str, attribute: Attribute) -> float:
    """1.0 when the option's name is a word of the attribute's title or uid (Size ~ Garment size, Colour ~
    GarmentColor), else how alike the names are (0–1)."""
    word = _word(name)
    words = {
        _word(w) for w in re.split(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])", f"{attribute.title} {attribute.uid}")
    }
    if word and word in words:
        return 1.0
    return SequenceMatcher(None, word, _word(attribute.title or attribute.uid)).ratio()


def _word(text: str) -> str:
    compact = re.sub(r"[\s_\-]+", "", text.casefold())
    return NAME_ALIASES.get(compact, compact)
