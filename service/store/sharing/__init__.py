"""Sharing with other agencies: the change feed and webhooks.

``feed`` reads the outbox (``event``, written by :mod:`service.store.ledger`); ``webhooks``
owns ``webhook`` subscriptions, ``deliveries`` the ``webhook_delivery`` queue, and
``watchlists`` owns ``watchlist`` / ``watchlist_code`` (the codes a webhook is narrowed to).
"""
