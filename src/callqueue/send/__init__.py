"""Sending what the rep promised on a call: the short email with tracked links.

* `templates`: the rep's template files, rendered with Jinja2.
* `compose`: the email itself (headers, text and HTML), pure.
* `smtp`: SMTP submission with the account's settings.
* `outbox`: composed emails that have not gone out yet, and their retry.
* `sending`: the whole send: mint, compose, keep in the outbox, submit, record, file.
"""
