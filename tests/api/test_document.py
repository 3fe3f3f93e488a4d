"""The OpenAPI document: valid OpenAPI 3.1, describing every API route there is and
nothing that is not, with its page readable by a person."""

from openapi_spec_validator import validate

from app.api.openapi import document
from tests.conftest import soup_of

#: the routes that describe the API rather than being part of it
ABOUT_THE_API = {"/api/v1/openapi.json", "/api/v1/docs"}


def test_the_document_is_valid_openapi_3_1(ctx):  # type: ignore[no-untyped-def]
    answer = ctx.test_client().get("/api/v1/openapi.json")
    assert answer.status_code == 200
    doc = answer.get_json()
    assert doc["openapi"] == "3.1.0"
    validate(doc)


def test_every_route_is_described_and_every_description_routed(ctx):  # type: ignore[no-untyped-def]
    routed = set()
    for rule in ctx.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule in ABOUT_THE_API:
            continue
        path = rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace(">", "}")
        routed.update((path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"})
    described = {
        (path, method) for path, methods in document()["paths"].items() for method in methods
    }
    assert routed == described


def test_every_operation_documents_its_errors_and_who_may_call_it(ctx):  # type: ignore[no-untyped-def]
    for path, methods in document()["paths"].items():
        for method, operation in methods.items():
            answers = operation["responses"]
            # a public operation (security: []) never asks for a token, so never says 401
            assert ("401" in answers) == (operation.get("security") != []), (method, path)
            if "{" in path:
                assert "404" in answers, (method, path)
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= set(answers), (method, path)
            assert operation["x-roles"], (method, path)


def test_the_contract_paths_are_all_there(ctx):  # type: ignore[no-untyped-def]
    paths = document()["paths"]
    contract = {
        ("/me", "get"),
        ("/partnership", "get"),
        ("/partnership", "patch"),
        ("/partners", "get"),
        ("/partners", "post"),
        ("/proposals", "post"),
        ("/proposals", "get"),
        ("/proposals/{proposal_id}", "get"),
        ("/proposals/{proposal_id}", "patch"),
        ("/proposals/{proposal_id}/rounds", "post"),
        ("/proposals/{proposal_id}/withdraw", "post"),
        ("/rounds/{round_id}", "get"),
        ("/rounds/{round_id}/positions/{partner_id}", "put"),
        ("/rounds/{round_id}/positions/{partner_id}/history", "get"),
        ("/rounds/{round_id}/extend", "post"),
        ("/rounds/{round_id}/close", "post"),
        ("/decisions", "get"),
        ("/decisions/{decision_id}", "get"),
        ("/decisions/verify", "get"),
        ("/decisions/export.csv", "get"),
        ("/decisions/export.json", "get"),
        ("/applications", "post"),
        ("/applications", "get"),
        ("/applications/{application_id}", "get"),
        ("/applications/{application_id}/recommendation", "post"),
        ("/applications/{application_id}/propose", "post"),
    }
    assert contract <= {(path, method) for path, methods in paths.items() for method in methods}


def test_the_reference_page_lists_every_operation(web):  # type: ignore[no-untyped-def]
    soup = soup_of(web.get("/api/v1/docs"))
    headings = {h.get_text(" ", strip=True) for h in soup.select("section.api-operation h2")}
    for path, methods in document()["paths"].items():
        for method in methods:
            assert f"{method.upper()} /api/v1{path}" in headings
    assert soup.find("a", href="/api/v1/openapi.json")
    assert soup.find(id="schema-Error") is not None


def test_the_application_takes_json_or_a_form_with_the_letter_as_a_file(ctx):  # type: ignore[no-untyped-def]
    doc = document()
    submit = doc["paths"]["/applications"]["post"]
    assert submit["security"] == []
    content = submit["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    form = doc["components"]["schemas"][
        content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    ]
    assert form["properties"]["letter_of_intent"] == {"type": "string", "format": "binary"}
    assert form["properties"]["operating_countries"]["type"] == "array"
