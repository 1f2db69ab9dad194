"""Every OpenAPI schema has a name of its own: two models with one name would share one component,
and every operation using either would be documented with the other's fields."""

from __future__ import annotations

import typing
from collections import defaultdict
from typing import Any

import pytest
from django.test import Client
from pydantic import BaseModel

from discretion.api import api

pytestmark = pytest.mark.django_db


def _models() -> set[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()

    def walk(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in seen and annotation.__module__.startswith("discretion"):
                seen.add(annotation)
                for field in annotation.model_fields.values():
                    walk(field.annotation)
            return
        for arg in typing.get_args(annotation):
            walk(arg)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    for field in model.model_fields.values():
                        walk(field.annotation)
                for response in (operation.response_models or {}).values():
                    if response is not None:
                        walk(response)
    return seen


def test_no_two_schemas_share_a_name():
    by_name: dict[str, list[str]] = defaultdict(list)
    for model in _models():
        by_name[model.__name__].append(f"{model.__module__}.{model.__qualname__}")
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}


def test_every_component_documents_the_model_of_that_name(world):
    client = Client()
    client.force_login(world.staff())
    components = client.get("/api/openapi.json").json()["components"]["schemas"]
    models = {m.__name__: m for m in _models()}
    checked = 0
    for name, schema in components.items():
        if name in models:
            expected = set(models[name].model_json_schema(by_alias=True).get("properties", {}))
            assert set(schema.get("properties", {})) == expected, name
            checked += 1
    assert checked >= 30  # every named model the API uses
