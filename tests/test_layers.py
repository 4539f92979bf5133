"""The layout reads as the data flow: a stage imports only the stages before it (and
the shared modules), and no module imports, directly or through others, itself."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[1] / "src" / "newsdesk"
SHARED = {
    "newsdesk", "accounts", "agencies", "config", "telemetry", "errors", "heap", "markup", "minhash", "models",
    "owners", "plaintext", "stories", "tokens", "urls",
}  # fmt: skip
ORDER = ["sources", "fetch", "extract", "clean", "enrich", "store", "search", "watch", "publish", "pipeline", "web"]
SHELLS = {"cli", "__main__"}  # may import anything


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(("newsdesk", *parts[:-1])) if parts[-1] == "__init__" else ".".join(("newsdesk", *parts))


def _imports() -> dict[str, set[str]]:
    """Each module of the package → the package's modules it imports (anywhere in it)."""
    modules = {_module(p): p for p in ROOT.rglob("*.py")}
    found: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.add(full if full in modules else base)
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
        found[name] = {t for t in targets if t in modules and t != name}
    return found


def _unit(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def test_stages_import_only_earlier_stages_and_shared_modules():
    wrong = []
    for module, targets in _imports().items():
        unit = _unit(module)
        if unit in SHELLS or unit in SHARED and unit not in ORDER:
            continue
        for target in targets:
            other = _unit(target)
            if other == unit or other in SHARED:
                continue
            if unit in SHARED or other in SHELLS or ORDER.index(other) > ORDER.index(unit):
                wrong.append(f"{module} imports {target}")
    assert not wrong, wrong


def test_no_module_imports_itself_through_others():
    graph = _imports()
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        for target in graph[node]:
            if target in trail:
                cycles.append(trail[trail.index(target) :] + [target])
            elif target not in done:
                visit(target, [*trail, target])
        done.add(node)

    done: set[str] = set()
    for start in sorted(graph):
        if start not in done:
            visit(start, [start])
    assert not cycles, cycles[:5]
