"""Pohon Industri pages: the public browse page and its downloads (protected aggregates, no login), and
the curated-link pages of Pusdatin administrators and sector validators."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from analisis.models import CuratedLink
from analisis.pohon import selectors
from analisis.pohon.forms import BrowseForm, CuratedLinkForm
from analisis.pohon.services import curated_link_delete, curated_link_save
from siinas.lib.access import role_required
from siinas.lib.exports import attachment, table_file
from siinas.lib.generated import public_download_allowed, too_many_downloads

CURATORS = (Role.ADMIN, Role.VALIDATOR)
TABLES = {
    "simpul": (selectors.node_header, selectors.node_rows),
    "hubungan": (selectors.edge_header, selectors.edge_rows),
}


@require_GET
def pohon(request: HttpRequest) -> HttpResponse:
    form = BrowseForm(request.GET)
    tree = selectors.tree(form.query())
    context = {
        "form": form,
        "tree": tree,
        "query": request.GET.urlencode(),
        "can_curate": request.user.is_authenticated and request.user.role in CURATORS,
    }
    if tree.view is not None:
        # From a KBLI division the view may hold thousands of products: the page draws and lists the
        # busiest ones and says so; the downloads hold the whole view.
        shown = tree.shown
        nodes = {n.key: n for n in shown.nodes}
        context |= {
            "nodes": [
                (
                    n,
                    selectors.level_label(shown.level[n.key]),
                    selectors.node_url(n, tree.query),
                    selectors.directory_url(n),
                )
                for n in shown.nodes
            ],
            "edges": [(e, nodes[e.source], nodes[e.target]) for e in shown.edges],
            "graph": selectors.as_json(replace(tree, view=shown)),
            "start_names": [nodes[k].name for k in shown.start],
            "trimmed": shown is not tree.view,
            "all_nodes": len(tree.view.nodes),
            "all_edges": len(tree.view.edges),
        }
    else:
        context["matches"] = [(n, selectors.node_url(n, tree.query)) for n in tree.matches]
    return render(request, "analisis/pohon/index.html", context)


@require_GET
def pohon_download(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    """Exactly a table the page shows for the same query (nodes or links), as CSV or XLSX; rate-limited
    like every public download."""
    if fmt not in ("csv", "xlsx") or table not in TABLES:
        raise Http404
    if not public_download_allowed(request):
        return too_many_downloads(request)
    tree = selectors.tree(BrowseForm(request.GET).query())
    if tree.view is None:
        raise Http404
    header, rows = TABLES[table]
    content, content_type = table_file(fmt, header(), rows(tree.view), sheet="Pohon Industri")
    return attachment(f"pohon-industri-{table}.{fmt}", content, content_type)


@role_required(*CURATORS)
def curated_list(request: HttpRequest) -> HttpResponse:
    form = CuratedLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            curated_link_save(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Hubungan kurasi disimpan."))
            return redirect("analisis:pohon-curated")
    links = CuratedLink.objects.select_related("created_by")
    return render(request, "analisis/pohon/curated.html", {"form": form, "links": links})


@role_required(*CURATORS)
def curated_edit(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(CuratedLink, pk=pk)
    form = CuratedLinkForm(request.POST or None, instance=link)
    if request.method == "POST" and form.is_valid():
        try:
            curated_link_save(actor=request.user, data=form.cleaned_data, link=link)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Hubungan kurasi diubah."))
            return redirect("analisis:pohon-curated")
    return render(request, "analisis/pohon/curated_edit.html", {"form": form, "link": link})


@require_POST
@role_required(*CURATORS)
def curated_delete(request: HttpRequest, pk: int) -> HttpResponse:
    curated_link_delete(actor=request.user, link=get_object_or_404(CuratedLink, pk=pk))
    messages.success(request, _("Hubungan kurasi dihapus."))
    return redirect("analisis:pohon-curated")
