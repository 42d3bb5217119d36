"""GET /api/devices: sync health of the devices of the users you see."""

from __future__ import annotations

from litestar import Controller, get

from backend.deps import PrincipalDep
from backend.devices import service
from backend.devices.schemas import DeviceRead
from backend.problems import problem_responses


class DeviceController(Controller):
    path = "/devices"
    tags = ["devices"]

    @get(
        "/",
        summary="Devices (sync clients) of the users you see, with their sync health",
        description="App version, last pull and push, pending mutations as the device last "
        "reported them, rejected mutations, change-log entries after its cursor (`behind`), "
        "and `stale` when nothing was heard from it for more than 24 hours.",
        responses=problem_responses(401, 403),
    )
    async def list_devices(self, principal: PrincipalDep) -> list[DeviceRead]:
        return await service.list_devices(principal)
