"""`make audit` (.ci/audit) never reports "no vulnerabilities" for packages it could not check."""

from __future__ import annotations

import runpy
from pathlib import Path

AUDIT = runpy.run_path(str(Path(__file__).resolve().parents[1] / ".ci" / "audit"))
verdict = AUDIT["verdict"]


def skipped(name: str) -> dict:
    return {
        "name": name,
        "skip_reason": f"Dependency not found on PyPI and could not be audited: {name}",
    }


def test_every_package_skipped_means_no_audit_was_done():
    status, lines = verdict({"dependencies": [skipped("django"), skipped("cryptography")]})
    assert status == 1
    assert "could not reach its vulnerability data: no audit was done" in lines[-1]
    assert not any("no known vulnerabilities" in line for line in lines)


def test_some_packages_skipped_is_an_incomplete_audit():
    report = {"dependencies": [{"name": "django", "version": "5.2", "vulns": []}, skipped("ninja")]}
    status, lines = verdict(report)
    assert status == 1 and "1 of 2 packages could not be audited" in lines[-1]


def test_a_known_vulnerability_fails_and_is_named():
    vuln = {"id": "PYSEC-2024-1", "fix_versions": ["5.2.1"]}
    report = {"dependencies": [{"name": "django", "version": "5.2", "vulns": [vuln]}]}
    status, lines = verdict(report)
    assert status == 1 and lines[0] == "django 5.2: PYSEC-2024-1 (fixed in 5.2.1)"


def test_every_package_checked_and_clean_passes():
    report = {"dependencies": [{"name": "django", "version": "5.2", "vulns": []}]}
    assert verdict(report) == (0, ["1 packages audited: no known vulnerabilities."])
