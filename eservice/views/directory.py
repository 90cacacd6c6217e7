"""Business matching: the public directory, the company's published profile and products,
inquiries between buyer and supplier, the inbox and supplier suggestions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from eservice import directory_services as ds
from eservice.access import get_thread_for_user_or_404
from eservice.directory_selectors import (
    card,
    directory_search,
    inbox,
    public_profile,
    published_profile,
    supplier_suggestions,
    thread_messages,
)
from eservice.forms import (
    DirectorySearchForm,
    InquiryForm,
    ProductForm,
    ProfileForm,
    ReplyForm,
    SuggestionForm,
)
from eservice.models import DirectoryProduct
from eservice.views import errors_onto
from siinas.lib.access import get_scoped_or_404, require, role_required


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data["q"],
            "kbli": data["kbli"],
            "hs": data["hs"],
            "province": data["provinsi"].pk if data["provinsi"] else "",
        }
    page = Paginator(directory_search(**filters), 20).get_page(request.GET.get("halaman"))
    cards = [card(profile) for profile in page.object_list]
    query = request.GET.copy()
    query.pop("halaman", None)
    context = {"form": form, "page": page, "cards": cards, "query": query.urlencode()}
    return render(request, "eservice/directory.html", context)


def directory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = public_profile(pk)
    if profile is None:
        raise Http404
    return render(request, "eservice/directory_detail.html", {"card": profile})


def _own_products(request: HttpRequest):
    return DirectoryProduct.objects.filter(profile__factory_id=request.user.factory_id).select_related("kbli")


@role_required(Role.COMPANY)
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = ds.profile_of(request.user.factory)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            ds.profile_save(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Profil direktori disimpan."))
            return redirect("eservice:profile-edit")
    context = {
        "form": form,
        "profile": profile,
        "products": _own_products(request),
        "factory": request.user.factory,
    }
    return render(request, "eservice/profile_form.html", context)


@role_required(Role.COMPANY)
def product_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    product = get_scoped_or_404(_own_products(request), pk=pk) if pk else None
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            ds.product_save(actor=request.user, data=form.cleaned_data, product=product)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Produk disimpan."))
            return redirect("eservice:profile-edit")
    return render(request, "eservice/product_form.html", {"form": form, "product": product})


@require_POST
@role_required(Role.COMPANY)
def product_delete(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_scoped_or_404(_own_products(request).select_related("profile"), pk=pk)
    ds.product_delete(actor=request.user, product=product)
    messages.success(request, _("Produk dihapus."))
    return redirect("eservice:profile-edit")


@role_required(Role.COMPANY)
def inquiry_create(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = public_profile(pk)
    if supplier is None:
        raise Http404
    profile = published_profile(pk)
    require(profile.factory_id != request.user.factory_id)
    form = InquiryForm(
        request.POST or None, products=supplier.products, initial={"product": request.GET.get("produk")}
    )
    if request.method == "POST" and form.is_valid():
        product_pk = form.cleaned_data["product"]
        product = DirectoryProduct.objects.filter(pk=product_pk).first() if product_pk else None
        try:
            inquiry = ds.inquiry_send(
                actor=request.user,
                supplier=profile,
                product=product,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Permintaan terkirim ke pemasok."))
            return redirect("eservice:thread", pk=inquiry.pk)
    return render(request, "eservice/inquiry_form.html", {"form": form, "supplier": supplier})


@role_required(Role.COMPANY)
def inbox_view(request: HttpRequest) -> HttpResponse:
    return render(request, "eservice/inbox.html", {"threads": inbox(request.user)})


def _thread_response(request: HttpRequest, thread, form: ReplyForm, status: int = 200) -> HttpResponse:
    as_buyer = thread.buyer_id == request.user.factory_id
    counterpart = thread.supplier.directory_profile.display_name if as_buyer else thread.buyer.company.name
    context = {
        "thread": thread,
        "thread_messages": thread_messages(thread),
        "form": form,
        "counterpart": counterpart,
        "as_buyer": as_buyer,
    }
    return render(request, "eservice/thread.html", context, status=status)


@role_required(Role.COMPANY)
def thread_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_thread_for_user_or_404(request.user, pk)
    ds.inquiry_mark_read(actor=request.user, inquiry=thread)
    return _thread_response(request, thread, ReplyForm())


@require_POST
@role_required(Role.COMPANY)
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_thread_for_user_or_404(request.user, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _thread_response(request, thread, form, status=400)
    ds.inquiry_reply(actor=request.user, inquiry=thread, body=form.cleaned_data["body"])
    return redirect("eservice:thread", pk=thread.pk)


@role_required(Role.COMPANY)
def suggestions(request: HttpRequest) -> HttpResponse:
    factory = request.user.factory
    own_kbli = list(factory.kbli.values_list("code", flat=True))
    form = SuggestionForm(request.GET or None)
    words, kbli_codes = "", own_kbli
    if form.is_bound and form.is_valid():
        words = form.cleaned_data["words"]
        kbli_codes = [form.cleaned_data["kbli"]] if form.cleaned_data["kbli"] else ([] if words else own_kbli)
    cards = supplier_suggestions(buyer=factory, words=words, kbli_codes=kbli_codes)
    return render(
        request, "eservice/suggestions.html", {"form": form, "cards": cards, "kbli_codes": kbli_codes}
    )
