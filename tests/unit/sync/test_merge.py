"""Field-by-field merge: what the device changed applies; conflicts follow the field's policy."""

from __future__ import annotations

from sync.merge import merge_fields


def test_a_field_nobody_else_changed_since_the_base_is_applied_without_conflict():
    server = {"phone": ["+1", 1], "name": ["Mari", 3]}
    result = merge_fields({"phone": "+2"}, 2, server)
    assert result.apply == {"phone": "+2"} and result.conflicts == []


def test_a_field_also_changed_on_the_server_reports_field_yours_and_kept():
    result = merge_fields({"phone": "+2"}, 2, {"phone": ["+3", 3]})
    assert result.apply == {"phone": "+2"}
    assert result.conflicts == [{"field": "phone", "yours": "+2", "theirs": "+3", "kept": "+2"}]


def test_a_protected_field_keeps_the_server_value():
    result = merge_fields({"credit_limit": "10.00"}, 1, {"credit_limit": ["500.00", 4]})
    assert result.apply == {}
    assert result.conflicts[0]["kept"] == "500.00" and result.conflicts[0]["yours"] == "10.00"


def test_the_same_value_on_both_sides_is_no_conflict():
    result = merge_fields({"phone": "+3"}, 1, {"phone": ["+3", 3]})
    assert result.apply == {"phone": "+3"} and result.conflicts == []
