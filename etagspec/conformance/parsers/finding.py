"""A parser check's finding: one call of the user's function that breaks a rule."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ParserFinding"]


@dataclass(frozen=True)
class ParserFinding:
    """One call that breaks the rule: the input, what came back, what the
    rule expects, why, a one-line reproduction calling the user's function,
    the root cause in input-independent words, and the catalogue ID of the
    lenient reading it took ("" for a deviation)."""

    input: str
    got: str
    expected: str
    explanation: str
    reproduce: str
    signature: str
    lenient: str = ""

    def to_json(self) -> dict[str, str | None]:
        return {
            "input": self.input,
            "got": self.got,
            "expected": self.expected,
            "explanation": self.explanation,
            "reproduce": self.reproduce,
            "signature": self.signature,
            "lenient": self.lenient or None,
        }
