"""A story's category: from the section the outlet gave, else from a classifier that needs no training data.

Categories are `settings.NEWSHUB_CATEGORIES` (default World, Politics, Business, Technology, Science,
Health, Sports, Entertainment).

1. Sections: feeds and pages often say where an article belongs ("sport", "tech", "Money", "World news").
   `category_from_section` maps common section names onto the configured categories.
2. Otherwise `classify` scores the text against hand-written lexicons shipped in the package
   (`category_lexicon/<category>.txt`: a few hundred words and phrases per category, some weighted). A
   term found in several lexicons counts less in each (an IDF over the lexicons), repeated terms count
   sub-linearly, and the headline counts double. No data set is needed, so nothing is trained.

An admin who adds a category (say "Climate") gives it a lexicon by putting `climate.txt` in
`$NEWSHUB_HOME/category_lexicon/`; a file there also replaces the shipped lexicon of the same name.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

LEXICON_DIR = Path(__file__).parent / "category_lexicon"
MAX_PHRASE_WORDS = 3
TITLE_WEIGHT = 2.0
# Characters of a text read by the classifier: the top of a news text says what it is about.
MAX_TEXT_CHARS = 6000

# Section names seen in feeds and URLs, onto the default categories. Keys are as `_section_key` makes
# them (lower case letters and digits only); a section naming a category ("Health") needs no entry.
SECTION_ALIASES: dict[str, str] = {
    # World
    "world": "World",
    "worldnews": "World",
    "international": "World",
    "global": "World",
    "foreign": "World",
    "africa": "World",
    "asia": "World",
    "asiapacific": "World",
    "europe": "World",
    "middleeast": "World",
    "latinamerica": "World",
    "americas": "World",
    # Politics
    "politics": "Politics",
    "politic": "Politics",
    "uspolitics": "Politics",
    "ukpolitics": "Politics",
    "election": "Politics",
    "elections": "Politics",
    "government": "Politics",
    "policy": "Politics",
    "congress": "Politics",
    "whitehouse": "Politics",
    # Business
    "business": "Business",
    "biz": "Business",
    "economy": "Business",
    "economics": "Business",
    "finance": "Business",
    "money": "Business",
    "markets": "Business",
    "market": "Business",
    "companies": "Business",
    "industry": "Business",
    "personalfinance": "Business",
    "realestate": "Business",
    "work": "Business",
    "jobs": "Business",
    # Technology
    "technology": "Technology",
    "tech": "Technology",
    "scitech": "Technology",
    "scienceandtechnology": "Technology",
    "gadgets": "Technology",
    "internet": "Technology",
    "computing": "Technology",
    "ai": "Technology",
    "cybersecurity": "Technology",
    "digital": "Technology",
    # Science
    "science": "Science",
    "space": "Science",
    "environment": "Science",
    "climate": "Science",
    "nature": "Science",
    "scienceenvironment": "Science",
    # Health
    "health": "Health",
    "medicine": "Health",
    "wellness": "Health",
    "wellbeing": "Health",
    "healthcare": "Health",
    "coronavirus": "Health",
    # Sports
    "sport": "Sports",
    "sports": "Sports",
    "football": "Sports",
    "soccer": "Sports",
    "cricket": "Sports",
    "rugby": "Sports",
    "tennis": "Sports",
    "golf": "Sports",
    "nba": "Sports",
    "nfl": "Sports",
    "mlb": "Sports",
    "nhl": "Sports",
    "formula1": "Sports",
    "f1": "Sports",
    "olympics": "Sports",
    "athletics": "Sports",
    # Entertainment
    "entertainment": "Entertainment",
    "arts": "Entertainment",
    "culture": "Entertainment",
    "artsandculture": "Entertainment",
    "artsentertainment": "Entertainment",
    "showbiz": "Entertainment",
    "celebrity": "Entertainment",
    "celebrities": "Entertainment",
    "movies": "Entertainment",
    "film": "Entertainment",
    "films": "Entertainment",
    "music": "Entertainment",
    "tv": "Entertainment",
    "television": "Entertainment",
    "tvandradio": "Entertainment",
    "books": "Entertainment",
    "stage": "Entertainment",
    "theatre": "Entertainment",
    "lifestyle": "Entertainment",
}


def configured_categories() -> list[str]:
    return list(settings.NEWSHUB_CATEGORIES)


def _section_key(section: str) -> str:
    return re.sub(r"[^a-z0-9]", "", section.casefold().replace("&", "and"))


def category_from_section(section: str, allowed: Sequence[str] | None = None) -> str:
    """The configured category a section name stands for, or "" if it says nothing we know.

    Paths work too: "/news/uk-politics/" looks at "uk-politics", then "news".
    """
    allowed = list(allowed) if allowed is not None else configured_categories()
    by_key = {_section_key(name): name for name in allowed}
    parts = [part for part in re.split(r"[/>|:]+", section) if part.strip()]
    for part in reversed(parts):
        # The whole part ("uk-politics", "Arts & Culture"), then its words in order ("Science & Environment").
        for key in [_section_key(part), *map(_section_key, re.split(r"[\W_]+", part))]:
            if key in by_key:
                return by_key[key]
            if SECTION_ALIASES.get(key) in allowed:
                return SECTION_ALIASES[key]
    return ""


def category_from_sections(sections: Iterable[str], allowed: Sequence[str] | None = None) -> str:
    """The category most of the given sections map onto ("" when none maps; ties: configured order)."""
    allowed = list(allowed) if allowed is not None else configured_categories()
    votes = Counter(filter(None, (category_from_section(s, allowed) for s in sections if s)))
    if not votes:
        return ""
    return max(votes, key=lambda name: (votes[name], -allowed.index(name)))


# --- the lexicon classifier -------------------------------------------------------------------

TOKEN = re.compile(r"[a-z0-9]+(?:['’.&-][a-z0-9]+)*")


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """A crude stem, applied to the text and to the lexicons alike: plural and possessive endings."""
    word = word.replace("’", "'").removesuffix("'s").replace("'", "")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    return [normalize_word(t) for t in TOKEN.findall(text.casefold())]


def terms(words: list[str]) -> Counter[str]:
    """Words and phrases (up to MAX_PHRASE_WORDS words) with their counts."""
    found: Counter[str] = Counter()
    for size in range(1, MAX_PHRASE_WORDS + 1):
        found.update(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))
    return found


@dataclass(frozen=True)
class Lexicons:
    """term -> {category: weight}, weights already divided by how many lexicons hold the term."""

    weights: dict[str, dict[str, float]]
    categories: tuple[str, ...]


def read_lexicon(path: Path) -> dict[str, float]:
    """Comma-separated terms (words or phrases), `term=2` for a weight other than 1; '#' comments."""
    lexicon: dict[str, float] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        for entry in raw.split("#", 1)[0].split(","):
            term, _, weight = entry.partition("=")
            key = " ".join(tokens(term))
            if key:
                lexicon[key] = max(parse_weight(weight, path), lexicon.get(key, 0.0))
    return lexicon


def parse_weight(text: str, path: Path) -> float:
    try:
        weight = float(text) if text.strip() else 1.0
    except ValueError:
        weight = -1.0
    if not 0 <= weight <= 100:
        logger.warning("lexicon weight ignored path=%s weight=%r", path, text)
        return 1.0
    return weight


def lexicon_paths(category: str) -> list[Path]:
    """The admin's lexicon for a category first, then the shipped one."""
    name = f"{_section_key(category)}.txt"
    local = Path(settings.NEWSHUB_HOME) / "category_lexicon" / name
    return [path for path in (local, LEXICON_DIR / name) if path.is_file()]


