"""Why an action was refused, in Vietnamese. Callers show the message as it is."""

from __future__ import annotations


class ActionRefused(Exception):
    """The action is not possible now (wrong status, missing input, a rule of the domain)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidTransition(ActionRefused):
    """The status table does not allow this move."""


class StaleDossier(ActionRefused):
    """Someone acted on the dossier after the page the request came from was rendered."""
