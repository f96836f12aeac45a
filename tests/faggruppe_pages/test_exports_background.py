"""The whole overview's downloads off the request path (issue 16; faggruppe_pages/reader/exports/background.py).

A small export is built in the request and stored; the next request serves the stored file. A large one (the
threshold set low here) answers at once with "Filen lages nå", queues one task, the database backend's own
worker builds it, and the next request gets the file. A data change, another day's or another language's
request gets its own file; a failed build says so and can be retried. Real database, real WeasyPrint, the real
django-tasks-db worker (its ``Worker``, the loop ``manage.py db_worker`` runs, in this process).
"""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook
from pypdf import PdfReader

from faggruppe_pages.models import Role
from faggruppe_pages.reader.exports import background
from tests.demo_snapshot import load_demo
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db
OVERVIEW = "/faggrupper/medlemsoversikt/"
PDF_URL = f"{OVERVIEW}pdf/"


@pytest.fixture
def members(group, molde, rauma):
    MembershipFactory(group=group, person=PersonFactory(name="Kari Ærlig-Østby", employer=molde), role=Role.LEADER)
    MembershipFactory(group=group, person=PersonFactory(name="Ola Nordmann", employer=rauma))


@pytest.fixture
def large(settings):
    """Every export counts as large: built by the task worker."""
    settings.FAGGRUPPE_EXPORT_INLINE_MAX_SEATS = 0


def stored_files():
    folder = Path(settings.MEDIA_ROOT) / background.EXPORT_DIR
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def exports_of(fmt):
    return [name for name in stored_files() if name.endswith(f".{fmt}")]


def body(response):
    return response.getvalue()


def run_worker():
    """What `manage.py db_worker --backend background --batch` does: run every queued task, then stop."""
    background.run_queued_exports("test-worker")


def jobs():
    return DBTaskResult.objects.filter(task_path=background.build_export.module_path)


def assert_pending(response):
    assert response.status_code == 202
    assert response["Content-Type"].startswith("text/html")
    assert response["X-Export-State"] == "pending"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Filen lages nå" in html
    assert "Nedlastingen starter av seg selv når filen er klar." in html
    assert 'http-equiv="refresh"' in html  # for browsers without JavaScript
    assert "export_pending.js" in html
    return html


def pdf_title(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(body(response))).metadata.title


# -- small: built in the request, stored, served again ------------------------------------------------------


def test_a_small_export_is_built_at_once_and_the_next_request_serves_the_stored_file(reader_client, members):
    first = reader_client.get(PDF_URL)
    assert first.status_code == 200 and not first.streaming  # built in this request
    assert pdf_title(first) == "Medlemsoversikt"
    assert first["Content-Disposition"].startswith('attachment; filename="medlemsoversikt-')
    assert len(exports_of("pdf")) == 1 and not jobs().exists()
    stored = Path(settings.MEDIA_ROOT) / background.EXPORT_DIR / exports_of("pdf")[0]
    written = stored.stat().st_mtime_ns

    with CaptureQueriesContext(connection) as queries:
        second = reader_client.get(PDF_URL)
    assert second.streaming  # the stored file (FileResponse), not a new rendering
    assert body(second) == body(first)
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert second["Cache-Control"] == "private, no-store"
    assert stored.stat().st_mtime_ns == written
    # The session, the user, Wagtail's routing (5) and the data version (the page cache's and ours): nothing of
    # the overview itself.
    assert len(queries) <= 9, "\n".join(q["sql"][:150] for q in queries)


def test_serving_a_stored_file_costs_the_same_queries_however_large_the_data(reader_client, members, group, molde):
    reader_client.get(f"{OVERVIEW}csv/")
    with CaptureQueriesContext(connection) as small:
        reader_client.get(f"{OVERVIEW}csv/")
    for k in range(30):
        MembershipFactory(group=group, person=PersonFactory(name=f"Ny {k:02d}", employer=molde))
    reader_client.get(f"{OVERVIEW}csv/")
    with CaptureQueriesContext(connection) as grown:
        response = reader_client.get(f"{OVERVIEW}csv/")
    assert "Ny 29" in body(response).decode("utf-8-sig")
    assert len(grown) == len(small)


