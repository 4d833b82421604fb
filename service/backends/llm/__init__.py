"""OpenAI-compatible LLM reviewer (OpenAI, Azure, vLLM, Ollama, llama.cpp...)."""

from service.backends.llm.reviewer import LLMReviewer

__all__ = ["LLMReviewer"]
