"""A story's articles as the reader sees them: each original once, its copies folded under it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from newshub.ingest.models import Article


@dataclass
class ArticleGroup:
    article: Article
    copies: list[Article] = field(default_factory=list)

    @property
    def copy_outlets(self) -> list[str]:
        return sorted({copy.outlet.name for copy in self.copies if copy.outlet_id != self.article.outlet_id})


def fold_copies(articles: Iterable[Article]) -> list[ArticleGroup]:
    """Groups in the order given; a copy whose original is not among `articles` stands on its own."""
    articles = list(articles)
    groups = {article.pk: ArticleGroup(article) for article in articles if not article.original_id}
    for article in articles:
        if article.original_id and article.original_id in groups:
            groups[article.original_id].copies.append(article)
        elif article.original_id:
            groups[article.pk] = ArticleGroup(article)
    order = {article.pk: index for index, article in enumerate(articles)}
    return sorted(groups.values(), key=lambda group: order[group.article.pk])