def test_a_data_change_gives_a_new_file_and_removes_the_old_one(reader_client, members, group, molde):
    before = body(reader_client.get(f"{OVERVIEW}csv/")).decode("utf-8-sig")
    [old_name] = exports_of("csv")
    MembershipFactory(group=group, person=PersonFactory(name="Nina Nykommer", employer=molde))
    after = body(reader_client.get(f"{OVERVIEW}csv/")).decode("utf-8-sig")
    assert "Nina Nykommer" not in before and "Nina Nykommer" in after
    [new_name] = exports_of("csv")
    assert new_name != old_name  # another data version, another file; the old one is gone
    assert not any(name.startswith(old_name) for name in stored_files())


def test_each_language_and_filter_gets_its_own_file(reader_client, members):
    nb = reader_client.get(f"{OVERVIEW}csv/")
    reader_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    nn = reader_client.get(f"{OVERVIEW}csv/")
    reader_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = reader_client.get(f"{OVERVIEW}csv/")
    molde = reader_client.get(f"{OVERVIEW}csv/", {"organisasjon": "molde"})
    headers = [body(r).decode("utf-8-sig").splitlines()[0] for r in (nb, nn, en)]
    assert headers[0].startswith("Gruppe;") and headers[2].startswith("Group;")
    assert len(set(headers)) == 3
    assert molde["Content-Disposition"].startswith('attachment; filename="medlemsoversikt-molde-')
    names = exports_of("csv")
    assert len(names) == 4
    assert {name.split("-")[4] for name in names} == {"nb", "nn", "en"}
    # A second request in English is served from the English file.
    again = reader_client.get(f"{OVERVIEW}csv/")
    assert again.streaming and body(again) == body(en)


def test_a_bad_format_or_filter_still_gets_the_clear_message_and_stores_nothing(reader_client, members):
    response = reader_client.get(f"{OVERVIEW}docx/")
    assert response.status_code == 404
    response = reader_client.get(f"{OVERVIEW}pdf/", {"organisasjon": "atlantis"})
    assert response.status_code == 400
    assert "Det finnes ingen organisasjon «atlantis» å filtrere på." in response.content.decode()
    assert stored_files() == [] and not jobs().exists()


# -- large: built by the task worker ---------------------------------------------------------------------------


def test_a_large_export_is_prepared_in_the_background_and_then_served(reader_client, members, large):
    assert_pending(reader_client.get(PDF_URL))
    assert jobs().count() == 1
    # Reloading while it waits queues nothing more.
    assert_pending(reader_client.get(PDF_URL))
    head = reader_client.head(PDF_URL)
    assert head.status_code == 202 and head["X-Export-State"] == "pending"
    assert jobs().count() == 1 and stored_files() == []

    run_worker()
    [job] = jobs()
    assert job.status == "SUCCESSFUL"
    response = reader_client.get(PDF_URL)
    assert response.streaming
    assert "X-Export-State" not in response
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="medlemsoversikt-')
    pdf = PdfReader(io.BytesIO(body(response)))
    assert pdf.metadata.title == "Medlemsoversikt"
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Kari Ærlig-Østby" in text and "Ola Nordmann" in text
    assert jobs().count() == 1


