#!/usr/bin/env python3
"""Replace one marked section of a Markdown file (BENCHMARKS.md) with a freshly written one.

usage: scripts/replace_section.py SECTION.md OUTPUT.md NAME [LABEL]

SECTION.md holds the new section, from its `<!-- NAME:begin -->` line to its `<!-- NAME:end -->` line. In
OUTPUT.md everything between (and including) the same two markers is replaced; a file without them gets the
section appended. The rest of the file is left byte for byte. Used by the benchmark scripts that each own one
section (small_batch_benchmark.sh, large_batch_benchmark.sh, auto_choice_check.sh, stream_rss.sh).
"""
import sys
from pathlib import Path


def main() -> None:
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__.strip().splitlines()[2])
    section = Path(sys.argv[1]).read_text()
    out = Path(sys.argv[2])
    name = sys.argv[3]
    label = sys.argv[4] if len(sys.argv) == 5 else name
    old = out.read_text() if out.exists() else ""
    b, e = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    if b in old and e in old:
        text = old.split(b, 1)[0] + section.rstrip("\n") + old.split(e, 1)[1]
    else:
        text = old.rstrip("\n") + "\n\n" + section
    out.write_text(text)
    print(f"wrote the {label} section of {out}")


if __name__ == "__main__":
    main()
