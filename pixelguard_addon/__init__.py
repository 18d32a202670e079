"""pixelguard: catch protected health information leaving for third-party trackers."""

__version__ = "0.1.0"
