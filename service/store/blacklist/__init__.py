"""The 严重违法失信名单 (SAMR Order 44) in the database.

Owns ``blacklist_entry`` and ``blacklist_transition`` (written by :mod:`.procedure` only):
``procedure`` applies the pure state machine of :mod:`service.credit.blacklist` to rows,
``rows`` maps rows to it and back, ``reads`` serves agencies (lists, candidates), ``public``
serves the public list (public fields only). Every write also emits an event and an audit
entry through :mod:`service.store.ledger`.
"""
