"""The server's repositories: the only modules that hold SQL for operation handlers.

One module per family (accounts and postings, holds, loyalty, sales, guests, identifiers,
feed, applied operations, orders, shifts, promo codes, staff); each class derives from
``pos_server.uow.Repository`` and is reached as an attribute of the unit of work
(``uow.sales``). Dialect-specific statements stay inside the repository that needs them.
"""
