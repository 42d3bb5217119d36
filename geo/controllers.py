"""Geocoding endpoints: one customer now, batch jobs with progress, reverse lookups."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from backend.accounts.principal import Principal, Role
from backend.customers.tables import Customer
from backend.deps import PrincipalDep, SettingsDep
from backend.errors import NotFound, PermissionDenied
from backend.problems import AUTHED, WRITE, problem_responses
from backend.scope import combine, customer_condition
from geo import geocoding
from geo.schemas import (
    GeocodeJobCreate,
    GeocodeJobRead,
    GeocodeOutcome,
    ReverseRequest,
    ReverseResult,
)

MAX_JOB = 100_000


def _job_read(p: geocoding.JobProgress) -> GeocodeJobRead:
    return GeocodeJobRead(
        id=p.id,
        status=p.status,
        total=p.total,
        done=p.done,
        failed=p.failed,
        skipped=p.skipped,
        percent=p.percent,
        error=p.error,
    )


async def _scoped_customer_ids(
    principal: Principal, wanted: list[UUID] | None, only_missing: bool
) -> list[UUID]:
    condition = combine(
        customer_condition(principal),
        Customer.deleted_at.is_null(),
        Customer.geocode_quality != "manual",
    )
    if only_missing:
        condition = combine(
            condition, Customer.lat.is_null() | (Customer.geocode_quality == "failed")
        )
    query = Customer.select(Customer.id).order_by(Customer.code)
    if wanted is not None:
        if not wanted:
            return []
        condition = combine(condition, Customer.id.is_in(wanted))
    rows = await query.where(condition).limit(MAX_JOB)
    return [r["id"] for r in rows]


class GeocodeController(Controller):
    path = "/geocode"
    tags = ["geo"]

    @post(
        "/jobs",
        summary="Geocode many customers in the background",
        responses=problem_responses(*WRITE),
        status_code=202,
    )
    async def create_job(
        self, principal: PrincipalDep, settings: SettingsDep, data: JSONBody[GeocodeJobCreate]
    ) -> GeocodeJobRead:
        if not principal.has_role(Role.ADMIN, Role.MANAGER):
            raise PermissionDenied(detail="Only admins and managers run geocoding jobs.")
        ids = await _scoped_customer_ids(principal, data.customer_ids, data.only_missing)
        job_id = await geocoding.create_job(ids, principal.user_id)
        geocoding.start_job_in_background(settings, job_id)
        return _job_read(await geocoding.get_job(job_id))

    @get(
        "/jobs/{job_id:str}",
        summary="Progress of a geocoding job",
        responses=problem_responses(*AUTHED),
    )
    async def get_job(self, principal: PrincipalDep, job_id: FromPath[str]) -> GeocodeJobRead:
        if not principal.has_role(Role.ADMIN, Role.MANAGER):
            raise PermissionDenied(detail="Only admins and managers run geocoding jobs.")
        return _job_read(await geocoding.get_job(job_id))

    @post(
        "/reverse",
        summary="The address at a position (check-ins)",
        responses=problem_responses(401, 422, 503),
        status_code=200,
    )
    async def reverse(
        self, principal: PrincipalDep, settings: SettingsDep, data: JSONBody[ReverseRequest]
    ) -> ReverseResult:
        async with geocoding.Geocoder(settings) as g:
            return ReverseResult(address=await g.reverse(data.lat, data.lng))


class CustomerGeocodeController(Controller):
    path = "/customers"
    tags = ["geo"]

    @post(
        "/{customer_id:uuid}/geocode",
        summary="Geocode one customer's address now",
        responses=problem_responses(401, 403, 404, 503),
        status_code=200,
    )
    async def geocode_one(
        self, principal: PrincipalDep, settings: SettingsDep, customer_id: FromPath[UUID]
    ) -> GeocodeOutcome:
        if principal.has_role(Role.CUSTOMER, Role.DISTRIBUTOR):
            raise PermissionDenied(detail="Your role cannot geocode customers.")
        found: Any = await Customer.exists().where(
            combine(
                customer_condition(principal),
                Customer.id == customer_id,
                Customer.deleted_at.is_null(),
            )
        )
        if not found:
            raise NotFound(detail="No such customer.")
        async with geocoding.Geocoder(settings) as g:
            quality = await geocoding.geocode_customer(g, customer_id)
        return GeocodeOutcome(customer_id=customer_id, quality=quality)
