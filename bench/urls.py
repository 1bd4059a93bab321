"""The app's URLs plus /bench/bare/: fixed JSON through plain Django, the ceiling."""

from django.http import JsonResponse
from django.urls import include, path

FIXED = {
    "query": "Khorgos",
    "source": "en",
    "targets": ["zh-Hans", "ru"],
    "count": 1,
    "results": [
        {
            "concept": "khorgos",
            "translations": {
                "zh-Hans": [{"text": "霍尔果斯", "status": "preferred"}],
                "ru": [{"text": "Хоргос", "status": "preferred"}],
            },
        }
    ],
}


def bare(request):
    return JsonResponse(FIXED, json_dumps_params={"ensure_ascii": False})


urlpatterns = [path("bench/bare/", bare), path("", include("config.urls"))]
