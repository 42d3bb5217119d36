"""The principal lives in the shared ground (backend/principal.py); kept here for the areas."""

from backend.principal import PARTNERS, ROLES, Principal, Role

__all__ = ["PARTNERS", "ROLES", "Principal", "Role"]
