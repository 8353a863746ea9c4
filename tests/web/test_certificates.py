"""Certificates: the list, details, transcript and adding an external certificate, against the
sandbox's demo learner (6 current certificates, one external, one expiring soon; 2 expired)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.web.conftest import soup
from webapp import outcomes
from webapp.certificates import external, uploads
from webapp.certificates.loaders import instance_link
from webapp.certificates.transcript import Column, cell, format_field_date
from webapp.gql import Call, PageData, UpstreamUnavailable

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path) -> Path:
    """Uploads go to the test's own folder, never the real instance folder."""
    folder = tmp_path / "uploads"
    app.config["UPLOAD_FOLDER"] = str(folder)
    return folder


def token_of(browser) -> str:
    with browser.client.session_transaction() as stored:
        return stored["token"]


def instance_certificates(app, browser, include_expired=False, query=None) -> list:
    """What the instance itself holds for the signed-in learner."""
    variables = {"includeExpiredCertificates": include_expired}
    if query:
        variables["query"] = query
    call = Call("UserCertificates", variables)
    with app.test_request_context():
        return app.extensions["instance"].query(call, token=token_of(browser))


def instance_fields(app) -> list:
    with app.test_request_context():
        return app.extensions["instance"].query(Call("UserCertificateFields"))


def card_titles(page) -> list[str]:
    return [h.text.strip() for h in page.select(".cert-list .cert__title")]


def upload(blob: bytes, filename: str, content_type: str) -> FileStorage:
    return FileStorage(io.BytesIO(blob), filename=filename, content_type=content_type)


