"""Example reviews shipped as data files (TOML), one per review."""

from pathlib import Path

EXAMPLES_DIR = Path(__file__).resolve().parent


def example_path(name: str) -> Path:
    return EXAMPLES_DIR / f"{name}.toml"


def available_examples() -> list[str]:
    return sorted(p.stem for p in EXAMPLES_DIR.glob("*.toml"))
