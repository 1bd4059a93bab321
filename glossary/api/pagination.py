"""Page-number pagination that answers a page past the end with a 400, not a 404."""

from django.core.paginator import InvalidPage
from rest_framework.pagination import PageNumberPagination

from ..errors import InvalidQuery


class GlossaryPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        number = request.query_params.get(self.page_query_param) or 1
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise InvalidQuery(
                f"There is no page {number!r}; pages run from 1 to "
                f"{paginator.num_pages}.",
                field=self.page_query_param,
            ) from None
        self.request = request
        return list(self.page)
