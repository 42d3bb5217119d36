"""Who is calling: the roles and the authenticated user with the scope facts every check needs.

Shared ground (like db, errors, settings): every area and the sync engine may import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


class Role(StrEnum):
    """The five roles; a StrEnum, so a role compares equal to its name and stores as text."""

    ADMIN = "admin"
    MANAGER = "manager"
    REP = "rep"
    DISTRIBUTOR = "distributor"
    CUSTOMER = "customer"


ROLES = tuple(r.value for r in Role)
# The partner roles: outside the company, so internal fields are stripped from what they read.
PARTNERS = frozenset({Role.DISTRIBUTOR, Role.CUSTOMER})


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
    # Logged in with a temporary password: may only choose its own (accounts middleware).
    must_change_password: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_partner(self) -> bool:
        """A distributor or customer: reads no internal field, no visit, no internal note."""
        return self.role in PARTNERS

    def has_role(self, *roles: str) -> bool:
        return self.role in roles
