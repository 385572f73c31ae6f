"""Background work: the webhook dispatcher and periodic maintenance jobs.

Runs inside the server (app lifespan, when ``QCREDIT_RUN_BACKGROUND`` is true) and as
``qcredit worker``. Any number of these may run against one database:

* the dispatcher claims subscriptions and deliveries with ``FOR UPDATE SKIP LOCKED`` on
  PostgreSQL (the SQLite write lock serializes), with a lease so a crashed sender's rows
  are retried — delivery is at least once, never twice concurrently;
* maintenance jobs are :func:`exclusive`: a PostgreSQL advisory lock (try-acquire) plus a
  last-run time in ``registry_setting``, checked and written in the job's transaction, so a
  job runs once per interval across all replicas.

The runner is a plain list of :class:`Job` entries; add one with ``exclusive(...)``.
"""
