"""Docker Study Bot: the core (no chat library imported here) and its adapters."""

__version__ = "0.1.0"
