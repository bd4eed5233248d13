"""The claims app's JSON for the API (newshub.api looks for `claim_groups_for_story` here)."""

from newshub.claims.views_data import claim_groups_for_story

__all__ = ["claim_groups_for_story"]
