import itertools

import pytest

from motcua.dossiers.actions._base import move
from motcua.dossiers.errors import InvalidTransition
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import NATIONAL_CODE, OPEN, TERMINAL, TRANSITIONS, DossierStatus


@pytest.mark.parametrize(
    ("source", "target"),
    list(itertools.product(DossierStatus, DossierStatus)),
    ids=lambda s: s.value,
)
def test_every_move_is_allowed_exactly_when_the_table_says_so(
    source: DossierStatus, target: DossierStatus
) -> None:
    dossier = Dossier(status=source)
    if target in TRANSITIONS[source]:
        assert move(dossier, target) == source
        assert dossier.status == target
    else:
        with pytest.raises(InvalidTransition) as excinfo:
            move(dossier, target)
        assert excinfo.value.message == (
            f"Không thể chuyển hồ sơ từ «{source.label}» sang «{target.label}»."
        )
        assert dossier.status == source


def test_closed_statuses_have_no_way_out() -> None:
    assert {
        DossierStatus.REFUSED,
        DossierStatus.WITHDRAWN,
        DossierStatus.STOPPED,
        DossierStatus.RETURNED,
    } == TERMINAL
    assert set(DossierStatus) == OPEN | TERMINAL


def test_every_status_has_its_own_national_portal_code_from_1_to_10() -> None:
    assert sorted(NATIONAL_CODE.values()) == list(range(1, 11))
    assert NATIONAL_CODE[DossierStatus.SUBMITTED] == 1
    assert NATIONAL_CODE[DossierStatus.RETURNED] == 10


def test_no_status_moves_to_itself() -> None:
    assert all(status not in targets for status, targets in TRANSITIONS.items())


def test_every_action_of_the_rules_table_has_exactly_one_function() -> None:
    from motcua.dossiers import access, actions

    assert list(actions.PERFORMERS) == list(access.RULES)
