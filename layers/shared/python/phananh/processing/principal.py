"""Who is acting on the processing side: an officer of one unit, with the roles Cognito gives.

Built by phananh.processing.sign_in from a verified token and the officers table (the table, not the token, says
which unit an officer belongs to, so a move between units takes effect at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["officer", "unit_head", "coordinator"]
ROLES: tuple[Role, ...] = ("officer", "unit_head", "coordinator")


@dataclass(frozen=True)
class Principal:
    officer_id: str
    unit_id: str
    roles: frozenset[str]

    @property
    def is_coordinator(self) -> bool:
        return "coordinator" in self.roles

    @property
    def actor(self) -> str:
        """How the audit trail names this person."""
        return f"officer:{self.officer_id}"
