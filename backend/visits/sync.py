"""The `visits` sync collection: the REST read rule, and check-in/out and planning mutations.

Mutations: create (plan), update with `fields.action` (check_in, check_out, skip, cancel) or a
plain reschedule, delete. Visits are owned documents: a stale base_version is refused.
"""

from __future__ import annotations

from typing import Any

from backend.errors import ValidationFailed
from backend.principal import Principal
from backend.visits import repository as repo
from backend.visits import schemas, service
from backend.visits.tables import Visit
from sync.appliers import Applied, convert, created, existing, owned_version_check, row_of
from sync.collections import Collection, each
from sync.schemas import Mutation

_ACTIONS = {
    "check_in": ("CheckIn", service.check_in),
    "check_out": ("CheckOut", service.check_out),
    "skip": ("VisitClose", service.skip_visit),
    "cancel": ("VisitClose", service.cancel_visit),
}


async def _condition(principal: Principal) -> Any | None:
    return service.readable_visit_condition(principal)


async def apply_visit(principal: Principal, m: Mutation) -> Applied:
    if m.op == "create":
        data = convert(m.fields, schemas.VisitCreate, id=str(m.id))
        read = await created(
            "visits", m.id, service.plan_visit(principal, data, captured_at=m.captured_at)
        )
        return Applied(read.version)
    row = await existing("visits", m.id, must_exist=True)
    assert row is not None
    if m.op == "delete":
        await service.delete_visit(principal, m.id)
        after = await row_of("visits", m.id)
        return Applied(after["version"] if after else None)
    owned_version_check(m, row)
    fields = dict(m.fields)
    action = fields.pop("action", None)
    if action is None:
        read = await service.update_visit(
            principal, m.id, convert(fields, schemas.VisitUpdate), captured_at=m.captured_at
        )
    elif action in _ACTIONS:
        schema, fn = _ACTIONS[action]
        data = convert(fields, getattr(schemas, schema))
        read = await fn(principal, m.id, data, captured_at=m.captured_at)  # type: ignore[operator]
    else:
        raise ValidationFailed(detail=f"Unknown visit action {action!r}.")
    return Applied(read.version)


VISITS = Collection(
    "visits",
    Visit,
    _condition,
    each(repo.to_visit_read),
    apply=apply_visit,
    via=Visit.customer,
)
