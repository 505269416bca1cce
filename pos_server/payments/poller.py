"""The status poll for card top-ups whose notification never came (lost, late, the server
down when it was sent): every ``POS_SERVER_CARD_TOP_UP_POLL_SECONDS`` the pending ones older
than ``..._POLL_AFTER_SECONDS`` are asked about, through the same ``confirm`` as the webhook."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import Engine

from pos_server.background import BackgroundPass
from pos_server.payments.card_top_up import Clock, poll_due
from pos_server.payments.settings import PaymentSettings
from pos_server.payments.yookassa import YooKassa

log = logging.getLogger(__name__)


class CardTopUpPoller(BackgroundPass):
    name = "card-top-up-poll"

    def __init__(self, engine: Engine, clock: Clock, settings: PaymentSettings) -> None:
        assert settings.yookassa_secret_key is not None
        self._engine, self._clock = engine, clock
        self._gateway = YooKassa(settings.yookassa_api_base, settings.yookassa_shop_id,
                                 settings.yookassa_secret_key.get_secret_value())  # fmt: skip
        self._after = timedelta(seconds=settings.card_top_up_poll_after_seconds)
        self._give_up = timedelta(hours=settings.card_top_up_give_up_hours)
        super().__init__(settings.card_top_up_poll_seconds)

    def run_once(self) -> int:
        settled = poll_due(self._engine, self._gateway, self._clock(), after=self._after,
                           give_up=self._give_up)  # fmt: skip
        if settled:
            log.info("card top-ups settled by the poll: %d", settled)
        return settled

    def stop(self) -> None:
        super().stop()
        self._gateway.close()


def card_top_up_jobs(
    engine: Engine, clock: Clock, settings: PaymentSettings
) -> list[CardTopUpPoller]:
    if not settings.card_on or settings.card_top_up_poll_seconds <= 0:
        return []
    return [CardTopUpPoller(engine, clock, settings)]
