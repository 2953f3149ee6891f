"""What an error page says (``templates/error_document_template.html``), in the visitor's language.

CKAN's error page shows Werkzeug's English name and description ("404 Not Found", "The requested URL was
not found on the server. ...") unless the code that refused gave a message of its own (which is
translated). Here each common status gets a title, and Werkzeug's own description is replaced by ours.
"""
from __future__ import annotations

from typing import Any

from werkzeug.exceptions import default_exceptions

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.registers.values import N_

TITLES = {
    400: N_("Bad request"),
    403: N_("Access denied"),
    404: N_("Page not found"),
    405: N_("The page cannot be used this way"),
    409: N_("Conflict"),
    413: N_("The file or form is too large"),
    429: N_("Too many requests"),
    500: N_("Something went wrong on the portal"),
    503: N_("The portal is not available for the moment"),
}
TEXTS = {
    400: N_("The address or the form could not be understood. Go back and try again."),
    403: N_("You may not see this page."),
    404: N_("There is no page at this address. Check the address, or search for the data from the start page."),
    405: N_("Go back and try again from the page you came from."),
    413: N_("Send a smaller file, or contact the portal's administrators."),
    429: N_("Wait a moment and try again."),
    500: N_("The error has been logged. Try again in a while."),
    503: N_("Try again in a while."),
}


def wording(code: Any, name: str | None, content: Any) -> dict[str, str]:
    """The page's title and text: ours for Werkzeug's own description (or none), the refusal's own
    message otherwise. CKAN passes ``[500]`` as the code of an unexpected error."""
    code = code[0] if isinstance(code, (list, tuple)) and code else code
    code = int(code) if str(code).isdigit() else 500
    werkzeug = default_exceptions.get(code)
    title = tk._(TITLES[code]) if code in TITLES else (name or "")
    own = content and not (werkzeug and str(content) == werkzeug.description) \
        and str(content) != "Internal server error"
    text = str(content) if own else (tk._(TEXTS[code]) if code in TEXTS else str(content or ""))
    return {"code": str(code), "title": title, "text": text}
