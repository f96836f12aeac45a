"""/helse/: the load balancer's health check (site/intranet/health.py)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_health_check_answers_ok_without_login_and_is_never_cached():
    response = Client().get("/helse/")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response  # it passes the whole middleware stack


def test_the_health_check_asks_the_database_once(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert Client().get("/helse/").status_code == 200


def test_the_health_check_only_answers_reads():
    assert Client().post("/helse/").status_code == 405
    assert Client().head("/helse/").status_code == 200
