"""Mail: every message the portal sends, CKAN's own included, leaves through ``smtp.send``.

CKAN 2.12.0's mailer puts the SMTP connection into TLS without checking the server's certificate; the
portal answers CKAN's ``INotifier`` hook with this package instead, which always verifies it.
"""