def post_form(browser, data: dict, *, csrf: bool = True):
    """POST the certificate form as multipart, encoded in memory (the test client would spool
    a large body to a temporary file it never closes)."""
    data = dict(data)
    if csrf:
        data.setdefault("csrf_token", browser.csrf)
    boundary, body = encode_multipart(data)
    return browser.client.post(
        "/certificates/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def stored_files(folder: Path) -> list[Path]:
    """The images stored (not the folder where each certificate's image is filed)."""
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.exists() else []


# -- the list ------------------------------------------------------------------------------------


def test_the_list_shows_the_current_certificates_the_instance_holds(
    app, learner, upstream_requests
):
    held = instance_certificates(app, learner)
    before = upstream_requests()
    response = learner.get("/certificates")
    assert upstream_requests() - before == 1
    assert response.status_code == 200 and "<html" in response.get_data(as_text=True)
    page = soup(response)
    titles = card_titles(page)
    assert len(titles) == len(held) == 6
    assert "First Aid at Work" in titles
    assert "6 current certificates" in page.select_one("#certificate-count").text
    cards = page.select(".cert-list .cert")
    for cert, card in zip(held, cards, strict=True):
        text = card.text
        assert cert.issued_at.strftime("%b %-d, %Y") in text
        assert cert.identifier in text
        if cert.expiration_date:
            assert cert.expiration_date.strftime("%b %-d, %Y") in text
        else:
            assert "Does not expire" in text
    external_card = cards[card_titles(page).index("First Aid at Work")]
    assert "External certificate" in external_card.select_one(".cert__kind").text


def test_expired_ones_appear_only_when_asked_and_say_so_in_words(app, learner):
    current = soup(learner.get("/certificates"))
    assert not current.select(".cert--expired")
    assert "Expired" not in " ".join(m.text for m in current.select(".cert-mark"))
    everything = soup(learner.get("/certificates?expired=1"))
    held = instance_certificates(app, learner, include_expired=True)
    assert len(card_titles(everything)) == len(held) == 8
    expired = everything.select(".cert--expired")
    assert len(expired) == 2 == sum(c.is_expired for c in held)
    for card in expired:
        assert card.select_one(".cert-mark").text.strip() == "Expired"
    assert everything.select_one("#expired").has_attr("checked")
    assert (
        "8 certificates, expired ones included" in everything.select_one("#certificate-count").text
    )


def test_a_certificate_expiring_within_30_days_is_marked_in_words(app, learner):
    now = datetime.now(UTC)
    soon = [
        c.title
        for c in [_Titled(x) for x in instance_certificates(app, learner)]
        if c.expires and now < c.expires <= now + timedelta(days=30)
    ]
    page = soup(learner.get("/certificates"))
    marked = [
        card.select_one(".cert__title").text.strip()
        for card in page.select(".cert-list .cert")
        if card.select_one(".cert-mark") and "Expires soon" in card.select_one(".cert-mark").text
    ]
    assert marked == soon and len(marked) == 1


class _Titled:
    def __init__(self, cert):
        resource = cert.resource
        self.title = (
            resource and (resource.title or resource.name)
        ) or cert.external_resource_title
        self.expires = cert.expiration_date


def test_search_lives_in_the_url_and_matches_what_the_instance_finds(app, learner):
    found = instance_certificates(app, learner, query="security")
    page = soup(learner.get("/certificates?q=security"))
    assert len(card_titles(page)) == len(found) == 1
    assert page.select_one("#q")["value"] == "security"
    assert "matches “security”" in page.select_one("#certificate-count").text
    with_expired = soup(learner.get("/certificates?q=essentials&expired=1"))
    assert len(card_titles(with_expired)) == len(
        instance_certificates(app, learner, include_expired=True, query="essentials")
    )
    assert with_expired.select_one("#expired").has_attr("checked")


def test_a_search_with_no_match_says_so_and_offers_a_way_back(learner):
    page = soup(learner.get("/certificates?q=zzzz-nothing"))
    assert not page.select(".cert-list")
    state = page.select_one(".empty-state")
    assert "No certificates match “zzzz-nothing”" in state.text
    assert state.select_one("a")["href"] == "/certificates"


def test_a_learner_with_no_certificates_gets_an_empty_state(app, browser, sandbox):
    with sandbox.store.write() as conn:
        conn.execute("UPDATE certificates SET deleted = 1")
    browser.sign_in("learner")
    current = soup(browser.get("/certificates"))
    assert "You have no current certificates" in current.select_one(".empty-state").text
    everything = soup(browser.get("/certificates?expired=1"))
    state = everything.select_one(".empty-state")
    assert "don't have any certificates yet" in state.text
    assert state.select_one("a")["href"] == "/certificates/new"


def test_odd_search_input_gets_a_message_not_an_error(learner):
    response = learner.get("/certificates?q=" + "x" * 5000 + "&expired=maybe")
    assert response.status_code == 422
    page = soup(response)
    assert "at most 200 characters" in page.select_one(".field__error").text
    assert len(card_titles(page)) == 8  # the search was not run; "maybe" counts as asked


def test_htmx_search_gets_the_list_fragment_and_the_count_out_of_band(learner):
    response = learner.htmx("GET", "/certificates?q=security")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "HX-Request" in response.headers["Vary"]
    page = soup(response)
    assert card_titles(page) == ["Security Awareness Fundamentals"]
    count = page.select_one("#certificate-count")
    assert count["hx-swap-oob"] == "true" and count["role"] == "status"
    full = soup(learner.get("/certificates?q=security"))
    form = full.select_one("form.cert-search")
    assert form["method"] == "get" and form["action"] == "/certificates"  # works without JS
    assert form["hx-get"] == "/certificates" and form["hx-push-url"] == "true"


def test_certificate_pages_need_a_session(browser):
    for path in ("/certificates", "/certificates/transcript", "/certificates/new"):
        response = browser.get(path)
        assert response.status_code == 303
        assert "/login?next=" in response.headers["Location"]


# -- View and PDF links ---------------------------------------------------------------------------


def test_in_the_sandbox_view_and_pdf_links_lead_to_the_certificates_details(app, learner):
    held = {c.id: c for c in instance_certificates(app, learner)}
    assert any(c.pdf_asset for c in held.values())
    page = soup(learner.get("/certificates"))
    for card in page.select(".cert-list .cert"):
        links = [a["href"] for a in card.select(".cert__links a")]
        # View and the PDF both lead to the details page here: one link, not two alike.
        assert len(links) == 1 and links[0].startswith("/certificates/")
        assert links[0].rsplit("/", 1)[1] in held
    first_id = next(iter(held))
    detail = soup(learner.get(f"/certificates/{first_id}"))
    assert held[first_id].identifier in detail.select_one(".cert-facts").text
    assert detail.select_one("[data-print]") is not None


def test_a_pdf_of_its_own_gets_a_link_of_its_own(app, learner, monkeypatch):
    from webapp.certificates import loaders

    pdf = "https://cdn.acme.test/certificates/c.pdf"
    real = loaders.instance_link
    monkeypatch.setattr(
        loaders,
        "instance_link",
        lambda url, cid: pdf if url and url.endswith(".pdf") else real(url, cid),
    )
    page = soup(learner.get("/certificates"))
    hrefs = [[a["href"] for a in c.select(".cert__links a")] for c in page.select(".cert")]
    assert [pdf] in [h[1:] for h in hrefs if len(h) == 2]
    assert all(len(set(h)) == len(h) for h in hrefs)


def test_an_expired_certificates_details_are_shown_too(app, learner):
    expired = [c for c in instance_certificates(app, learner, include_expired=True) if c.is_expired]
    page = soup(learner.get(f"/certificates/{expired[0].id}"))
    assert page.select_one(".cert-mark").text.strip() == "Expired"


def test_unknown_or_odd_certificate_ids_are_not_found(learner, learner2, app):
    theirs = instance_certificates(app, learner2)[0].id
    for odd in ("00000000-0000-0000-0000-000000000000", "x" * 300, "%00", theirs):
        assert learner.get(f"/certificates/{odd}").status_code == 404, odd


def test_relative_links_are_paths_on_the_instance_outside_the_sandbox(app):
    app.config.update(INSTANCE_CERTIFICATE_PAGES=True, TI_INSTANCE_URL="https://acme.example.com")
    with app.test_request_context():
        assert (
            instance_link("/certificates/abc", "abc") == "https://acme.example.com/certificates/abc"
        )
        assert instance_link("files/c.pdf", "abc") == "https://acme.example.com/files/c.pdf"
        assert (
            instance_link("https://cdn.example.com/c.pdf", "abc") == "https://cdn.example.com/c.pdf"
        )
        assert instance_link("javascript:alert(1)", "abc") is None
        assert instance_link("java\nscript:alert(1)", "abc") is None
        assert instance_link(None, "abc") is None
    app.config.update(INSTANCE_CERTIFICATE_PAGES=False)  # as the embedded sandbox sets it
    with app.test_request_context():
        assert instance_link("/certificates/abc", "abc") == "/certificates/abc"
        assert instance_link("/sandbox/certificates/abc.pdf", "abc") == "/certificates/abc"


# -- the transcript -------------------------------------------------------------------------------


TRUTH_CERTIFICATES = """
query { UserCertificates(includeExpiredCertificates: true) {
  id identifier issuedAt expirationDate isExpired isExternal resourceId resourceType
  resource { ... on LearningPath { slug } } } }
"""
TRUTH_COURSE_AWARDS = """
query ($courseId: ID!) { UserCourseAwardCounts(courseId: $courseId) { id count } }
"""
TRUTH_PATH_AWARDS = """
query ($slug: Slug!) {
  LearningPathCurrentUserAwardTotals(slug: $slug) { resourceId total awardType { id } } }
"""


def transcript_table(page) -> tuple[list[str], list[list[str]]]:
    headers = [th.get_text(" ", strip=True) for th in page.select("table.transcript thead th")]
    rows = [
        [cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])]
        for tr in page.select("table.transcript tbody tr")
    ]
    return headers, rows


