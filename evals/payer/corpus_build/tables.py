"""Deterministic expansion of <<rate-table ...>> directives into table rows (header row first)."""

from __future__ import annotations

import random
from collections.abc import Callable

from corpus_build.codes import PC_TC, SPECIALTIES, WRVU, Code


class TableError(ValueError):
    """A rate-table directive has unknown or missing attributes."""


def _money(x: float) -> str:
    return f"${x:,.2f}"


def _pick(codes: list[Code], rng: random.Random, n: int) -> list[Code]:
    chosen = codes if n >= len(codes) else rng.sample(codes, n)
    return sorted(chosen, key=lambda c: c[0])


def _expand_pc_tc(codes: list[Code]) -> list[tuple[str, str, str, float]]:
    out: list[tuple[str, str, str, float]] = []
    for code, desc, amt in codes:
        out.append((code, "", desc, amt))
        if code in PC_TC:
            out.append((code, "26", desc + " (professional component)", round(amt * 0.36, 2)))
            out.append((code, "TC", desc + " (technical component)", round(amt * 0.64, 2)))
    return out


def _fee(a: dict[str, str], rng: random.Random) -> list[list[str]]:
    base = float(a.get("pct", "112"))
    spread = float(a.get("spread", "9"))
    codes = _pick(SPECIALTIES[a["specialty"]], rng, int(a["rows"]))
    rows = [["Code", "Mod", "Description", "Allowed Amount", "% of Medicare"]]
    for code, mod, desc, medicare in _expand_pc_tc(codes):
        pct = round(base + rng.uniform(-spread, spread))
        rows.append([code, mod, desc, _money(medicare * pct / 100), f"{pct}%"])
    return rows


def _drug(a: dict[str, str], rng: random.Random) -> list[list[str]]:
    basis = a.get("basis", "ASP")
    adj = float(a.get("pct", "4"))
    codes = _pick(SPECIALTIES["drugs"], rng, int(a["rows"]))
    rows = [["HCPCS", "Description", "Billing Unit", "Rate per Unit", "Basis"]]
    for code, desc, asp in codes:
        unit = desc.rsplit(", ", 1)[-1]
        sign = "+" if adj >= 0 else "-"
        rows.append([code, desc.rsplit(", ", 1)[0], unit, _money(asp * (1 + adj / 100)),
                     f"{basis} {sign} {abs(adj):g}%"])
    return rows


def _asc(a: dict[str, str], rng: random.Random) -> list[list[str]]:
    base = float(a.get("pct", "105"))
    codes = _pick(SPECIALTIES["asc"], rng, int(a["rows"]))
    rows = [["Code", "Description", "Facility Rate", "% of Medicare ASC", "Multiple Procedure"]]
    for i, (code, desc, amt) in enumerate(codes):
        if code[0] in "VC":
            rows.append([code, desc, "Included in case rate", "n/a", "n/a"])
            continue
        pct = round(base + rng.uniform(-6, 6))
        rule = ["100% / 50% / 25%", "100% / 50% / 0%", "100% / 50% / 50%"][i % 3]
        rows.append([code, desc, _money(amt * pct / 100), f"{pct}%", rule])
    return rows


def _wrvu(a: dict[str, str], rng: random.Random) -> list[list[str]]:
    cf = float(a.get("cf", "58.50"))
    codes = [c for c in _pick(SPECIALTIES["orthopedics"], rng, int(a["rows"])) if WRVU[c[0]]]
    rows = [["CPT", "Description", "Work RVU", f"Credit at {_money(cf)} per wRVU"]]
    for code, desc, _ in codes:
        rows.append([code, desc, f"{WRVU[code]:.2f}", _money(WRVU[code] * cf)])
    return rows


def _payment(a: dict[str, str], rng: random.Random) -> list[list[str]]:
    principal, months = float(a["amount"]), int(a["months"])
    r = float(a.get("rate", "7.9")) / 1200
    pay = principal * r / (1 - (1 + r) ** -months)
    rows = [["No.", "Due", "Payment", "Interest", "Principal", "Balance"]]
    bal = principal
    for n in range(1, months + 1):
        interest = bal * r
        bal = max(bal - (pay - interest), 0.0)
        due = f"Month {n}"
        rows.append([str(n), due, _money(pay), _money(interest), _money(pay - interest), _money(bal)])
    return rows


def _rent(a: dict[str, str], rng: random.Random) -> list[list[str]]:
    rsf, rate = float(a["rsf"]), float(a["rate"])
    esc = float(a.get("escalator", "3"))
    rows = [["Lease Year", "Rate per RSF", "Annual Base Rent", "Monthly Installment"]]
    for year in range(1, int(a["years"]) + 1):
        rows.append([str(year), _money(rate), _money(rate * rsf), _money(rate * rsf / 12)])
        rate *= 1 + esc / 100
    return rows


KINDS: dict[str, Callable[[dict[str, str], random.Random], list[list[str]]]] = {
    "fee": _fee, "drug": _drug, "asc": _asc, "wrvu": _wrvu, "payment": _payment, "rent": _rent,
}


def expand_table(attrs: dict[str, str]) -> list[list[str]]:
    """Rows for one directive; the same attributes always give the same rows."""
    kind = attrs.get("kind", "fee")
    if kind not in KINDS:
        raise TableError(f"unknown rate-table kind {kind!r}")
    if kind in {"fee"} and attrs.get("specialty") not in SPECIALTIES:
        raise TableError(f"rate-table needs specialty= one of {sorted(SPECIALTIES)}")
    rng = random.Random(int(attrs.get("seed", "1")))
    try:
        return KINDS[kind](attrs, rng)
    except KeyError as exc:
        raise TableError(f"rate-table kind={kind} lacks attribute {exc}") from exc
