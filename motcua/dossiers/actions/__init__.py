"""The only code that changes a dossier. One function per use case, each atomic: it locks
the dossier, checks the move against the status table and the actor against
`dossiers.access.RULES`, updates status and due times through the deadline engine, and
records the event (and the deadline ledger line) in the same transaction."""

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

__all__ = [
    "Applicant",
    "ReceivedComponent",
    "Submission",
    "accept",
    "answer_consultation",
    "assign",
    "consult",
    "extend",
    "forward",
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
]
