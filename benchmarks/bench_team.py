"""What the database's access rules cost: saving a rating as a team member vs as the owner.

On a team workspace every save by a team member goes through the guard
triggers and row-level security policies of migration 0003 (a membership
lookup per row; reads filter by one lookup of the member's reviews per
query). Targets: a team member's save has a median under 20 ms (the owner's
target too), and a member reads a review's 2,000 records in under 200 ms.
The member/owner ratios are printed for information: on the shared 2-core
machine they swing between about 0.3 and 4 from run to run. Needs PostgreSQL
(``export VLR_TEST_DATABASE_URL=$(scripts/pg start)``); skipped without it.

Run: .venv/bin/python benchmarks/run.py team
"""

from __future__ import annotations

import os
import statistics
import time
import uuid

SAVES = 200
RECORDS = 2_000


def _save_ms(ws, review_id: str, who: str) -> float:
    """Median milliseconds of one rating save over an existing value."""
    times = []
    versions: dict[str, int] = {}
    for i in range(SAVES + 20):
        key = f"{'ABCDEFGH'[i % 8]}{i % 5 + 1}/{who}"
        data = {"rating": ("met", "partly_met")[i % 2], "reviewer": who, "comment": f"n{i}"}
        started = time.perf_counter()
        rec = ws.put(review_id, "rating", key, data, expected_version=versions.get(key, 0))
        if i >= 20:
            times.append((time.perf_counter() - started) * 1000)
        versions[key] = rec.version
    return statistics.median(times)


def _read_ms(ws, review_id: str) -> float:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        ws.records(review_id)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run() -> dict:
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from vlr_tools.workspace import open_workspace

    base = os.environ.get("VLR_TEST_DATABASE_URL")
    if not base:
        return {"skipped_no_postgres": 1}
    tag = uuid.uuid4().hex[:6]
    schema = f"vlrbench_{tag}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    owner_url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    lead = f"lead_{tag}"
    try:
        with open_workspace(
            owner_url.render_as_string(hide_password=False), reviewer="Owner"
        ) as owner:
            _, password = owner.add_team_member(lead, "lead")
            member_url = owner_url.set(username=lead, password=password)
            with open_workspace(member_url.render_as_string(hide_password=False)) as member:
                rv = member.create_review("santa-rosa")
                member.put_many(
                    rv.id, "consultation", {f"C-{i:05d}": {"n": i} for i in range(RECORDS)}
                )
                member_save = _save_ms(member, rv.id, lead)
                member_read = _read_ms(member, rv.id)
            owner_rv = owner.create_review("santa-rosa")
            owner.put_many(
                owner_rv.id, "consultation", {f"C-{i:05d}": {"n": i} for i in range(RECORDS)}
            )
            owner_save = _save_ms(owner, owner_rv.id, "Owner")
            owner_read = _read_ms(owner, owner_rv.id)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{lead}"')
        admin.dispose()
    return {
        "owner_save_ms_median": round(owner_save, 2),
        "member_save_ms_median": round(member_save, 2),
        "member_save_vs_owner": round(member_save / owner_save, 2),
        "owner_read_2000_ms_median": round(owner_read, 1),
        "member_read_2000_ms_median": round(member_read, 1),
        "member_read_vs_owner": round(member_read / owner_read, 2),
    }
