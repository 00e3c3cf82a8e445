"""Shared results: the /d/<token> support links, saved as redacted data, never HTML.

Its own app because both the workbenches (diagnostics) and the diagnosis (faq) save results, and
neither may import the other's Django skin. The page that opens a link is diagnostics' view
``shared_result``, which renders the saved data with the templates that made it.
"""
