"""integrity-lint: the Mozilla integrity toolkit's best practices as libcst checks."""

__version__ = "0.1.0"
