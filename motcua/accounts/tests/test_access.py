import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from motcua.accounts import access
from motcua.accounts.models import Role, RoleAssignment, UnitKind
from motcua.testing.base import PersonaTestCase
from motcua.testing.builders import make_unit, make_user


class VisibleUnitsTests(PersonaTestCase):
    def test_an_officer_sees_their_unit_and_everything_below_it(self) -> None:
        visible = set(access.visible_units(self.p.binh))
        assert visible == {self.p.commune_a, self.p.centre_a}

    def test_an_officer_of_another_commune_sees_none_of_commune_a(self) -> None:
        visible = set(access.visible_units(self.p.dung))
        assert visible == {self.p.commune_b}
        assert not access.can_see_unit(self.p.dung, self.p.commune_a)
        assert not access.can_see_unit(self.p.dung, self.p.centre_a)

    def test_an_officer_does_not_see_the_units_above_them(self) -> None:
        assert not access.can_see_unit(self.p.binh, self.p.province)

    def test_a_provincial_auditor_sees_every_unit_of_the_province(self) -> None:
        assert access.can_see_unit(self.p.thu, self.p.centre_a)
        assert access.can_see_unit(self.p.thu, self.p.commune_b)

    def test_a_citizen_sees_no_unit_data(self) -> None:
        assert not access.visible_units(self.p.an).exists()
        assert not access.is_officer(self.p.an)

    def test_an_anonymous_visitor_sees_no_unit_data(self) -> None:
        assert not access.visible_units(AnonymousUser()).exists()
        assert access.roles_at(AnonymousUser(), self.p.commune_a) == set()

    def test_a_deactivated_officer_sees_nothing(self) -> None:
        self.p.binh.is_active = False
        self.p.binh.save(update_fields=["is_active"])
        assert not access.visible_units(self.p.binh).exists()

    def test_an_expired_role_gives_no_access(self) -> None:
        RoleAssignment.objects.filter(user=self.p.binh).update(valid_to=dt.date(2020, 1, 1))
        assert not access.visible_units(self.p.binh).exists()
        assert not access.is_officer(self.p.binh)

    def test_a_role_that_has_not_started_gives_no_access(self) -> None:
        RoleAssignment.objects.filter(user=self.p.binh).update(valid_from=dt.date(2999, 1, 1))
        assert not access.can_see_unit(self.p.binh, self.p.commune_a)

    def test_a_superuser_sees_every_unit(self) -> None:
        admin = make_user("root", is_superuser=True, is_staff=True)
        assert access.can_see_unit(admin, self.p.commune_a)
        assert access.can_see_unit(admin, self.p.commune_b)

    def test_an_officer_with_roles_in_two_units_sees_both(self) -> None:
        RoleAssignment.objects.create(user=self.p.dung, unit=self.p.centre_a, role=Role.RECEPTION)
        assert set(access.visible_units(self.p.dung)) == {self.p.commune_b, self.p.centre_a}
        assert not access.can_see_unit(self.p.dung, self.p.commune_a)


class ActingTests(PersonaTestCase):
    def test_a_role_held_at_a_unit_covers_the_units_below_it(self) -> None:
        point = make_unit("Điểm tiếp nhận", kind=UnitKind.RECEPTION_POINT, parent=self.p.centre_a)
        assert access.can_act(self.p.binh, point, Role.RECEPTION)

    def test_an_officer_cannot_act_in_a_role_they_do_not_hold(self) -> None:
        assert not access.can_act(self.p.binh, self.p.commune_a, Role.SPECIALIST)
        assert access.can_act(self.p.chi, self.p.commune_a, Role.SPECIALIST)

    def test_an_officer_cannot_act_in_another_commune(self) -> None:
        assert not access.can_act(self.p.dung, self.p.commune_a, Role.RECEPTION)

    def test_an_auditor_may_look_but_never_act(self) -> None:
        assert Role.AUDITOR in access.roles_at(self.p.thu, self.p.commune_a)
        assert not access.can_act(self.p.thu, self.p.commune_a, Role.AUDITOR)
        assert not access.can_act(self.p.thu, self.p.commune_a, Role.RECEPTION)

    def test_a_citizen_can_act_nowhere(self) -> None:
        assert not access.can_act(self.p.an, self.p.commune_a, Role.RECEPTION)


class GetVisibleUnitTests(PersonaTestCase):
    def test_it_returns_a_visible_unit(self) -> None:
        assert access.get_visible_unit(self.p.binh, self.p.commune_a.pk) == self.p.commune_a

    def test_a_forbidden_unit_and_a_missing_one_both_look_not_found(self) -> None:
        with self.assertRaises(Http404):
            access.get_visible_unit(self.p.dung, self.p.commune_a.pk)
        with self.assertRaises(Http404):
            access.get_visible_unit(self.p.dung, 987654)


class RoleCacheTests(PersonaTestCase):
    def test_many_questions_about_one_user_cost_one_query(self) -> None:
        units = [self.p.commune_a, self.p.centre_a, self.p.commune_b, self.p.province]
        with self.assertNumQueries(1):
            for unit in units:
                for role in Role:
                    access.can_act(self.p.binh, unit, role)

    def test_a_changed_assignment_is_seen_after_forgetting_the_cached_roles(self) -> None:
        assert access.can_act(self.p.binh, self.p.commune_a, Role.RECEPTION)
        RoleAssignment.objects.filter(user=self.p.binh).delete()
        access.forget_roles(self.p.binh)
        assert not access.can_act(self.p.binh, self.p.commune_a, Role.RECEPTION)
