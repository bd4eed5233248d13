from django.core.management import call_command


def test_migrations_are_complete(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_health_endpoint_answers(client):
    assert client.get("/health").json() == {"status": "ok"}
