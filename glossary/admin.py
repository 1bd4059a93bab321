"""The Django admin, where terminologists edit concepts, terms and their sources."""

import secrets
import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import editing, exporter, languages, search, stats
from .downloads import download
from .entries import ConceptEntry, DefinitionEntry, RelationEntry, TermEntry
from .errors import GlossaryError
from .formats import importer
from .models import (
    Concept,
    ConceptRelation,
    Definition,
    Quote,
    RevisionOrigin,
    SourceDocument,
    Term,
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


class TermInline(admin.TabularInline):
    """The concept's terms, by language, preferred first; notes grow when edited."""

    model = Term
    extra = 1
    fields = ["language", "text", *Term.DESCRIPTIVE_FIELDS]
    formfield_overrides = {
        models.TextField: {
            "widget": forms.Textarea(attrs={"rows": 1, "class": "glossary-grow"})
        },
        models.CharField: {"widget": forms.TextInput(attrs={"size": 16})},
    }
    classes = ["glossary-terms"]

    def get_queryset(self, request):
        return search.ordered_terms()


class DefinitionInline(admin.StackedInline):
    model = Definition
    extra = 0
    fields = ["language", "text", "source"]


class RelationInline(admin.TabularInline):
    model = ConceptRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]
    verbose_name = _("relation to another concept")
    verbose_name_plural = _("relations to other concepts")


