"""A cached page gets a fresh CSRF token and CSP nonce on every response."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def nonce_of(response) -> tuple[str, str]:
    header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    in_page = re.search(r'<script[^>]*nonce="([^"]+)"', response.text).group(1)
    return header, in_page


def test_cached_overview_has_a_fresh_nonce_and_a_working_csrf_token(persona, review):
    user = persona("coordinator")
    c = Client(enforce_csrf_checks=True)
    c.force_login(user, backend="parasat.accounts.backends.CachedModelBackend")
    url = reverse("reviews:overview", args=[review.slug])
    first = c.get(url)
    second = c.get(url)  # served from the page cache
    assert first.status_code == second.status_code == 200
    h1, p1 = nonce_of(first)
    h2, p2 = nonce_of(second)
    assert h1 == p1
    assert h2 == p2
    assert h1 != h2
    assert "\x00" not in second.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second.text).group(1)
    assert c.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302


def test_cached_page_is_not_shared_between_readers(client_for, persona, review):
    url = reverse("reviews:overview", args=[review.slug])
    a = client_for(persona("coordinator")).get(url)
    b = client_for(persona("analyst")).get(url)
    assert "Coordinator-User" in a.text
    assert "Coordinator-User" not in b.text
    assert "Analyst-User" in b.text
