#!/usr/bin/env python3
"""Prepare the official HSDS 3.0 OpenAPI document for an offline Schemathesis run.

    python3 tests/python/hsds_openapi.py SHARED_HSDS_DIR OUT_DIR

Copies the schemas to OUT_DIR and points the document's online `$ref`s
(https://raw.githubusercontent.com/openreferral/specification/3.0/schema/...) at those
copies, so no request leaves the machine. It adds one thing the official document does
not say: the error answers wegwijzer gives — 400 for a bad query parameter, 404 for an
unknown id, 304 for a matching If-None-Match — each with its JSON body, so a status-code
check tests that errors are the documented kind instead of failing every error.
Writes OUT_DIR/openapi.json and prints its path.
"""
import json
import pathlib
import shutil
import sys

ONLINE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"

ERROR = {
    "description": "A bad request parameter (400) or an unknown id (404).",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["error", "field"],
                "properties": {"error": {"type": "string"}, "field": {"type": "string"}},
            }
        }
    },
}


def main() -> None:
    shared, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(shared, out)
    local = out.resolve().as_uri() + "/"
    for path in out.rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        if ONLINE in text:
            path.write_text(text.replace(ONLINE, local), encoding="utf-8")
    doc_path = out / "openapi.json"
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    for route, item in doc["paths"].items():
        operation = item.get("get")
        if not operation:
            continue
        responses = operation.setdefault("responses", {})
        responses.setdefault("304", {"description": "Not modified (If-None-Match)."})
        if "{" in route:
            responses.setdefault("404", ERROR)
        if operation.get("parameters") or item.get("parameters"):
            responses.setdefault("400", ERROR)
    doc_path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    print(doc_path)


if __name__ == "__main__":
    main()
