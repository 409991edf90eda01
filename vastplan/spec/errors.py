"""Spec problems and the one exception that carries them.

    VastplanError
    └── SpecError          every problem found in the spec files, each a Problem(file, line, pointer, message)

Validation never stops at the first problem: every stage appends to a :class:`Problems` collector and the
loader raises one :class:`SpecError` at the end, so a user fixes a file in one round.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from vastplan.errors import VastplanError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the spec.

    ``file`` is the name as the user gave it (or the source name of an in-memory document), ``line`` is
    1-based when known, ``pointer`` is a JSON pointer into that document (``/views/0/protocols``; empty for the
    whole file).
    """

    file: str
    line: int | None
    pointer: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.pointer:
            where += f" ({self.pointer})"
        return f"{where}: {self.message}"


#: How many problems a report shows; the rest are counted.
REPORTED_PROBLEMS = 100


class SpecError(VastplanError):
    """The spec is invalid; ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._report())

    def _report(self) -> str:
        count = len(self.problems)
        head = "invalid spec: 1 problem" if count == 1 else f"invalid spec: {count} problems"
        shown = self.problems[:REPORTED_PROBLEMS]
        lines = [head, *(f"  {problem}" for problem in shown)]
        if count > len(shown):
            # A file wrong everywhere must not print megabytes: the first problems tell what to fix, and
            # ``problems`` keeps them all for callers that want every one.
            lines.append(f"  ... and {count - len(shown)} more problems (fix these and validate again)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._report()


class Problems:
    """Collects problems in the order they are found; :meth:`raise_if_any` raises them as one SpecError.

    The file order is the order files were first mentioned, so that a report reads file by file, top down.
    """

    def __init__(self) -> None:
        self._items: list[Problem] = []
        self._seen: set[Problem] = set()
        self._file_rank: dict[str, int] = {}

    def add(self, file: str, line: int | None, pointer: str, message: str) -> None:
        problem = Problem(file, line, pointer, message)
        if problem in self._seen:
            return
        self._seen.add(problem)
        self._file_rank.setdefault(file, len(self._file_rank))
        self._items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem.file, problem.line, problem.pointer, problem.message)

    def note_file(self, file: str) -> None:
        """Fix the position of ``file`` in the report before any of its problems is known."""
        self._file_rank.setdefault(file, len(self._file_rank))

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.sorted())

    def sorted(self) -> tuple[Problem, ...]:
        def key(problem: Problem) -> tuple[int, int, str]:
            return (self._file_rank.get(problem.file, 0), problem.line or 0, problem.pointer)

        # sorted() is stable: problems at the same place keep the order they were found in.
        return tuple(sorted(self._items, key=key))

    def raise_if_any(self) -> None:
        if self._items:
            raise SpecError(self.sorted())


__all__ = ["Problem", "Problems", "SpecError"]
