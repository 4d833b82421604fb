"""Clausewise: contract clause reviewer for healthcare practices."""

__version__ = "0.1.0"
