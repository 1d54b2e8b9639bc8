"""No import cycles between gx_clova's modules, imports inside functions included.

A cycle is a strongly connected component of the import graph (grimp reads every ``import``
statement, wherever it is). Issue 11 found seven cycles (twenty modules) and removed them all;
this test keeps the count at zero.
"""

from __future__ import annotations

import os
import sys

import grimp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def cycles(graph: grimp.ImportGraph) -> list[frozenset[str]]:
    """Every strongly connected component of more than one module (Tarjan, iteratively)."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in sorted(graph.modules)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def _graph() -> grimp.ImportGraph:
    sys.path.insert(0, ROOT)
    try:
        return grimp.build_graph("gx_clova", cache_dir=None)
    finally:
        sys.path.remove(ROOT)


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for a, b in (("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")):
        graph.add_import(importer=a, imported=b)
    assert cycles(graph) == [frozenset({"p.a", "p.b", "p.c"})]


def test_no_import_cycles():
    graph = _graph()
    assert "gx_clova.cli.app" in graph.modules, "the graph must be built from this repository"
    assert [sorted(c) for c in cycles(graph)] == [], "import cycles (break them; see CONTRIBUTING.md)"
