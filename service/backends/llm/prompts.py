"""Prompt templates (prompts/*.j2) loaded and validated strictly; rendered with Jinja2."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from pydantic import BaseModel, ConfigDict

from service.errors import ConfigError

REQUIRED = ("system", "user", "reask")


class PromptManifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    templates: dict[str, str]


@dataclass(frozen=True)
class PromptSet:
    version: str
    templates: dict[str, Template]

    def render(self, name: str, **values: object) -> str:
        """Render one template; undefined variables are errors."""
        return self.templates[name].render(**values).strip()


@lru_cache(maxsize=4)
def load_prompts(prompts_dir: str) -> PromptSet:
    """Load prompts.yaml and its templates; raise ConfigError on anything missing."""
    root = Path(prompts_dir)
    try:
        manifest = PromptManifest.model_validate(
            yaml.safe_load((root / "prompts.yaml").read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"invalid prompts at {root}: {exc}") from exc
    missing = [n for n in REQUIRED if n not in manifest.templates]
    if missing:
        raise ConfigError(f"prompts.yaml lacks templates: {missing}")
    # Plain-text prompts: no HTML autoescape; StrictUndefined catches template typos.
    env = Environment(loader=FileSystemLoader(str(root)), undefined=StrictUndefined,
                      autoescape=False, keep_trailing_newline=False)
    templates = {name: env.get_template(file) for name, file in manifest.templates.items()}
    return PromptSet(version=manifest.version, templates=templates)
