"""The ``integrity-lint`` command (also ``python -m integrity_lint``)."""

from __future__ import annotations

from integrity_lint.bytecode import kept_compiles


def main() -> None:
    with kept_compiles("cli"):  # the CLI's modules define dataclasses: see integrity_lint.bytecode
        from integrity_lint.cli import main as cli
    cli()


if __name__ == "__main__":
    main()
