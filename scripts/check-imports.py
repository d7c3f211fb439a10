#!/usr/bin/env python3
"""Compares each SwiftPM target's `import` lines with the dependencies Package.swift declares.

SwiftPM lets a target import any module its dependencies pull in, so a shortcut past a layer
builds; this check fails it instead. Prints every import that is not declared and every
declared dependency that is not imported, and exits 1 if there is any.
"""
import json
import pathlib
import re
import subprocess
import sys

# Modules of the toolchain and the standard library: never declared in Package.swift.
TOOLCHAIN = {"Foundation", "FoundationEssentials", "FoundationNetworking", "Glibc", "Dispatch", "Synchronization", "Testing",
             "XCTest", "PackagePlugin", "PackageDescription", "_Concurrency", "Darwin", "Observation"}
IMPORT = re.compile(r"^\s*(?:@testable\s+|@_implementationOnly\s+|public\s+|internal\s+|package\s+)?import\s+(?:(?:struct|class|enum|func|protocol|typealias|var|let)\s+)?([A-Za-z_][A-Za-z0-9_]*)", re.M)


def declared(target):
    names = set()
    for dependency in target.get("dependencies", []):
        for kind in ("byName", "target", "product"):
            if kind in dependency:
                names.add(dependency[kind][0])
    return names


def main(root):
    package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=root, check=True,
                                        capture_output=True, text=True).stdout)
    problems = []
    # A test may depend on an executable only to have it built, and run it as a process.
    executables = {t["name"] for t in package["targets"] if t["type"] == "executable"}
    for target in package["targets"]:
        if target["type"] in ("system", "plugin"):
            continue
        folder = target.get("path") or ("Tests" if target["type"] == "test" else "Sources") + "/" + target["name"]
        imported = set()
        for source in sorted((root / folder).rglob("*.swift")):
            imported |= set(IMPORT.findall(source.read_text()))
        imported -= TOOLCHAIN
        imported.discard(target["name"])
        deps = declared(target)
        for module in sorted(imported - deps):
            problems.append(f"{target['name']} imports {module} but Package.swift does not declare it")
        for module in sorted(deps - imported - executables):
            problems.append(f"{target['name']} declares {module} but imports it nowhere")
    for problem in problems:
        print(problem)
    if not problems:
        print(f"ok: every target imports exactly what Package.swift declares ({len(package['targets'])} targets)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()))
