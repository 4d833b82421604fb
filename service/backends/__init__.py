"""Reviewer backends (offline default; OpenAI-compatible LLM)."""
