"""The API's views: one viewset per resource, and the year's figures and report."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import exceptions, pagination, status, viewsets
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from oppdrag.core import concurrency
from oppdrag.core.converters import MAX_YEAR, MIN_YEAR
from oppdrag.figures.keyfigures import key_figures
from oppdrag.reports.builder import build_report
from oppdrag.reports.renderers import RENDERERS

from . import writes
from .access import CenterRole
from .resources import AFTER_PAGE, Resource
from .serializers import serializer_for

YEAR = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ListFilterBackend(BaseFilterBackend):
    """Filter with the list page's FilterSet; an invalid value answers 400 naming it."""

    def filter_queryset(self, request: Request, queryset: Any, view: Any) -> Any:
        filter_class = view.resource.filter_class()
        filterset = filter_class(
            request.query_params or None, queryset=queryset, center=view.center
        )
        if filterset.is_bound and not filterset.is_valid():
            raise exceptions.ValidationError(dict(filterset.errors))
        return filterset.qs

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        filter_class = view.resource.filter_class()
        parameters = []
        for name, filter_ in filter_class.base_filters.items():
            schema: dict[str, Any] = {"type": "string"}
            if type(filter_).__name__ == "NumberFilter":
                schema = {"type": "number"}
            choices = filter_.extra.get("choices")
            if isinstance(choices, list | tuple) and choices:
                schema["enum"] = [str(key) for key, _label in choices]
            parameters.append(
                {
                    "name": name,
                    "required": False,
                    "in": "query",
                    "description": str(filter_.label or name),
                    "schema": schema,
                }
            )
        return parameters


ERRORS = {
    400: OpenApiResponse(description="Ugyldige verdier; feltene er navngitt."),
    401: OpenApiResponse(description="Ikke innlogget."),
    403: OpenApiResponse(description="Rollen er for lav."),
    404: OpenApiResponse(description="Ukjent senter eller post."),
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="ETag-en posten ble hentet med; endringen avvises (412) om posten er endret siden.",
)
CHANGED = {412: OpenApiResponse(description="Endret av noen andre siden If-Match-verdien.")}


class RecordViewSet(viewsets.GenericViewSet):
    """List, show and (for editors) create, change and delete one kind of record."""

    resource: Resource
    lookup_field = "uid"
    lookup_value_regex = (
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    )
    permission_classes = [CenterRole]
    filter_backends = [ListFilterBackend]
    pagination_class = Pagination
    center: Any

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return self.resource.model._default_manager.none()  # type: ignore[attr-defined]
        return self.resource.queryset(self.center)

    def get_serializer_class(self) -> Any:
        return serializer_for(self.resource.slug)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["center"] = getattr(self, "center", None)
        return context

    def after(self, rows: list[Any]) -> list[Any]:
        hook = AFTER_PAGE.get(self.resource.slug)
        if hook is not None:
            hook(rows, self.center)
        return rows

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = self.after(list(page if page is not None else queryset))
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.after([self.get_object()])[0]
        return Response(self.get_serializer(record).data)

    def get_object(self) -> Any:
        uid = self.kwargs.get(self.lookup_field)
        try:
            return self.get_queryset().get(uid=uid)
        except (self.resource.model.DoesNotExist, ValueError) as exc:  # type: ignore[attr-defined]
            raise Http404 from exc


