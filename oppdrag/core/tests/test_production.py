import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from oppdrag.core.checks import check_demo_user, refuse_demo_user


def test_production_refuses_to_start_while_the_demo_user_exists(settings, make_user):
    settings.REFUSE_DEMO_USER = True
    refuse_demo_user()  # no demo account yet: starts
    make_user("demo")
    with pytest.raises(ImproperlyConfigured, match="demo"):
        refuse_demo_user()
    assert [e.id for e in check_demo_user()] == ["oppdrag.E001"]


@pytest.mark.parametrize("username", ["demo-hdir", "demo-partner"])
def test_the_grantor_and_partner_demo_accounts_also_stop_production(settings, make_user, username):
    settings.REFUSE_DEMO_USER = True
    make_user(username)
    with pytest.raises(ImproperlyConfigured):
        refuse_demo_user()


def test_development_settings_allow_the_demo_user(settings, make_user):
    settings.REFUSE_DEMO_USER = False
    make_user("demo")
    refuse_demo_user()
    assert check_demo_user() == []


def test_the_production_settings_module_demands_a_secret_key(monkeypatch):
    import importlib
    import sys

    monkeypatch.delenv("SECRET_KEY", raising=False)
    sys.modules.pop("oppdrag.settings.production", None)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        importlib.import_module("oppdrag.settings.production")
    sys.modules.pop("oppdrag.settings.production", None)


def test_the_deploy_checks_pass_with_production_settings(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "oppdrag.settings.production",
        "SECRET_KEY": "a-long-random-secret-for-the-check-" + "x" * 40,
        "ALLOWED_HOSTS": "oppdrag.example.no",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_call_command_check_is_clean():
    call_command("check")
