"""``paydoctor``: the workbenches on one's own machine, offline, on the same engines (issue 17 §2).

Keys are read from files or typed at a prompt, never taken from the command line (where they would
land in shell history); nothing is sent anywhere. Each command group is one module calling the
engines the way the web workbenches do (``wechat_v2``, ``wechat_v3``, ``baidu``, ``keyring``,
``diagnose``, ``inspect``); ``main`` holds the argparse tree, ``render`` prints a result in the
terminal or as JSON, ``inputs`` reads files and secrets, ``lang`` picks the language.

Django is never imported: the CLI starts in a fraction of a second (bench/bench_cli.py).
"""
