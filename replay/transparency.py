"""The transparency log: every event, in the global order, a leaf of an RFC 9162 Merkle tree.

Leaf i is SHA-256(0x00 || canonical bytes of the i-th notification) (replay.canonical: RFC 8785
JSON of the stored event with its position; from the position replay.leaf_formats names on,
format 2: the same with personal values sealed, replay.sealing). Leaf indexes count from 0
without gaps; notification ids (positions) may have gaps on PostgreSQL (a rolled-back insert
consumes a sequence value), so both are stored:

- `merkle_leaves_g<n>` (leaf_index PK, position UNIQUE, leaf_hash): level 0;
- `merkle_nodes_g<n>` (level, idx, hash): every complete subtree of 2**level leaves, level >= 1.

A complete subtree never changes, so a root or a proof for any past size reads O(log n) rows
(replay.merkle's plans), and an append reads the O(log n) roots of the current compact range
and writes the leaf and the subtrees it completes (two rows an event on average).

The runner hands over decoded events; the log needs the stored ones. It takes
`Recorded.stored` when the runner provides it, and otherwise reads the batch's notifications
again through the waiting list's recorder (hence the constructor argument;
`transparency_log_class` binds it for `rebuild`/`live`, which construct by generation alone).
Signed checkpoints are not a view: they live in `kezek_checkpoints` (created here, written by
replay.checkpoints), which a rebuild never drops. The proofs below are what the API serves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from projections.database import Row, Tx
from projections.projection import Projection, Recorded
from replay import leaf_formats
from replay.canonical import StoredEventLike
from replay.leaf_formats import LeafFormats, leaf_bytes
from replay.merkle import (
    CompactRange,
    NodeId,
    consistency_plan,
    fold,
    hash_leaf,
    inclusion_plan,
    plan_nodes,
    resolve,
    root_plan,
)

if TYPE_CHECKING:
    from domain.waiting_list import WaitingList


CHECKPOINTS = "kezek_checkpoints"


class LogError(LookupError):
    """A question the log cannot answer (a size it has not reached, an unknown position)."""


@dataclass(frozen=True)
class LeafRecord:
    leaf_index: int
    position: int
    leaf_hash: bytes


class TransparencyLog(Projection):
    name = "transparency"
    decodes = False  # it hashes the stored bytes
    version = 1
    tables = ("merkle_leaves", "merkle_nodes")

    def __init__(self, generation: int = 1, waiting_list: WaitingList | None = None) -> None:
        super().__init__(generation)
        self.waiting_list = waiting_list

    # -- writing -------------------------------------------------------------------------

    def create_tables(self, tx: Tx) -> None:
        blob = "BYTEA" if tx.dialect == "postgres" else "BLOB"
        tx.execute(
            f"CREATE TABLE IF NOT EXISTS {self.table('merkle_leaves')} ("
            " leaf_index BIGINT PRIMARY KEY, position BIGINT NOT NULL UNIQUE,"
            f" leaf_hash {blob} NOT NULL)"
        )
        tx.execute(
            f"CREATE TABLE IF NOT EXISTS {self.table('merkle_nodes')} ("
            f" level INTEGER NOT NULL, idx BIGINT NOT NULL, hash {blob} NOT NULL,"
            " PRIMARY KEY (level, idx))"
        )
        create_checkpoint_table(tx)
        from replay.cosigning import create_tables  # it imports this module

        create_tables(tx)
        leaf_formats.create_table(tx)
        leaf_formats.ensure(tx, self.name, CHECKPOINTS)

    def apply(self, batch: Sequence[Recorded], tx: Tx) -> None:
        if not batch:
            return
        stored = self._stored(batch)
        last = self.last_leaf(tx)
        if last is not None and stored[0].id <= last.position:
            raise LogError(
                f"position {stored[0].id} is already in the log (last leaf: position "
                f"{last.position}); the log only appends"
            )
        size = 0 if last is None else last.leaf_index + 1
        compact = CompactRange.from_nodes(size, self._nodes(tx, root_plan(size)))
        leaves: list[tuple[int, int, bytes]] = []
        nodes: list[tuple[int, int, bytes]] = []
        formats = LeafFormats.load(tx)
        for notification in stored:
            completed = compact.append(hash_leaf(leaf_bytes(notification, formats)))
            (_, index), leaf = completed[0]
            leaves.append((index, notification.id, leaf))
            nodes.extend((level, idx, node) for (level, idx), node in completed[1:])
        tx.copy_rows(self.table("merkle_leaves"), ("leaf_index", "position", "leaf_hash"), leaves)
        tx.copy_rows(self.table("merkle_nodes"), ("level", "idx", "hash"), nodes)

    def _stored(self, batch: Sequence[Recorded]) -> list[StoredEventLike]:
        given: list[Any] = [getattr(r, "stored", None) for r in batch]
        if all(s is not None for s in given):
            return given
        if self.waiting_list is None:
            raise LogError(
                "the transparency log needs the stored events: construct it with the waiting "
                "list (transparency_log_class) or run it under a runner that passes them"
            )
        first, last = batch[0].notification_id, batch[-1].notification_id
        found = {
            n.id: n
            for n in self.waiting_list.recorder.select_notifications(
                start=first, limit=last - first + 1, stop=last
            )
        }
        missing = [r.notification_id for r in batch if r.notification_id not in found]
        if missing:
            raise LogError(f"the store no longer has the notifications {missing[:5]}")
        for r in batch:
            n, event = found[r.notification_id], r.event
            if (str(event.originator_id), event.originator_version) != (
                str(n.originator_id),
                n.originator_version,
            ):
                raise LogError(f"the stored event at position {n.id} is not the one decoded")
        return [found[r.notification_id] for r in batch]

    # -- reading -------------------------------------------------------------------------

    def last_leaf(self, tx: Tx) -> LeafRecord | None:
        return self._leaf_where(tx, "ORDER BY leaf_index DESC LIMIT 1")

    def size(self, tx: Tx) -> int:
        last = self.last_leaf(tx)
        return 0 if last is None else last.leaf_index + 1

    def leaf(self, tx: Tx, position: int) -> LeafRecord:
        found = self._leaf_where(tx, "WHERE position = ?", position)
        if found is None:
            raise LogError(f"no event at position {position} in the transparency log")
        return found

    def leaves(self, tx: Tx, positions: Sequence[int]) -> dict[int, LeafRecord]:
        """The leaves of the events at these positions (absent: not logged), in one query."""
        if not positions:
            return {}
        marks = ", ".join("?" * len(positions))
        rows = tx.fetchall(
            f"SELECT leaf_index, position, leaf_hash FROM {self.table('merkle_leaves')}"
            f" WHERE position IN ({marks})",
            list(positions),
        )
        return {int(r[1]): LeafRecord(int(r[0]), int(r[1]), bytes(r[2])) for r in rows}

    def nodes(self, tx: Tx, wanted: Iterable[NodeId]) -> dict[NodeId, bytes]:
        return self._nodes(tx, wanted)

    def leaf_at(self, tx: Tx, leaf_index: int) -> LeafRecord:
        found = self._leaf_where(tx, "WHERE leaf_index = ?", leaf_index)
        if found is None:
            raise LogError(f"no leaf {leaf_index} in the transparency log")
        return found

    def _leaf_where(self, tx: Tx, clause: str, *params: int) -> LeafRecord | None:
        """The one leaf `clause` (a fixed SQL text, never input) selects, None if none."""
        row = tx.fetchone(
            f"SELECT leaf_index, position, leaf_hash FROM {self.table('merkle_leaves')} {clause}",
            params,
        )
        return None if row is None else LeafRecord(int(row[0]), int(row[1]), bytes(row[2]))

    def root(self, tx: Tx, size: int | None = None) -> bytes:
        """The tree hash at `size` leaves (now, if None)."""
        size = self.size(tx) if size is None else self._reached(tx, size)
        plan = root_plan(size)
        nodes = self._nodes(tx, plan)
        return fold([nodes[node] for node in plan])

    def inclusion_path(self, tx: Tx, leaf_index: int, size: int) -> list[bytes]:
        self._reached(tx, size)
        if not 0 <= leaf_index < size:
            raise LogError(f"leaf {leaf_index} is not in the tree of size {size}")
        plan = inclusion_plan(leaf_index, size)
        return resolve(plan, self._nodes(tx, plan_nodes(plan)))

    def consistency_path(self, tx: Tx, old_size: int, new_size: int) -> list[bytes]:
        self._reached(tx, new_size)
        if not 0 <= old_size <= new_size:
            raise LogError(f"no consistency proof from size {old_size} to {new_size}")
        if old_size in (0, new_size):
            return []
        plan = consistency_plan(old_size, new_size)
        return resolve(plan, self._nodes(tx, plan_nodes(plan)))

    def reached(self, tx: Tx, size: int) -> int:
        """`size`, if the log has a tree of that size (LogError if not)."""
        return self._reached(tx, size)

    def _reached(self, tx: Tx, size: int) -> int:
        current = self.size(tx)
        if not 0 <= size <= current:
            raise LogError(f"the log has {current} leaves; it has no tree of size {size}")
        return size

    def _nodes(self, tx: Tx, wanted: Iterable[NodeId]) -> dict[NodeId, bytes]:
        """The stored hashes of these complete subtrees, in one query per table."""
        wanted = set(wanted)
        found: dict[NodeId, bytes] = {}
        leaves = sorted(idx for level, idx in wanted if level == 0)
        if leaves:
            marks = ", ".join("?" * len(leaves))
            for idx, value in tx.fetchall(
                f"SELECT leaf_index, leaf_hash FROM {self.table('merkle_leaves')}"
                f" WHERE leaf_index IN ({marks})",
                leaves,
            ):
                found[(0, int(idx))] = bytes(value)
        inner = sorted(node for node in wanted if node[0] > 0)
        rows: list[Row] = []
        if inner and tx.dialect == "postgres":
            # A join with the wanted pairs: one index probe each. Hundreds of ORs made the
            # planner scan a bitmap of every term (93 ms a court export at 10 million leaves).
            rows = tx.fetchall(
                f"SELECT n.level, n.idx, n.hash FROM {self.table('merkle_nodes')} n"
                " JOIN unnest(?::integer[], ?::bigint[]) AS w(level, idx)"
                " ON n.level = w.level AND n.idx = w.idx",
                [[level for level, _ in inner], [idx for _, idx in inner]],
            )
        elif inner:
            where = " OR ".join("(level = ? AND idx = ?)" for _ in inner)
            rows = tx.fetchall(
                f"SELECT level, idx, hash FROM {self.table('merkle_nodes')} WHERE {where}",
                [v for node in inner for v in node],
            )
        for level, idx, value in rows:
            found[(int(level), int(idx))] = bytes(value)
        missing = wanted - found.keys()
        if missing:
            raise LogError(f"the log lacks the subtrees {sorted(missing)[:5]}: damaged tables")
        return found


def create_checkpoint_table(tx: Tx) -> None:
    serial = "BIGSERIAL" if tx.dialect == "postgres" else "INTEGER"
    tx.execute(
        f"CREATE TABLE IF NOT EXISTS {CHECKPOINTS} (seq {serial} PRIMARY KEY,"
        " size BIGINT NOT NULL, root_hash TEXT NOT NULL, time TEXT NOT NULL,"
        " origin TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL,"
        " note TEXT NOT NULL)"
    )


@dataclass(frozen=True)
class TreeHead:
    size: int
    root_hash: str  # hex


@dataclass(frozen=True)
class InclusionProof:
    position: int
    leaf_index: int
    tree_size: int
    leaf_hash: str  # hex
    path: tuple[str, ...]  # hex, leaf to root (RFC 9162 PATH)


@dataclass(frozen=True)
class ConsistencyProof:
    old_size: int
    new_size: int
    path: tuple[str, ...]  # hex (RFC 9162 PROOF)


def inclusion_proof(tx: Tx, log: TransparencyLog, position: int, size: int) -> InclusionProof:
    leaf = log.leaf(tx, position)
    if leaf.leaf_index >= size:
        raise LogError(f"the event at position {position} came after the tree of size {size}")
    path = log.inclusion_path(tx, leaf.leaf_index, size)
    return InclusionProof(
        position, leaf.leaf_index, size, leaf.leaf_hash.hex(), tuple(p.hex() for p in path)
    )


PROOFS_PER_QUERY = 128  # leaves whose paths are read in one query (they share upper nodes)


def inclusion_proofs(
    tx: Tx, log: TransparencyLog, positions: Sequence[int], size: int
) -> list[InclusionProof]:
    """`inclusion_proof` of each position, in order, from the stored tree levels: the size
    checked once, and the leaves and the nodes of every path read a chunk of positions at a
    time (one query each) instead of three queries per proof."""
    log.reached(tx, size)
    proofs: list[InclusionProof] = []
    for start in range(0, len(positions), PROOFS_PER_QUERY):
        chunk = positions[start : start + PROOFS_PER_QUERY]
        leaves = log.leaves(tx, chunk)
        plans = []
        for position in chunk:
            leaf = leaves.get(position)
            if leaf is None:
                raise LogError(f"no event at position {position} in the transparency log")
            if leaf.leaf_index >= size:
                raise LogError(
                    f"the event at position {position} came after the tree of size {size}"
                )
            plans.append((leaf, inclusion_plan(leaf.leaf_index, size)))
        nodes = log.nodes(tx, {node for _, plan in plans for node in plan_nodes(plan)})
        for leaf, plan in plans:
            path = resolve(plan, nodes)
            proofs.append(
                InclusionProof(
                    leaf.position,
                    leaf.leaf_index,
                    size,
                    leaf.leaf_hash.hex(),
                    tuple(p.hex() for p in path),
                )
            )
    return proofs


def consistency_proof(
    tx: Tx, log: TransparencyLog, old_size: int, new_size: int
) -> ConsistencyProof:
    path = log.consistency_path(tx, old_size, new_size)
    return ConsistencyProof(old_size, new_size, tuple(p.hex() for p in path))


def tree_head(tx: Tx, log: TransparencyLog, size: int | None = None) -> TreeHead:
    size = log.size(tx) if size is None else size
    return TreeHead(size, log.root(tx, size).hex())


def transparency_log_class(waiting_list: WaitingList) -> type[TransparencyLog]:
    """A TransparencyLog class bound to `waiting_list`, constructible by generation alone (what
    projections.rebuild.rebuild and live expect)."""

    class BoundTransparencyLog(TransparencyLog):
        def __init__(self, generation: int = 1, waiting_list: WaitingList | None = None) -> None:
            super().__init__(generation, waiting_list or bound)

    bound = waiting_list
    return BoundTransparencyLog
