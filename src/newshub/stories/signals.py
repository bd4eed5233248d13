"""What the stories app tells others: stories that turned out to be one were merged.

Sent inside the merge's transaction with `merges`, a list of (absorbed story id, surviving story id), so
apps keeping per-story state (claim groups) rebuild it without the stories app knowing about them.
"""

from django.dispatch import Signal

stories_merged = Signal()
