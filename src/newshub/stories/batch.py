"""Batch clustering for evaluation: articles from JSON lines through the real engine, in memory.

The engine is the one the pipeline stage uses; only the store differs (a counter for story ids,
nothing written anywhere), so a benchmark run never touches a site's database.
"""

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count

from newshub.stories.cluster import ClusterConfig, Features
from newshub.stories.copies import Candidate, fingerprint
from newshub.stories.engine import ArticleRecord, StoryEngine
from newshub.stories.features import (
    content_terms,
    entity_input,
    entity_terms,
    extract_entities,
    text_date,
)

log = logging.getLogger(__name__)


@dataclass
class BatchArticle:
    id: object
    title: str
    text: str
    when: datetime | None
    outlet: str


class BadLine(ValueError):
    pass


def parse_time(value: object) -> datetime | None:
    """ISO 8601 date or date-time; naive times are taken as UTC; anything else is no date."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_line(line: str) -> BatchArticle:
    """One article from a JSON line; the gold `cluster` field is never read.

    With no date field, the dateline at the top of the text, or a headline that is a dateline, dates
    the article: it is then fed in date order with the others, instead of at the stream's clock
    wherever it sits in the file.
    """
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadLine(f"not JSON: {error.msg}") from None
    if not isinstance(item, dict) or "id" not in item or item["id"] is None:
        raise BadLine("not an object with an id")
    if isinstance(item["id"], dict | list):
        raise BadLine("id is not a number or a string")

    def text_field(name: str) -> str:
        value = item.get(name)
        return value if isinstance(value, str) else ""

    date = item.get("date") if item.get("date") is not None else item.get("published")
    title, text = text_field("title"), text_field("text")
    # Some pages give their dateline as the headline ("September 18th, 2013, 05:31 GMT").
    when = parse_time(date) or text_date(text) or text_date(title)
    return BatchArticle(item["id"], title, text, when, text_field("outlet"))


def read_articles(lines: Iterable[str]) -> list[BatchArticle]:
    articles = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            articles.append(parse_line(line))
        except BadLine as error:
            log.warning("batch skipped_line line=%d reason=%r", number, str(error))
    return articles


def stream_order(articles: list[BatchArticle]) -> list[int]:
    """Positions in feeding order: dated articles by date; an undated one keeps its place in the file."""
    dated = iter(
        sorted((i for i, a in enumerate(articles) if a.when is not None), key=lambda i: articles[i].when)
    )
    return [i if a.when is None else next(dated) for i, a in enumerate(articles)]


def cluster_articles(
    articles: list[BatchArticle],
    config: ClusterConfig | None = None,
    progress: Callable[[int], None] = lambda done: None,
) -> list[dict]:
    """One result per article, in the input's order: {"id", "story", "original"}."""
    order = stream_order(articles)
    story_ids = count(1)
    engine = StoryEngine(lambda: next(story_ids), config)
    stories: dict[int, int | None] = {}
    originals: dict[int, int | None] = {}
    merged_into: dict[int, int] = {}
    # Engine keys are feeding positions, so ties between originals go to the first one fed.
    key_of_position: dict[int, int] = {}
    entity_lists = extract_entities(entity_input(articles[i].title, articles[i].text) for i in order)
    for done, (key, entities) in enumerate(zip(order, entity_lists, strict=True), 1):
        article = articles[key]
        key_of_position[done] = key
        terms = content_terms(article.title, article.text)
        if not terms and not entities:
            log.warning("batch skipped id=%s reason=no_text", article.id)
            stories[key], originals[key] = None, None
        else:
            record = ArticleRecord(
                Candidate(done, article.when),
                Features(terms, entity_terms(entities), article.when),
                fingerprint(article.text),
            )
            placement = engine.place(record)
            stories[key], originals[key] = placement.story, placement.original
            for position, new_original in placement.repointed.items():
                originals[key_of_position[position]] = new_original
            if engine.clusterer.merge_due():
                merged_into.update(engine.merge_pass())
        progress(done)
    merged_into.update(engine.merge_pass())
    log.info(
        "batch clustered articles=%d stories=%d merges=%d",
        len(articles),
        len({final_story(story, merged_into) for story in stories.values() if story is not None}),
        len(merged_into),
    )
    return [
        {
            "id": article.id,
            "story": final_story(stories[key], merged_into),
            "original": None if originals[key] is None else articles[key_of_position[originals[key]]].id,
        }
        for key, article in enumerate(articles)
    ]


def final_story(story: int | None, merged_into: dict[int, int]) -> int | None:
    while story in merged_into:
        story = merged_into[story]
    return story
