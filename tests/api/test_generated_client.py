"""
The API as another app meets it: a Python client generated from /api/v3/openapi.json with
openapi-python-client (offline, once per module, every operation or the generation fails), used against a
live server with the demo content.
"""

import datetime
import importlib
import json
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.test import Client

from consultations.models import ConsultationRequest

PACKAGE = "clinic_api_client"
TAMIL = re.compile(r"[\u0b80-\u0bff]")
# No formatter run after generating (its default runs ruff), no project files: a package to import.
GENERATOR_CONFIG = {"post_hooks": [], "package_name_override": PACKAGE}


@pytest.fixture(scope="module")
def clinic_api(tmp_path_factory):
    """The generated client package, imported from a temporary folder."""
    folder = tmp_path_factory.mktemp("generated-client")
    document = folder / "openapi.json"
    document.write_text(json.dumps(Client().get("/api/v3/openapi.json").json()))
    config = folder / "config.json"
    config.write_text(json.dumps(GENERATOR_CONFIG))
    generated = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", document, "--config", config]
        + ["--meta", "none", "--output-path", folder / PACKAGE, "--fail-on-warning"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr

    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def operation(tag, operation_id):
    """The generated module of one operation, e.g. operation("articles", "articles_list").sync(...)."""
    return importlib.import_module(f"{PACKAGE}.api.{tag}.{operation_id}")


def test_an_app_reads_tamil_articles_and_hours_and_books_a_consultation(clinic_api, live_server, demo):
    models = importlib.import_module(f"{PACKAGE}.models")
    client = clinic_api.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    tamil = models.Language.TA

    articles = operation("articles", "articles_list").sync(client=client, lang=tamil)
    assert isinstance(articles, models.ArticleList)
    translated = [card for card in articles.items if not card.meta.fallback_fields]
    assert translated and all(card.meta.language == "ta" and TAMIL.search(card.title) for card in translated)

    card = translated[0]
    tamil_path = urlsplit(card.urls["ta"]).path
    assert tamil_path.startswith("/ta/")
    # This time in the header's words, as a phone set to Tamil sends it.
    article = operation("articles", "articles_find").sync(
        client=client, path=tamil_path, accept_language="ta-IN,ta;q=0.9,en;q=0.5"
    )
    assert isinstance(article, models.ArticleDetail)
    assert (article.id, article.title) == (card.id, card.title)
    assert TAMIL.search(json.dumps([block.to_dict() for block in article.body], ensure_ascii=False))

    hours = operation("clinic", "opening_hours_detail").sync(client=client, lang=tamil)
    assert isinstance(hours, models.OpeningHoursOut)
    assert TAMIL.search(hours.status_text)
    day, session = first_open_session_after(hours, hours.at.date())

    response = operation("consultations", "consultation_requests_create").sync_detailed(
        client=client,
        lang=tamil,
        body=models.ConsultationRequestIn(
            name="Kavya Raman",
            phone="98765 43210",
            preferred_date=day,
            preferred_session=session,
            consent=True,
        ),
    )
    assert response.status_code == 201, response.content
    created = response.parsed
    assert isinstance(created, models.ConsultationRequestCreated)
    assert re.fullmatch(r"CR-[A-Z0-9]{6}", created.reference)
    assert TAMIL.search(created.message)
    stored = ConsultationRequest.objects.get(reference=created.reference)
    assert (stored.preferred_date, stored.language) == (day, "ta")


def first_open_session_after(hours, today):
    """The first day after `today` with a session (and no exception), and that session's start."""
    exceptions = {exception.date for exception in hours.exceptions}
    sessions = {day.weekday: day.sessions for day in hours.weekly}
    for offset in range(1, 15):
        day = today + datetime.timedelta(days=offset)
        if day not in exceptions and sessions[day.weekday()]:
            return day, sessions[day.weekday()][0].opens
    raise AssertionError("The demo clinic is closed for two weeks")
