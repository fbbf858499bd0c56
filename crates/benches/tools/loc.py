#!/usr/bin/env python3
"""Lines of code per crate, as issue 14 counts them: the `.rs` files under
`crates/<name>/src`, without blank lines, `//` comments (`///` and `//!`
docs too) and `#[cfg(test)]` modules.

    python3 crates/benches/tools/loc.py            # every crate
    python3 crates/benches/tools/loc.py mlp optim  # some
"""
import pathlib
import sys


def code_lines(text):
    lines = text.splitlines()
    count, i = 0, 0
    while i < len(lines):
        s = lines[i].strip()
        if s == "#[cfg(test)]" and i + 1 < len(lines) and lines[i + 1].strip().startswith("mod "):
            # skip the attribute and the module, up to its closing brace
            i, depth = i + 1, 0
            while i < len(lines):
                depth += lines[i].count("{") - lines[i].count("}")
                i += 1
                if depth == 0:
                    break
            continue
        if s and not s.startswith("//"):
            count += 1
        i += 1
    return count


def main():
    root = pathlib.Path(__file__).resolve().parents[3] / "crates"
    names = sys.argv[1:] or sorted(p.name for p in root.iterdir() if (p / "src").is_dir())
    total = 0
    for name in names:
        n = sum(code_lines(f.read_text()) for f in sorted((root / name / "src").rglob("*.rs")))
        total += n
        print(f"{name:12} {n:6}")
    print(f"{'total':12} {total:6}")


main()
