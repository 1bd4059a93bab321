"""The Django admin, where terminologists edit concepts, terms and their sources."""

import secrets
import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import exporter, languages, search, stats
from .downloads import download
from .errors import GlossaryError
from .formats import importer
from .models import (
    Concept,
    ConceptRelation,
    Definition,
    Quote,
    SourceDocument,
    Term,
    locate_excerpt,
)


def highlighted(text: str, spans) -> str:
    """The text as HTML with each (start, end) span marked."""
    pieces, position = [], 0
    for start, end in sorted(spans):
        if start < position:
            continue
        pieces.append(
            format_html("{}<mark>{}</mark>", text[position:start], text[start:end])
        )
        position = end
    pieces.append(format_html("{}", text[position:]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


class TermInlineFormSet(forms.BaseInlineFormSet):
    """Check across the rows what the database checks row by row."""

    def clean(self):
        super().clean()
        # Saved terms this submission does not carry (a stale form) count too.
        shown = [form.instance.pk for form in self.forms if form.instance.pk]
        saved = Term.objects.filter(
            concept=self.instance, status=Term.Status.PREFERRED
        ).exclude(pk__in=shown)
        preferred: dict[str, object] = {
            term.language: term for term in saved if self.instance.pk
        }
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if (
                not data
                or data.get("DELETE")
                or data.get("status") != Term.Status.PREFERRED
            ):
                continue
            language = data.get("language")
            if language in preferred:
                form.add_error(
                    "status",
                    ValidationError(
                        _(
                            "There is already a preferred term in %(language)s; mark "
                            "one of them admitted."
                        ),
                        params={
                            "language": languages.display_name(language, get_language())
                        },
                        code="second_preferred",
                    ),
                )
            else:
                preferred[language] = form


class TermInline(admin.TabularInline):
    model = Term
    formset = TermInlineFormSet
    extra = 1
    fields = ["language", "text", *Term.DESCRIPTIVE_FIELDS]
    ordering = ["language", "text"]


class DefinitionInline(admin.StackedInline):
    model = Definition
    extra = 0
    fields = ["language", "text", "source"]


class RelationInline(admin.TabularInline):
    model = ConceptRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]


class MissingLanguageFilter(admin.SimpleListFilter):
    title = _("missing language")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [(tag, languages.display_name(tag)) for tag in languages.TAGS]

    def queryset(self, request, queryset):
        if self.value() in languages.TAGS:
            return search.concepts_missing_language(queryset, self.value())
        return queryset


def _preferred_column(tag: str):
    def column(obj: Concept) -> str:
        texts = [
            term.text
            for term in obj.terms.all()
            if term.language == tag and term.status == Term.Status.PREFERRED
        ]
        return texts[0] if texts else "—"

    column.short_description = tag
    return column


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("file"),
        help_text=_("TBX v3 or v2 (.tbx, .xml), CSV (.csv) or TSV (.tsv), in UTF-8."),
    )
    kind = forms.ChoiceField(
        label=_("kind of new concepts"),
        choices=Concept.Kind.choices,
        initial=importer.DEFAULT_KIND,
        help_text=_("For new concepts whose entry names no kind."),
    )


def _download_action(file_format: str):
    def action(modeladmin, request, queryset):
        return download(exporter.export_glossary(file_format, queryset))

    action.__name__ = f"download_{file_format}"
    description = format_lazy(_("Download the selected concepts as {}"), file_format)
    return admin.action(description=description)(action)


