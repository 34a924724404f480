"""Things: run JavaScript programs on a fleet of devices and live-migrate them with their state."""

__version__ = "0.1.0"