class WritableRecordViewSet(RecordViewSet):
    """Changes and deletions honour ``If-Match`` with the ``ETag`` a record was read
    with (412 when someone changed it since); without the header they go through."""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.after([self.get_object()])[0]
        return with_etag(Response(self.get_serializer(record).data), record)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = writes.save(
            self.resource, center=self.center, user=request.user, data=serializer.validated_data
        )
        fresh = self.get_queryset().get(pk=record.pk)
        response = Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
        return with_etag(response, fresh)

    def update(
        self, request: Request, *args: Any, partial: bool = False, **kwargs: Any
    ) -> Response:
        record = self.get_object()
        serializer = self.get_serializer(record, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        writes.save(
            self.resource,
            center=self.center,
            user=request.user,
            data=serializer.validated_data,
            instance=record,
            expected=concurrency.from_if_match(request.headers.get("If-Match")),
        )
        fresh = self.get_queryset().get(pk=record.pk)
        return with_etag(Response(self.get_serializer(fresh).data), fresh)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        try:
            writes.delete(
                self.resource,
                record,
                user=request.user,
                expected=concurrency.from_if_match(request.headers.get("If-Match")),
            )
        except (ProtectedError, RestrictedError):
            return Response(
                {"detail": _("Posten er i bruk av andre poster og kan ikke slettes.")},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


def with_etag(response: Response, record: Any) -> Response:
    response["ETag"] = concurrency.etag(record)
    return response


def viewset_for(resource: Resource) -> type[RecordViewSet]:
    """A viewset class of its own per resource, so the OpenAPI description names each."""
    name = "".join(part.title() for part in resource.slug.split("-"))
    serializer = serializer_for(resource.slug)
    tags = [resource.slug]
    if resource.writable:
        base: type[RecordViewSet] = WritableRecordViewSet
        methods = {
            "list": extend_schema(tags=tags, responses={200: serializer(many=True), **ERRORS}),
            "retrieve": extend_schema(tags=tags, responses={200: serializer, **ERRORS}),
            "create": extend_schema(tags=tags, responses={201: serializer, **ERRORS}),
            "update": extend_schema(
                tags=tags, parameters=[IF_MATCH], responses={200: serializer, **ERRORS, **CHANGED}
            ),
            "partial_update": extend_schema(
                tags=tags, parameters=[IF_MATCH], responses={200: serializer, **ERRORS, **CHANGED}
            ),
            "destroy": extend_schema(
                tags=tags,
                parameters=[IF_MATCH],
                responses={
                    204: None,
                    409: OpenApiResponse(description="I bruk."),
                    **ERRORS,
                    **CHANGED,
                },
            ),
        }
    else:
        base = RecordViewSet
        methods = {
            "list": extend_schema(tags=tags, responses={200: serializer(many=True), **ERRORS}),
            "retrieve": extend_schema(tags=tags, responses={200: serializer, **ERRORS}),
        }
    cls = type(f"{name}ViewSet", (base,), {"resource": resource})
    return extend_schema_view(**methods)(cls)


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the vendored assets, its start script a file of its own (CSP)."""

    template_name = "api/swagger_ui.html"


class YearView(APIView):
    permission_classes = [CenterRole]
    center: Any


class FiguresView(YearView):
    """The year's key figures: the same JSON as ``oppdrag figures YEAR --json``."""

    @extend_schema(
        tags=["years"],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        parameters=[OpenApiParameter("year", YEAR, OpenApiParameter.PATH)],
    )
    def get(self, request: Request, center: str, year: int) -> Response:
        return Response(key_figures(self.center, year))


def plain(value: Any) -> Any:
    """Dataclass trees as JSON: Decimals as exact strings ("1234.50")."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


class HoursView(YearView):
    """Hours per project and report group for the year (appendix 7), from time entries."""

    @extend_schema(
        tags=["years"],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        parameters=[OpenApiParameter("year", YEAR, OpenApiParameter.PATH)],
    )
    def get(self, request: Request, center: str, year: int) -> Response:
        from oppdrag.hours.tables import appendix_7

        table = appendix_7(self.center, year)
        return Response(plain(dataclasses.asdict(table)))


class ReportView(YearView):
    """The annual report's tree as JSON (the report app's JSON renderer)."""

    @extend_schema(
        tags=["years"],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        parameters=[OpenApiParameter("year", YEAR, OpenApiParameter.PATH)],
    )
    def get(self, request: Request, center: str, year: int) -> HttpResponse:
        report = build_report(self.center, year)
        _name, mimetype, data = RENDERERS["json"].render(report)
        return HttpResponse(data, content_type=mimetype)
