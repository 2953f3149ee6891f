"""The developer guide at /utvecklare (and /en/utvecklare): its texts and examples (examples.yaml), filled in
for this portal (examples.py), and its page (views.py). tests/test_guide.py runs every example."""
