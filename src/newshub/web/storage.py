"""Static files as `newshub run` serves them: hashed names (cached forever) and gzip copies."""

from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's storage without Brotli: Brotli at its top quality takes minutes over the API docs'
    bundles on a small machine, delaying the first `newshub run`, for a few percent over gzip."""

    def create_compressor(self, **kwargs: Any) -> Compressor:
        return Compressor(use_brotli=False, **kwargs)
