"""RFC 9162 Merkle trees: the RFC 6962 reference vectors, the node plans of the Go reference
implementation (transparency-dev/merkle), an independent bottom-up tree, and hypothesis."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replay.merkle import (
    EMPTY_ROOT,
    CompactRange,
    NodeId,
    ProofError,
    consistency_path,
    consistency_plan,
    hash_children,
    hash_leaf,
    inclusion_path,
    inclusion_plan,
    resolve,
    root_of,
    root_plan,
    verify_consistency,
    verify_inclusion,
)

h = bytes.fromhex

# The eight leaves of the RFC 6962 reference tests and the roots of the trees of 1..8 leaves.
LEAVES = [h(x) for x in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                         "606162636465666768696a6b6c6d6e6f"]]  # fmt: skip
ROOTS = [h(x) for x in [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]]  # fmt: skip
# The nodes the reference proofs are made of, by the leaves they cover: NODE[a, b] is the hash
# of the subtree of leaves a..b-1 (a leaf hash when b = a + 1); three are roots above.
NODE = {
    (0, 1): ROOTS[0],
    (0, 2): ROOTS[1],
    (0, 4): ROOTS[3],
    (1, 2): h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
    (2, 4): h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
    (4, 5): h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
    (4, 6): h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
    (4, 8): h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
    (6, 7): h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
    (6, 8): h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
}
Node = tuple[int, int]
# (leaf index, tree size, the nodes of its PATH)
INCLUSION: list[tuple[int, int, list[Node]]] = [
    (0, 8, [(1, 2), (2, 4), (4, 8)]),
    (5, 8, [(4, 5), (6, 8), (0, 4)]),
    (2, 3, [(0, 2)]),
    (1, 5, [(0, 1), (2, 4), (4, 5)]),
]
# (old size, new size, the nodes of its PROOF)
CONSISTENCY: list[tuple[int, int, list[Node]]] = [
    (1, 8, [(1, 2), (2, 4), (4, 8)]),
    (6, 8, [(4, 6), (6, 8), (0, 4)]),
    (2, 5, [(2, 4), (4, 5)]),
    (6, 7, [(4, 6), (6, 7), (0, 4)]),
]
HASHES = [hash_leaf(leaf) for leaf in LEAVES]


def stored_nodes(leaves: list[bytes]) -> dict[NodeId, bytes]:
    tree = CompactRange()
    return {node: value for leaf in leaves for node, value in tree.append(leaf)}


def bottom_up(leaves: list[bytes]) -> tuple[bytes, list[list[bytes]]]:
    """An independent construction: hash pairs level by level, carry an odd last node up."""
    levels = [list(leaves)]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append(
            [hash_children(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
            + ([below[-1]] if len(below) % 2 else [])
        )
    return (levels[-1][0] if leaves else hashlib.sha256().digest()), levels


def bottom_up_path(index: int, levels: list[list[bytes]]) -> list[bytes]:
    path = []
    for level in levels[:-1]:
        if index ^ 1 < len(level):
            path.append(level[index ^ 1])
        index //= 2
    return path


def test_the_reference_roots() -> None:
    assert (
        root_of([])
        == EMPTY_ROOT
        == h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    )
    tree = CompactRange()
    for size in range(1, 9):
        tree.append(HASHES[size - 1])
        assert root_of(HASHES[:size]) == ROOTS[size - 1] == tree.root()


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_the_reference_inclusion_proofs(index: int, size: int, path: list[Node]) -> None:
    expected = [NODE[node] for node in path]
    assert inclusion_path(index, HASHES[:size]) == expected
    assert resolve(inclusion_plan(index, size), stored_nodes(HASHES)) == expected
    verify_inclusion(index, size, HASHES[index], expected, ROOTS[size - 1])
    for wrong_index, wrong_size in [(index ^ 1, size), (index, size * 2), (index, size // 2)]:
        with pytest.raises(ProofError):
            verify_inclusion(wrong_index, wrong_size, HASHES[index], expected, ROOTS[size - 1])


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_the_reference_consistency_proofs(old: int, new: int, proof: list[Node]) -> None:
    expected = [NODE[node] for node in proof]
    assert consistency_path(old, HASHES[:new]) == expected
    assert resolve(consistency_plan(old, new), stored_nodes(HASHES)) == expected
    verify_consistency(old, new, ROOTS[old - 1], ROOTS[new - 1], expected)
    probes = [
        (old - 1, new, ROOTS[old - 1], ROOTS[new - 1], expected),
        (old + 1, new, ROOTS[old - 1], ROOTS[new - 1], expected),
        (old, new * 2, ROOTS[old - 1], ROOTS[new - 1], expected),
        (old, new, ROOTS[new - 1], ROOTS[old - 1], expected),
        (old, new, ROOTS[old - 1], ROOTS[new - 1], []),
        (old, new, ROOTS[old - 1], ROOTS[new - 1], expected[:-1]),
        (old, new, ROOTS[old - 1], ROOTS[new - 1], [*expected, ROOTS[0]]),
        (old, new, ROOTS[old - 1], ROOTS[new - 1], [expected[0], *expected]),
    ]
    for probe in probes:
        with pytest.raises(ProofError):
            verify_consistency(*probe)


def test_trivial_consistency() -> None:
    verify_consistency(0, 5, EMPTY_ROOT, ROOTS[4], [])
    verify_consistency(3, 3, ROOTS[2], ROOTS[2], [])
    with pytest.raises(ProofError, match="two different roots for the same size 3"):
        verify_consistency(3, 3, ROOTS[2], ROOTS[3], [])
    with pytest.raises(ProofError, match="shrank from 4 to 3"):
        verify_consistency(4, 3, ROOTS[3], ROOTS[2], [])


# The node plans of transparency-dev/merkle's proof tests, ragged right edges folded left to
# right: (1, 2) then (0, 6) is H(i, j).
@pytest.mark.parametrize(
    ("index", "size", "plan"),
    [
        (0, 7, [[(0, 1)], [(1, 1)], [(1, 2), (0, 6)]]),
        (4, 7, [[(0, 5)], [(0, 6)], [(2, 0)]]),
        (6, 7, [[(1, 2)], [(2, 0)]]),
        (3, 5, [[(0, 2)], [(1, 0)], [(0, 4)]]),
        (10, 15, [[(0, 11)], [(1, 4)], [(1, 6), (0, 14)], [(3, 0)]]),
        (24, 31, [[(0, 25)], [(1, 13)], [(1, 14), (0, 30)], [(3, 2)], [(4, 0)]]),
        (81, 95, [[(0, 80)], [(1, 41)], [(2, 21)], [(2, 22), (1, 46), (0, 94)],
                  [(4, 4)], [(6, 0)]]),
    ],
)  # fmt: skip
def test_inclusion_plans_match_the_go_reference(
    index: int, size: int, plan: list[list[NodeId]]
) -> None:
    assert inclusion_plan(index, size) == plan


@pytest.mark.parametrize(
    ("old", "new", "plan"),
    [
        (1, 2, [[(0, 1)]]),
        (2, 8, [[(1, 1)], [(2, 1)]]),
        (3, 7, [[(0, 2)], [(0, 3)], [(1, 0)], [(1, 2), (0, 6)]]),
        (4, 7, [[(1, 2), (0, 6)]]),
        (5, 7, [[(0, 4)], [(0, 5)], [(0, 6)], [(2, 0)]]),
        (7, 8, [[(0, 6)], [(0, 7)], [(1, 2)], [(2, 0)]]),
        (10, 15, [[(1, 4)], [(1, 5)], [(1, 6), (0, 14)], [(3, 0)]]),
        (24, 31, [[(3, 2)], [(2, 6), (1, 14), (0, 30)], [(4, 0)]]),
        (81, 95, [[(0, 80)], [(0, 81)], [(1, 41)], [(2, 21)], [(2, 22), (1, 46), (0, 94)],
                  [(4, 4)], [(6, 0)]]),
    ],
)  # fmt: skip
def test_consistency_plans_match_the_go_reference(
    old: int, new: int, plan: list[list[NodeId]]
) -> None:
    assert consistency_plan(old, new) == plan


leaf_lists = st.lists(st.binary(max_size=6), min_size=1, max_size=70).map(
    lambda data: [hash_leaf(d) for d in data]
)


@given(leaf_lists, st.data())
def test_every_proof_verifies_and_any_tampering_fails(
    leaves: list[bytes], data: st.DataObject
) -> None:
    n = len(leaves)
    nodes = stored_nodes(leaves)
    root, levels = bottom_up(leaves)
    assert root == root_of(leaves) == CompactRange.from_nodes(n, nodes).root()
    assert resolve([root_plan(n)], nodes) == [root]

    index = data.draw(st.integers(0, n - 1), label="index")
    path = resolve(inclusion_plan(index, n), nodes)
    assert path == inclusion_path(index, leaves) == bottom_up_path(index, levels)
    verify_inclusion(index, n, leaves[index], path, root)
    with pytest.raises(ProofError):
        verify_inclusion(index, n, hash_leaf(b"tampered"), path, root)
    if path:
        k = data.draw(st.integers(0, len(path) - 1), label="proof node")
        bad = [*path[:k], bytes([path[k][0] ^ 1]) + path[k][1:], *path[k + 1 :]]
        with pytest.raises(ProofError):
            verify_inclusion(index, n, leaves[index], bad, root)

    old = data.draw(st.integers(1, n), label="old size")
    proof = resolve(consistency_plan(old, n), nodes)
    assert proof == consistency_path(old, leaves)
    old_root = root_of(leaves[:old])
    verify_consistency(old, n, old_root, root, proof)
    if old < n:
        k = data.draw(st.integers(0, len(proof) - 1), label="proof node")
        bad = [*proof[:k], bytes([proof[k][0] ^ 1]) + proof[k][1:], *proof[k + 1 :]]
        with pytest.raises(ProofError):
            verify_consistency(old, n, old_root, root, bad)
        # History rewritten: one of the first `old` leaves differs in the longer tree.
        j = data.draw(st.integers(0, old - 1), label="rewritten leaf")
        rewritten = [*leaves[:j], hash_leaf(b"rewritten"), *leaves[j + 1 :]]
        forged = consistency_path(old, rewritten)
        with pytest.raises(ProofError, match=f"is not proven to extend the tree of size {old} "):
            verify_consistency(old, n, old_root, root_of(rewritten), forged)
