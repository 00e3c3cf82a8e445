"""gunicorn settings for production (`make serve-prod`, bench/load.py): ``gunicorn -c config/gunicorn.py``.

Request headers are bounded before Django sees them. Python 3.11.7 parses a Cookie header in
quadratic time (CVE-2024-7592); RequestGuardMiddleware refuses one over 4 KiB before anything
parses it, and these limits bound every header line and the request line below that middleware.
Workers and the bind address come from the command line (Makefile WORKERS, HOST, PORT).
"""

# The request line: method, path and query string. Prefilled links (/wechat/v2/jsapi/?raw=…) carry
# a pasted request, so this is gunicorn's maximum rather than its 4094-byte default.
limit_request_line = 8190
# Browsers send about 15 headers; gunicorn's default is 100.
limit_request_fields = 50
# One header line, name included (a Referer repeats a prefilled link; a Cookie is refused over 4 KiB
# by the middleware).
limit_request_field_size = 8190
