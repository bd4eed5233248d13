"""A generated news database for bench/web: outlets, stories of related articles, copies, coverage, claims.

Text is assembled from news-like sentence templates, so pages look and weigh like real ones and search
words have realistic frequencies (place and person names are rarer than common nouns). Rows go in with
bulk_create; the search app's triggers fill the full-text index as they land.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from rich.progress import Progress

PLACES = [
    "Tarrow", "Velmora", "Kestrel Bay", "Ostrava", "Marovia", "Lindqvist", "Port Alden", "Sarn", "Quillon",
    "Brenna", "Halvik", "Doran", "Eastmere", "Coldwater", "Ritter Falls", "Juniper", "Ashgrove", "Navarre",
    "Pellam", "Varkov", "Westholm", "Idris", "Caldera", "Morwen", "Tolland", "Greystone", "Sable Point",
    "Rookhaven", "Elstree", "Fennick",
]  # fmt: skip
SURNAMES = [
    "Okafor", "Lindgren", "Moreau", "Tanaka", "Alvarez", "Kowalski", "Haddad", "Brennan", "Novak", "Osei",
    "Castillo", "Fischer", "Ivanova", "Mensah", "Rossi", "Sato", "Dubois", "Nakamura", "Petrov", "Quinn",
]  # fmt: skip
FIRST_NAMES = ["Amara", "Jonas", "Leila", "Marco", "Ingrid", "Tomas", "Yuki", "Samir", "Grace", "Pavel"]
ROLES = ["minister", "spokesperson", "mayor", "chief executive", "general", "senator", "analyst", "judge"]
ORGANISATIONS = ["the ministry", "the council", "the central bank", "the union", "the army", "the regulator"]
TOPICS = [
    ("flood", "levees", "evacuations"), ("election", "ballots", "turnout"),
    ("strike", "wages", "talks"), ("merger", "shares", "regulators"),
    ("outbreak", "vaccines", "hospitals"), ("drought", "harvest", "prices"),
    ("ceasefire", "troops", "border"), ("budget", "taxes", "deficit"),
    ("launch", "satellite", "orbit"), ("trial", "verdict", "appeal"),
    ("blackout", "grid", "repairs"), ("summit", "treaty", "delegates"),
    ("wildfire", "firefighters", "villages"), ("scandal", "resignation", "inquiry"),
    ("final", "goal", "fans"),
]  # fmt: skip
CATEGORIES = ["World", "Politics", "Business", "Technology", "Science", "Health", "Sports", "Entertainment"]
OUTLET_WORDS = [
    "Herald",
    "Ledger",
    "Courier",
    "Tribune",
    "Observer",
    "Gazette",
    "Post",
    "Wire",
    "Review",
    "Times",
]
KINDS = ["newspaper"] * 5 + ["wire", "broadcaster", "public_broadcaster", "magazine", "digital", "blog"]
LEANS = ["", "left", "lean_left", "center", "center", "lean_right", "right"]
COUNTRIES = ["GB", "US", "CA", "NO", "IN", "DE", "FR", "AU", "NG", "JP", "BR", "ZA"]
SENTENCES = [
    "{person}, the {role} of {place}, said the {topic} would {verb} {noun} before {month}.",
    "Officials in {place} confirmed that {noun} had been {past} after the {topic}.",
    "{org} denied that {noun} in {place} were {past}, calling the reports misleading.",
    "Residents of {place} described long queues as {noun} were {past} overnight.",
    "The {topic} has already {past} {other} across {place}, according to {org}.",
    "{person} told reporters that {org} expected {noun} to {verb} within weeks.",
    "Critics argue the response to the {topic} in {place} came too late for many families.",
    "Figures released on {day} showed {noun} rising for a third month in {place}.",
]  # fmt: skip
VERBS = ["delay", "restore", "expand", "suspend", "review", "limit", "double", "secure"]
PAST = ["suspended", "restored", "expanded", "delayed", "reviewed", "cut", "doubled", "blocked"]
MONTHS = ["March", "April", "June", "September", "the end of the year", "the spring"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
ARTICLES_PER_BATCH = 2000
COPY_SHARE = 0.1  # one article in ten republishes another outlet's (a wire story)


@dataclass(frozen=True)
class StoryPlan:
    place: str
    topic: tuple[str, str, str]
    person: str
    role: str
    category: str


def plan_story(rng: random.Random, index: int) -> StoryPlan:
    return StoryPlan(
        place=rng.choice(PLACES),
        topic=rng.choice(TOPICS),
        person=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
        role=rng.choice(ROLES),
        category=CATEGORIES[index % len(CATEGORIES)],
    )


def sentence(rng: random.Random, plan: StoryPlan) -> str:
    topic, noun, other = plan.topic
    return rng.choice(SENTENCES).format(
        person=plan.person,
        role=plan.role,
        place=plan.place,
        topic=topic,
        noun=noun,
        other=other,
        org=rng.choice(ORGANISATIONS),
        verb=rng.choice(VERBS),
        past=rng.choice(PAST),
        month=rng.choice(MONTHS),
        day=rng.choice(DAYS),
    )


def paragraph(rng: random.Random, plan: StoryPlan, sentences: int) -> str:
    text = " ".join(sentence(rng, plan) for _ in range(sentences))
    return text[0].upper() + text[1:]


def headline(rng: random.Random, plan: StoryPlan) -> str:
    topic, noun, _ = plan.topic
    verb = rng.choice(PAST)
    return f"{plan.place} {topic}: {noun} {verb} as {plan.person.split()[1]} warns of {rng.choice(MONTHS)}"


def make_outlets(rng: random.Random, count: int) -> list:
    from newshub.sources.models import Outlet

    outlets = []
    for index in range(count):
        name = f"The {PLACES[index % len(PLACES)]} {OUTLET_WORDS[index // len(PLACES) % len(OUTLET_WORDS)]}"
        slug = name.lower().replace("the ", "").replace(" ", "-")
        outlets.append(
            Outlet(
                name=name,
                slug=slug,
                homepage=f"https://{slug}.example/",
                country=rng.choice(COUNTRIES),
                kind=rng.choice(KINDS),
                lean=rng.choice(LEANS),
                reliability=rng.choice(["", "high", "mixed"]),
            )
        )
    return Outlet.objects.bulk_create(outlets)


def story_summary(outlets: list, last_seen: datetime) -> dict:
    from newshub.stories.coverage import OutletProfile, blindspot, coverage_mix, story_score

    distinct = {outlet.pk: outlet for outlet in outlets}.values()
    coverage = coverage_mix(OutletProfile(o.country, o.kind, o.lean, o.reliability) for o in distinct)
    return {
        "coverage": coverage,
        "blindspot": blindspot(coverage),
        "outlet_count": len(distinct),
        "score": story_score(len(distinct), coverage, last_seen),
    }


def build(articles: int, stories: int, outlet_count: int, seed: int = 7) -> dict:
    """Fill the (migrated, empty) database; returns counts and a few story ids and search words."""
    from newshub.claims.models import Claim, ClaimGroup
    from newshub.ingest.models import Article
    from newshub.stories.models import Story

    rng = random.Random(seed)
    now = timezone.now()
    outlets = make_outlets(rng, outlet_count)
    per_story = max(1, articles // stories)
    with Progress() as progress:
        task = progress.add_task("stories", total=stories)
        for first in range(0, stories, ARTICLES_PER_BATCH // per_story):
            indexes = range(first, min(stories, first + ARTICLES_PER_BATCH // per_story))
            with transaction.atomic():
                plans = [plan_story(rng, index) for index in indexes]
                made = build_stories(rng, plans, outlets, per_story, now, Story, Article)
                build_claims(rng, made, ClaimGroup, Claim)
            progress.advance(task, len(indexes))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"outlets": len(outlets), "stories": Story.objects.count(), "articles": Article.objects.count()}


def build_stories(rng, plans, outlets, per_story, now, Story, Article) -> list[tuple]:
    """Stories with their articles (some of them copies); returns (story, articles, plan) triples."""
    rows = []
    for plan in plans:
        hours_ago = rng.uniform(0, 24 * 30)
        last_seen = now - timedelta(hours=hours_ago)
        authors = rng.sample(outlets, k=min(len(outlets), per_story))
        story = Story(
            title=headline(rng, plan),
            lead=paragraph(rng, plan, 2),
            category=plan.category,
            first_seen=last_seen - timedelta(hours=rng.uniform(1, 48)),
            last_seen=last_seen,
            article_count=per_story,
            **story_summary(authors, last_seen),
        )
        rows.append((story, authors, plan, last_seen))
    stories = Story.objects.bulk_create([row[0] for row in rows])
    made = []
    for story, (_, authors, plan, last_seen) in zip(stories, rows, strict=True):
        articles = [
            Article(
                outlet=outlet,
                story=story,
                url=f"https://{outlet.slug}.example/{story.pk}/{number}",
                title=headline(rng, plan),
                lead=paragraph(rng, plan, 2),
                text="\n\n".join(paragraph(rng, plan, 4) for _ in range(3)),
                published_at=last_seen - timedelta(minutes=rng.uniform(0, 600)),
                language="en",
                section=plan.category,
            )
            for number, outlet in enumerate(authors)
        ]
        made.append((story, Article.objects.bulk_create(articles), plan))
    copies = []
    for _, articles, _ in made:
        for copy in articles[1:]:
            if rng.random() < COPY_SHARE:
                copy.original = articles[0]
                copies.append(copy)
    Article.objects.bulk_update(copies, ["original"])
    return made


def build_claims(rng, made, ClaimGroup, Claim) -> None:
    """Two claim groups per story, each asserted and denied by speakers quoted in different articles."""
    groups, claims = [], []
    for story, articles, plan in made:
        for _ in range(2):
            content = sentence(rng, plan)
            groups.append(
                (ClaimGroup(story=story, label=content, contradicted=True), articles, content, plan)
            )
    saved = ClaimGroup.objects.bulk_create([row[0] for row in groups])
    for group, (_, articles, content, plan) in zip(saved, groups, strict=True):
        for stance, article in zip(("asserts", "denies"), rng.sample(articles, k=2), strict=True):
            speaker = plan.person if stance == "asserts" else rng.choice(ORGANISATIONS).removeprefix("the ")
            claims.append(
                Claim(
                    article=article,
                    group=group,
                    speaker=speaker,
                    speaker_text=speaker,
                    speaker_kind="person" if stance == "asserts" else "organisation",
                    cue="said" if stance == "asserts" else "denied",
                    content=content,
                    stance=stance,
                    cue_start=0,
                    cue_end=4,
                    content_start=5,
                    content_end=5 + len(content),
                )
            )
    Claim.objects.bulk_create(claims)


def search_queries(count: int = 400, seed: int = 13) -> list[str]:
    """Different searches a reader might make of this corpus: each content word of its vocabulary (names,
    places, topics, verbs, sentence words) alone, then pairs of them, `count` in all."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    sentences = [re.sub(r"\{\w+\}", " ", template) for template in SENTENCES]
    topics = [word for topic in TOPICS for word in topic]
    vocabulary = [*PLACES, *SURNAMES, *FIRST_NAMES, *ROLES, *ORGANISATIONS, *topics, *VERBS, *PAST]
    vocabulary += [*MONTHS, *DAYS, *CATEGORIES, *sentences]
    found = {word.lower() for text in vocabulary for word in re.findall(r"[A-Za-z]{3,}", text)}
    words = sorted(found - ENGLISH_STOP_WORDS)
    rng = random.Random(seed)
    queries = list(words)
    while len(queries) < count:
        pair = " ".join(rng.sample(words, 2))
        if pair not in queries:
            queries.append(pair)
    rng.shuffle(queries)
    return queries[:count]
