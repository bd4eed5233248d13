"""Attribution extraction scored on PolNeAR (political news attributions)."""
