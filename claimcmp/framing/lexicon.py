"""The framing lexicon: groups of terms that name the same referent in different words.

Each entry is ``(group, canonical, variant)``: *group* is the referent ("armed_groups", "truce", ...),
*canonical* the framing label the variant counts towards ("terrorist", "militant", "rebel"), and
*variant* the exact phrase matched in the text ("terror groups"). Matching is case-insensitive on word
boundaries, except short all-capital acronyms (at most three letters: "IS", "US", "UN") and entries
added with ``case_sensitive=True``. Within one group the longest match wins ("Al-Nusra Front" over
"Al-Nusra"); different groups may overlap ("Saudi-backed opposition" is both a qualifier and an
opposition term). In a variant, a space matches any whitespace, a hyphen any hyphen or dash character,
and a leading "al-" / "al " also matches "al" followed by a space, hyphen or nothing.

Extend it with :meth:`Lexicon.extend` (a mapping ``{group: {canonical: [variants]}}``) or
:meth:`Lexicon.add`; both return a new lexicon. docs/guide/framing.md lists the default one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

LexiconMapping = Mapping[str, Mapping[str, Sequence[str]]]

#: group -> what the group's terms refer to.
GROUP_DESCRIPTIONS: dict[str, str] = {
    "armed_groups": "Armed anti-government groups: terrorists / militants / rebels / fighters ...",
    "truce": "The cessation of fighting: truce, ceasefire, cessation of hostilities ...",
    "islamic_state": "The Islamic State group: Daesh, ISIS, ISIL, IS.",
    "nusra": "The Nusra Front (al-Qaeda's Syrian branch).",
    "government": "The Syrian state and its forces: government, regime, Damascus, army ...",
    "opposition": "The political opposition: opposition, Riyadh opposition, HNC ...",
    "qualifiers": "Labels attached to actors: foreign-backed, Saudi-backed, US-led, al-Qaeda-linked, so-called.",
    "military_action": "Military action: airstrikes, bombing, shelling, counter-terrorism ...",
    "conflict": "The conflict itself: civil war, crisis, conflict, bloodshed.",
}

#: group -> canonical -> variants. The default lexicon, curated on Syria-war reporting (see the guide).
DEFAULT_TERMS: dict[str, dict[str, list[str]]] = {
    "armed_groups": {
        "terrorist": ["terrorists", "terrorist", "terrorist groups", "terrorist group", "terror groups", "terror group",
                      "terrorist organizations", "terrorist organisations", "terrorist organization",
                      "terrorist organisation", "terror organizations", "terror outfit", "terror outfits"],
        "militant": ["militants", "militant", "militant groups", "militant group", "militant organizations"],
        "rebel": ["rebels", "rebel", "rebel groups", "rebel group", "rebel fighters", "rebel forces"],
        "opposition fighters": ["opposition fighters", "opposition forces", "armed opposition", "armed opponents"],
        "fighter": ["fighters"],
        "jihadist": ["jihadists", "jihadist", "jihadist groups", "jihadis"],
        "extremist": ["extremists", "extremist", "extremist groups"],
        "islamist": ["islamists", "islamist", "radical islamist", "radical islamists", "islamist groups"],
        "insurgent": ["insurgents", "insurgent", "insurgent groups"],
        "armed group": ["armed groups", "armed group", "armed factions"],
        "mercenary": ["mercenaries", "mercenary"],
    },
    "truce": {
        "ceasefire": ["ceasefire", "ceasefires", "cease-fire", "cease-fires", "cessation of fire"],
        "truce": ["truce", "truces"],
        "cessation of hostilities": ["cessation of hostilities", "cessation of hostile actions"],
        "cessation of military operations": ["cessation of military operations",
                                             "cessation of the military operations"],
        "cessation of violence": ["cessation of violence"],
        "pause in fighting": ["pause in fighting", "pause in the fighting", "let-up in fighting", "lull in fighting"],
        "halt to fighting": ["halt to fighting", "halt to the fighting"],
        "armistice": ["armistice"],
    },
    "islamic_state": {
        "Daesh": ["Daesh", "Da'esh", "Da’esh"],
        "ISIS": ["ISIS"],
        "ISIL": ["ISIL"],
        "Islamic State": ["Islamic State", "IS"],
    },
    "nusra": {
        "Nusra Front": ["Nusra Front", "al-Nusra Front"],
        "al-Nusra": ["al-Nusra", "Nusra"],
        "Jabhat al-Nusra": ["Jabhat al-Nusra"],
    },
    "government": {
        "government": ["Syrian government", "Assad government", "Assad's government", "Syrian authorities",
                       "government of Syria", "Damascus government"],
        "regime": ["Assad regime", "Assad's regime", "Syrian regime", "Damascus regime", "regime"],
        "Damascus": ["Damascus"],
        "army": ["Syrian army", "Syrian Arab Army", "government army"],
        "government forces": ["government forces", "government troops", "pro-government forces"],
        "regime forces": ["regime forces", "Assad forces", "Assad's forces"],
    },
    "opposition": {
        "opposition": ["opposition", "Syrian opposition", "opposition groups", "opposition group",
                       "opposition factions"],
        "Riyadh opposition": ["Riyadh opposition", "Riyadh-based opposition"],
        "moderate opposition": ["moderate opposition"],
        "Saudi-backed opposition": ["Saudi-backed opposition"],
        "High Negotiations Committee": ["High Negotiations Committee", "Higher Negotiations Committee",
                                        "High Negotiating Committee", "HNC"],
    },
    "qualifiers": {
        "foreign-backed": ["foreign-backed", "foreign-sponsored", "foreign-funded", "foreign-supported"],
        "Saudi-backed": ["Saudi-backed", "Saudi-funded"],
        "US-backed": ["US-backed", "U.S.-backed", "American-backed", "Western-backed"],
        "US-led": ["US-led", "U.S.-led"],
        "Turkish-backed": ["Turkish-backed", "Turkey-backed"],
        "Iran-backed": ["Iran-backed", "Iranian-backed"],
        "Russian-backed": ["Russian-backed", "Russia-backed", "Moscow-backed"],
        "al-Qaeda-linked": ["al-Qaeda-linked", "al-Qaeda linked", "al-Qaeda-affiliated", "al-Qaeda affiliated",
                            "al-Qaeda affiliate"],
        "so-called": ["so-called"],
    },
    "military_action": {
        "airstrikes": ["airstrikes", "airstrike", "air strikes", "air strike", "air raids", "air raid"],
        "bombing": ["bombing", "bombings", "bombardment", "bombardments"],
        "shelling": ["shelling"],
        "military operations": ["military operations", "military operation"],
        "counter-terrorism": ["counter-terrorism", "counterterrorism", "anti-terror", "anti-terrorism",
                              "fight against terrorism", "action against terrorism", "war on terror"],
    },
    "conflict": {
        "civil war": ["civil war"],
        "crisis": ["crisis"],
        "conflict": ["conflict"],
        "bloodshed": ["bloodshed"],
    },
}


@dataclass(frozen=True)
class LexiconEntry:
    """One variant of one canonical term of one group."""

    group: str
    canonical: str
    variant: str
    case_sensitive: bool = False


@dataclass(frozen=True)
class TermMatch:
    """One lexicon match in a text: offsets are into the text that was matched."""

    group: str
    canonical: str
    term: str
    start: int
    end: int
    text: str


def _auto_case(variant: str) -> bool:
    letters = [c for c in variant if c.isalpha()]
    return bool(letters) and len(letters) <= 3 and all(c.isupper() for c in letters)


def variant_pattern(variant: str) -> str:
    """The regular expression (without boundaries) that a lexicon variant stands for."""
    v = variant.strip()
    prefix = ""
    m = re.match(r"(?i)al[-\s]+", v)
    if m:
        prefix, v = r"al[\s\-‐‑–]?", v[m.end():]
    out: list[str] = []
    for ch in v:
        if ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif ch in "-‐‑–":
            out.append(r"[\-‐‑–]")
        elif ch in "'’":
            out.append(r"['’]")
        else:
            out.append(re.escape(ch))
    return prefix + "".join(out)


@dataclass(frozen=True)
class Lexicon:
    """A set of :class:`LexiconEntry`; immutable, extend with :meth:`extend` / :meth:`add`."""

    entries: tuple[LexiconEntry, ...]

    @classmethod
    def default(cls) -> Lexicon:
        """The built-in lexicon (:data:`DEFAULT_TERMS`)."""
        return cls(()).extend(DEFAULT_TERMS)

    @classmethod
    def from_mapping(cls, terms: LexiconMapping, case_sensitive: Iterable[str] = ()) -> Lexicon:
        """A lexicon holding only ``terms`` (``{group: {canonical: [variants]}}``)."""
        return cls(()).extend(terms, case_sensitive)

    def extend(self, terms: LexiconMapping | Lexicon, case_sensitive: Iterable[str] = ()) -> Lexicon:
        """A new lexicon with ``terms`` added; variants named in ``case_sensitive`` match case-sensitively."""
        if isinstance(terms, Lexicon):
            new = terms.entries
        else:
            cs = set(case_sensitive)
            new = tuple(LexiconEntry(g, c, v, v in cs or _auto_case(v))
                        for g, canon in terms.items() for c, variants in canon.items() for v in variants)
        seen = {(e.group, e.variant.lower()) for e in self.entries}
        added = []
        for e in new:
            if (e.group, e.variant.lower()) not in seen:
                seen.add((e.group, e.variant.lower()))
                added.append(e)
        return Lexicon(self.entries + tuple(added))

    def add(self, group: str, canonical: str, variants: Sequence[str] | str,
            case_sensitive: bool | None = None) -> Lexicon:
        """A new lexicon with ``variants`` of ``canonical`` in ``group`` added."""
        vs = [variants] if isinstance(variants, str) else list(variants)
        entries = tuple(LexiconEntry(group, canonical, v, _auto_case(v) if case_sensitive is None else case_sensitive)
                        for v in vs)
        return self.extend(Lexicon(entries))

    @property
    def groups(self) -> list[str]:
        """Group names, in order of first appearance."""
        return list(dict.fromkeys(e.group for e in self.entries))

    def to_frame(self) -> pd.DataFrame:
        """The lexicon as a table: group, canonical, variant, case_sensitive."""
        return pd.DataFrame([vars(e) for e in self.entries], columns=["group", "canonical", "variant",
                                                                       "case_sensitive"])

    @cached_property
    def _compiled(self) -> list[tuple[re.Pattern[str], list[LexiconEntry]]]:
        out: list[tuple[re.Pattern[str], list[LexiconEntry]]] = []
        for group in self.groups:
            entries = sorted((e for e in self.entries if e.group == group), key=lambda e: -len(e.variant))
            alts = []
            for i, e in enumerate(entries):
                body = variant_pattern(e.variant)
                alts.append(f"(?P<v{i}>{body})" if e.case_sensitive else f"(?P<v{i}>(?i:{body}))")
            out.append((re.compile(r"(?<![\w\-‐‑])(?:" + "|".join(alts) + r")(?!\w)"), entries))
        return out

    def match(self, text: str) -> list[TermMatch]:
        """Every match in ``text``, sorted by position then group; longest match wins within a group."""
        found = []
        for rx, entries in self._compiled:
            for m in rx.finditer(text):
                e = entries[int(str(m.lastgroup)[1:])]
                found.append(TermMatch(e.group, e.canonical, e.variant, m.start(), m.end(), m.group()))
        return sorted(found, key=lambda t: (t.start, t.group))


def as_lexicon(lexicon: Lexicon | LexiconMapping | None) -> Lexicon:
    """``None`` -> the default lexicon; a mapping -> the default lexicon extended with it; a Lexicon as is."""
    if lexicon is None:
        return Lexicon.default()
    if isinstance(lexicon, Lexicon):
        return lexicon
    return Lexicon.default().extend(lexicon)
