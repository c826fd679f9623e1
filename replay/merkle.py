"""RFC 9162 §2.1 Merkle trees: hashes, proofs, their verification, and appends in O(log n).

Three layers, each usable alone:

- the RFC's definitions, literally (`root_of`, `inclusion_path`, `consistency_path`) over a
  list of leaf hashes: the reference everything else is tested against;
- plans: which stored nodes a root or a proof needs. A node `(level, index)` is the root of
  the perfect subtree over leaves `[index * 2**level, (index + 1) * 2**level)`; such a node
  never changes once its last leaf is appended, so a store keeps every one and a proof for
  any past tree size reads O(log n) of them. A proof hash over the ragged right edge of a
  tree is the right fold of a few perfect nodes (`fold`);
- verification exactly as §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), raising
  `ProofError` with what failed;
- `CompactRange`: the roots of the perfect subtrees covering the leaves so far (one per set
  bit of the size); appending is O(log n) and returns the nodes it completed.

Leaf hashes are SHA-256(0x00 || data), interior nodes SHA-256(0x01 || left || right), the
empty tree's hash SHA-256("").
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

NodeId = tuple[int, int]
Plan = list[list[NodeId]]

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


class ProofError(ValueError):
    """A proof does not verify; the message says how."""


def hash_leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


# -- the RFC's definitions over leaf hashes ----------------------------------------------


def root_of(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) given the leaf hashes."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return hash_children(root_of(leaves[:k]), root_of(leaves[k:]))


def inclusion_path(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]), leaf to root."""
    n = len(leaves)
    if not 0 <= index < n:
        raise ValueError(f"leaf {index} is not in a tree of size {n}")
    if n == 1:
        return []
    k = _split(n)
    if index < k:
        return [*inclusion_path(index, leaves[:k]), root_of(leaves[k:])]
    return [*inclusion_path(index - k, leaves[k:]), root_of(leaves[:k])]


def consistency_path(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) for 0 < m <= n (empty when m == n)."""
    if not 0 < old_size <= len(leaves):
        raise ValueError(f"no consistency proof from size {old_size} to {len(leaves)}")
    return _subproof(old_size, leaves, complete=True)


def _subproof(m: int, leaves: Sequence[bytes], *, complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [root_of(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], complete=complete), root_of(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], complete=False), root_of(leaves[:k])]


# -- plans over stored perfect nodes -----------------------------------------------------


def subtree_nodes(begin: int, end: int) -> list[NodeId]:
    """The perfect nodes, left to right, whose right fold is MTH(D[begin:end]).

    `begin` must be aligned as in the RFC's recursion (a multiple of the largest power of two
    not above end - begin), which every range the proofs below ask for is.
    """
    nodes: list[NodeId] = []
    while begin < end:
        level = (end - begin).bit_length() - 1
        if begin % (1 << level):
            raise ValueError(f"[{begin}, {end}) is not a subtree of an RFC 9162 tree")
        nodes.append((level, begin >> level))
        begin += 1 << level
    return nodes


def root_plan(size: int) -> list[NodeId]:
    return subtree_nodes(0, size)


def inclusion_plan(index: int, size: int) -> Plan:
    """Which nodes make PATH(index, D[size]): one group (folded) per proof hash."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    siblings: Plan = []
    begin, end = 0, size
    while end - begin > 1:
        k = _split(end - begin)
        if index < begin + k:
            siblings.append(subtree_nodes(begin + k, end))
            end = begin + k
        else:
            siblings.append(subtree_nodes(begin, begin + k))
            begin += k
    siblings.reverse()
    return siblings


def consistency_plan(old_size: int, new_size: int) -> Plan:
    """Which nodes make PROOF(old_size, D[new_size]) (0 < old_size <= new_size)."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to {new_size}")
    siblings: Plan = []
    begin, end, complete = 0, new_size, True
    while old_size != end:
        k = _split(end - begin)
        if old_size <= begin + k:
            siblings.append(subtree_nodes(begin + k, end))
            end = begin + k
        else:
            siblings.append(subtree_nodes(begin, begin + k))
            begin, complete = begin + k, False
    siblings.reverse()
    if not complete:
        siblings.insert(0, subtree_nodes(begin, end))
    return siblings


def plan_nodes(plan: Iterable[Sequence[NodeId]]) -> set[NodeId]:
    return {node for group in plan for node in group}


def fold(hashes: Sequence[bytes]) -> bytes:
    """Right fold: H(h0, H(h1, ... H(h[-2], h[-1])))."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = hash_children(left, result)
    return result


