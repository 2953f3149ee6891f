"""Links: whether the files that datasets link to (rather than upload) still answer.

``checking`` checks one address through the portal's safe fetch (public addresses only, every hop) and
says what it found; ``sweep`` is the scheduled job that checks every linked file in turn, gently per host,
and records the result on the resource (``link_check``), where the resource page, the organization page,
the overview and the quality score read it.
"""
