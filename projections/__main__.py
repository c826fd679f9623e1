"""`python -m projections [--follow] [--batch-size N]`: the projection worker without the CLI."""

from __future__ import annotations

import argparse
import os

from domain.store_url import DEFAULT_DATABASE_URL
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.worker import run_worker


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m projections")
    parser.add_argument("--follow", action="store_true", help="keep up with new events")
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()
    url = os.environ.get("KEZEK_DATABASE_URL", DEFAULT_DATABASE_URL)
    waiting_list = WaitingList(env={"KEZEK_DATABASE_URL": url})
    database = ViewDatabase(url)
    try:
        return run_worker(waiting_list, database, follow=args.follow, batch_size=args.batch_size)
    finally:
        database.close()
        waiting_list.close()


if __name__ == "__main__":
    raise SystemExit(main())
