"""Versions in the admin: two editors saving one concept, history, diff and revert."""

import re

from playwright.sync_api import expect

from glossary.models import Concept

from .conftest import ADMIN_USERNAME, form_errors, submit


def change_url(site: str, concept: Concept) -> str:
    return f"{site}/admin/glossary/concept/{concept.pk}/change/"


def test_a_save_after_another_editors_save_is_refused_naming_their_change(
    new_page, sign_in, site
):
    khorgos = Concept.objects.get(slug="khorgos")
    note = "Checked against the Akorda spelling in June."
    first = sign_in(new_page(), "first-editor")
    second = sign_in(new_page(), "second-editor")
    for page in (first, second):
        page.goto(change_url(site, khorgos))

    first.locator("#id_note").fill(note)
    assert submit(first) == 302, form_errors(first)
    expect(first.locator(".messagelist .success")).to_contain_text("khorgos")

    second.locator("#id_domain").fill("border crossings")
    assert submit(second) == 200, "the second save was not refused"
    error = second.locator("#concept_form ul.errorlist.nonfield")
    expect(error).to_contain_text("This concept was changed by first-editor")
    expect(error).to_contain_text(f"note: — → {note}")
    expect(error).to_contain_text("Nothing was saved; your input is kept.")
    expect(second.locator("#id_domain")).to_have_value("border crossings")
    # The field the second editor left alone now shows the first editor's note.
    expect(second.locator("#id_note")).to_have_value(note)
    khorgos.refresh_from_db()
    assert (khorgos.note, khorgos.domain) == (note, "geography")

    assert submit(second) == 302, form_errors(second)
    expect(second.locator(".messagelist .success")).to_contain_text("khorgos")
    khorgos.refresh_from_db()
    assert (khorgos.note, khorgos.domain) == (note, "border crossings")


def test_a_note_changed_in_the_admin_is_reverted_from_the_concepts_history(
    admin_page, site
):
    port = Concept.objects.get(slug="lianyungang-port")
    seeded_note, seeded = port.note, port.version
    edited_note = "The Kazakh form is now attested by Kazinform."
    admin_page.goto(change_url(site, port))
    admin_page.locator("#id_note").fill(edited_note)
    assert submit(admin_page) == 302, form_errors(admin_page)

    admin_page.goto(change_url(site, port))
    admin_page.get_by_role("link", name="History", exact=True).click()
    admin_page.get_by_label(f"compare from version {seeded}").check()
    admin_page.get_by_label(f"compare to version {seeded + 1}").check()
    admin_page.get_by_role("button", name="Compare the selected versions").click()
    expect(admin_page).to_have_url(re.compile(r"/history/\?(?=.*old=\d)(?=.*new=\d)"))
    expect(admin_page.locator(".glossary-history h2")).to_have_text(
        f"Changes from version {seeded} to version {seeded + 1}"
    )
    diff = admin_page.locator("table.glossary-diff tbody tr")
    expect(diff).to_have_count(1)
    expect(diff.locator("th")).to_have_text("note")
    expect(diff.locator("del")).to_have_text(seeded_note)
    expect(diff.locator("ins")).to_have_text(edited_note)

    versions = admin_page.locator("#change-history tbody tr")
    seeded_row = versions.filter(
        has=admin_page.get_by_label(f"compare from version {seeded}", exact=True)
    )
    seeded_row.get_by_role("link", name="Revert to this version").click()
    expect(admin_page).to_have_url(re.compile(r"/revert/$"))
    # The confirmation shows what the revert changes: the edited note back.
    diff = admin_page.locator("table.glossary-diff tbody tr")
    expect(diff).to_have_count(1)
    expect(diff.locator("del")).to_have_text(edited_note)
    expect(diff.locator("ins")).to_have_text(seeded_note)
    assert submit(admin_page, "Yes, revert") == 302

    expect(admin_page).to_have_url(f"{site}/admin/glossary/concept/{port.pk}/history/")
    expect(admin_page.locator(".messagelist .success")).to_have_text(
        f"Reverted lianyungang-port to version {seeded}."
    )
    port.refresh_from_db()
    assert (port.note, port.version) == (seeded_note, seeded + 2)
    newest = versions.first
    expect(newest.locator("td").nth(2)).to_have_text(str(seeded + 2))
    expect(newest.locator("td").nth(3)).to_have_text(ADMIN_USERNAME)
    expect(newest.locator("td").nth(4)).to_have_text(
        f"revert (reverted to version {seeded})"
    )
