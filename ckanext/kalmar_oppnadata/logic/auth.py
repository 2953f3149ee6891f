"""Authorization of the extension's actions (registered with ``toolkit.blanket.auth_functions``).

All of them only read public registers or count what the caller may already see through
``package_search``, so anyone, also anonymous visitors, may call them.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

__all__ = [
    "agenda2030_summary",
    "agenda2030_goal_show",
    "agenda2030_suggest",
    "specification_list",
    "specification_show",
    "overview_show",
    "quality_show",
]


def _anyone(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, bool]:
    return {"success": True}


agenda2030_summary = tk.auth_allow_anonymous_access(_anyone)
agenda2030_goal_show = tk.auth_allow_anonymous_access(_anyone)
agenda2030_suggest = tk.auth_allow_anonymous_access(_anyone)
specification_list = tk.auth_allow_anonymous_access(_anyone)
specification_show = tk.auth_allow_anonymous_access(_anyone)
overview_show = tk.auth_allow_anonymous_access(_anyone)
quality_show = tk.auth_allow_anonymous_access(_anyone)  # package_show inside checks the dataset itself
