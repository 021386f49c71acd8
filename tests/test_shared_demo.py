"""The demo shared by consecutive tests (tests/shared_demo.py) never carries one test's
writes into the next, and never reaches a test that did not ask for it.

The tests run in this order in one process (xdist sends a file's tests to a worker in
order, so they normally meet there too; where they do not, each still holds).
"""

from __future__ import annotations

import pytest

from oppdrag.activities.models import Event
from oppdrag.core.models import Center
from tests import shared_demo

MARK = "Skrevet av en test, rullet tilbake etterpå"


def test_a_test_that_asks_for_the_demo_writes_to_it(demo):
    Event.objects.create(center=demo, year=2025, theme="Bolig", title=MARK)
    demo.name = "Endret i minnet"
    assert Event.objects.filter(title=MARK).exists()


def test_the_next_test_finds_the_demo_as_loaded_without_the_writes(demo):
    assert not Event.objects.filter(title=MARK).exists()
    assert demo.name.startswith("NAPHA")
    assert Event.objects.filter(center=demo, year=2025).count() == 128  # appendix 1


def test_a_test_without_the_demo_finds_no_demo(db):
    assert shared_demo.SHARED.kind is None
    assert not Center.objects.filter(slug="napha").exists()
    assert not Event.objects.exists()


class FakeItem:
    def __init__(self, *fixtures: str, **marker: bool) -> None:
        self.fixturenames = ["db", *fixtures]
        self.marker = pytest.mark.django_db(**marker).mark

    def iter_markers(self, name: str):
        return iter([self.marker])


def test_only_tests_in_one_transaction_asking_for_one_kind_share_it():
    assert shared_demo.wanted(FakeItem("demo")) == shared_demo.REGISTRIES
    assert shared_demo.wanted(FakeItem("full_demo")) == shared_demo.FULL
    assert shared_demo.wanted(FakeItem()) is None
    assert shared_demo.wanted(None) is None
    assert shared_demo.wanted(FakeItem("demo", "full_demo")) is None
    # Tests that commit load the demo themselves.
    assert shared_demo.wanted(FakeItem("demo", "live_server")) is None
    assert shared_demo.wanted(FakeItem("full_demo", "transactional_db")) is None
    assert shared_demo.wanted(FakeItem("demo", transaction=True)) is None
    assert shared_demo.wanted(FakeItem("demo", reset_sequences=True)) is None
