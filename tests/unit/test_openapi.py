import app
from chalicelib.openapi import DOCUMENT


def test_the_document_lists_exactly_the_routes_app_serves():
    served = {
        (path, method.lower()) for path, methods in app.app.routes.items() for method in methods
    }
    documented = {
        (path, method) for path, operations in DOCUMENT["paths"].items() for method in operations
    }
    assert documented == served


def test_only_health_login_and_the_document_are_public():
    public = {
        path
        for path, operations in DOCUMENT["paths"].items()
        for operation in operations.values()
        if operation.get("security") == []
    }
    assert public == {"/health", "/auth/login", "/openapi.json"}
