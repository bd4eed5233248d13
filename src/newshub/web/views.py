from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from newshub.ingest.models import Article
from newshub.sources.models import Outlet
from newshub.stories.models import Story


def front(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.select_related("outlet")[:50]
    return render(request, "web/front.html", {"articles": articles})


def article(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "web/article.html", {"article": get_object_or_404(Article, pk=pk)})


def outlet(request: HttpRequest, slug: str) -> HttpResponse:
    outlet = get_object_or_404(Outlet, slug=slug)
    return render(request, "web/outlet.html", {"outlet": outlet, "articles": outlet.articles.all()[:50]})


def story(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(Story, pk=pk)
    return render(request, "web/story.html", {"story": story})


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
