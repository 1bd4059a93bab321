"""POST bodies of the concept form, as a browser sends them."""

from glossary.models import Concept

INLINES = ("terms", "definitions", "relations", "incoming_relations")


def concept_form(terms: list[dict], **fields) -> dict:
    """A concept form with these term rows (new ones) and no other inline rows."""
    data = {"kind": "place", "domain": "", "visibility": "public", "note": "", **fields}
    for prefix in INLINES:
        data[f"{prefix}-TOTAL_FORMS"] = len(terms) if prefix == "terms" else 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
    for index, term in enumerate(terms):
        for key, value in {
            "status": "preferred",
            "term_type": "fullForm",
            **term,
        }.items():
            data[f"terms-{index}-{key}"] = value
    return data


def change_form_data(client, concept: Concept) -> dict:
    """The change form's fields as the browser would send them back unchanged."""
    response = client.get(f"/admin/glossary/concept/{concept.pk}/change/")
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial[name]
        for row in formset.forms:
            for name, field in row.fields.items():
                value = row.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                if value is not None and value is not False:
                    data[row.add_prefix(name)] = value
    return data