def test_the_transcript_columns_and_dates_follow_the_instances_fields(app, learner):
    fields = [f for f in instance_fields(app) if f.include_on_transcript]
    held = instance_certificates(app, learner, include_expired=True)
    page = soup(learner.get("/certificates/transcript"))
    headers, rows = transcript_table(page)
    # The learner's name is the page's heading, not a column repeating it on every row.
    table_fields = [f for f in fields if f.type != "nameLabel"]
    assert [h.split(" (")[0] for h in headers] == [f.label for f in table_fields]
    assert "Jamie Rivera" in page.h1.get_text(" ", strip=True)
    assert {f.date_format for f in fields} >= {"usLong", "euroShort"}
    assert len(rows) == len(held) == 8
    column = {f.type: i for i, f in enumerate(table_fields)}
    by_identifier = {c.identifier: c for c in held}
    formats = {"usLong": "%B %-d, %Y", "euroShort": "%d/%m/%Y", "usShort": "%m/%d/%Y",
               "iso8601": "%Y-%m-%d"}  # fmt: skip
    for row in rows:
        cert = by_identifier[row[column["identifier"]]]
        completion = table_fields[column["contentCompletionDate"]].date_format
        assert row[column["contentCompletionDate"]] == cert.issued_at.strftime(formats[completion])
        expiry = table_fields[column["expirationDateLabel"]].date_format
        if cert.expiration_date is None:
            assert row[column["expirationDateLabel"]] == "Does not expire"
        else:
            written = cert.expiration_date.strftime(formats[expiry])
            assert row[column["expirationDateLabel"]].startswith(written)
    assert "First Aid at Work" in [row[column["courseLabel"]] for row in rows]


def test_a_numeric_date_column_says_how_to_read_it(app, learner):
    page = soup(learner.get("/certificates/transcript"))
    hints = {
        th.contents[0].strip(): th.select_one(".transcript__hint").get_text(strip=True)
        for th in page.select("table.transcript thead th")
        if th.select_one(".transcript__hint")
    }
    assert hints == {"Expires": "(DD/MM/YYYY)"}  # euroShort: 01/09/2028 is 1 September


