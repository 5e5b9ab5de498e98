from django.http import HttpResponse
from django.test import RequestFactory

from parasat.core.middleware import StripNulMiddleware


def echo(request):
    echo.seen = request
    return HttpResponse()


def test_nul_is_removed_from_query_strings_and_form_fields_names_and_values():
    request = RequestFactory().post(
        "/x/?q=a%00b&k%00=v", {"body": "c\x00d", "t\x00": ["1", "2\x00"]}
    )
    StripNulMiddleware(echo)(request)
    assert echo.seen.GET.dict() == {"q": "ab", "k": "v"}
    assert echo.seen.POST.getlist("body") == ["cd"]
    assert echo.seen.POST.getlist("t") == ["1", "2"]


def test_requests_without_nul_are_left_as_they_are():
    request = RequestFactory().post("/x/?q=a", {"body": "c"})
    post = request.POST
    StripNulMiddleware(echo)(request)
    assert echo.seen.POST is post


def test_a_json_body_is_not_read():
    request = RequestFactory().post("/x/", data=b'{"a": 1}', content_type="application/json")
    StripNulMiddleware(echo)(request)
    assert echo.seen.body == b'{"a": 1}'
