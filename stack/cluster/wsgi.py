"""The WSGI application of a CKAN web process in the cluster (``scripts/stack cluster``), served by uWSGI as
in the production image: the portal's configuration file is named by ``CKAN_INI``."""
import os

from ckan.cli import load_config
from ckan.config.middleware import make_app

application = make_app(load_config(os.environ["CKAN_INI"]))
