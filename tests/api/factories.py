"""Small contract files for API tests."""

from __future__ import annotations

PAYER_TXT = b"""PARTICIPATING PROVIDER AGREEMENT

This Agreement is made as of January 1, 2026 between Acme Health Plan, Inc. ("Plan") and
Riverside Family Medicine, P.C. ("Provider").

1. Recoupment. Plan may recover any overpayment by offsetting the amount against any current or
future payments due to Provider under any Health Benefit Plan, regardless of cause, and without
regard to any time limit.

2. Amendments. Plan may amend this Agreement or the Provider Manual at any time upon thirty (30)
days' notice, and Provider's continued participation shall constitute acceptance.

3. Governing Law. This Agreement is governed by the laws of the State of Ohio.
"""


def upload(c, name: str = "contract.txt", data: bytes = PAYER_TXT, **headers: str):
    return c.post("/v1/contracts", files={"file": (name, data, "application/octet-stream")},
                  headers=headers)