def test_the_credits_column_shows_what_each_certificate_brought(
    app, learner, helium, learner_token
):
    award = next(f for f in instance_fields(app) if f.type == "awardLabel")
    assert award.include_on_transcript and award.award_type.plural_label == "CPE Credits"
    expected = {}
    for cert in helium.data(TRUTH_CERTIFICATES, token=learner_token)["UserCertificates"]:
        if cert["isExternal"]:
            expected[cert["identifier"]] = ""  # the instance gives none back for these
        elif cert["resourceType"] == "learningPath":
            slug = cert["resource"]["slug"]
            totals = helium.data(TRUTH_PATH_AWARDS, {"slug": slug}, learner_token)
            expected[cert["identifier"]] = sum(
                t["total"]
                for t in totals["LearningPathCurrentUserAwardTotals"]
                if t["resourceId"] == cert["resourceId"]
                and t["awardType"]["id"] == award.award_type.id
            )
        else:
            counts = helium.data(
                TRUTH_COURSE_AWARDS, {"courseId": cert["resourceId"]}, learner_token
            )
            expected[cert["identifier"]] = sum(
                c["count"]
                for c in counts["UserCourseAwardCounts"]
                if c["id"] == award.award_type.id
            )
    page = soup(learner.get("/certificates/transcript"))
    headers, rows = transcript_table(page)
    credits, ids = headers.index("CPE Credits"), headers.index("Certificate ID")
    shown = {row[ids]: row[credits] for row in rows}
    assert shown == {k: (f"{v:g}" if v != "" else "") for k, v in expected.items()}
    assert "CPE Credit" not in shown.values()  # the amount, not the award type's name
    assert any(v not in ("", "0") for v in shown.values())


def test_after_the_first_view_the_transcript_costs_one_request(learner, upstream_requests):
    before = upstream_requests()
    learner.get("/certificates/transcript")
    assert upstream_requests() - before <= 2  # the first view learns which awards to ask for
    before = upstream_requests()
    again = soup(learner.get("/certificates/transcript"))
    assert upstream_requests() - before == 1
    assert transcript_table(again)[1]


def test_expired_certificates_are_marked_in_words(app, learner):
    held = instance_certificates(app, learner, include_expired=True)
    expired = {c.identifier for c in held if c.is_expired}
    assert len(expired) == 2
    page = soup(learner.get("/certificates/transcript"))
    marked = {
        tr.select_one("td.transcript__identifier").get_text(strip=True)
        for tr in page.select("table.transcript tbody tr")
        if tr.select_one(".cert-mark")
        and tr.select_one(".cert-mark").get_text(strip=True) == "Expired"
    }
    assert marked == expired
    assert "8 certificates, 2 of them expired" in page.select_one("table.transcript caption").text


def test_the_transcript_is_headed_by_whose_it_is_who_issued_it_and_when(app, learner2):
    page = soup(learner2.get("/certificates/transcript"))
    assert page.h1.select_one(".transcript-title__name").get_text(strip=True) == "Camille Martin"
    facts = [dd.get_text(" ", strip=True) for dd in page.select(".transcript-facts dd")]
    assert "Globex" in facts  # the learner's client issues it, not the company behind it
    assert "Acme Learning" not in facts
    when = page.select_one(".transcript-facts time")
    assert when["datetime"] == date.today().isoformat()
    assert "Camille Martin" in page.title.text  # a saved PDF is named after the learner


def test_a_learner_in_another_language_reads_the_standard_columns_and_dates_in_it(app, learner2):
    from flask_babel import force_locale, format_date, gettext

    fields = {f.type: f for f in instance_fields(app) if f.include_on_transcript}
    held = instance_certificates(app, learner2, include_expired=True)
    page = soup(learner2.get("/certificates/transcript"))
    assert page.html["lang"] == "fr"
    headers, rows = transcript_table(page)
    with app.test_request_context(), force_locale("fr"):
        ours = [
            gettext("Course"),
            gettext("Completed"),
            gettext("Expires"),
            gettext("Certificate ID"),
        ]
        long_dates = {format_date(c.issued_at, "long") for c in held}
    assert [h.split(" (")[0] for h in headers] == [
        ours[0],
        ours[1],
        ours[2],
        fields["awardLabel"].label,
        ours[3],
    ]  # CPE Credits is the instance's own name for its award type: kept
    assert "Expires" not in headers and ours[2] != "Expires"
    completed = [row[1] for row in rows]
    assert set(completed) == long_dates  # "12 octobre 2026", not "octobre 12, 2026"
    assert all(not d.split()[0].isalpha() for d in completed)