def resolve(plan: Iterable[Sequence[NodeId]], nodes: Mapping[NodeId, bytes]) -> list[bytes]:
    return [fold([nodes[node] for node in group]) for group in plan]


# -- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) ----------------------------------------


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what} is {len(value)} bytes, not {HASH_SIZE}")


def root_from_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes]) -> bytes:
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not below the tree size {size}")
    _check_hash(leaf, "the leaf hash")
    fn, sn, r = index, size - 1, leaf
    for i, p in enumerate(path):
        _check_hash(p, f"proof hash {i}")
        if sn == 0:
            raise ProofError(f"the proof for leaf {index} in a tree of {size} is too long")
        if fn & 1 or fn == sn:
            r = hash_children(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = hash_children(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"the proof for leaf {index} in a tree of {size} is too short")
    return r


def verify_inclusion(
    index: int, size: int, leaf: bytes, path: Sequence[bytes], root: bytes
) -> None:
    _check_hash(root, "the root hash")
    computed = root_from_inclusion(index, size, leaf, path)
    if computed != root:
        raise ProofError(
            f"leaf {index} is not in the tree of size {size} with root {root.hex()}: "
            f"its proof leads to {computed.hex()}"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    _check_hash(old_root, "the earlier root")
    _check_hash(new_root, "the later root")
    if old_size > new_size:
        raise ProofError(f"the tree shrank from {old_size} to {new_size} leaves")
    if old_size == new_size:
        if proof:
            raise ProofError("a proof between equal sizes must be empty")
        if old_root != new_root:
            raise ProofError(
                f"two different roots for the same size {old_size}: "
                f"{old_root.hex()} and {new_root.hex()}"
            )
        return
    if old_size == 0:
        if proof:
            raise ProofError("a proof from the empty tree must be empty")
        return
    if not proof:
        raise ProofError(f"empty consistency proof from size {old_size} to {new_size}")
    for i, c in enumerate(proof):
        _check_hash(c, f"proof hash {i}")
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError(f"the proof from size {old_size} to {new_size} is too long")
        if fn & 1 or fn == sn:
            fr, sr = hash_children(c, fr), hash_children(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = hash_children(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"the proof from size {old_size} to {new_size} is too short")
    failed = (
        f"the tree of size {new_size} (root {new_root.hex()}) is not proven to extend the tree "
        f"of size {old_size} (root {old_root.hex()})"
    )
    if fr != old_root:
        raise ProofError(f"{failed}: by the proof its first {old_size} leaves hash to {fr.hex()}")
    if sr != new_root:
        raise ProofError(f"{failed}: the proof leads to root {sr.hex()} for size {new_size}")


# -- appending ---------------------------------------------------------------------------


class CompactRange:
    """The perfect subtree roots covering leaves [0, size), highest level first."""

    def __init__(self, size: int = 0, roots: Sequence[bytes] = ()) -> None:
        if len(roots) != size.bit_count():
            raise ValueError(f"a tree of size {size} has {size.bit_count()} perfect roots")
        self.size = size
        self.roots = list(roots)

    @classmethod
    def from_nodes(cls, size: int, nodes: Mapping[NodeId, bytes]) -> CompactRange:
        return cls(size, [nodes[node] for node in root_plan(size)])

    def append(self, leaf: bytes) -> list[tuple[NodeId, bytes]]:
        """Add a leaf hash; returns every node this completed, the leaf (level 0) first."""
        _check_hash(leaf, "the leaf hash")
        level, index, node = 0, self.size, leaf
        completed = [((0, index), leaf)]
        while index & 1:
            node = hash_children(self.roots.pop(), node)
            level, index = level + 1, index >> 1
            completed.append(((level, index), node))
        self.roots.append(node)
        self.size += 1
        return completed

    def root(self) -> bytes:
        return fold(self.roots)
