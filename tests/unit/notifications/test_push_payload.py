"""The notification JSON the service worker shows, and how long text is made to fit."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.payload import (
    ELLIPSIS,
    MAX_PLAINTEXT,
    PayloadTooLarge,
    PushAction,
    PushNotification,
    encode_payload,
)


def _offer(body: str, title: str = "Spring offer") -> PushNotification:
    return PushNotification(
        notification_id="0b9c6a51-1d5e-4c55-9c3e-2d0f4a8c7e11",
        title=title,
        body=body,
        url="/offers/42",
        tag="offer-42",
        actions=[PushAction(action="open-offer", title="Open offer", url="/offers/42")],
    )


def test_service_worker_gets_title_body_tag_actions_and_click_target() -> None:
    shown = json.loads(encode_payload(_offer("−10 % on all coffee until Friday")))
    assert shown["title"] == "Spring offer"
    assert shown["body"] == "−10 % on all coffee until Friday"
    assert shown["tag"] == "offer-42"
    assert shown["actions"] == [{"action": "open-offer", "title": "Open offer"}]
    assert shown["data"] == {
        "id": "0b9c6a51-1d5e-4c55-9c3e-2d0f4a8c7e11",
        "url": "/offers/42",
        "action_urls": {"open-offer": "/offers/42"},
    }


def test_absent_optional_fields_are_left_out() -> None:
    shown = json.loads(encode_payload(PushNotification(notification_id="n1", title="Hi")))
    assert shown == {"title": "Hi", "body": "", "data": {"id": "n1", "url": "/"}}


def test_long_body_is_cut_on_a_letter_with_an_ellipsis_and_fits_one_record() -> None:
    body = "Специальное предложение для вашего магазина. " * 200  # 2-byte letters
    encoded = encode_payload(_offer(body))
    shown = json.loads(encoded.decode("utf-8"))  # strict decode: no split character
    assert len(encoded) <= MAX_PLAINTEXT
    assert len(encoded) > MAX_PLAINTEXT - 8  # no more is cut than needed
    assert shown["body"].endswith(ELLIPSIS)
    assert body.startswith(shown["body"][:-1])


def test_body_that_fits_is_untouched() -> None:
    body = "x" * 1000
    assert json.loads(encode_payload(_offer(body)))["body"] == body


def test_notification_that_cannot_fit_even_without_body_is_refused() -> None:
    with pytest.raises(PayloadTooLarge):
        encode_payload(_offer("short", title="T" * 5000))


@pytest.mark.slow  # 13 s under load
@settings(max_examples=60, deadline=None)
@given(body=st.text(min_size=0, max_size=3000), limit=st.integers(min_value=400, max_value=4000))
def test_any_body_fits_the_limit_and_keeps_its_beginning(body: str, limit: int) -> None:
    encoded = encode_payload(_offer(body), limit=limit)
    assert len(encoded) <= limit
    shown = json.loads(encoded)["body"]
    assert shown == body or (shown.endswith(ELLIPSIS) and body.startswith(shown[:-1]))
