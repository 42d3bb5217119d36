"""The OpenAPI document: every operation has an id, a summary and its error responses."""

from __future__ import annotations

import re
from importlib.metadata import version
from uuid import uuid4


async def test_every_operation_is_documented(client):
    r = await client.get("/schema/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["paths"], "no paths documented"
    seen_ids: set[str] = set()
    problems = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            where = f"{method.upper()} {path}"
            if not op.get("operationId"):
                problems.append(f"{where}: no operationId")
            elif op["operationId"] in seen_ids:
                problems.append(f"{where}: duplicate operationId {op['operationId']}")
            else:
                seen_ids.add(op["operationId"])
            if not op.get("summary"):
                problems.append(f"{where}: no summary")
            errors = [code for code in op.get("responses", {}) if code[0] in "45"]
            if not errors:
                problems.append(f"{where}: no error responses")
    assert not problems, "\n".join(problems)


async def test_operations_declare_bearer_exactly_when_they_need_a_token(client):
    """Without a token an operation answers 401 exactly when the document says it needs one."""
    doc = (await client.get("/schema/openapi.json")).json()
    assert doc["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    wrong = []
    declared_public = []
    for path, item in doc["paths"].items():
        url = re.sub(r"\{[^}]+\}", str(uuid4()), path)
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            needs_token = op.get("security") == [{"bearer": []}]
            if not needs_token:
                declared_public.append(f"{method.upper()} {path}")
            body = {} if method in ("post", "put", "patch") else None
            r = await client.request(method.upper(), url, json=body)
            if (r.status_code == 401) != needs_token:
                wrong.append(
                    f"{method.upper()} {path}: declared {op.get('security')}, got {r.status_code}"
                )
    assert not wrong, "\n".join(wrong)
    assert "POST /api/auth/login" in declared_public
    assert "GET /api/health" in declared_public
    assert "GET /api/customers" not in declared_public


async def test_one_version_everywhere(client):
    """The OpenAPI document and /api/health report the installed package's version."""
    installed = version("rounds")
    doc = (await client.get("/schema/openapi.json")).json()
    health = (await client.get("/api/health")).json()
    assert doc["info"]["version"] == installed
    assert health["version"] == installed
