"""The package's imports as layers: prints each layer's imports of other layers, cycles and violations.

    python benchmarks/imports.py          # the picture, in words; exit 1 on a cycle or an upward import
    python benchmarks/imports.py --dot    # Graphviz dot of the modules (pipe into `dot -Tpng`)

Every import counts, also one inside a function (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "tracker"

#: Layers from the bottom up: a module may import its own layer and those before it.
LAYERS = ("models", "errors", "sources", "extract", "store", "ingest", "timeline", "render", "web", "cli")
#: Not layers: the public API re-exports (lazily) and the `python -m tracker` entry.
OUTSIDE = ("tracker", "tracker.__main__")


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package by dotted name."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        name = ".".join(("tracker",) + path.relative_to(root).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """module -> the package's modules it imports (anywhere in its body)."""
    mods = modules(root)

    def resolve(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
            for target in targets:
                if target.split(".")[0] == "tracker":
                    found = resolve(target)
                    if found and found != mod:
                        graph[mod].add(found)
    return graph


def layer_of(module: str) -> str | None:
    """The layer a module belongs to (its first name under tracker/), None for the API modules."""
    if module in OUTSIDE:
        return None
    return module.split(".")[1]


def violations(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(importer, imported) pairs where a lower layer imports a higher one."""
    rank = {name: i for i, name in enumerate(LAYERS)}
    out = []
    for mod, targets in sorted(graph.items()):
        low = layer_of(mod)
        for target in sorted(targets):
            high = layer_of(target)
            if low is None or high is None:
                continue
            if rank.get(high, len(LAYERS)) > rank.get(low, len(LAYERS)):
                out.append((mod, target))
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(10_000)

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def layer_picture(graph: dict[str, set[str]]) -> list[str]:
    """One line per layer: which lower layers it imports."""
    uses: dict[str, set[str]] = defaultdict(set)
    for mod, targets in graph.items():
        for target in targets:
            a, b = layer_of(mod), layer_of(target)
            if a and b and a != b:
                uses[a].add(b)
    present = {layer_of(m) for m in graph} - {None}
    order = [name for name in LAYERS if name in present] + sorted(present - set(LAYERS))
    return [f"{name:<9} -> {', '.join(sorted(uses[name], key=LAYERS.index)) or '(nothing)'}"
            for name in reversed(order)]


def main(argv: list[str]) -> int:
    graph = import_graph()
    if "--dot" in argv:
        print("digraph tracker {\n  rankdir=BT;")
        for mod, targets in sorted(graph.items()):
            for target in sorted(targets):
                print(f'  "{mod}" -> "{target}";')
        print("}")
        return 0
    print("\n".join(layer_picture(graph)))
    found, wrong = cycles(graph), violations(graph)
    print(f"{len(graph)} modules, {sum(map(len, graph.values()))} imports, "
          f"{len(found)} cycles, {len(wrong)} upward imports")
    for group in found:
        print("cycle: " + " <-> ".join(group))
    for a, b in wrong:
        print(f"upward: {a} imports {b}")
    return 1 if found or wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
