"""Figures the reliability tests measure (R1 … R18), shown together at the end of the pytest run.

pytest hides a passing test's output, so tests hand their figures here and tests/conftest.py prints them
in an "R-figures" section of the terminal summary.
"""

FIGURES: list[str] = []


def report(figure: str) -> None:
    """Record one line such as 'R1: 1234 acked, 0 lost, 0 duplicated, 0 5xx'."""
    FIGURES.append(figure)
