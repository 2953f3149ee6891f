"""The CKAN plugin of Öppna data i Kalmar län.

Only registration lives here: every behaviour is in a module named after its concern
(helpers, logic/, validators, views, cli, …) and picked up through ``toolkit.blanket``.
"""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig


@tk.blanket.config_declarations
class KalmarOppnadataPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)

    # IConfigurer
    def update_config(self, config: CKANConfig):
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
