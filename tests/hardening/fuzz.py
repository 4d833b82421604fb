"""schemathesis over the app's own OpenAPI spec, sent to a live server (real uvicorn)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis.errors import Unsatisfiable

CHECKED = "not_a_server_error, status_code, content_type, response_schema, response_headers"


@dataclass
class FuzzRun:
    """What one run sent and what came back wrong."""

    cases: int = 0
    server_errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    unsendable: int = 0  # cases the HTTP client itself refuses (e.g. CR in a header value)
    by_status: dict[int, int] = field(default_factory=dict)


def _checks() -> list[Callable[..., Any]]:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [not_a_server_error, status_code_conformance, content_type_conformance,
            response_schema_conformance, response_headers_conformance]


def _send(run: FuzzRun, case: Any, url: str, headers: dict[str, str]) -> None:
    from schemathesis.core.failures import FailureGroup

    try:
        response = case.call(base_url=url, headers=headers, timeout=60)
    except (ValueError, OSError) as exc:  # requests refuses some generated headers locally
        run.unsendable += 1
        if not type(exc).__name__.startswith("Invalid"):
            raise
        return
    run.cases += 1
    run.by_status[response.status_code] = run.by_status.get(response.status_code, 0) + 1
    where = f"{case.operation.label} -> {response.status_code} {response.text[:160]!r}"
    if response.status_code >= 500:
        run.server_errors.append(where)
    try:
        case.validate_response(response, checks=_checks()[1:])
    except FailureGroup as group:
        titles = sorted({f.title for f in group.exceptions})
        run.violations.append(f"{where} {titles}")


def fuzz(url: str, spec: dict[str, Any], *, headers: dict[str, str] | None = None,
         max_examples: int = 20, path_parameters: dict[str, str] | None = None,
         modes: tuple[str, ...] = ("positive", "negative")) -> FuzzRun:
    """Generate up to `max_examples` cases per operation and mode; send them; check responses."""
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.core.result import Err

    run = FuzzRun()
    schema = schemathesis.openapi.from_dict(spec)
    for result in schema.get_all_operations():
        if isinstance(result, Err):  # the spec itself is broken: that is a finding too
            raise AssertionError(f"invalid OpenAPI operation: {result.err()}")
        op = result.ok()
        params = {k: v for k, v in (path_parameters or {}).items()
                  if f"{{{k}}}" in op.path and op.method.upper() == "GET"}  # DELETE stays random
        for mode in modes:
            strategy = op.as_strategy(generation_mode=GenerationMode(mode),
                                      path_parameters=params or None)

            @given(case=strategy)
            @hsettings(max_examples=max_examples, deadline=None, database=None,
                       suppress_health_check=list(HealthCheck), derandomize=True,
                       phases=[Phase.explicit, Phase.generate], print_blob=False)
            def one(case: Any) -> None:
                _send(run, case, url, headers or {})

            try:
                one()
            except Unsatisfiable:
                continue  # e.g. no invalid value exists for a free-form string path parameter
    return run
