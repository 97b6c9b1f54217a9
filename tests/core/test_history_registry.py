"""Every history table is registered once, with what the change log, the feed and "as of" need."""

import pytest
from simple_history.models import registered_models

from funding.changes.feeds import ENTRY_OF
from funding.changes.index import EntryKey, entry_of_anchor
from funding.history import HISTORY_MODELS
from funding.history.kinds import HistoryKind
from funding.history.registry import AS_OF, GATES, LOGGED, NOT_PUBLIC


def test_every_history_table_django_knows_is_registered_or_named_not_public():
    known = set(registered_models.values())
    assert known - set(HISTORY_MODELS) - set(NOT_PUBLIC) == set()
    assert set(HISTORY_MODELS) <= known


def test_no_model_is_both_registered_and_named_not_public():
    assert set(HISTORY_MODELS) & set(NOT_PUBLIC) == set()


def test_every_logged_kind_has_its_own_anchor():
    anchors = [kind.anchor for kind in LOGGED]
    assert len(set(anchors)) == len(anchors) == 8
    for kind in LOGGED:
        assert entry_of_anchor(EntryKey(kind.name, 12, None).anchor) == (kind.name, 12)


VERSIONED = [kind for kind in LOGGED if not kind.is_event]


@pytest.mark.parametrize("kind", VERSIONED, ids=[kind.name for kind in VERSIONED])
def test_every_logged_kind_words_its_record_and_fields(kind):
    for method in ("subject", "shown_fields"):
        assert getattr(type(kind), method) is not getattr(HistoryKind, method)


def test_what_the_change_log_lists_moves_as_of():
    assert {kind.name for kind in LOGGED} <= {kind.name for kind in AS_OF}


def test_the_feed_announces_kinds_of_the_change_log_only():
    assert set(ENTRY_OF) <= {kind.name for kind in LOGGED}
    assert set(ENTRY_OF) == {"status", "milestone", "estimate"}


def test_every_gate_is_a_record_with_its_own_public_flag():
    assert set(GATES) == {"programme", "contribution", "milestone", "partner"}
    for gate in GATES.values():
        assert gate.own_flag
        assert gate.model._meta.get_field("is_public")


def test_the_fields_a_kind_follows_are_its_models():
    for kind in LOGGED:
        columns = {field.attname for field in kind.model._meta.concrete_fields}
        assert set(kind.fields) <= columns, kind.name


@pytest.mark.django_db
def test_every_kind_reaches_its_programme_and_its_gate(django_assert_num_queries):
    for kind in AS_OF:
        rows = kind.rows.filter(**{f"{kind.programme}__in": [1]})
        if not kind.own_flag:
            rows = rows.filter(**{f"{kind.gate}__is_public": True})
        with django_assert_num_queries(1):
            assert list(rows) == []
