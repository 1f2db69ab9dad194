from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "discretion.requests"
    label = "requests"
    verbose_name = "Requests for information"

    def ready(self) -> None:
        # The handler of an agreed request may open what it asks about (four eyes; policy 2.2-2.4).
        from discretion import access
        from discretion.requests.grants import request_case_ids, request_grants, request_scopes

        access.register_basis(
            access.RegisteredBasis(
                basis=access.Basis.REQUEST_HANDLER,
                scopes=request_scopes,
                case_ids=request_case_ids,
                opens_person=request_grants,
                person_hides=frozenset({access.SPECIAL_CATEGORY}),
            )
        )
