"""Requests refused before any view: URLs holding a NUL character.

PostgreSQL text cannot hold NUL, so one that reaches a query is a 500 there. No slug,
filter or search of the glossary holds one, and form and serializer fields refuse them,
but URL path segments (a concept's slug) and the admin's list filters reach the database
unvalidated. Refusing them here covers every view, present and future.
"""

from django.http import Http404, JsonResponse


class RefuseNulCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("No address holds a NUL character.")
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                field = name.replace("\x00", "")[:100]
                body = {
                    "error": f"{field}: a NUL character (%00) is not allowed.",
                    "field": field,
                    "code": "invalid",
                }
                return JsonResponse(body, status=400)
        return self.get_response(request)
