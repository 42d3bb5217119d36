"""The role matrix for territories, customers, contacts and history, as one table.

For every role and every resource: what it may read and write. Everything else is refused
(404 outside the scope, 403 for a read-only role) and leaves the database and the change log
exactly as they were; every allowed write leaves a change-log row.
"""

from __future__ import annotations

from typing import Any

import pytest

from backend.customers.tables import Contact, Customer
from backend.history.tables import HistoryEvent
from backend.territories.tables import Distributor, Region, Territory
from sync.tables import SyncChange
from tests.factories import make_contact, make_distributor, make_world_fast

OK, NEW, GONE, NO, HIDDEN = 200, 201, 204, 403, 404
_ = None  # not applicable

# resource -> target -> (read, create-under, update, delete) for each role.
# Targets: customers c1 (t1, served by the distributor), c2 (t2), c_other (other region);
# contacts k1/k2/k_other of those; territories t1/t2/t_other; regions; distributors d/d_other.
# "create-under": a contact (customers), a note (history), a customer (territories).
MATRIX: dict[str, dict[str, dict[str, tuple[Any, Any, Any, Any]]]] = {
    "admin": {
        "customer": {t: (OK, NEW, OK, GONE) for t in ("c1", "c2", "c_other")},
        "contact": {t: (OK, _, OK, GONE) for t in ("k1", "k2", "k_other")},
        "history": {t: (OK, NEW, _, _) for t in ("c1", "c2", "c_other")},
        "territory": {t: (OK, NEW, OK, _) for t in ("t1", "t2", "t_other")},
        "region": {t: (OK, _, OK, _) for t in ("region", "other_region")},
        "distributor": {t: (OK, _, OK, _) for t in ("d", "d_other")},
    },
    "manager": {
        "customer": {
            "c1": (OK, NEW, OK, GONE),
            "c2": (OK, NEW, OK, GONE),
            "c_other": (HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        },
        "contact": {
            "k1": (OK, _, OK, GONE),
            "k2": (OK, _, OK, GONE),
            "k_other": (HIDDEN, _, HIDDEN, HIDDEN),
        },
        "history": {
            "c1": (OK, NEW, _, _),
            "c2": (OK, NEW, _, _),
            "c_other": (HIDDEN, HIDDEN, _, _),
        },
        "territory": {
            "t1": (OK, NEW, OK, _),
            "t2": (OK, NEW, OK, _),
            "t_other": (HIDDEN, NO, HIDDEN, _),
        },
        "region": {"region": (OK, _, NO, _), "other_region": (HIDDEN, _, HIDDEN, _)},
        "distributor": {"d": (OK, _, NO, _), "d_other": (HIDDEN, _, HIDDEN, _)},
    },
    "other_manager": {
        "customer": {
            "c1": (HIDDEN, HIDDEN, HIDDEN, HIDDEN),
            "c2": (HIDDEN, HIDDEN, HIDDEN, HIDDEN),
            "c_other": (OK, NEW, OK, GONE),
        },
        "contact": {
            "k1": (HIDDEN, _, HIDDEN, HIDDEN),
            "k2": (HIDDEN, _, HIDDEN, HIDDEN),
            "k_other": (OK, _, OK, GONE),
        },
        "history": {
            "c1": (HIDDEN, HIDDEN, _, _),
            "c2": (HIDDEN, HIDDEN, _, _),
            "c_other": (OK, NEW, _, _),
        },
        "territory": {
            "t1": (HIDDEN, NO, HIDDEN, _),
            "t2": (HIDDEN, NO, HIDDEN, _),
            "t_other": (OK, NEW, OK, _),
        },
        "region": {"region": (HIDDEN, _, HIDDEN, _), "other_region": (OK, _, NO, _)},
        "distributor": {"d": (HIDDEN, _, HIDDEN, _), "d_other": (OK, _, NO, _)},
    },
    "rep1": {
        "customer": {
            "c1": (OK, NEW, OK, NO),
            "c2": (HIDDEN, HIDDEN, HIDDEN, HIDDEN),
            "c_other": (HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        },
        "contact": {
            "k1": (OK, _, OK, GONE),
            "k2": (HIDDEN, _, HIDDEN, HIDDEN),
            "k_other": (HIDDEN, _, HIDDEN, HIDDEN),
        },
        "history": {
            "c1": (OK, NEW, _, _),
            "c2": (HIDDEN, HIDDEN, _, _),
            "c_other": (HIDDEN, HIDDEN, _, _),
        },
        "territory": {
            "t1": (OK, NEW, NO, _),
            "t2": (HIDDEN, NO, HIDDEN, _),
            "t_other": (HIDDEN, NO, HIDDEN, _),
        },
        "region": {"region": (OK, _, NO, _), "other_region": (HIDDEN, _, HIDDEN, _)},
        "distributor": {"d": (OK, _, NO, _), "d_other": (HIDDEN, _, HIDDEN, _)},
    },
    "rep2": {
        "customer": {
            "c1": (HIDDEN, HIDDEN, HIDDEN, HIDDEN),
            "c2": (OK, NEW, OK, NO),
            "c_other": (HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        },
        "contact": {
            "k1": (HIDDEN, _, HIDDEN, HIDDEN),
            "k2": (OK, _, OK, GONE),
            "k_other": (HIDDEN, _, HIDDEN, HIDDEN),
        },
        "history": {
            "c1": (HIDDEN, HIDDEN, _, _),
            "c2": (OK, NEW, _, _),
            "c_other": (HIDDEN, HIDDEN, _, _),
        },
        "territory": {
            "t1": (HIDDEN, NO, HIDDEN, _),
            "t2": (OK, NEW, NO, _),
            "t_other": (HIDDEN, NO, HIDDEN, _),
        },
        "region": {"region": (OK, _, NO, _), "other_region": (HIDDEN, _, HIDDEN, _)},
        "distributor": {"d": (OK, _, NO, _), "d_other": (HIDDEN, _, HIDDEN, _)},
    },
    "distributor_user": {
        "customer": {
            "c1": (OK, NO, NO, NO),
            "c2": (HIDDEN, HIDDEN, HIDDEN, HIDDEN),
            "c_other": (HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        },
        "contact": {
            "k1": (OK, _, NO, NO),
            "k2": (HIDDEN, _, HIDDEN, HIDDEN),
            "k_other": (HIDDEN, _, HIDDEN, HIDDEN),
        },
        # Order and quote events only (visibility.md); notes are internal, so none to add.
        "history": {
            "c1": (OK, NO, _, _),
            "c2": (HIDDEN, HIDDEN, _, _),
            "c_other": (HIDDEN, HIDDEN, _, _),
        },
        "territory": {t: (HIDDEN, NO, HIDDEN, _) for t in ("t1", "t2", "t_other")},
        "region": {t: (HIDDEN, _, HIDDEN, _) for t in ("region", "other_region")},
        "distributor": {"d": (OK, _, NO, _), "d_other": (HIDDEN, _, HIDDEN, _)},
    },
    "customer_user": {
        "customer": {
            "c1": (OK, NO, NO, NO),
            "c2": (HIDDEN, HIDDEN, HIDDEN, HIDDEN),
            "c_other": (HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        },
        "contact": {
            "k1": (OK, _, NO, NO),
            "k2": (HIDDEN, _, HIDDEN, HIDDEN),
            "k_other": (HIDDEN, _, HIDDEN, HIDDEN),
        },
        # Its own order, quote and offer events (visibility.md); never notes or visits.
        "history": {
            "c1": (OK, NO, _, _),
            "c2": (HIDDEN, HIDDEN, _, _),
            "c_other": (HIDDEN, HIDDEN, _, _),
        },
        "territory": {t: (HIDDEN, NO, HIDDEN, _) for t in ("t1", "t2", "t_other")},
        "region": {t: (HIDDEN, _, HIDDEN, _) for t in ("region", "other_region")},
        "distributor": {t: (HIDDEN, _, HIDDEN, _) for t in ("d", "d_other")},
    },
}

TABLES = {
    "customer": Customer,
    "contact": Contact,
    "territory": Territory,
    "region": Region,
    "distributor": Distributor,
}
COLLECTIONS = {
    "customer": "customers",
    "contact": "contacts",
    "territory": "territories",
    "region": "regions",
    "distributor": None,  # not a sync collection: its changes reach no device
    "history": "history",
}


def _requests(resource: str, target: str, ids: dict[str, Any]) -> dict[str, tuple[str, str, Any]]:
    """(method, url, body) for read, create-under, update and delete of one target."""
    i = ids[target]
    if resource == "customer":
        return {
            "read": ("GET", f"/api/customers/{i}", None),
            "create": ("POST", f"/api/customers/{i}/contacts", {"name": "Matrix"}),
            "update": ("PATCH", f"/api/customers/{i}", {"phone": "+372 5000 0000"}),
            "delete": ("DELETE", f"/api/customers/{i}", None),
        }
    if resource == "contact":
        return {
            "read": ("GET", f"/api/contacts/{i}", None),
            "update": ("PATCH", f"/api/contacts/{i}", {"title": "Owner"}),
            "delete": ("DELETE", f"/api/contacts/{i}", None),
        }
    if resource == "history":
        return {
            "read": ("GET", f"/api/customers/{i}/history", None),
            "create": ("POST", f"/api/customers/{i}/notes", {"text": "matrix"}),
        }
    if resource == "territory":
        code = f"NEW-{target}"
        return {
            "read": ("GET", f"/api/territories/{i}", None),
            "create": (
                "POST",
                "/api/customers",
                {"code": code, "name": "Matrix prospect", "territory_id": str(i)},
            ),
            "update": ("PATCH", f"/api/territories/{i}", {"name": "Renamed"}),
        }
    path = {"region": "regions", "distributor": "distributors"}[resource]
    return {
        "read": ("GET", f"/api/{path}/{i}", None),
        "update": ("PATCH", f"/api/{path}/{i}", {"name": "Renamed"}),
    }


async def _snapshot(resource: str, row_id: Any, customer_id: Any) -> tuple[Any, ...]:
    """What a refused request must leave unchanged."""
    changes = await SyncChange.count()
    customers = await Customer.count()
    contacts = await Contact.count()
    events = await HistoryEvent.count()
    row = None
    if resource in TABLES:
        table = TABLES[resource]
        row = await table.select(table.version, table.deleted_at).where(table.id == row_id).first()
    return changes, customers, contacts, events, row, customer_id


@pytest.mark.parametrize("role", list(MATRIX))
async def test_role_matrix(client, role):
    w = await make_world_fast()
    d_other = await make_distributor(w.other_region, "Lõuna Hulgi")
    ids: dict[str, Any] = {
        "c1": w.c1,
        "c2": w.c2,
        "c_other": w.c_other,
        "k1": await make_contact(w.c1),
        "k2": await make_contact(w.c2),
        "k_other": await make_contact(w.c_other),
        "t1": w.t1,
        "t2": w.t2,
        "t_other": w.t_other,
        "region": w.region,
        "other_region": w.other_region,
        "d": w.distributor,
        "d_other": d_other,
    }
    headers = w.headers[role]
    # Reads, then creates, then updates, then deletes (contacts before their customers).
    plan = []
    for step, column in (("read", 0), ("create", 1), ("update", 2)):
        for resource, targets in MATRIX[role].items():
            for target, expected in targets.items():
                if expected[column] is not None:
                    plan.append((step, resource, target, expected[column]))
    for resource in ("contact", "customer"):
        for target, expected in MATRIX[role][resource].items():
            if expected[3] is not None:
                plan.append(("delete", resource, target, expected[3]))

    failures = []
    for step, resource, target, expected in plan:
        method, url, body = _requests(resource, target, ids)[step]
        before = await _snapshot(resource, ids[target], None)
        r = await client.request(method, url, json=body, headers=headers)
        label = f"{role} {step} {resource} {target}"
        if r.status_code != expected:
            failures.append(f"{label}: {r.status_code} != {expected} ({r.text[:120]})")
            continue
        after = await _snapshot(resource, ids[target], None)
        if step == "read":
            assert after == before, label
        elif expected >= 400:
            assert r.headers["content-type"].startswith("application/problem+json"), label
            # Refused: the row, the row counts and the change log are exactly as they were.
            assert after == before, label
        elif step != "create" and COLLECTIONS[resource] is None:
            assert after[0] == before[0], f"{label}: a change-log row no pull would serve"
        else:
            assert after[0] > before[0], f"{label}: no change-log row"
            collection = {
                "create": {
                    "customer": "contacts",
                    "history": "history",
                    "territory": "customers",
                }.get(resource)
            }.get(step, COLLECTIONS[resource])
            newest = (
                await SyncChange.select(SyncChange.collection, SyncChange.op)
                .order_by(SyncChange.seq, ascending=False)
                .first()
            )
            assert newest["collection"] == collection, label
            assert newest["op"] == ("del" if step == "delete" else "put"), label
    assert not failures, "\n".join(failures)
