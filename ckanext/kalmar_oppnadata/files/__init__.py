"""Files users give the portal: fetching linked files safely (``fetch``)."""