def test_the_task_builds_in_the_language_and_filter_that_was_asked_for(reader_client, members, large):
    reader_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    html = reader_client.get(f"{OVERVIEW}xlsx/", {"organisasjon": "molde"}).content.decode()
    assert "Fila vert laga no" in html
    run_worker()
    response = reader_client.get(f"{OVERVIEW}xlsx/", {"organisasjon": "molde"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="medlemsoversikt-molde-')
    workbook = load_workbook(io.BytesIO(body(response)))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Gruppe"
    names = {row[3] for row in rows[1:]}
    assert "Kari Ærlig-Østby" in names and "Ola Nordmann" not in names  # Molde's seats only


def test_a_data_change_while_waiting_queues_a_build_of_the_new_data(reader_client, members, group, molde, large):
    assert_pending(reader_client.get(f"{OVERVIEW}csv/"))
    MembershipFactory(group=group, person=PersonFactory(name="Nina Nykommer", employer=molde))
    assert_pending(reader_client.get(f"{OVERVIEW}csv/"))
    assert jobs().count() == 2  # one per data version
    run_worker()
    response = reader_client.get(f"{OVERVIEW}csv/")
    assert "Nina Nykommer" in body(response).decode("utf-8-sig")
    assert len(exports_of("csv")) == 1  # the older version's file was removed


def test_a_failed_build_says_so_and_can_be_retried(reader_client, members, large, monkeypatch):
    assert_pending(reader_client.get(PDF_URL))

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint fell over")

    with monkeypatch.context() as patch:
        patch.setattr(background, "build", broken)
        run_worker()
    assert jobs().get().status == "FAILED"

    response = reader_client.get(PDF_URL)
    assert response.status_code == 200 and response["X-Export-State"] == "failed"
    html = response.content.decode()
    assert "Filen kunne ikke lages" in html
    assert "Noe gikk galt da medlemsoversikten skulle lages som PDF." in html
    assert 'http-equiv="refresh"' not in html  # no endless reloading of a failure
    assert f'href="{PDF_URL}?igjen=1"' in html
    reader_client.get(PDF_URL)
    assert jobs().count() == 1  # a reload does not retry by itself

    retry = reader_client.get(PDF_URL, {"igjen": "1"})
    assert retry.status_code == 302 and retry["Location"] == PDF_URL
    assert jobs().count() == 2
    assert_pending(reader_client.get(PDF_URL))
    run_worker()
    assert pdf_title(reader_client.get(PDF_URL)) == "Medlemsoversikt"


def test_the_retry_parameter_keeps_the_filter(reader_client, members, large, monkeypatch):
    url = f"{OVERVIEW}csv/"
    reader_client.get(url, {"organisasjon": "molde"})
    with monkeypatch.context() as patch:
        patch.setattr(background, "build", lambda *a, **k: 1 / 0)
        run_worker()
    html = reader_client.get(url, {"organisasjon": "molde"}).content.decode()
    assert f'href="{url}?organisasjon=molde&amp;igjen=1"' in html
    retry = reader_client.get(url, {"organisasjon": "molde", "igjen": "1"})
    assert retry["Location"] == f"{url}?organisasjon=molde"


# -- who gets what -------------------------------------------------------------------------------------------------


def csv_rows(response):
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig")), delimiter=";"))


def test_representatives_and_readers_get_the_same_reader_data(client):
    """The files are reader data, the same for everyone: a representative's own or another municipality's
    overview holds what a plain reader's holds (built by each of them on their own), no more."""
    load_demo()
    users = get_user_model().objects.in_bulk(["leser", "rep-molde", "rep-rauma"], field_name="username")
    for query in ({}, {"organisasjon": "molde"}, {"organisasjon": "rauma"}):
        seen = {}
        for username, user in users.items():
            for path in (Path(settings.MEDIA_ROOT) / background.EXPORT_DIR).glob("*"):
                path.unlink()  # each user's request builds the file itself
            client.force_login(user)
            response = client.get(f"{OVERVIEW}csv/", query)
            assert response.status_code == 200
            seen[username] = csv_rows(response)
        assert seen["rep-molde"] == seen["leser"] == seen["rep-rauma"], query
    # The phone column holds only the numbers people made public, for every user alike.
    header = seen["leser"][0]
    assert header[7] == "Telefon"


def test_anonymous_visitors_get_no_file_and_queue_nothing(client, members, large):
    response = client.get(PDF_URL)
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]
    assert stored_files() == [] and not jobs().exists()
