"""Retry timing: jittered exponential growth, a cap, a limit, and never before Retry-After."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.backoff import Backoff

POLICY = Backoff(base=5.0, cap=600.0, max_attempts=6)


@settings(deadline=None)  # shared CI cores: time is not what is under test
@given(attempts=st.integers(min_value=1, max_value=5), seed=st.integers())
def test_delay_stays_within_the_exponential_ceiling(attempts: int, seed: int) -> None:
    delay = POLICY.delay(attempts, rng=random.Random(seed))
    assert 0.0 <= delay <= min(600.0, 5.0 * 2 ** (attempts - 1))


@settings(deadline=None)  # shared CI cores: time is not what is under test
@given(attempts=st.integers(min_value=1, max_value=200), seed=st.integers())
def test_delay_never_exceeds_the_cap(attempts: int, seed: int) -> None:
    assert POLICY.delay(attempts, rng=random.Random(seed)) <= 600.0


@settings(deadline=None)  # shared CI cores: time is not what is under test
@given(
    attempts=st.integers(min_value=1, max_value=5),
    retry_after=st.floats(min_value=0, max_value=86400),
    seed=st.integers(),
)
def test_never_sooner_than_retry_after(attempts: int, retry_after: float, seed: int) -> None:
    assert POLICY.delay(attempts, retry_after=retry_after, rng=random.Random(seed)) >= retry_after


def test_jitter_spreads_retries_of_a_burst() -> None:
    rng = random.Random(7)
    delays = [POLICY.delay(4, rng=rng) for _ in range(200)]
    assert len({round(d, 3) for d in delays}) > 150
    assert min(delays) < 10 < 30 < max(delays)  # spread over most of [0, 40]


def test_later_attempts_wait_longer_on_average() -> None:
    rng = random.Random(1)
    means = [sum(POLICY.delay(n, rng=rng) for _ in range(400)) / 400 for n in (1, 3, 5)]
    assert means[0] < means[1] < means[2]


def test_gives_up_after_max_attempts() -> None:
    now = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    assert POLICY.next_attempt_at(5, now) is not None
    assert POLICY.next_attempt_at(6, now) is None
    assert POLICY.exhausted(6) and not POLICY.exhausted(5)


def test_next_attempt_honours_retry_after() -> None:
    now = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    when = POLICY.next_attempt_at(1, now, retry_after=3600)
    assert when is not None and when >= now + timedelta(hours=1)


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        POLICY.next_attempt_at(1, datetime(2026, 5, 1, 9, 0))


@pytest.mark.parametrize("kwargs", [{"base": 0}, {"cap": 1.0, "base": 5.0}, {"max_attempts": 0}])
def test_nonsense_policies_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="backoff needs base > 0, cap >= base"):
        Backoff(**kwargs)
