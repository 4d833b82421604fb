"""Typed FastAPI dependencies: settings, job store, storage, the caller's tenant."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.api.keys import LOCAL_TENANT, hash_key
from service.api.limits import RateLimiter
from service.errors import Unauthorized
from service.jobs.sqlite_store import SQLiteJobStore
from service.jobs.storage import ContractStorage
from service.settings import Settings

COOKIE = "cw_key"


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> SQLiteJobStore:
    return request.app.state.store


def get_storage(request: Request) -> ContractStorage:
    return request.app.state.storage


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[SQLiteJobStore, Depends(get_store)]
StorageDep = Annotated[ContractStorage, Depends(get_storage)]


def presented_key(request: Request) -> str | None:
    """The key from `Authorization: Bearer` or the web page's cookie."""
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return request.cookies.get(COOKIE) or None


BEARER = HTTPBearer(auto_error=False, description="API key from `clausewise keys create`")


def _keyed_tenant(request: Request, store: SQLiteJobStore) -> str | None:
    key = presented_key(request)
    return store.tenant_for(hash_key(key)) if key else None


def tenant_of(request: Request, store: SQLiteJobStore) -> str | None:
    """The caller's tenant ("local" in single-user mode), or None without a valid key."""
    return LOCAL_TENANT if store.key_count() == 0 else _keyed_tenant(request, store)


def get_tenant(request: Request, store: StoreDep,
               _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)] = None
               ) -> str:
    """The tenant comes only from the credential; single-user mode when no keys exist."""
    if store.key_count() == 0:
        return LOCAL_TENANT
    tenant = _keyed_tenant(request, store)
    if tenant is None:
        raise Unauthorized("a valid API key is required (Authorization: Bearer <key>)")
    limiter: RateLimiter = request.app.state.limiter
    limiter.check(tenant)
    return tenant


TenantDep = Annotated[str, Depends(get_tenant)]
