"""The curated risky-clause library (YAML data in clause_library/)."""

from service.library.loader import ClauseLibrary, get_library, load_library
from service.library.schema import ClauseEntry

__all__ = ["ClauseEntry", "ClauseLibrary", "get_library", "load_library"]