def test_the_transcript_prints_cleanly_and_its_print_button_needs_no_inline_script(learner):
    response = learner.get("/certificates/transcript")
    page = soup(response)
    button = page.select_one("button[data-print]")
    assert button is not None and button.has_attr("hidden")  # shown by JS, useless without it
    assert "Print command" in page.select_one(".transcript-actions").text
    scripts = page.select("script")
    assert all(s.get("src") for s in scripts)  # CSP: no inline script
    assert any(s["src"].split("?")[0].endswith("/js/certificates.js") for s in scripts)
    css = ""
    for link in page.select("link[rel=stylesheet]"):
        if link["href"].startswith("/static/"):
            stylesheet = learner.client.get(link["href"])
            css += stylesheet.get_data(as_text=True)
            stylesheet.close()
    assert "@media print" in css and ".main-nav" in css
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_transcript_dates_take_each_fields_format(app):
    moment = datetime(2026, 1, 5, 12, tzinfo=UTC)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_field_date(moment, "usLong") == "January 5, 2026"
        assert format_field_date(moment, "usShort") == "01/05/2026"
        assert format_field_date(moment, "euroShort") == "05/01/2026"
        assert format_field_date(moment, "iso8601") == "2026-01-05"
        assert format_field_date(moment, None) == "Jan 5, 2026"
        assert format_field_date(moment, "somethingNew") == "Jan 5, 2026"
        assert format_field_date(None, "usLong") == ""
    for lang, long in (("fr", "5 janvier 2026"), ("de", "5. Januar 2026"),
                       ("es", "5 de enero de 2026")):  # fmt: skip
        with app.test_request_context(headers={"Accept-Language": lang}):
            assert format_field_date(moment, "usLong") == long
            assert format_field_date(moment, "euroShort") == "05/01/2026"


def test_transcript_cells_by_field_type():
    class Row:
        title, identifier = "Forklift Safety", "7F3K9Q2M"
        issued_at = expires_at = None
        expired = False

    def value(award: str = "", **kw):
        return cell(Column(label="x", **kw), Row(), "Jamie Rivera", "Acme East", award).text

    assert value(type="nameLabel") == "Jamie Rivera"
    assert value(type="learnerClientNameLabel") == "Acme East"
    assert value(type="courseLabel") == "Forklift Safety"
    assert value(type="identifier", identifier_prefix="CERT-") == "CERT-7F3K9Q2M"
    Row.identifier = "CERT-7F3K9Q2M"
    assert value(type="identifier", identifier_prefix="CERT-") == "CERT-7F3K9Q2M"
    assert value(type="textLabel", text="Issued by Acme") == "Issued by Acme"
    assert value("1.5", type="awardLabel", award_label="CPE Credit") == "1.5"
    assert value(type="userRef1Label") == ""
    assert value(type="somethingTiAddsLater") == ""


def test_only_standard_labels_are_translated(app):
    def heading(kind: str, label: str, lang: str) -> str:
        with app.test_request_context(headers={"Accept-Language": lang}):
            return Column(label=label, type=kind).heading

    assert heading("expirationDateLabel", "Expiration Date", "en") == "Expiration Date"
    assert heading("expirationDateLabel", "Expiration Date", "de") != "Expiration Date"
    assert heading("expirationDateLabel", "Valid until", "de") == "Valid until"  # its own
    assert heading("courseLabel", "  ", "fr") == heading("courseLabel", "Course", "fr")
    assert heading("awardLabel", "CPE Credits", "fr") == "CPE Credits"


# -- adding an external certificate --------------------------------------------------------------


