"""Today on a cached start reads only the customers it shows, and shows what it always did."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from .conftest import PASSWORD, Server, logged_in_and_synced

pytestmark = pytest.mark.e2e

# The phone's customers: 190 never due (no visit frequency) that all share the oldest last
# visit, more than one batch of the last-visit index (and a batch ends inside the first group
# of due ones sharing a time); then a few never visited, some visited
# long ago (in groups that share one time) and some visited yesterday (not due yet).
MAKE = """
(ids) => {
  const day = 86400000;
  const base = Date.now() - 60 * day;
  return ids.map((id, i) => {
    const kind = i < 190 ? 'no-frequency' : i % 10 === 0 ? 'never' : i % 3 === 0 ? 'recent' : 'old';
    const last = kind === 'never' ? null : kind === 'no-frequency' ? new Date(base)
      : kind === 'recent' ? new Date(Date.now() - day) : new Date(base + (1 + (i % 5)) * day);
    return { collection: 'customers', id, op: 'put', version: 1, data: {
      id, code: `T${i}`, name: `Today start ${i} ${kind}`, city: 'Tartu',
      visit_frequency_days: kind === 'no-frequency' ? null : 14,
      last_visit_at: last && last.toISOString() } };
  });
}
"""

# What the screen listed when it read every customer: the due ones, never visited first,
# then by last visit, in the order they were read (by id) where that is the same; 30 at most.
EXPECTED = """
async () => {
  const { dueState } = await import('/ui/badge.js');
  const all = await window.rounds.store.all('customers');
  return all.filter((c) => dueState(c))
    .sort((a, b) => String(a.last_visit_at || '').localeCompare(String(b.last_visit_at || '')))
    .slice(0, 30).map((c) => ({ id: c.id, last: c.last_visit_at || null }));
}
"""


def new_rep(server: Server) -> str:
    """A rep of its own, so no other test plans a route for this rep's today."""
    email = f"rep-{uuid.uuid4().hex[:8]}@example.com"
    server.client().post(
        "/api/users",
        json={
            "email": email,
            "password": PASSWORD,
            "name": f"Rita {email[4:8]}",
            "role": "rep",
            "region_id": server.seed["region"]["id"],
            "territory_ids": [server.seed["territory"]["id"]],
        },
    ).raise_for_status()
    return email


def test_today_without_a_route_lists_the_most_overdue_as_before(
    server: Server, new_phone: Any
) -> None:
    ctx = new_phone()
    page = ctx.new_page()
    logged_in_and_synced(page, new_rep(server))
    ctx.set_offline(True)  # nothing from the server changes the replica under the test
    ids = sorted(str(uuid.uuid4()) for _ in range(310))
    page.evaluate(
        """async (ch) => {
      // Only this test's customers on the phone (the seeded ones were never visited).
      await window.rounds.store.tx(['customers'], 'readwrite',
        (t) => { t.objectStore('customers').clear(); });
      await window.rounds.sync.applyChanges(ch, 'today-start');
    }""",
        page.evaluate(MAKE, ids),
    )
    expected = page.evaluate(EXPECTED)
    lasts = [e["last"] for e in expected]
    assert len(expected) == 30
    visited = [x for x in lasts if x is not None]
    assert None in lasts and len(set(visited)) > 1 and len(set(visited)) < len(visited)  # ties

    page.goto("/#/today")
    page.reload()  # a cached start, offline
    page.wait_for_function(
        """(want) => {
          const main = document.querySelector("main[data-screen='today']");
          if (!main || !document.documentElement.dataset.ready) return false;
          const shown = [...main.querySelectorAll('.list [data-stop-id]')]
            .map((a) => a.dataset.stopId);
          const next = main.querySelector('[data-next]');
          return JSON.stringify(shown) === JSON.stringify(want) && next?.dataset.next === want[0];
        }""",
        arg=[e["id"] for e in expected],
    )
