import datetime as dt
import pytest
from typing import Any
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.requests.helpers import PDF, council, log
from tests.browser.test_work import _signed_in, _named

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = open("/tmp/axecheck/node_modules/axe-core/axe.min.js").read()

def check(tab, url, out, who):
    tab.goto(url)
    tab.add_script_tag(content=AXE)
    res = tab.evaluate("""async () => { const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}}); return r.violations.map(v => [v.id, v.impact, v.nodes.length, v.nodes.slice(0,2).map(n => n.html.slice(0,150))]); }""")
    tab.set_viewport_size({"width": 320, "height": 800})
    wide = tab.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    if wide:
        print("WIDEST", url, tab.evaluate("Array.from(document.querySelectorAll('main *')).filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0,8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"))
    tab.set_viewport_size({"width": 1280, "height": 800})
    out.append((who, url, tab.title(), res, wide))

def test_axe(world, chromium, live_server):
    from discretion.requests import services, documents
    from discretion import access
    c = council(world)
    _named(c, worker="sarah.hughes", manager="priya.patel", igo="gareth.morgan", legal="helen.evans", press="tom.taylor")
    police = log(c, "police", channel="phone", purpose="missing_child")
    media = log(c, "media", channel="phone", purpose="media_story")
    gp = log(c, "other_agency", channel="secure_email", purpose="section_47_enquiry", works_with_child=True)
    for kind in services.open_tasks(gp):
        services.complete_task(c.worker, gp.pk, kind, note="Done", outcome="told")
    gp2 = log(c, "other_agency", channel="secure_email", purpose="section_47_enquiry", works_with_child=True)
    for kind in services.open_tasks(gp2):
        services.complete_task(c.worker, gp2.pk, kind, note="Done", outcome="told")
    services.select_entries(c.worker, gp2.pk, {c.visit.pk: "x"})
    rel = services.release_request(c.worker, gp2.pk, channel="secure_link", address="dr@nhs.example")
    court = log(c, "solicitor", channel="letter", purpose="legal_proceedings")
    documents.add_document(c.worker, court.pk, "court_order", SimpleUploadedFile("o.pdf", PDF), name="o.pdf", content_type="application/pdf", size=len(PDF))
    other = world.staff(team=world.team("Other"))
    access.break_glass(other, c.case.pk, "Police called: child missing tonight")
    from discretion.staff.models import Alert
    alert = Alert.objects.get(kind="break_glass")
    out = []
    def tab_for(user):
        ctx = chromium.new_context(base_url=live_server.url); t = ctx.new_page(); _signed_in(t, user); return t
    w = tab_for("sarah.hughes")
    for url in ["/", "/requests/", f"/requests/{police.pk}/", f"/requests/{gp.pk}/entries/", "/notifications/", "/disclosures/links/", "/disclosures/links/1/revoke/", "/requests/new/", "/requests/new/whom/"]:
        check(w, url, out, "worker")
    # intake
    w.goto("/requests/new/"); w.get_by_label("Police").check(); w.get_by_label("Their name").fill("DC"); w.get_by_label("Telephone").check(); w.click("main button[type=submit]")
    w.click("main button[type=submit]")  # whom error
    w.add_script_tag(content=AXE)
    out.append(("worker", "whom-error", w.title(), w.evaluate("async () => (await axe.run(document, {runOnly: {type:'tag', values:['wcag2a','wcag2aa','wcag21aa','wcag22aa']}})).violations.map(v=>[v.id, v.nodes.length])"), False))
    w.check(f"#person-{c.child.pk}"); w.click("main button:has-text('Continue')")
    check(w, "/requests/new/what/", out, "worker")
    w.get_by_label("About the child").check(); w.get_by_label("What they asked, in their words").fill("x"); w.get_by_label("Finding a missing child").check(); w.click("main button[type=submit]")
    check(w, "/requests/new/check/", out, "worker")
    m = tab_for("priya.patel")
    for url in ["/", f"/requests/{police.pk}/", "/notifications/", f"/staff/alerts/{alert.pk}/", "/staff/alerts/"]:
        check(m, url, out, "manager")
    i = tab_for("gareth.morgan")
    for url in ["/", "/disclosures/links/"]:
        check(i, url, out, "igo")
    for u, url in [("helen.evans", "/"), ("tom.taylor", "/"), ("tom.taylor", f"/requests/{media.pk}/")]:
        check(tab_for(u), url, out, u)
    ctx = chromium.new_context(base_url=live_server.url); r = ctx.new_page()
    check(r, f"/disclosures/download/{rel.link_token}/", out, "recipient")
    check(r, "/disclosures/download/nope/", out, "recipient")
    bad = [o for o in out if o[3] or o[4]]
    for o in out: print(o[0], o[1], o[2], o[3], "WIDE" if o[4] else "")
    assert not bad
