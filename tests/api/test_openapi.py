"""The OpenAPI document: every operation has an id, a summary and its error responses."""

from __future__ import annotations


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


async def test_protected_operations_declare_bearer_security(client):
    doc = (await client.get("/schema/openapi.json")).json()
    assert "bearer" in doc["components"]["securitySchemes"]
