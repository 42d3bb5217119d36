"""Field-by-field merge of a device's update against what changed on the server since.

Pure logic. A field the device changed that nobody else changed since `base_version` is
applied. A field also changed on the server since then is a conflict: protected fields keep
the server value; the others take the later write, which is the device's (the server sees it
last; device clocks never decide). Every conflict is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROTECTED = frozenset(
    {"credit_limit", "price_list_id", "price_list", "territory_id", "territory", "code"}
)


@dataclass
class Merge:
    apply: dict[str, Any] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def merge_fields(
    mine: dict[str, Any], base_version: int | None, server: dict[str, list[Any]]
) -> Merge:
    """`server` maps field -> [current value, version that last set it]."""
    result = Merge()
    base = base_version if base_version is not None else 0
    for name, value in mine.items():
        current = server.get(name)
        if current is None or current[1] <= base or current[0] == value:
            result.apply[name] = value
            continue
        if name in PROTECTED:
            result.conflicts.append(
                {"field": name, "yours": value, "theirs": current[0], "kept": current[0]}
            )
        else:
            result.apply[name] = value
            result.conflicts.append(
                {"field": name, "yours": value, "theirs": current[0], "kept": value}
            )
    return result
