"""Push subscriptions, the inbox, display/click reports and offers over HTTP: thin handlers."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from backend.deps import PrincipalDep, SettingsDep
from backend.edge.params import PageLimit
from backend.problems import AUTHED, WRITE, problem_responses
from notifications import offer_images, offers, service
from notifications.schemas import (
    AudiencePreview,
    NotificationRead,
    OfferCreate,
    OfferImageRead,
    OfferRead,
    OfferSchedule,
    OfferTarget,
    OptInState,
    SubscriptionCreate,
    SubscriptionRead,
    Unsubscribe,
    VapidPublicKey,
)


class PushController(Controller):
    path = "/push"
    tags = ["push"]

    @get(
        "/vapid-public-key",
        opt={"public": True},
        summary="The key the PWA subscribes with",
        responses=problem_responses(500),
    )
    async def vapid_public_key(self, settings: SettingsDep) -> VapidPublicKey:
        return await service.vapid_public_key(settings)

    @post(
        "/subscriptions",
        summary="Register this device for push (Web Push or FCM token)",
        description=(
            "Web Push endpoints must be https URLs on public hosts. An endpoint another "
            "account holds answers 409: subscribe afresh in the browser for a new endpoint."
        ),
        responses=problem_responses(*WRITE),
        status_code=201,
    )
    async def subscribe(
        self, principal: PrincipalDep, settings: SettingsDep, data: JSONBody[SubscriptionCreate]
    ) -> SubscriptionRead:
        return await service.subscribe(settings, principal, data)

    @get(
        "/subscriptions",
        summary="Your devices registered for push",
        responses=problem_responses(401),
    )
    async def list_subscriptions(self, principal: PrincipalDep) -> list[SubscriptionRead]:
        return await service.list_subscriptions(principal)

    @delete(
        "/subscriptions/{subscription_id:uuid}",
        summary="Remove one of your devices",
        responses=problem_responses(*AUTHED),
    )
    async def remove(self, principal: PrincipalDep, subscription_id: FromPath[UUID]) -> None:
        await service.unsubscribe(principal, subscription_id=subscription_id)

    @post(
        "/unsubscribe",
        summary="Remove the device with this endpoint or token",
        responses=problem_responses(400, 401, 404, 422),
        status_code=204,
    )
    async def unsubscribe(self, principal: PrincipalDep, data: JSONBody[Unsubscribe]) -> None:
        await service.unsubscribe(principal, endpoint=data.endpoint)


class NotificationController(Controller):
    path = "/notifications"
    tags = ["push"]

    @get("/", summary="Your inbox, newest first", responses=problem_responses(400, 401))
    async def inbox(
        self,
        principal: PrincipalDep,
        limit: FromQuery[PageLimit] = 100,
        unread: FromQuery[bool] = False,
    ) -> list[NotificationRead]:
        return await service.list_inbox(principal, limit=limit, unread_only=unread)

    @post(
        "/{notification_id:uuid}/read",
        summary="Mark an inbox entry read",
        responses=problem_responses(*AUTHED),
        status_code=200,
    )
    async def read(
        self, principal: PrincipalDep, notification_id: FromPath[UUID]
    ) -> NotificationRead:
        return await service.report(notification_id, "read", principal=principal)

    # The service worker reports without a session: the random notification id is the key
    # to note the report, never to read the notification (204, no body).
    @post(
        "/{notification_id:uuid}/displayed",
        opt={"public": True},
        summary="The service worker showed this notification (nothing is returned)",
        status_code=204,
        responses=problem_responses(404),
    )
    async def displayed(self, notification_id: FromPath[UUID]) -> None:
        await service.report(notification_id, "displayed")

    @post(
        "/{notification_id:uuid}/clicked",
        opt={"public": True},
        summary="The user clicked this notification (nothing is returned)",
        status_code=204,
        responses=problem_responses(404),
    )
    async def clicked(self, notification_id: FromPath[UUID]) -> None:
        await service.report(notification_id, "clicked")


class OfferController(Controller):
    path = "/offers"
    tags = ["offers"]

    @post(
        "/",
        summary="Write an offer (a draft until scheduled)",
        responses=problem_responses(*WRITE),
        status_code=201,
    )
    async def create(self, principal: PrincipalDep, data: JSONBody[OfferCreate]) -> OfferRead:
        return await offers.create_offer(principal, data)

    @get(
        "/",
        summary="Offers: managers their region's campaigns, customers what they got",
        responses=problem_responses(401),
    )
    async def list_offers(self, principal: PrincipalDep) -> list[OfferRead]:
        return await offers.list_offers(principal)

    @post(
        "/preview",
        summary="How many customers and people an offer target reaches",
        responses=problem_responses(400, 401, 403, 422),
        status_code=200,
    )
    async def preview(
        self, principal: PrincipalDep, data: JSONBody[OfferTarget]
    ) -> AudiencePreview:
        return await offers.preview_audience(principal, data)

    @post(
        "/opt-in",
        summary="Receive offers (customer accounts)",
        responses=problem_responses(401, 403),
        status_code=200,
    )
    async def opt_in(self, principal: PrincipalDep) -> OptInState:
        return await service.set_offers_opt_in(principal, True)

    @post(
        "/opt-out",
        summary="Stop receiving offers (customer accounts)",
        responses=problem_responses(401, 403),
        status_code=200,
    )
    async def opt_out(self, principal: PrincipalDep) -> OptInState:
        return await service.set_offers_opt_in(principal, False)

    @post(
        "/images",
        summary="Upload an offer image (PNG, JPEG, WebP, GIF; sent as the request body)",
        description=(
            "The image is turned upright, resized to at most 1200 px and stored as JPEG; "
            "put the answered `image_url` in the offer. Not an image: 422 naming `image`."
        ),
        request_max_body_size=offer_images.MAX_UPLOAD_BYTES,
        responses=problem_responses(*WRITE, 413),
        status_code=201,
    )
    async def upload_image(
        self,
        principal: PrincipalDep,
        request: Request,  # type: ignore[type-arg]
    ) -> OfferImageRead:
        return await offer_images.upload_image(principal, await request.body())

    # Public: the service worker shows it in the push without a session; ids are random.
    @get(
        "/images/{image_id:uuid}",
        opt={"public": True},
        summary="An offer image (JPEG)",
        responses=problem_responses(404),
        media_type="image/jpeg",
    )
    async def image(self, image_id: FromPath[UUID]) -> Response[bytes]:
        data = await offer_images.image_bytes(image_id)
        return Response(
            data,
            media_type="image/jpeg",
            headers={"Cache-Control": "public, max-age=31536000, immutable"},
        )

    @get("/{offer_id:uuid}", summary="One offer", responses=problem_responses(*AUTHED))
    async def get_offer(self, principal: PrincipalDep, offer_id: FromPath[UUID]) -> OfferRead:
        return await offers.get_offer(principal, offer_id)

    @post(
        "/{offer_id:uuid}/schedule",
        summary="Send the offer at a time (or now)",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def schedule(
        self, principal: PrincipalDep, offer_id: FromPath[UUID], data: JSONBody[OfferSchedule]
    ) -> OfferRead:
        return await offers.schedule_offer(principal, offer_id, data)

    @post(
        "/{offer_id:uuid}/cancel",
        summary="Cancel an offer not sent yet",
        responses=problem_responses(*AUTHED, 409),
        status_code=200,
    )
    async def cancel(self, principal: PrincipalDep, offer_id: FromPath[UUID]) -> OfferRead:
        return await offers.cancel_offer(principal, offer_id)
