"""Messages to guests (issue 21): one durable outbox (``outbox``, ``sender``), the channels
that send it (``telegram``, ``sms``), the Telegram bot's side (``bot``: deep links, /start,
webhook and long polling) and the message texts (``templates``)."""
