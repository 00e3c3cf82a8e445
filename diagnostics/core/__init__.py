"""What every platform shares, in plain Python (no Django, no platform).

- ``text``: translatable sentences (``_``, ``Message``, ``joined``) the engines return;
- ``params``: reading what a merchant pasted (XML, query strings, lines, JSON, code literals —
  with ``literals``) into ordered pairs;
- ``findings``: the ``Finding`` every check reports, its severity, and ``ParseError``;
- ``keys``: PEM/DER keys and certificates, capped before loading, RSA sign and verify;
  ``serials``: certificate serials typed in hex or decimal;
- ``mistakes``: the scaffolding of a mistake search (single and paired variations, dedupe);
- ``textdiff``: where two strings first differ, shown so invisible characters are visible;
- ``lint``: the walker that checks a body against a field table;
- ``redaction`` and ``snapshot``: finding secrets in any paste, and results as plain data;
- ``sources``: the five seed documents, cited by number;
- ``workbench``: a workbench as data (``Task``), which each platform's ``workbenches`` lists.

Platforms import from here; nothing here imports a platform (import-linter checks it).
"""
