"""The bulk path of the national data set, by what each module holds:

- plan: the providers and lists of the country, the cases of one shard, the shards themselves
- ledger: `BulkLedger`, a WaitingList whose aggregates live in memory and whose events leave
  it encoded, in batches, in the order of the acts
- rows: stored events as the store's rows (a PostgreSQL binary COPY payload, SQLite tuples)
- writers: the one writer of the store (COPY into the library's table on PostgreSQL, the
  library's own insert on SQLite)
- shards: one shard walked by a ledger, in this process or in worker processes, and the
  writer that takes their batches in a fixed order
"""
