"""The redaction review in real Chromium: select words in an entry to withhold them, come back to the
same entry; without JavaScript, tick a sentence instead."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import sign_in

TEXT = "Visited Kayden at home. He was cheerful.\nKayden said he likes football and swimming."
SELECT = """([id, wanted]) => {
  const box = document.getElementById(id);
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.textContent.indexOf(wanted);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      box.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
      return true;
    }
  }
  return false;
}"""


def _sar(world):
    from discretion.information_rights import services

    igo = world.staff("information_governance", username="igo-select")
    team = world.team()
    child = world.person("Kayden", "Walsh")
    case = world.case(child, team, workers=(world.staff(team=team),))
    entry = world.entry(case, TEXT)
    sar = services.open_sar(
        igo, requester_name="Kayden Walsh", requester_contact="k@example.org", requester_kind="self",
        received_on=dt.date(2026, 11, 2),
    )  # fmt: skip
    services.verify_identity(
        igo, sar.pk, evidence="Passport", received_on=dt.date(2026, 11, 3), subject_ref=child.ref
    )
    services.compile_records(igo, sar.pk)
    return sar, entry


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_select_words_in_the_entry_to_withhold_them(page, world):
    from discretion.information_rights.models import Redaction

    sar, entry = _sar(world)
    sign_in(page, "igo-select")
    page.goto(f"/information-rights/sar/{sar.pk}/review/")
    form = page.locator(f'[data-selection-form="{entry.pk}"]')
    assert form.is_hidden()  # nothing selected yet
    assert page.evaluate(SELECT, [f"entry-{entry.pk}-text", "football and swimming"])
    assert form.is_visible()
    assert form.locator("[data-selected-text]").inner_text() == "football and swimming"
    form.locator("select").select_option("third_party")
    form.locator("button").click()
    page.wait_for_url(f"**/review/#entry-{entry.pk}")  # back at the entry, not the top of the page
    red = Redaction.objects.get(sar=sar, proposed_by_system=False)
    start = TEXT.index("football")
    assert (red.start, red.end, red.text) == (
        start,
        start + len("football and swimming"),
        "football and swimming",
    )
    withheld = page.locator(f"#entry-{entry.pk}-text mark.discretion-withheld--accepted")
    assert withheld.inner_text() == "football and swimming"
    assert (
        "football" not in page.locator(f"#entry-{entry.pk} p:has-text('As it will be released')").inner_text()
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_a_sentence_is_chosen_from_a_list(chromium, live_server, world):
    from discretion.information_rights.models import Redaction

    sar, entry = _sar(world)
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    try:
        sign_in(tab, "igo-select")
        tab.goto(f"/information-rights/sar/{sar.pk}/review/")
        card = tab.locator(f"#entry-{entry.pk}")
        card.locator("summary:has-text('Choose sentences or words to withhold')").click()
        card.get_by_label("He was cheerful.").check()
        card.locator(f"#choose-{entry.pk}-reason").select_option("serious_harm")
        card.locator("button:has-text('Withhold what you chose')").click()
        assert tab.url.endswith(f"/review/#entry-{entry.pk}")
        red = Redaction.objects.get(sar=sar, proposed_by_system=False)
        assert red.text == "He was cheerful." and red.reason == "serious_harm"
    finally:
        context.close()
