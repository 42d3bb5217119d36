"""Who is calling: the authenticated user with the scope facts every check needs."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

ROLES = ("admin", "manager", "rep", "distributor", "customer")


@dataclass(frozen=True)
class Principal:
    user_id: UUID
    session_id: str
    role: str
    email: str
    name: str
    region_id: UUID | None
    distributor_id: UUID | None
    customer_id: UUID | None
    territory_ids: frozenset[UUID]
    locale: str = "en"
    time_zone: str = "Europe/Tallinn"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def has_role(self, *roles: str) -> bool:
        return self.role in roles
