"""Load the demo corpus through the Celery workers: `python -m tests.ops.queue_demo TIMEOUT`.

Like `newshub demo`, but the polls themselves go on the fetch queue, so the workers do everything;
run with NEWSHUB_BROKER_URL and NEWSHUB_DATABASE_URL set. Exits 1 if the workers did not finish in time.
"""

import sys

import django


def main(timeout: float) -> int:
    django.setup()
    from django.utils import timezone

    from newshub.demo.corpus import load_corpus
    from newshub.demo.loader import corpus_served, demo_feeds
    from newshub.ops.drain import wait_until_idle
    from newshub.sources.models import Feed
    from newshub.tasks import enqueue_polls, finish_round

    corpus = load_corpus(timezone.now())
    with corpus_served(corpus, "") as base_url:
        feed_ids = [feed.pk for feed in demo_feeds(base_url, corpus)]
        enqueue_polls(feed_ids)
        finished = wait_until_idle(timeout) is not None
    # The scheduler's round (merge pass, story rebuilds), as the in-process driver runs after each round.
    finish_round.delay()
    finished = finished and wait_until_idle(timeout) is not None
    return 0 if finished and not Feed.objects.filter(pk__in=feed_ids, last_polled_at__isnull=True) else 1


if __name__ == "__main__":
    sys.exit(main(float(sys.argv[1])))
