"""Durable review jobs: a queue interface, the SQLite store, and the worker."""
