"""The ledger's store: the library's recorders, extended with what Kezek keeps beside events.

`domain.store_url` names these recorders by topic (the library's `APPLICATION_RECORDER_TOPIC`),
so the domain never imports them. Each adds, in the transaction that inserts an act's events,
the row that keeps its `Idempotency-Key` (`kezek_idempotency`), and offers a lock that
serialises acts on one list across every process on the store.
"""