def form_data(**overrides) -> dict:
    data = {
        "title": "Forklift Operator Licence",
        "completed_on": (date.today() - timedelta(days=10)).isoformat(),
        "expires_on": (date.today() + timedelta(days=365)).isoformat(),
        "identifier": "FLT-2026-0042",
        "image": upload(PNG, "licence.png", "image/png"),
        "image_url": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_is_a_csrf_protected_multipart_form(learner, upstream_requests):
    before = upstream_requests()
    response = learner.get("/certificates/new")
    assert upstream_requests() - before == 1
    page = soup(response)
    form = page.select_one("form.cert-form")
    assert form["method"] == "post" and form["enctype"] == "multipart/form-data"
    assert form.select_one("input[name=csrf_token]")["value"]
    for name in ("title", "completed_on", "expires_on", "identifier", "image", "image_url"):
        control = form.select_one(f"[name={name}]")
        assert page.select_one(f"label[for={control['id']}]"), name
    assert form.select_one("[name=image]")["type"] == "file"
    assert form.select_one("[name=completed_on]")["type"] == "date"


def test_uploading_an_image_adds_the_certificate_upstream_and_serves_the_image(
    app, learner, sandbox, upload_folder, upstream_requests
):
    before = upstream_requests()
    response = post_form(learner, form_data())
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"] == "/certificates"
    assert upstream_requests() - before <= 2  # the form's page data and the mutation
    held = [c for c in instance_certificates(app, learner) if c.external_resource_title
            == "Forklift Operator Licence"]  # fmt: skip
    assert len(held) == 1
    cert = held[0]
    assert cert.is_external and cert.identifier == "FLT-2026-0042"
    assert cert.issued_at.date() == date.today() - timedelta(days=10)
    assert cert.expiration_date.date() == date.today() + timedelta(days=365)
    (stored,) = stored_files(upload_folder)
    assert stored.read_bytes() == PNG and stored.suffix == ".png"
    assert "licence" not in stored.name  # a random name, not the learner's
    with sandbox.store.read() as conn:
        asset = conn.execute("SELECT asset FROM certificates WHERE id = ?", (cert.id,)).fetchone()[
            0
        ]
    assert asset == f"http://localhost/uploads/{stored.name}"
    image = learner.client.get(f"/uploads/{stored.name}")
    served = image.get_data()
    image.close()
    assert image.status_code == 200 and served == PNG
    assert image.headers["Content-Type"] == "image/png"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.headers["Content-Disposition"] == "inline"
    page = soup(learner.get("/certificates"))
    assert "Forklift Operator Licence" in page.select_one(".notices").text
    assert "Forklift Operator Licence" in card_titles(page)


@pytest.mark.parametrize(
    ("blob", "suffix", "content_type"),
    [(JPEG, ".jpg", "image/jpeg"), (GIF, ".gif", "image/gif"), (WEBP, ".webp", "image/webp")],
)
def test_each_image_type_is_known_by_its_bytes(learner, upload_folder, blob, suffix, content_type):
    data = form_data(image=upload(blob, "photo.png", "image/png"))  # name and type lie
    response = post_form(learner, data)
    assert response.status_code == 303
    (stored,) = stored_files(upload_folder)
    assert stored.suffix == suffix
    image = learner.client.get(f"/uploads/{stored.name}")
    image.close()
    assert image.headers["Content-Type"] == content_type


def test_an_https_link_adds_the_certificate_without_storing_anything(
    app, learner, sandbox, upload_folder
):
    link = "https://images.example.com/first-aid.png"
    data = form_data(title="Linked Certificate", image=None, image_url=link)
    response = post_form(learner, data)
    assert response.status_code == 303
    assert stored_files(upload_folder) == []
    titles = [c.external_resource_title for c in instance_certificates(app, learner)]
    assert "Linked Certificate" in titles
    with sandbox.store.read() as conn:
        row = conn.execute(
            "SELECT asset FROM certificates WHERE external_title = 'Linked Certificate'"
        ).fetchone()
    assert row[0] == link


def _card(page, title: str):
    return next(c for c in page.select(".cert-list .cert") if c.h3.text.strip() == title)


def test_an_uploaded_image_is_shown_on_its_card_and_its_page(app, learner, upload_folder):
    assert post_form(learner, form_data()).status_code == 303
    (stored,) = stored_files(upload_folder)
    card = _card(soup(learner.get("/certificates")), "Forklift Operator Licence")
    image = card.select_one("img.cert__image")
    assert image["src"] == f"/uploads/{stored.name}" and image["alt"]
    page_url = card.select_one(".cert__links a")["href"]
    detail = soup(learner.get(page_url))
    shown = detail.select_one(".cert-detail img")
    assert shown["src"] == f"/uploads/{stored.name}" and shown["alt"]
    served = learner.client.get(shown["src"])
    served.close()
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/png"
    # Certificates without an image of their own get none.
    others = [c for c in soup(learner.get("/certificates")).select(".cert") if c is not card]
    assert all(
        c.h3.text.strip() == "Forklift Operator Licence" or not c.select("img") for c in others
    )


def test_a_linked_image_is_shown_from_its_https_address(learner):
    link = "https://images.example.com/first-aid.png"
    data = form_data(title="Linked Certificate", image=None, image_url=link)
    assert post_form(learner, data).status_code == 303
    image = _card(soup(learner.get("/certificates")), "Linked Certificate").select_one("img")
    assert image["src"] == link
    assert image["referrerpolicy"] == "no-referrer"  # the image's host learns nothing of Atrium
    assert "https:" in learner.get("/certificates").headers["Content-Security-Policy"]


def test_only_safe_image_addresses_reach_a_page(app):
    from webapp.certificates.loaders import image_src

    with app.test_request_context(base_url="https://atrium.example.com"):
        name = "A" * 32 + ".png"
        assert image_src(f"https://atrium.example.com/uploads/{name}") == f"/uploads/{name}"
        assert image_src(f"http://atrium.example.com/uploads/{name}") == f"/uploads/{name}"
        assert image_src("https://cdn.example.com/c.png") == "https://cdn.example.com/c.png"
        for unsafe in (
            "http://cdn.example.com/c.png",  # not https: the page's CSP would block it anyway
            "javascript:alert(1)",
            "java\nscript:alert(1)",
            "data:image/svg+xml,<svg onload=alert(1)>",
            "/uploads/../secret_key",
            "/etc/passwd",
            "//evil.test/x.png",
            None,
            "",
        ):
            result = image_src(unsafe)
            assert result is None or result.startswith("https://"), unsafe
        # Another host, judged as the absolute https URL it is (like cdn.example.com above).
        assert image_src("//evil.test/x.png") == "https://evil.test/x.png"


def test_an_already_expired_certificate_lands_on_the_list_with_expired_shown(learner):
    data = form_data(
        title="Old Licence",
        completed_on=(date.today() - timedelta(days=800)).isoformat(),
        expires_on=(date.today() - timedelta(days=100)).isoformat(),
    )
    response = post_form(learner, data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/certificates?expired=1"
    assert "Old Licence" in card_titles(soup(learner.get(response.headers["Location"])))


def _too_big_png():
    return upload(PNG + b"\x00" * (uploads.MAX_BYTES + 1 - len(PNG)), "big.png", "image/png")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter the title"),
        ({"title": "   "}, "title", "Enter the title"),
        ({"title": "x" * 201}, "title", "200 characters or fewer"),
        ({"completed_on": ""}, "completed_on", "Enter the date you completed it"),
        ({"completed_on": "05/01/2026"}, "completed_on", "real date"),
        ({"completed_on": "2026-02-30"}, "completed_on", "real date"),
        (
            {"completed_on": (date.today() + timedelta(days=2)).isoformat()},
            "completed_on",
            "can't be in the future",
        ),
        (
            {"expires_on": (date.today() - timedelta(days=20)).isoformat()},
            "expires_on",
            "must be after the completion date",
        ),
        ({"expires_on": "soon"}, "expires_on", "real date"),
        ({"identifier": "x" * 101}, "identifier", "100 characters or fewer"),
        (
            {"image": upload(b"<svg onload=alert(1)>", "cert.png", "image/png")},
            "image",
            "PNG, JPEG, WebP or GIF",
        ),
        (
            {"image": upload(b"%PDF-1.7 ...", "cert.pdf", "application/pdf")},
            "image",
            "PNG, JPEG, WebP or GIF",
        ),
        ({"image": upload(b"", "empty.png", "image/png")}, "image", "PNG, JPEG"),
        ({"image_url": "https://example.com/c.png"}, "image", "not both"),
        ({"image": None}, "image", "Upload an image of your certificate, or link to one"),
        ({"image": None, "image_url": "http://example.com/c.png"}, "image_url", "https link"),
        ({"image": None, "image_url": "javascript:alert(1)"}, "image_url", "https link"),
        ({"image": None, "image_url": "/uploads/x.png"}, "image_url", "https link"),
        ({"image": None, "image_url": "https://" + "a" * 3000}, "image_url", "2048"),
    ],
)
def test_bad_input_gets_a_message_on_its_field_and_changes_nothing(
    app, learner, sandbox, upload_folder, overrides, field, message
):
    before = len(instance_certificates(app, learner, include_expired=True))
    response = post_form(learner, form_data(**overrides))
    assert response.status_code == 422
    page = soup(response)
    error = page.select_one(f"#{field}-error")
    assert error is not None and message in error.text, page.select(".field__error")
    assert page.select_one(f"#{field}")["aria-invalid"] == "true"
    assert page.select_one(".notice--error[role=alert]")  # the summary, linking to the fields
    assert stored_files(upload_folder) == []
    assert len(instance_certificates(app, learner, include_expired=True)) == before
    assert "CreateCertificateFromUpload" not in sandbox.stats.snapshot()["by_operation"]


