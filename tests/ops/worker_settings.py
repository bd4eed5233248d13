"""Settings for the processes the scale-out tests start (workers, the in-process reference run): the test
settings with the article stages wired, as in a real installation."""

from tests.settings import *  # noqa: F403

NEWSHUB_ARTICLE_STAGES = ["newshub.stories.stage.assign_story", "newshub.claims.stage.attribute"]
