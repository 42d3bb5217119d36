"""REST endpoints for customers and their contacts."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from backend.customers import contact_service, search, service
from backend.customers.schemas import (
    ContactCreate,
    ContactRead,
    ContactUpdate,
    CustomerCreate,
    CustomerListItem,
    CustomerQuery,
    CustomerRead,
    CustomerSort,
    CustomerUpdate,
)
from backend.deps import PrincipalDep
from backend.edge.params import OptionalOffset, PageLimit
from backend.problems import AUTHED, WRITE, problem_responses
from backend.schemas import Page


class CustomerController(Controller):
    path = "/customers"
    tags = ["customers"]

    @get(
        "/",
        summary="Search, filter and page your customers (nearby: lat, lng, radius_m)",
        responses=problem_responses(400, 401, 422),
    )
    async def list_customers(
        self,
        principal: PrincipalDep,
        q: FromQuery[str | None] = None,
        territory_id: FromQuery[UUID | None] = None,
        segment: FromQuery[str | None] = None,
        distributor_id: FromQuery[UUID | None] = None,
        due: FromQuery[bool] = False,
        overdue: FromQuery[bool] = False,
        lat: FromQuery[float | None] = None,
        lng: FromQuery[float | None] = None,
        radius_m: FromQuery[float | None] = None,
        sort: FromQuery[CustomerSort] = "name",
        cursor: FromQuery[str | None] = None,
        offset: FromQuery[OptionalOffset] = None,
        limit: FromQuery[PageLimit] = 50,
    ) -> Page[CustomerListItem]:
        query = CustomerQuery(
            q=q,
            territory_id=territory_id,
            segment=segment,
            distributor_id=distributor_id,
            due=due,
            overdue=overdue,
            lat=lat,
            lng=lng,
            radius_m=radius_m,
            sort=sort,
            cursor=cursor,
            offset=offset,
            limit=limit,
        )
        return await search.list_customers(principal, query)

    @get("/{customer_id:uuid}", summary="One customer", responses=problem_responses(*AUTHED))
    async def get_customer(
        self, principal: PrincipalDep, customer_id: FromPath[UUID]
    ) -> CustomerRead:
        return await service.get_customer(principal, customer_id)

    @post(
        "/",
        summary="Create a customer (reps: prospects in their territories)",
        responses=problem_responses(*WRITE),
    )
    async def create_customer(
        self, principal: PrincipalDep, data: JSONBody[CustomerCreate]
    ) -> CustomerRead:
        return await service.create_customer(principal, data)

    @patch(
        "/{customer_id:uuid}",
        summary="Change some fields of a customer",
        responses=problem_responses(*WRITE),
    )
    async def update_customer(
        self, principal: PrincipalDep, customer_id: FromPath[UUID], data: JSONBody[CustomerUpdate]
    ) -> CustomerRead:
        return await service.update_customer(principal, customer_id, data)

    @delete(
        "/{customer_id:uuid}",
        summary="Delete a customer (admins, managers)",
        responses=problem_responses(*AUTHED, 409),
    )
    async def delete_customer(self, principal: PrincipalDep, customer_id: FromPath[UUID]) -> None:
        await service.delete_customer(principal, customer_id)

    @get(
        "/{customer_id:uuid}/contacts",
        summary="A customer's contacts, primary first",
        responses=problem_responses(*AUTHED),
    )
    async def list_contacts(
        self, principal: PrincipalDep, customer_id: FromPath[UUID]
    ) -> list[ContactRead]:
        return await contact_service.list_contacts(principal, customer_id)

    @post(
        "/{customer_id:uuid}/contacts",
        summary="Add a contact to a customer",
        responses=problem_responses(*WRITE),
    )
    async def create_contact(
        self, principal: PrincipalDep, customer_id: FromPath[UUID], data: JSONBody[ContactCreate]
    ) -> ContactRead:
        return await contact_service.create_contact(principal, customer_id, data)


class ContactController(Controller):
    path = "/contacts"
    tags = ["customers"]

    @get("/{contact_id:uuid}", summary="One contact", responses=problem_responses(*AUTHED))
    async def get_contact(self, principal: PrincipalDep, contact_id: FromPath[UUID]) -> ContactRead:
        return await contact_service.get_contact(principal, contact_id)

    @patch(
        "/{contact_id:uuid}",
        summary="Change a contact (setting primary clears the old one)",
        responses=problem_responses(*WRITE),
    )
    async def update_contact(
        self, principal: PrincipalDep, contact_id: FromPath[UUID], data: JSONBody[ContactUpdate]
    ) -> ContactRead:
        return await contact_service.update_contact(principal, contact_id, data)

    @delete("/{contact_id:uuid}", summary="Delete a contact", responses=problem_responses(*AUTHED))
    async def delete_contact(self, principal: PrincipalDep, contact_id: FromPath[UUID]) -> None:
        await contact_service.delete_contact(principal, contact_id)
