"""Rating pages: from the citizen's own dossier page (logged in), and from the public
tracking page by dossier code and lookup secret (the QR code on the receipt), without
logging in. The same rule on both: only after the result is returned, once per dossier;
a second attempt shows the rating already given."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from motcua.accounts.models import User
from motcua.dossiers import access
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import Dossier
from motcua.feedback.actions import NOT_YET, rate_dossier, rateable
from motcua.feedback.forms import RatingForm
from motcua.feedback.models import RatingChannel, RatingQuestion
from motcua.feedback.queries import rating_of
from motcua.portal.tracking import WINDOW_SECONDS, TrackingForm, _over_limit, find


def _page(
    request: HttpRequest,
    dossier: Dossier,
    *,
    channel: str,
    rated_by: User | None,
    here: str,
    hidden: dict[str, str],
    back: str,
) -> HttpResponse:
    context = {"dossier": dossier, "hidden": hidden, "back": back, "not_yet": ""}
    rating = rating_of(dossier)
    posted = request.method == "POST"
    if rating is not None:
        if posted:
            messages.info(request, gettext("Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ một lần."))
        return render(request, "feedback/rate.html", {**context, "rating": rating})
    if not rateable(dossier):
        return render(
            request,
            "feedback/rate.html",
            {**context, "not_yet": NOT_YET},
            status=400 if posted else 200,
        )
    questions = list(RatingQuestion.objects.filter(active=True))
    form = RatingForm(request.POST if posted else None, questions=questions)
    refused = ""
    if posted and form.is_valid():
        try:
            _rating, created = rate_dossier(
                dossier.pk,
                level=form.cleaned_data["level"],
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
                rated_by=rated_by,
                channel=channel,
            )
        except ActionRefused as error:
            refused = error.message
        else:
            if created:
                messages.success(request, gettext("Cảm ơn bạn đã đánh giá."))
            else:
                messages.info(
                    request, gettext("Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ một lần.")
                )
            return redirect(here)
    return render(
        request,
        "feedback/rate.html",
        {**context, "form": form, "refused": refused},
        status=400 if posted else 200,
    )


@login_required
def rate_my_dossier(request: HttpRequest, dossier_id: int) -> HttpResponse:
    dossier = access.get_dossier_for_applicant(request.user, dossier_id)
    user = request.user
    return _page(
        request,
        dossier,
        channel=RatingChannel.PORTAL,
        rated_by=user if isinstance(user, User) else None,
        here=reverse("my_dossier_rating", args=[dossier.pk]),
        hidden={},
        back=reverse("my_dossier", args=[dossier.pk]),
    )


@never_cache
def rate_by_code(request: HttpRequest) -> HttpResponse:
    """Rating without logging in: the code and the lookup secret from the receipt, in the
    address (the tracking page's link) and again in the form. A wrong pair is a 404, the
    same as on the tracking page; lookups count against the tracking page's limit."""
    source = request.POST if request.method == "POST" else request.GET
    lookup = TrackingForm(source)
    if not lookup.is_valid():
        return render(request, "feedback/rate.html", {"not_found": True}, status=404)
    if _over_limit(request):
        response = render(request, "feedback/rate.html", {"limited": True}, status=429)
        response["Retry-After"] = str(WINDOW_SECONDS)
        return response
    code, secret = lookup.cleaned_data["ma"], lookup.cleaned_data["k"]
    dossier = find(code, secret)
    if dossier is None:
        return render(request, "feedback/rate.html", {"not_found": True}, status=404)
    hidden = {"ma": dossier.code, "k": dossier.lookup_secret}
    return _page(
        request,
        dossier,
        channel=RatingChannel.TRACKING,
        rated_by=None,
        here=reverse("rate_by_code") + "?" + urlencode(hidden),
        hidden=hidden,
        back=reverse("track") + "?" + urlencode(hidden),
    )
