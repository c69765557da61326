"""The only code that changes a dossier. One function per use case, each atomic: it locks
the dossier, checks the move against the status table and the actor against
`dossiers.access.RULES`, updates status and due times through the deadline engine, and
records the event (and the deadline ledger line) in the same transaction."""

import inspect
from collections.abc import Callable
from typing import Any

from motcua.dossiers.access import RULES
from motcua.dossiers.actions.applicant import answer_supplement_online, withdraw_online
from motcua.dossiers.actions.closing import extend, return_result, stop, withdraw
from motcua.dossiers.actions.intake import (
    Applicant,
    ReceivedComponent,
    Submission,
    accept,
    receive_at_desk,
    receive_supplement,
    refuse,
    request_supplement,
    service_centre_of,
    submit_online,
)
from motcua.dossiers.actions.processing import (
    answer_consultation,
    assign,
    consult,
    forward,
    record_payment,
    request_payment,
    send_back,
)
from motcua.dossiers.actions.sweep import sweep_deadlines
from motcua.dossiers.models import Dossier

# One function per name of `access.RULES` (a test keeps the two equal).
PERFORMERS: dict[str, Callable[..., Dossier]] = {
    "accept": accept,
    "refuse": refuse,
    "request_supplement": request_supplement,
    "receive_supplement": receive_supplement,
    "forward": forward,
    "assign": assign,
    "send_back": send_back,
    "consult": consult,
    "answer_consultation": answer_consultation,
    "request_payment": request_payment,
    "record_payment": record_payment,
    "return_result": return_result,
    "withdraw": withdraw,
    "stop": stop,
    "extend": extend,
}


def perform(
    name: str, dossier_id: int, *, actor: Any, expected_version: int | None = None, **inputs: Any
) -> Dossier:
    """Take the action `name` (a key of `access.RULES`) with the inputs it takes. Inputs the
    action does not take are ignored, so a form or a payload carrying the fields of several
    actions can be passed whole; the back office and the API both call this."""
    if name not in RULES:
        raise KeyError(name)
    function = PERFORMERS[name]
    takes = inspect.signature(function).parameters
    given = {key: value for key, value in inputs.items() if key in takes}
    return function(dossier_id, actor=actor, expected_version=expected_version, **given)


__all__ = [
    "PERFORMERS",
    "Applicant",
    "ReceivedComponent",
    "Submission",
    "accept",
    "answer_consultation",
    "answer_supplement_online",
    "assign",
    "consult",
    "extend",
    "forward",
    "perform",
    "receive_at_desk",
    "receive_supplement",
    "record_payment",
    "refuse",
    "request_payment",
    "request_supplement",
    "return_result",
    "send_back",
    "service_centre_of",
    "stop",
    "submit_online",
    "sweep_deadlines",
    "withdraw",
    "withdraw_online",
]
