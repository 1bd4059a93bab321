"""Export downloads and the staff-only import: TBX, TMX, CSV and TSV over the API."""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import exporter, permissions, visibility
from ..downloads import download
from ..errors import UnsupportedFile
from ..formats import importer
from ..models import Concept
from .serializers import ChangeSerializer, LanguageField


class CommaListField(serializers.CharField):
    """A comma-separated list, answered as a list of its non-empty items."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        return [item.strip() for item in value.split(",") if item.strip()]


class ExportParams(serializers.Serializer):
    concept = CommaListField(
        required=False, help_text="Only these concepts: comma-separated slugs."
    )
    lang = LanguageField(required=False, help_text="Concepts with a term in it.")
    kind = serializers.ChoiceField(choices=Concept.Kind.choices, required=False)
    domain = serializers.CharField(
        required=False,
        max_length=Concept._meta.get_field("domain").max_length,
        help_text="Subject field, any case.",
    )
    status = serializers.ChoiceField(choices=Concept.Status.choices, required=False)
    q = serializers.CharField(
        required=False, help_text="Concepts with a term (any language) containing this."
    )
    missing = LanguageField(
        required=False, help_text="Concepts without a preferred term in this language."
    )
    include = CommaListField(
        required=False,
        help_text="tmx: `admitted` adds a unit per admitted term; csv, tsv: `id` "
        "adds a first column with each concept's slug.",
    )
    srclang = LanguageField(
        required=False, help_text="tmx: the source language (default en)."
    )
    source = LanguageField(
        required=False,
        help_text="csv, tsv: with target, two columns for one language pair.",
    )
    target = LanguageField(required=False, help_text="csv, tsv: see source.")


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="TBX v3 or v2 (.tbx, .xml), CSV (.csv) or TSV (.tsv), UTF-8."
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="Report what would change, and write nothing."
    )
    kind = serializers.ChoiceField(
        choices=Concept.Kind.choices,
        default=importer.DEFAULT_KIND,
        help_text="The kind of new concepts whose entry names none.",
    )


class ReportItemSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=["created", "updated", "unchanged", "conflict", "warning"]
    )
    id = serializers.CharField(allow_null=True, help_text="The concept's slug.")
    line = serializers.IntegerField(allow_null=True, help_text="Its line in the file.")
    message = serializers.CharField(allow_blank=True)
    changes = ChangeSerializer(
        many=True,
        help_text="For an update: each field and term that changes, old and new.",
    )


class ImportReportSerializer(serializers.Serializer):
    filename = serializers.CharField()
    format = serializers.CharField(source="file_format")
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField(
        help_text="Whether the import was carried out: false for a dry run, or when "
        "conflicts stopped it."
    )
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    conflicts = serializers.IntegerField(
        help_text="Problems that stop the import; a dry run lists them."
    )
    warnings = serializers.IntegerField(
        help_text="What was left out: data the glossary has no field for, contexts "
        "that are no quote of a known document."
    )
    items = ReportItemSerializer(many=True)


class JsonErrorsOnly(BaseContentNegotiation):
    """Downloads are files whatever the client accepts; errors are JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None


class CanImport(BasePermission):
    """The import right of the permission layer, as in the admin."""

    message = (
        "Importing needs a role allowed to create, change and review concepts "
        "(reviewer or admin), since a file can set their status."
    )

    def has_permission(self, request, view) -> bool:
        return permissions.allowed(request.user, permissions.Action.IMPORT)


class ExportView(APIView):
    """The glossary, or the concepts the filters select, as a file to download."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonErrorsOnly

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "file_format",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(exporter.FORMATS),
                description="; ".join(
                    f"{fmt.name}: {fmt.description}"
                    for fmt in exporter.FORMATS.values()
                ),
            ),
            ExportParams,
        ],
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY)
            for content_type in sorted(
                {fmt.content_type.split(";")[0] for fmt in exporter.FORMATS.values()}
            )
        },
    )
    def get(self, request: Request, file_format: str) -> StreamingHttpResponse:
        given = ExportParams(data=request.query_params)
        given.is_valid(raise_exception=True)
        params = given.validated_data
        concepts = exporter.select_concepts(
            slugs=params.get("concept"),
            language=params.get("lang"),
            kind=params.get("kind"),
            domain=params.get("domain"),
            status=params.get("status"),
            query=params.get("q"),
            missing=params.get("missing"),
            visible=visibility.for_user(request.user),
        )
        export = exporter.export_glossary(
            file_format,
            concepts,
            include=params.get("include"),
            srclang=params.get("srclang"),
            source=params.get("source"),
            target=params.get("target"),
        )
        return download(export)


class ImportView(APIView):
    """Staff only: import a TBX, CSV or TSV file, all or nothing, or dry-run it."""

    permission_classes = [CanImport]
    parser_classes = [MultiPartParser]
    throttle_scope = "import"

    def initial(self, request: Request, *args, **kwargs) -> None:
        # Before authentication reads the body (for its CSRF check), so an oversized
        # upload is refused unread.
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not (length.isascii() and length.isdigit()):
            raise UnsupportedFile(
                f"Content-Length {length!r} is not a number of bytes.", field="file"
            )
        importer.check_upload_size(int(length))
        super().initial(request, *args, **kwargs)

    @extend_schema(request=ImportUploadSerializer, responses=ImportReportSerializer)
    def post(self, request: Request) -> Response:
        given = ImportUploadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        upload = given.validated_data["file"]
        importer.check_upload_size(upload.size)
        report = importer.import_file(
            upload,
            filename=upload.name,
            dry_run=given.validated_data["dry_run"],
            kind=given.validated_data["kind"],
            user=request.user,
        )
        return Response(ImportReportSerializer(report).data)
