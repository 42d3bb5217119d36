"""When to try a failed send again: exponential backoff with full jitter and Retry-After."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Backoff:
    """Retry policy: attempt n waits up to base * 2**(n-1) seconds, capped, at most max_attempts."""

    base: float = 5.0
    cap: float = 3600.0
    max_attempts: int = 8

    def __post_init__(self) -> None:
        if self.base <= 0 or self.cap < self.base or self.max_attempts < 1:
            raise ValueError("backoff needs base > 0, cap >= base and max_attempts >= 1")

    def exhausted(self, attempts: int) -> bool:
        """True once `attempts` sends have failed and no further one is allowed."""
        return attempts >= self.max_attempts

    def delay(
        self,
        attempts: int,
        *,
        retry_after: float | None = None,
        rng: random.Random | None = None,
    ) -> float:
        """Seconds to wait after the `attempts`-th failure; never less than Retry-After."""
        if attempts < 1:
            raise ValueError("attempts counts failed sends and starts at 1")
        # Full jitter (uniform over [0, ceiling]) spreads a burst of failures so the
        # retries do not hit a recovering push service all at once.
        ceiling = min(self.cap, self.base * 2 ** min(attempts - 1, 62))
        jittered = (rng or random).uniform(0.0, ceiling)
        # The service told us when it will accept us again; sooner only wastes a request.
        return max(jittered, retry_after or 0.0)

    def next_attempt_at(
        self,
        attempts: int,
        now: datetime,
        *,
        retry_after: float | None = None,
        rng: random.Random | None = None,
    ) -> datetime | None:
        """When to send again after `attempts` failures, or None to give up."""
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        if self.exhausted(attempts):
            return None
        return now + timedelta(seconds=self.delay(attempts, retry_after=retry_after, rng=rng))
