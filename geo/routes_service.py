"""Route use cases in one place, for callers that import them together (controllers, sync).

Each use case lives in its own module, named after its noun; this module only gathers them.
"""

from __future__ import annotations

from geo.route_acceptance import accept_route
from geo.route_access import get_route, list_routes, matrix_provider, read_preferences
from geo.route_drafts import list_drafts, lock_stop, move_stop, publish_drafts, resolve_drafts
from geo.route_optimizing import optimize
from geo.route_order import store_order
from geo.route_planning import plan_routes, plan_team_routes
from geo.route_replanning import replan_route

__all__ = [
    "accept_route",
    "get_route",
    "list_drafts",
    "list_routes",
    "lock_stop",
    "matrix_provider",
    "move_stop",
    "optimize",
    "plan_routes",
    "plan_team_routes",
    "publish_drafts",
    "read_preferences",
    "replan_route",
    "resolve_drafts",
    "store_order",
]