def first_readable_lexicon(paths: list[Path]) -> dict[str, float] | None:
    for path in paths:
        try:
            return read_lexicon(path)
        except (OSError, UnicodeDecodeError) as error:
            logger.warning("lexicon unreadable path=%s error=%r", path, str(error))
    return None


@lru_cache(maxsize=8)
def load_lexicons(categories: tuple[str, ...]) -> Lexicons:
    per_category: dict[str, dict[str, float]] = {}
    for category in categories:
        lexicon = first_readable_lexicon(lexicon_paths(category))
        if lexicon is None:
            logger.warning("category has no lexicon category=%s (only sections can assign it)", category)
            continue
        per_category[category] = lexicon
    holders: Counter[str] = Counter(term for lexicon in per_category.values() for term in lexicon)
    weights: dict[str, dict[str, float]] = {}
    for category, lexicon in per_category.items():
        for term, weight in lexicon.items():
            weights.setdefault(term, {})[category] = weight / holders[term]
    return Lexicons(weights=weights, categories=tuple(per_category))


def category_scores(title: str, text: str = "", categories: Sequence[str] | None = None) -> dict[str, float]:
    """Each category's evidence in the text (0 for none)."""
    lexicons = load_lexicons(tuple(categories or configured_categories()))
    scores = dict.fromkeys(lexicons.categories, 0.0)
    found = terms(tokens(title))
    for term, count in found.items():
        found[term] = count * TITLE_WEIGHT
    found.update(terms(tokens(text[:MAX_TEXT_CHARS])))
    for term, count in found.items():
        for category, weight in lexicons.weights.get(term, {}).items():
            scores[category] += weight * (1.0 + math.log(count))
    return scores


def classify(title: str, text: str = "", categories: Sequence[str] | None = None) -> str:
    """The best-scoring category, or "" when the text holds no evidence for any."""
    scores = category_scores(title, text, categories)
    best = max(scores, key=lambda name: scores[name], default="")
    return best if best and scores[best] > 0 else ""