# An upload waits here between its dry run and the editor's confirmation.
_PENDING_IMPORT = "glossary_pending_import"


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = [
        "slug",
        *[_preferred_column(tag) for tag in languages.CORE_TAGS],
        "language_tags",
        "kind",
        "status",
    ]
    list_filter = ["kind", "status", "domain", MissingLanguageFilter]
    search_fields = ["slug"]
    search_help_text = _(
        "Finds a concept by any of its terms, in any language or script."
    )
    readonly_fields = ["version", "created", "updated", "attesting_quotes"]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "domain", "status", "note"]}),
        (_("Sources"), {"fields": ["attesting_quotes"]}),
        (
            _("Record"),
            {"fields": ["version", "created", "updated"], "classes": ["collapse"]},
        ),
    ]
    inlines = [TermInline, DefinitionInline, RelationInline]
    list_per_page = 50
    actions = [_download_action(name) for name in ("tbx", "tmx", "csv")]

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        statistics = self.admin_site.admin_view(self.statistics_view)
        return [
            path("import/", view, name="glossary_concept_import"),
            path("statistics/", statistics, name="glossary_concept_statistics"),
            *super().get_urls(),
        ]

    def statistics_view(self, request):
        """Concepts by kind and status, and how far each language covers them."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Glossary statistics"),
            "stats": stats.glossary_stats(),
        }
        return TemplateResponse(
            request, "admin/glossary/concept/statistics.html", context
        )

    def import_view(self, request):
        """Upload a file, read its dry-run report, then confirm the import."""
        if not (
            self.has_add_permission(request) and self.has_change_permission(request)
        ):
            raise PermissionDenied
        form, report = ImportForm(), None
        try:
            if request.method == "POST" and "confirm" in request.POST:
                report = self._import_pending(request)
                if report is not None:
                    self.message_user(request, str(report), messages.SUCCESS)
                    return redirect("admin:glossary_concept_changelist")
            elif request.method == "POST":
                form = ImportForm(request.POST, request.FILES)
                if form.is_valid():
                    report = self._dry_run(request, form.cleaned_data)
        except GlossaryError as error:
            self.message_user(request, str(error), messages.ERROR)
            report = getattr(error, "report", None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import concepts"),
            "form": form,
            "report": report,
            "items": [item for item in report.items if item.outcome != "unchanged"]
            if report
            else [],
            "token": request.session.get(_PENDING_IMPORT, {}).get("token"),
        }
        return TemplateResponse(request, "admin/glossary/concept/import.html", context)

    def _dry_run(self, request, data) -> importer.ImportReport:
        upload = data["file"]
        importer.check_upload_size(upload.size)
        importer.file_format(upload.name)
        self._discard_pending(request)
        with tempfile.NamedTemporaryFile(
            prefix="glossary-import-", suffix=Path(upload.name).suffix, delete=False
        ) as pending:
            for chunk in upload.chunks():
                pending.write(chunk)
        request.session[_PENDING_IMPORT] = {
            "token": secrets.token_urlsafe(16),
            "path": pending.name,
            "filename": upload.name,
            "kind": data["kind"],
        }
        try:
            with open(pending.name, "rb") as file:
                report = importer.import_file(
                    file, filename=upload.name, dry_run=True, kind=data["kind"]
                )
        except GlossaryError:
            self._discard_pending(request)
            raise
        if report.conflicts:
            self._discard_pending(request)
        return report

    def _import_pending(self, request) -> importer.ImportReport | None:
        pending = request.session.get(_PENDING_IMPORT)
        if not pending or pending["token"] != request.POST["confirm"]:
            self.message_user(
                request, _("That upload has expired; upload it again."), messages.ERROR
            )
            return None
        try:
            with open(pending["path"], "rb") as file:
                return importer.import_file(
                    file, filename=pending["filename"], kind=pending["kind"]
                )
        except FileNotFoundError:
            self.message_user(
                request, _("That upload has expired; upload it again."), messages.ERROR
            )
            return None
        finally:
            self._discard_pending(request)

    def _discard_pending(self, request) -> None:
        pending = request.session.pop(_PENDING_IMPORT, None)
        if pending:
            Path(pending["path"]).unlink(missing_ok=True)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("terms", queryset=search.ordered_terms()))
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Term:
            return super().save_formset(request, form, formset, change)
        terms = formset.save(commit=False)
        for term in formset.deleted_objects:
            term.delete()
        # Demotions before promotions: the database allows one preferred term per
        # language at every step, so swapping two terms' statuses must go this way.
        for term in sorted(terms, key=lambda t: t.status == Term.Status.PREFERRED):
            term.save()
        formset.save_m2m()
        return None

    def get_search_results(self, request, queryset, search_term):
        by_slug, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        if not search_term.strip():
            return by_slug, may_have_duplicates
        try:
            # From the queryset as the list filters left it, so they still apply.
            by_term = search.concepts_with_term_matching(queryset, search_term)
        except GlossaryError:
            return by_slug, may_have_duplicates
        return by_slug | by_term, may_have_duplicates

    @admin.display(description=_("languages"))
    def language_tags(self, obj: Concept) -> str:
        return ", ".join(search.terms_by_language(obj.terms.all()))

    @admin.display(description=_("quotes attesting the terms"))
    def attesting_quotes(self, obj: Concept) -> str:
        if obj.pk is None:
            return "—"
        terms = search.concepts_for_display().get(pk=obj.pk).terms.all()
        rows = [
            (
                highlighted(att.quote.excerpt, [span for _, span in att.spans if span]),
                att.quote.document.slug,
                ", ".join(f"{term.text} [{term.language}]" for term, _ in att.spans),
            )
            for att in search.attestations(terms)
        ]
        if not rows:
            return _("No quote attests this concept yet.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li><q>{}</q> <small>({}; {})</small></li>", rows),
        )


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["text", "language", "status", "term_type", "concept"]
    list_filter = ["language", "status", "term_type"]
    search_fields = ["text", "search_key", "romanization", "concept__slug"]
    list_select_related = ["concept"]
    autocomplete_fields = ["concept"]


class QuoteForm(forms.ModelForm):
    """Offsets are found from the excerpt when left empty."""

    class Meta:
        model = Quote
        fields = ["document", "excerpt", "start", "end", "terms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].required = False
        self.fields["end"].required = False
        self.fields["start"].help_text = _("Left empty, found from the excerpt.")
        self.fields["end"].help_text = _("Left empty, found from the excerpt.")

    def clean(self):
        data = super().clean()
        document, excerpt = data.get("document"), data.get("excerpt")
        if (data.get("start") is None) != (data.get("end") is None):
            missing = "end" if data.get("end") is None else "start"
            self.add_error(
                missing,
                _("Give both offsets, or neither to find them from the excerpt."),
            )
            return data
        if (
            document
            and excerpt
            and data.get("start") is None
            and data.get("end") is None
        ):
            try:
                data["start"], data["end"] = locate_excerpt(document.text, excerpt)
            except ValueError as error:
                self.add_error("excerpt", str(error))
            else:
                self.instance.start, self.instance.end = data["start"], data["end"]
        return data


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    form = QuoteForm
    list_display = ["__str__", "document", "start", "end"]
    list_filter = ["document"]
    search_fields = ["excerpt", "terms__text"]
    autocomplete_fields = ["terms"]
    list_select_related = ["document"]


class QuoteInline(admin.TabularInline):
    model = Quote
    extra = 0
    fields = ["excerpt", "start", "end", "attested"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("attests"))
    def attested(self, obj: Quote) -> str:
        return ", ".join(f"{t.text} [{t.language}]" for t in obj.terms.all())

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("document")
            .defer("document__text")
            .prefetch_related("terms")
        )


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "slug", "publisher", "published", "language"]
    search_fields = ["title", "slug", "publisher", "speaker"]
    readonly_fields = ["text_with_quotes"]
    fields = [
        "slug",
        "title",
        "speaker",
        "publisher",
        "published",
        "language",
        "original_language",
        "citation",
        "url",
        "text_with_quotes",
    ]
    inlines = [QuoteInline]

    def get_readonly_fields(self, request, obj=None):
        # The text is evidence: once quoted, editing it would break every offset.
        if obj is not None:
            return ["text_with_quotes"]
        return []

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*self.fields[:-1], "text"]
        return self.fields

    @admin.display(description=_("text (quoted passages marked)"))
    def text_with_quotes(self, obj: SourceDocument) -> str:
        spans = [(q.start, q.end) for q in obj.quotes.all()]
        return format_html(
            '<div style="white-space: pre-wrap; max-width: 60em">{}</div>',
            highlighted(obj.text, spans),
        )
