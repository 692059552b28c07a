"""Findings are stored as JSON: to_dict and from_dict round-trip every field."""

import json
from dataclasses import asdict

from markup.findings import Finding, Fix, Severity


def test_to_dict_holds_every_field_as_asdict_does_with_the_severity_as_text():
    finding = Finding(
        "qa.number",
        Severity.WARNING,
        3,
        7,
        "%(number)s differs",
        params={"number": "1,000", "names": ["a", "b"]},
        fix=Fix(3, 7, "1.000", "1,000"),
        language="fr",
    )

    data = finding.to_dict()

    assert json.dumps(data) == json.dumps({**asdict(finding), "severity": "warning"})
    assert Finding.from_dict(json.loads(json.dumps(data))) == finding


def test_a_finding_without_fix_or_params_round_trips():
    finding = Finding("markup.heading-no-space", Severity.ERROR, 1, 1, "No space")

    assert Finding.from_dict(finding.to_dict()) == finding
    assert finding.to_dict()["fix"] is None
