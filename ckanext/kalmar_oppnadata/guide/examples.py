"""The guide's examples as the page shows them and the tests run them: examples.yaml with ``{portal}`` and
``{resource_id}`` filled in for one portal."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

EXAMPLES_FILE = Path(__file__).with_name("examples.yaml")

# The code variants, in the order the page shows them: key in examples.yaml → how the page names it.
VARIANTS: dict[str, str] = {
    "curl": "curl",
    "python": "Python (requests)",
    "ckanapi": "Python (ckanapi)",
    "javascript": "JavaScript (fetch)",
}
# Where a variant's code is run (tests/test_guide.py) and marked up (the page's language-… class).
LANGUAGES = {"curl": "bash", "python": "python", "ckanapi": "python", "javascript": "javascript"}
RESOURCE_PLACEHOLDER = "<resource_id>"


@functools.lru_cache(maxsize=1)
def guide() -> dict[str, Any]:
    with open(EXAMPLES_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


def table_dataset() -> str:
    return guide()["table_dataset"]


def table_resource_id(dataset: dict[str, Any] | None) -> str | None:
    """The table the DataStore examples query: the example dataset's first resource in the DataStore."""
    for resource in (dataset or {}).get("resources", []):
        if resource.get("datastore_active"):
            return resource["id"]
    return None


def fill(text: str, portal: str, resource_id: str | None) -> str:
    """The placeholders only (the code has braces of its own: f-strings, JavaScript, JSON)."""
    return text.replace("{portal}", portal.rstrip("/")).replace("{resource_id}",
                                                                 resource_id or RESOURCE_PLACEHOLDER)


def sections(portal: str, resource_id: str | None, lang: str, dataset_link: str = "") -> list[dict[str, Any]]:
    """The guide's sections in one language, with every example's code filled in for this portal
    (``dataset_link``: the Markdown link to the example table's dataset, named in the texts)."""
    def text(value: dict[str, str] | None) -> str:
        words = (value or {}).get(lang) or (value or {}).get("sv") or ""
        return fill(words, portal, resource_id).replace("{dataset_link}", dataset_link)

    result = []
    for section in guide()["sections"]:
        result.append({
            "id": section["id"],
            "title": text(section["title"]),
            "text": text(section.get("text")),
            "fields": [{"names": f["names"], "text": text(f)} for f in section.get("fields", [])],
            "examples": [{
                "id": example["id"],
                "title": text(example["title"]),
                "text": text(example.get("text")),
                "variants": [{"key": key, "label": label, "language": LANGUAGES[key],
                              "code": fill(example[key], portal, resource_id).rstrip("\n")}
                             for key, label in VARIANTS.items() if key in example],
                "expect": list(example["expect"]),
            } for example in section.get("examples", [])],
        })
    return result


def runnable(portal: str, resource_id: str | None) -> list[dict[str, Any]]:
    """Every example's every variant, filled in: what tests/test_guide.py runs and compares with the page."""
    return [{"id": f"{example['id']}-{variant['key']}", "language": variant["language"],
             "code": variant["code"], "expect": example["expect"]}
            for section in sections(portal, resource_id, "sv")
            for example in section["examples"] for variant in example["variants"]]
