"""Spam filter benchmark: leave one file out on the YouTube Spam Collection, against a TF-IDF baseline."""