class IncomingRelationInline(admin.TabularInline):
    """Relations other concepts hold to this one, read from this side: a concept's
    broader concept lists it as narrower."""

    model = ConceptRelation
    fk_name = "target"
    extra = 0
    fields = ["seen_from_here", "source"]
    readonly_fields = fields
    can_delete = False
    verbose_name = _("relation from another concept")
    verbose_name_plural = _("relations from other concepts")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("kind, seen from this concept"))
    def seen_from_here(self, relation: ConceptRelation) -> str:
        return ConceptRelation.Kind(relation.inverse_kind).label

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class ConceptForm(forms.ModelForm):
    """The concept with its inline rows, checked whole by the write service.

    `opened_version` is the version the editor opened: a save made after someone else
    changed the concept is refused, naming their changes, with the input kept.
    """

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Concept
        fields = ["slug", "kind", "domain", "status", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.version
        self.entry: ConceptEntry | None = None
        self.warnings: list[str] = []

    def clean(self):
        data = super().clean()
        # Django builds the inline formsets for the form's instance just after the
        # form itself (see ConceptAdmin._create_formsets); the concept is checked
        # with all its rows, as it will be written.
        formsets = getattr(self.instance, "admin_formsets", [])
        valid = [formset.is_valid() for formset in formsets]
        if self.errors or not all(valid):
            return data
        self.entry, rows = self._entry(formsets)
        report = editing.check_concept(self.entry)
        for item in report.of("conflict"):
            if item.code == "stale":
                self._rebase(formsets, data.get("opened_version"))
            form = rows.get(item.item) or self
            field = item.field if item.field in form.fields else None
            form.add_error(field, item.message)
        self.warnings = [item.message for item in report.of("warning")]
        return data

    def _rebase(self, formsets, opened: int | None) -> None:
        """Carry the other editor's changes into the fields this editor left alone.

        The page is shown again with this editor's own changes over the concept as it
        is now, and the current version: saving it again loses nobody's change.
        """
        then = editing.state_at(self.instance, opened) if opened else None
        now = editing.concept_state(self.instance)
        # One copy of the submission, shared by the form and every inline row.
        self.data = self.data.copy()
        for formset in formsets:
            formset.data = self.data
            for form in formset.forms:
                form.data = self.data
        self.data[self.add_prefix("opened_version")] = self.instance.version
        if then is None:
            return
        for name in ("slug", "kind", "domain", "status", "note"):
            self._keep_theirs(self, name, then.fields[name], now.fields[name])
        current = {state.pk: (key, state) for key, state in now.terms.items()}
        for formset in formsets:
            if formset.model is not Term:
                continue
            for form in formset.initial_forms:
                key, state = current.get(form.instance.pk, (None, None))
                opened_state = then.terms.get(key)
                if opened_state is None:
                    continue
                for name in Term.DESCRIPTIVE_FIELDS:
                    self._keep_theirs(
                        form, name, getattr(opened_state, name), getattr(state, name)
                    )

    @staticmethod
    def _keep_theirs(form, name: str, then, now) -> None:
        field = form.add_prefix(name)
        if then != now and str(form.data.get(field, "")) == str(then or ""):
            form.data[field] = now

    def _entry(self, formsets) -> tuple[ConceptEntry, dict]:
        data = self.cleaned_data
        if self.instance.pk:
            # What no inline here shows (one the user may not see) stays as it is.
            entry = editing.entry_from_state(
                self.instance,
                editing.concept_state(self.instance),
                version=data.get("opened_version"),
            )
        else:
            entry = ConceptEntry(None, whole=True)
        entry.slug, entry.id = data["slug"], self.instance.pk
        for name in ("kind", "status", "domain", "note"):
            setattr(entry, name, data[name])
        for formset in formsets:
            part = {Term: "terms", Definition: "definitions"}.get(formset.model)
            if part is None and formset.fk.name == "source":
                part = "relations"
            if part is not None:
                setattr(entry, part, [])
        rows = {}
        for formset in formsets:
            for values, pk, form in _kept_rows(formset):
                if formset.model is Term:
                    rows[("terms", len(entry.terms))] = form
                    entry.terms.append(
                        TermEntry(
                            values["language"],
                            values["text"],
                            *(values[name] or "" for name in Term.DESCRIPTIVE_FIELDS),
                            id=pk,
                        )
                    )
                elif formset.model is Definition:
                    rows[("definitions", len(entry.definitions))] = form
                    entry.definitions.append(
                        DefinitionEntry(
                            values["language"], values["text"], values["source"]
                        )
                    )
                elif formset.fk.name == "source":
                    rows[("relations", len(entry.relations))] = form
                    entry.relations.append(
                        RelationEntry(values["kind"], values["target"].slug)
                    )
        return entry, rows


def _kept_rows(formset):
    """(values, pk, form) of each row an inline formset leaves to its concept.

    Stored rows the submission does not carry (it was made before they were added)
    stay as they are, with no form, as Django's formsets leave them.
    """
    carried = {form.instance.pk for form in formset.forms}
    for row in formset.get_queryset():
        if row.pk not in carried:
            values = {
                field.name: getattr(row, field.name) for field in row._meta.fields
            }
            yield values, row.pk, None
    for form in formset.forms:
        if formset._should_delete_form(form):
            continue
        if form.instance.pk or form.has_changed():
            yield form.cleaned_data, form.instance.pk, form


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


class DeprecatedTermsFilter(admin.SimpleListFilter):
    title = _("deprecated terms")
    parameter_name = "deprecated"

    def lookups(self, request, model_admin):
        return [("yes", _("has deprecated terms")), ("no", _("has none"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            with_deprecated = search.concepts_with_deprecated_terms(queryset)
            if self.value() == "yes":
                return with_deprecated
            return queryset.exclude(pk__in=with_deprecated.values("pk"))
        return queryset


def _origin(request) -> editing.Origin:
    return editing.Origin(RevisionOrigin.Via.ADMIN, request.user)


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    form = ConceptForm
    list_display = [
        "slug",
        *[_preferred_column(tag) for tag in languages.TAGS],
        "has_deprecated_terms",
        "kind",
        "status",
    ]
    list_filter = [
        "kind",
        "status",
        "domain",
        MissingLanguageFilter,
        DeprecatedTermsFilter,
    ]
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
            {
                "fields": ["version", "created", "updated", "opened_version"],
                "classes": ["collapse"],
            },
        ),
    ]
    inlines = [TermInline, DefinitionInline, RelationInline, IncomingRelationInline]
    list_per_page = 50
    actions = [_download_action(name) for name in exporter.FORMATS]

    class Media:
        css = {"all": ["glossary/admin.css"]}

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        statistics = self.admin_site.admin_view(self.statistics_view)
        revert = self.admin_site.admin_view(self.revert_view)
        return [
            path("import/", view, name="glossary_concept_import"),
            path("statistics/", statistics, name="glossary_concept_statistics"),
            path(
                "<path:object_id>/history/<int:version_id>/revert/",
                revert,
                name="glossary_concept_revert",
            ),
            *super().get_urls(),
        ]

    # Saving: the write service writes the concept with all its rows, once.

    def has_add_permission(self, request):
        # A concept is born with its terms: without the right to add terms, the add
        # form could never be saved.
        return super().has_add_permission(request) and request.user.has_perm(
            "glossary.add_term"
        )

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        obj.admin_formsets = formsets  # for ConceptForm.clean, which checks them all
        return formsets, inline_instances

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except GlossaryError as error:
            # Refused at the write after the form's check passed: someone saved the
            # same concept in between. Nothing was written.
            self.message_user(request, str(error), messages.ERROR)
            return redirect(request.path)

    def save_model(self, request, obj, form, change):
        """Nothing here: save_related writes the concept and its rows together."""

    def save_related(self, request, form, formsets, change):
        concept, report = editing.save_concept(form.entry, origin=_origin(request))
        form.instance.pk, form.instance.version = concept.pk, concept.version
        form.report = report
        for message in form.warnings:
            self.message_user(request, message, messages.WARNING)

    def construct_change_message(self, request, form, formsets, add=False):
        report = getattr(form, "report", None)
        changes = [str(change) for item in report.items for change in item.changes]
        return "; ".join(changes)[:2000] if report else ""

    def delete_model(self, request, obj):
        editing.delete_concept(obj, origin=_origin(request))

    def delete_queryset(self, request, queryset):
        for concept in queryset:
            editing.delete_concept(concept, origin=_origin(request))

    # History: every version, a diff between any two, and revert.

    def history_view(self, request, object_id, extra_context=None):
        concept = self.get_object(request, unquote(object_id))
        if concept is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, concept):
            raise PermissionDenied
        versions = editing.concept_history(concept)
        by_id = {version.id: version for version in versions}
        newer, older = (
            by_id.get(_int(request.GET.get(name))) for name in ("new", "old")
        )
        if versions and newer is None:
            newer = versions[0]
        if newer is not None and older is None:
            position = versions.index(newer)
            older = versions[position + 1] if position + 1 < len(versions) else None
        diff = (
            editing.changes(
                older.state if older else editing.ConceptState(fields={}),
                newer.state,
            )
            if newer
            else []
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": concept,
            "title": _("History of %(concept)s") % {"concept": concept},
            "versions": versions,
            "newer": newer,
            "older": older,
            "diff": diff,
            "can_revert": self.has_change_permission(request, concept),
        }
        return TemplateResponse(request, "admin/glossary/concept/history.html", context)

    def revert_view(self, request, object_id, version_id):
        concept = self.get_object(request, unquote(object_id))
        if concept is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, concept):
            raise PermissionDenied
        recorded = next(
            (v for v in editing.concept_history(concept) if v.id == version_id), None
        )
        if recorded is None:
            raise Http404(_("No such version of this concept."))
        history_url = reverse("admin:glossary_concept_history", args=[concept.pk])
        if request.method == "POST":
            try:
                concept, _report = editing.revert_concept(
                    concept, version_id, origin=_origin(request)
                )
            except GlossaryError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Reverted %(concept)s to version %(number)d.")
                    % {"concept": concept, "number": recorded.number},
                    messages.SUCCESS,
                )
            return redirect(history_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": concept,
            "title": _("Revert %(concept)s to version %(number)d")
            % {"concept": concept, "number": recorded.number},
            "recorded": recorded,
            "diff": editing.changes(editing.concept_state(concept), recorded.state),
            "history_url": history_url,
        }
        return TemplateResponse(request, "admin/glossary/concept/revert.html", context)

    # Reading

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

    def _dry_run(self, request, data) -> editing.Report:
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

    def _import_pending(self, request) -> editing.Report | None:
        pending = request.session.get(_PENDING_IMPORT)
        if not pending or pending["token"] != request.POST["confirm"]:
            self.message_user(
                request, _("That upload has expired; upload it again."), messages.ERROR
            )
            return None
        try:
            with open(pending["path"], "rb") as file:
                return importer.import_file(
                    file,
                    filename=pending["filename"],
                    kind=pending["kind"],
                    user=request.user,
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

    @admin.display(description=_("deprecated terms"), boolean=True)
    def has_deprecated_terms(self, obj: Concept) -> bool:
        return any(term.is_deprecated for term in obj.terms.all())

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


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


class TermForm(forms.ModelForm):
    """One term, checked with the rest of its concept by the write service."""

    class Meta:
        model = Term
        fields = ["concept", "language", "text", *Term.DESCRIPTIVE_FIELDS]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        term = self.instance if self.instance.pk else None
        self.entry = editing.entry_with_term(data, concept=data["concept"], term=term)
        row = ("terms", len(self.entry.terms) - 1)
        for item in editing.check_concept(self.entry).of("conflict"):
            field = (
                item.field if item.item == row and item.field in self.fields else None
            )
            self.add_error(field, item.message)
        return data


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    form = TermForm
    list_display = ["text", "language", "status", "term_type", "concept"]
    list_filter = ["language", "status", "term_type"]
    search_fields = ["text", "search_key", "romanization", "concept__slug"]
    list_select_related = ["concept"]
    autocomplete_fields = ["concept"]

    def save_model(self, request, obj, form, change):
        concept, _report = editing.save_concept(form.entry, origin=_origin(request))
        obj.pk = concept.terms.get(language=obj.language, text=obj.text).pk

    def save_related(self, request, form, formsets, change):
        """Nothing here: save_model wrote the term."""

    def delete_model(self, request, obj):
        editing.delete_term(obj, origin=_origin(request))

    def delete_queryset(self, request, queryset):
        for term in queryset.select_related("concept"):
            editing.delete_term(term, origin=_origin(request))


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
        if document is None or not excerpt:
            return data
        try:
            data["start"], data["end"] = editing.quote_span(
                document, excerpt, data.get("start"), data.get("end")
            )
        except GlossaryError as error:
            self.add_error(error.field, str(error))
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

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        editing.save_quote(
            document=data["document"],
            excerpt=data["excerpt"],
            start=data["start"],
            end=data["end"],
            terms=list(data["terms"]),
            quote=obj,
            origin=_origin(request),
        )

    def save_related(self, request, form, formsets, change):
        """Nothing here: save_model linked the terms."""

    def delete_model(self, request, obj):
        editing.delete_quote(obj, origin=_origin(request))

    def delete_queryset(self, request, queryset):
        for quote in queryset:
            editing.delete_quote(quote, origin=_origin(request))


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

    def save_model(self, request, obj, form, change):
        # Compared with the stored document: the form has already changed `obj`.
        stored = SourceDocument.objects.get(pk=obj.pk) if change else None
        saved = editing.save_document(
            form.cleaned_data, document=stored, origin=_origin(request)
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        editing.delete_document(obj, origin=_origin(request))

    def delete_queryset(self, request, queryset):
        for document in queryset:
            editing.delete_document(document, origin=_origin(request))

    @admin.display(description=_("text (quoted passages marked)"))
    def text_with_quotes(self, obj: SourceDocument) -> str:
        spans = [(q.start, q.end) for q in obj.quotes.all()]
        return format_html(
            '<div style="white-space: pre-wrap; max-width: 60em">{}</div>',
            highlighted(obj.text, spans),
        )
