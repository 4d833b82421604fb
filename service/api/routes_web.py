"""The web page: sign in with an API key, upload, watch status live, open and delete reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from service.api.deps import COOKIE, StoreDep, tenant_of
from service.api.keys import hash_key

router = APIRouter(include_in_schema=False)
HERE = Path(__file__).parent
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
STATIC = {"app.js": "text/javascript", "app.css": "text/css"}
_env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                   autoescape=select_autoescape(default=True, enabled_extensions=("j2", "html")))


def _page(name: str, **values: object) -> HTMLResponse:
    html = _env.get_template(name).render(**values)
    return HTMLResponse(html, headers={"Content-Security-Policy": PAGE_CSP,
                                       "X-Content-Type-Options": "nosniff",
                                       "Cache-Control": "no-store"})


@router.get("/")
def index(request: Request, store: StoreDep) -> Response:
    tenant = tenant_of(request, store)
    if tenant is None:
        return _page("signin.html.j2", error=None)
    return _page("index.html.j2", tenant=tenant, single_user=store.key_count() == 0)


@router.post("/session")
def sign_in(request: Request, store: StoreDep, key: Annotated[str, Form(max_length=200)]) -> Response:
    if store.tenant_for(hash_key(key.strip())) is None:
        return _page("signin.html.j2", error="That API key is not valid.")
    resp = RedirectResponse("/", status_code=303)
    resp.set_cookie(COOKIE, key.strip(), httponly=True, samesite="strict",
                    secure=request.url.scheme == "https", max_age=12 * 3600)
    return resp


@router.post("/session/logout")
def sign_out() -> Response:
    resp = RedirectResponse("/", status_code=303)
    resp.delete_cookie(COOKIE)
    return resp


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in STATIC:
        return Response(status_code=404)
    return FileResponse(HERE / "static" / name, media_type=STATIC[name],
                        headers={"X-Content-Type-Options": "nosniff"})