def test_the_form_keeps_what_was_typed_after_an_error(learner):
    data = form_data(title="Kept Title", image=None)
    page = soup(post_form(learner, data))
    assert page.select_one("#title")["value"] == "Kept Title"
    assert page.select_one("#identifier")["value"] == "FLT-2026-0042"


def test_an_image_over_5_mb_is_413_with_its_message_and_nothing_kept(
    app, learner, sandbox, upload_folder
):
    response = post_form(learner, form_data(image=_too_big_png()))
    assert response.status_code == 413  # issue 12, item 3: too large, not merely invalid
    assert "larger than 5 MB" in soup(response).select_one("#image-error").text
    assert stored_files(upload_folder) == []
    assert "CreateCertificateFromUpload" not in sandbox.stats.snapshot()["by_operation"]


def test_a_body_over_the_apps_limit_gets_the_forms_message(app, learner, upload_folder, sandbox):
    huge = upload(PNG + b"\x00" * (7 * 1024 * 1024), "huge.png", "image/png")
    response = post_form(learner, form_data(image=huge))
    assert response.status_code == 413
    page = soup(response)
    assert "larger than 5 MB" in page.select_one("#image-error").text
    assert page.select_one("form.cert-form")
    assert stored_files(upload_folder) == []
    assert "CreateCertificateFromUpload" not in sandbox.stats.snapshot()["by_operation"]


