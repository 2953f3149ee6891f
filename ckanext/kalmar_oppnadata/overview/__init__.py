"""The region's overview (``report``: requested datasets × organizations, per year, per goal) and the
metadata quality of each dataset (``quality``)."""
