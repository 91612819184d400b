"""The port of what processing owns: the officers' sign-ins."""

from __future__ import annotations

from typing import Protocol


class SignIns(Protocol):
    """The officers' accounts at the identity provider."""

    def create_sign_in(self, username: str, email: str, group: str, *, fresh: bool) -> None:
        """An account in `group` that receives a temporary password by e-mail. `fresh` (a new holder
        of the post, or a new address): any earlier account of that name is removed first."""

    def remove_sign_in(self, username: str) -> None:
        """Sign the account out everywhere and delete it (nothing if there is none)."""

    def has_totp(self, username: str) -> bool:
        """Whether the account has an authenticator app enrolled."""
