"""The Django admin, where terminologists edit concepts, terms and their sources."""

import secrets
import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from . import editing, exporter, languages, permissions, search, stats, visibility
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
from .permissions import Action


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


# What the concept form edits; the status moves only through the workflow.
EDITED_FIELDS = ["slug", "kind", "domain", "visibility", "note"]


class ConceptForm(forms.ModelForm):
    """The concept with its inline rows, checked whole by the write service.

    `opened_version` is the version the editor opened: a save made after someone else
    changed the concept is refused, naming their changes, with the input kept.
    """

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    origin: editing.Origin  # who edits, set by ConceptAdmin.get_form

    class Meta:
        model = Concept
        fields = EDITED_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.version
        # Without it a change could not be told from one made after another's.
        self.fields["opened_version"].required = self.instance.pk is not None
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
        report = editing.check_concept(self.entry, origin=self.origin)
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
        if then is None:
            # What the page was opened at is not recorded: nothing to merge with, so
            # the editor must reopen the concept rather than save over the changes.
            return
        now = editing.concept_state(self.instance)
        # One copy of the submission, shared by the form and every inline row.
        self.data = self.data.copy()
        for formset in formsets:
            formset.data = self.data
            for form in formset.forms:
                form.data = self.data
        self.data[self.add_prefix("opened_version")] = self.instance.version
        for name in EDITED_FIELDS:
            self._keep_theirs(self, name, then.fields[name], now.fields[name])
        # Terms by their stored identity, so a term renamed meanwhile is found.
        current = {state.pk: (key, state) for key, state in now.terms.items()}
        opened_terms = {
            state.pk: (key, state) for key, state in then.terms.items() if state.pk
        }
        for formset in formsets:
            if formset.model is not Term:
                continue
            for form in formset.initial_forms:
                key, state = current.get(form.instance.pk, (None, None))
                opened_key, opened_state = opened_terms.get(
                    form.instance.pk, (key, then.terms.get(key))
                )
                if opened_state is None or state is None:
                    continue
                for index, name in enumerate(("language", "text")):
                    self._keep_theirs(form, name, opened_key[index], key[index])
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
            entry = ConceptEntry(None, whole=True, new=True)
        entry.slug, entry.id = data["slug"], self.instance.pk
        for name in EDITED_FIELDS[1:]:
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


_TRANSITION_LABELS = {
    Concept.Status.IN_REVIEW: _("Submit for review"),
    Concept.Status.APPROVED: _("Approve"),
    Concept.Status.RETIRED: _("Retire"),
    Concept.Status.DRAFT: _("Return to draft"),
}


class WorkflowForm(forms.Form):
    # The version the page showed: the step is refused if the concept changed since.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the history; needed to return a concept to draft."),
    )


class WorkflowActionForm(ActionForm):
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        help_text=_("For workflow actions: recorded in each concept's history."),
    )


def _workflow_action(status: str):
    def action(modeladmin, request, queryset):
        done, refused = 0, []
        comment = request.POST.get("comment", "")
        for concept in queryset.order_by("updated"):
            try:
                editing.transition(
                    concept, status, origin=_origin(request), comment=comment
                )
                done += 1
            except GlossaryError as error:
                refused.append(f"{concept.slug}: {error}")
        if done:
            modeladmin.message_user(
                request,
                _("%(count)d concept(s) are now %(status)s.")
                % {"count": done, "status": Concept.Status(status).label},
                messages.SUCCESS,
            )
        for message in refused:
            modeladmin.message_user(request, message, messages.ERROR)

    action.__name__ = f"to_{status}"
    return admin.action(description=_TRANSITION_LABELS[status])(action)


def _since_approval(concept: Concept) -> list:
    """What changed since the concept was last approved (or since it was made)."""
    versions = editing.concept_history(concept)
    approved = next(
        (
            version
            for version in versions
            if version.state.fields.get("status") == Concept.Status.APPROVED
        ),
        None,
    )
    before = approved.state if approved else editing.ConceptState()
    return editing.changes(before, editing.concept_state(concept))