def test_a_post_without_csrf_is_refused_and_changes_nothing(
    app, learner, sandbox, upload_folder, upstream_requests
):
    before = upstream_requests()
    response = post_form(learner, form_data(), csrf=False)
    assert response.status_code == 400
    assert upstream_requests() == before
    assert stored_files(upload_folder) == []
    titles = [c.external_resource_title for c in instance_certificates(app, learner)]
    assert "Forklift Operator Licence" not in titles


def test_the_instances_refusal_is_shown_and_the_image_is_not_kept(
    learner, upload_folder, monkeypatch
):
    monkeypatch.setattr(
        external,
        "upload_fields",
        lambda form, fields: [
            {"certificateFieldId": "cf-gone", "type": "courseLabel", "value": "x"}
        ],
    )
    response = post_form(learner, form_data())
    assert response.status_code == 422
    assert "cf-gone" in soup(response).select_one("#certificate-error").text
    assert stored_files(upload_folder) == []


def test_when_the_instance_is_down_nothing_is_stored_or_sent(learner, sandbox, upload_folder):
    learner.get("/certificates/new")  # certificate fields and branding now cached
    sandbox.faults.fault_rate = 1.0
    response = post_form(learner, form_data())
    sandbox.faults.fault_rate = 0.0
    assert response.status_code == 503
    assert "nothing was added" in soup(response).select_one("#certificate-error").text
    assert stored_files(upload_folder) == []
    assert "CreateCertificateFromUpload" not in sandbox.stats.snapshot()["by_operation"]


def test_when_the_mutation_gets_no_answer_the_learner_is_told_to_check_first(
    learner, upload_folder, monkeypatch
):
    class Silent:  # no answer to the mutation, nor to the re-read of the certificates
        def mutate(self, call, token=None):
            raise UpstreamUnavailable("the learning platform did not answer in time")

        def fetch(self, *calls, token=None):
            return PageData(failure=UpstreamUnavailable("the learning platform is not answering"))

    monkeypatch.setattr(outcomes, "instance", Silent)  # the mutation goes through outcomes.send
    monkeypatch.setattr(external, "instance", Silent)  # the re-read
    response = post_form(learner, form_data())
    assert response.status_code == 503
    notice = soup(response).select_one("#certificate-error")
    assert "can't tell whether your certificate was added" in notice.text
    assert notice.select_one("a")["href"] == "/certificates?expired=1"
    assert len(stored_files(upload_folder)) == 1  # it may be the new certificate's image


# -- serving uploads ------------------------------------------------------------------------------


def test_only_names_the_app_generates_are_served(browser, upload_folder):
    upload_folder.mkdir()
    (upload_folder / "notes.txt").write_text("secret")
    (upload_folder / ("A" * 32 + ".svg")).write_text("<svg/>")
    for name in ("notes.txt", "A" * 32 + ".svg", "..%2Fsecret_key", "A" * 32 + ".png", "x.png"):
        assert browser.client.get(f"/uploads/{name}").status_code == 404, name


def test_sniffing_knows_the_four_types_and_nothing_else():
    assert [uploads.sniff(b) for b in (PNG, JPEG, GIF, WEBP)] == ["png", "jpg", "gif", "webp"]
    for other in (b"", b"<svg/>", b"%PDF-1.4", b"RIFF\x00\x00\x00\x00WAVE", b"BM\x00\x00"):
        assert uploads.sniff(other) is None
