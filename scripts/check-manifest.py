#!/usr/bin/env python3
"""Fails when Package.swift does not tell the truth about a target: a module a target's files import that the
target does not declare (it would only compile through another dependency), a declared dependency no file
of the target imports, or a module that depends on a later layer of Sources/ (C, Core, System, DataPlane,
ControlPlane, Apps: each uses only its own layer and those before it). `make test` runs it.

    scripts/check-manifest.py
"""
import glob
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Modules of the toolchain and the operating system, never declared.
SYSTEM = {"Glibc", "Darwin", "Testing", "Synchronization", "Foundation", "Dispatch", "_Concurrency", "PackageDescription"}
PACKAGES = {"swift-nio", "swift-log", "swift-argument-parser"}
LAYERS = ["C", "Core", "System", "DataPlane", "ControlPlane", "Apps"]


def layer(folder: str) -> int:
    """The layer of a Sources/LAYER/MODULE folder; tests and their support library come after every layer."""
    parts = folder.split("/")
    return LAYERS.index(parts[1]) if parts[0] == "Sources" and parts[1] in LAYERS else len(LAYERS)


def targets(manifest: str) -> dict[str, tuple[str, str, set[str]]]:
    """name -> (kind, folder, declared dependencies)."""
    found = {}
    for match in re.finditer(r'\.(target|executableTarget|testTarget)\(name: "([^"]+)"', manifest):
        kind, name = match.groups()
        end, depth = match.end(), 1
        while depth:
            depth += (manifest[end] == "(") - (manifest[end] == ")")
            end += 1
        arguments = manifest[match.end():end]
        declared: set[str] = set()
        if "dependencies:" in arguments:
            body = arguments.split("dependencies:", 1)[1]
            body = body[:body.index("]") + 1]
            declared = set(re.findall(r'"([A-Za-z0-9_-]+)"', body)) - PACKAGES
        path = re.search(r'path: "([^"]+)"', arguments)
        folder = path.group(1) if path else f"{'Tests' if kind == 'testTarget' else 'Sources'}/{name}"
        found[name] = (kind, folder, declared)
    return found


def imports(folder: Path) -> set[str]:
    modules = set()
    for file in glob.glob(str(folder / "**" / "*.swift"), recursive=True):
        for line in open(file, encoding="utf-8"):
            match = re.match(r"^\s*(?:@testable |@_exported |@preconcurrency )?import (\w+)", line)
            if match:
                modules.add(match.group(1))
    return modules - SYSTEM


def main() -> int:
    problems = 0
    all_targets = targets((ROOT / "Package.swift").read_text())
    for name, (_, folder, declared) in sorted(all_targets.items()):
        for module in sorted(declared & all_targets.keys()):
            if layer(all_targets[module][1]) > layer(folder):
                print(f"error: {name} ({folder}) depends on {module} ({all_targets[module][1]}), a later layer", file=sys.stderr)
                problems += 1
        used = imports(ROOT / folder) - {name}
        for module in sorted(used - declared):
            print(f"error: {name} imports {module} but Package.swift does not declare it", file=sys.stderr)
            problems += 1
        for module in sorted(declared - used):
            print(f"error: {name} declares {module} but none of its files imports it", file=sys.stderr)
            problems += 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