SEARCH_LIMIT = Term._meta.get_field("text").max_length


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
    readonly_fields = [
        "version",
        "created",
        "updated",
        "attesting_quotes",
        "status",
        "workflow",
        "submitted_by",
        "approved_by",
        "approved_at",
    ]
    fieldsets = [
        (None, {"fields": EDITED_FIELDS}),
        (
            _("Review"),
            {
                "fields": [
                    ("status", "workflow"),
                    ("submitted_by", "approved_by", "approved_at"),
                ]
            },
        ),
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
    action_form = WorkflowActionForm
    actions = [
        *[_workflow_action(status) for status in Concept.Status],
        *[_download_action(name) for name in exporter.FORMATS],
    ]

    class Media:
        css = {"all": ["glossary/admin.css"]}

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        statistics = self.admin_site.admin_view(self.statistics_view)
        revert = self.admin_site.admin_view(self.revert_view)
        workflow = self.admin_site.admin_view(self.workflow_view)
        review = self.admin_site.admin_view(self.review_view)
        return [
            path("review/", review, name="glossary_concept_review"),
            path(
                "<path:object_id>/workflow/<str:to>/",
                workflow,
                name="glossary_concept_workflow",
            ),
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
        return permissions.allowed(
            request.user, Action.CREATE
        ) and request.user.has_perm("glossary.add_term")

    def has_change_permission(self, request, obj=None):
        # An editor may change drafts; a concept under review or approved is shown
        # read-only to them, and changes only through the workflow.
        return permissions.allowed(request.user, Action.EDIT, obj)

    def has_delete_permission(self, request, obj=None):
        return permissions.allowed(request.user, Action.DELETE, obj)

    # The workflow: submit, approve, return, retire, one at a time or in bulk.

    @admin.display(description=_("next steps"))
    def workflow(self, obj: Concept) -> str:
        if obj.pk is None:
            return "—"
        links = [
            (
                reverse("admin:glossary_concept_workflow", args=[obj.pk, to]),
                _TRANSITION_LABELS[to],
            )
            for (start, to), _action in editing.TRANSITIONS.items()
            if start == obj.status
        ]
        return format_html_join(" ", '<a class="button" href="{}">{}</a>', links) or "—"

    def workflow_view(self, request, object_id, to):
        if not self.has_view_permission(request):
            raise PermissionDenied
        concept = self.get_object(request, unquote(object_id))
        if concept is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if to not in Concept.Status.values:
            raise Http404(_("No such status."))
        change_url = reverse("admin:glossary_concept_change", args=[concept.pk])
        form = WorkflowForm(request.POST or None, initial={"version": concept.version})
        if request.method == "POST" and form.is_valid():
            try:
                editing.transition(
                    concept,
                    to,
                    origin=_origin(request),
                    comment=form.cleaned_data["comment"],
                    seen_version=form.cleaned_data["version"],
                )
            except GlossaryError as error:
                form.add_error(
                    "comment" if error.field == "comment" else None, str(error)
                )
            else:
                self.message_user(
                    request,
                    _("%(concept)s is now %(status)s.")
                    % {"concept": concept, "status": concept.get_status_display()},
                    messages.SUCCESS,
                )
                return redirect(change_url)
        refusal = permissions.refusal(
            request.user,
            editing.TRANSITIONS.get((concept.status, to), Action.EDIT),
            concept,
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": concept,
            "title": _TRANSITION_LABELS.get(to, to),
            "form": form,
            "refusal": refusal,
            "diff": _since_approval(concept),
            "change_url": change_url,
        }
        return TemplateResponse(
            request, "admin/glossary/concept/workflow.html", context
        )

    def review_view(self, request):
        """Concepts in review, oldest first, each with its changes since approval."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            to = request.POST.get("to", "")
            chosen = Concept.objects.filter(
                pk__in=[pk for pk in request.POST.getlist("concept") if pk.isdigit()],
                status=Concept.Status.IN_REVIEW,
            )
            if to in (Concept.Status.APPROVED, Concept.Status.DRAFT):
                _workflow_action(to)(self, request, chosen)
            return redirect("admin:glossary_concept_review")
        waiting = (
            Concept.objects.filter(status=Concept.Status.IN_REVIEW)
            .order_by("updated")
            .select_related("submitted_by")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Review queue"),
            "rows": [(concept, _since_approval(concept)) for concept in waiting],
            "action_form": WorkflowActionForm(auto_id=None),
        }
        return TemplateResponse(request, "admin/glossary/concept/review.html", context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"origin": _origin(request)})

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
        rows = editing.history_with_changes(concept)
        versions = [version for version, _changes in rows]
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
            "rows": rows,
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
        if not permissions.allowed(request.user, Action.IMPORT):
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
                    file,
                    filename=upload.name,
                    dry_run=True,
                    kind=data["kind"],
                    user=request.user,
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
        # Staff without the right to read internal concepts do not see them here
        # either: the same rule as the API's.
        visible = visibility.for_user(request.user)
        return (
            super()
            .get_queryset(request)
            .filter(visible.condition())
            .prefetch_related(Prefetch("terms", queryset=search.ordered_terms()))
        )

    def get_search_results(self, request, queryset, search_term):
        # No term is longer than this; a longer query would only reach SQLite's
        # limit on LIKE patterns.
        search_term = search_term[:SEARCH_LIMIT]
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

    origin: editing.Origin  # who edits, set by TermAdmin.get_form

    class Meta:
        model = Term
        fields = ["concept", "language", "text", *Term.DESCRIPTIVE_FIELDS]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        term = self.instance if self.instance.pk else None
        concept = term.concept if term is not None else data["concept"]
        self.entry = editing.entry_with_term(data, concept=concept, term=term)
        row = ("terms", len(self.entry.terms) - 1)
        report = editing.check_concept(self.entry, origin=self.origin)
        for item in report.of("conflict"):
            field = (
                item.field if item.item == row and item.field in self.fields else None
            )
            self.add_error(field, item.message)
        return data


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    form = TermForm

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term[:SEARCH_LIMIT])

    list_display = ["text", "language", "status", "term_type", "concept"]
    list_filter = ["language", "status", "term_type"]
    search_fields = ["text", "search_key", "romanization", "concept__slug"]
    list_select_related = ["concept"]
    autocomplete_fields = ["concept"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"origin": _origin(request)})

    # A term is part of its concept: changing one is editing the concept.

    def has_add_permission(self, request):
        return super().has_add_permission(request) and permissions.allowed(
            request.user, Action.EDIT
        )

    def has_change_permission(self, request, obj=None):
        concept = obj.concept if obj is not None else None
        return super().has_change_permission(request, obj) and permissions.allowed(
            request.user, Action.EDIT, concept
        )

    def has_delete_permission(self, request, obj=None):
        concept = obj.concept if obj is not None else None
        return super().has_delete_permission(request, obj) and permissions.allowed(
            request.user, Action.EDIT, concept
        )

    def get_readonly_fields(self, request, obj=None):
        # Moving a term to another concept is two concepts' change: done by editing
        # both, not here.
        return ["concept"] if obj is not None else []

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except GlossaryError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect("admin:glossary_term_change", object_id)

    def save_model(self, request, obj, form, change):
        concept, _report = editing.save_concept(form.entry, origin=_origin(request))
        obj.pk = concept.terms.get(language=obj.language, text=obj.text).pk

    def save_related(self, request, form, formsets, change):
        """Nothing here: save_model wrote the term."""

    def delete_model(self, request, obj):
        editing.delete_term(obj, origin=_origin(request))

    def delete_queryset(self, request, queryset):
        try:
            with transaction.atomic():
                for term in queryset.select_related("concept"):
                    editing.delete_term(term, origin=_origin(request))
        except GlossaryError as error:
            self.message_user(
                request,
                _("Nothing was deleted: %(error)s") % {"error": error},
                messages.ERROR,
            )


class QuoteForm(forms.ModelForm):
    """Offsets are found from the excerpt when left empty."""

    class Meta:
        model = Quote
        fields = ["document", "excerpt", "start", "end", "terms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            if name in self.fields:  # not on a page its reader may only view
                self.fields[name].required = False
                self.fields[name].help_text = _("Left empty, found from the excerpt.")

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

    # A quote attests terms: changing it is editing the concepts it attests.

    def _may_edit_attested(self, request, obj) -> bool:
        concepts = (
            Concept.objects.filter(terms__quotes=obj).distinct() if obj else [None]
        )
        return all(
            permissions.allowed(request.user, Action.EDIT, concept)
            for concept in concepts
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self._may_edit_attested(
            request, None
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit_attested(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit_attested(
            request, obj
        )

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


# API tokens for tools: knox stores only a hash, so the token is shown once, here.
admin.site.unregister(AuthToken)


class TokenCreateForm(forms.ModelForm):
    class Meta:
        model = AuthToken
        fields = ["user", "expiry"]
        help_texts = {
            "expiry": _("Left empty, the token works until it is revoked here."),
        }


@admin.register(AuthToken)
class TokenAdmin(admin.ModelAdmin):
    """Create a token for a tool, see whose tokens exist, revoke one by deleting it."""

    list_display = ["token_key", "user", "created", "expiry"]
    list_select_related = ["user"]
    search_fields = ["token_key", "user__username"]
    raw_id_fields = ["user"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = TokenCreateForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["user", "expiry"] if obj is None else ["token_key", "user", "expiry"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["token_key", "user", "created"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, key = AuthToken.objects.create(user=obj.user, expiry=None, prefix=None)
        token.expiry = form.cleaned_data["expiry"]
        token.save(update_fields=["expiry"])
        obj.pk = token.pk
        self.message_user(
            request,
            _(
                "The token for %(user)s is %(key)s — copy it now: only its hash is "
                "stored, so it cannot be shown again. Send it as the header "
                "Authorization: Token <token>."
            )
            % {"user": obj.user, "key": key},
            messages.WARNING,
        )
