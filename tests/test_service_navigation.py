"""The service navigation is drawn once per set of links (config.jinja2.service_navigation):
each person still sees their own links, the current one marked, and a working sign-out form."""

import re

from django.test import Client
from django.urls import reverse

NAV = re.compile(r'<nav aria-label="Menu".*?</nav>', re.S)


def _nav(client: Client, url: str = "/") -> str:
    page = client.get(url).content.decode()
    found = NAV.search(page)
    assert found, page[:2000]
    return found.group(0)


def _links(nav: str) -> list[str]:
    return [
        t.strip() for t in re.findall(r'navigation__link"[^>]*>\s*(?:<strong[^>]*>)?([^<]+)', nav)
    ]


def test_each_person_sees_their_own_links_and_the_current_one_marked(world, as_user):
    sendco, officer = as_user("sendco"), as_user("la_officer")
    home = _nav(sendco)
    assert "Children" in _links(home) and "Dashboard" not in _links(home)
    assert "Dashboard" in _links(_nav(officer))
    again = _nav(sendco)  # drawn again from what was kept: the same but for a new token
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert again != home and token.sub("", again) == token.sub("", home)
    children = _nav(sendco, reverse("children:list"))
    assert re.findall(r'href="([^"]+)" aria-current="true"', children) == [reverse("children:list")]
    assert re.findall(r'href="([^"]+)" aria-current="true"', home) == ["/"]


def test_the_sign_out_form_carries_this_requests_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["sendco"])
    page = client.get("/").content.decode()
    form = re.search(
        r'action="/[^"]*sign-out[^"]*".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S
    )
    assert form, "no sign-out form"
    response = client.post(reverse("accounts:sign-out"), {"csrfmiddlewaretoken": form.group(1)})
    assert response.status_code == 200  # "You have signed out" (a refused token gives 403)
    assert client.get(reverse("children:list")).status_code == 302  # signed out
