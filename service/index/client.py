"""Chroma client factory: embedded PersistentClient under the data dir, or a server by URL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from service.errors import ClausewiseError, ConfigError

if TYPE_CHECKING:
    from service.settings import Settings


class IndexUnavailable(ClausewiseError):
    """The vector store could not be reached."""

    code = "index_unavailable"
    status = 503


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """(host, port, ssl) of a Chroma server URL such as http://127.0.0.1:8001."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"chroma_url must look like http://host:port, got {url!r}")
    if parts.path not in ("", "/") or parts.query or parts.username:
        raise ConfigError(f"chroma_url must not carry a path, query or credentials: {url!r}")
    ssl = parts.scheme == "https"
    try:
        port = parts.port or (443 if ssl else 8000)
    except ValueError as exc:
        raise ConfigError(f"chroma_url has an invalid port: {url!r}") from exc
    return parts.hostname, port, ssl


def make_client(settings: Settings) -> Any:
    """A chromadb client: HttpClient if settings.chroma_url is set, else PersistentClient(<data_dir>/chroma)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        host, port, ssl = parse_chroma_url(settings.chroma_url)
        try:
            return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
        except ValueError as exc:  # chromadb's wording for "connection refused" at construction
            raise IndexUnavailable(f"Chroma server at {settings.chroma_url} is not reachable: {exc}") from exc
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
