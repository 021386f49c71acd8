"""The report pages: overview with findings, preview, downloads; tenancy."""

from __future__ import annotations


def test_it_lists_findings_and_download_links(client, center, make_user):
    client.force_login(make_user("leser", center, role="reader"))
    response = client.get("/napha/rapport/2025/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="nb"' in page
    assert "/napha/rapport/2025/last-ned/pdf/" in page
    assert "/napha/rapport/2025/forhandsvisning/" in page
    assert "Vurderingsteksten mangler" in page


def test_each_finding_on_the_overview_links_to_the_page_where_it_is_fixed(
    client, center, make_user
):
    client.force_login(make_user("leser", center, role="reader"))
    page = client.get("/napha/rapport/2025/").content.decode()
    item = next(li for li in page.split("<li>") if "Vurderingsteksten mangler" in li)
    assert 'href="/napha/rapport/2025/skriv/' in item


def test_the_overview_names_each_findings_severity_in_norwegian(client, center, make_user):
    client.force_login(make_user("leser", center, role="reader"))
    page = client.get("/napha/rapport/2025/").content.decode()
    assert "<strong>Advarsel</strong> Vurderingsteksten mangler" in page
    assert "<strong>warning</strong>" not in page and "<strong>info</strong>" not in page


def test_it_shows_the_html_preview_and_serves_each_format(client, center, make_user):
    client.force_login(make_user("leser", center, role="reader"))
    preview = client.get("/napha/rapport/2025/forhandsvisning/")
    assert preview.status_code == 200
    assert b"<h1>\xc3\x85rsrapport 2025</h1>" in preview.content
    download = client.get("/napha/rapport/2025/last-ned/json/")
    assert download["Content-Disposition"] == 'attachment; filename="arsrapport-napha-2025.json"'
    assert client.get("/napha/rapport/2025/last-ned/exe/").status_code == 404


def test_another_centres_user_gets_404(client, center, other_center, make_user):
    client.force_login(make_user("utenfor", other_center))
    assert client.get("/napha/rapport/2025/").status_code == 404
    assert client.get("/napha/rapport/2025/last-ned/json/").status_code == 404
