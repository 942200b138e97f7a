"""autoreply: answers and notifies marketplace buyers on a seller's behalf."""

__version__ = "0.1.0"
