"""Lists: plain arrays, paginated envelopes across several pages, Django-style filters, projection."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from vastplan.sim import Simulator

from .support import HOST, Api


@pytest.fixture
def seeded(api: Api) -> Api:
    """Two tenants, three policies, five views, two quotas."""
    t2 = api.create("tenants", name="Second")
    alpha = api.create("viewpolicies", name="alpha-ro")
    beta = api.create("viewpolicies", name="beta-rw")
    other = api.create("viewpolicies", name="t2-pol", tenant_id=t2["id"])
    for path, pol in (
        ("/projects/alpha/data", alpha),
        ("/projects/alpha/logs", alpha),
        ("/projects/beta/data", beta),
        ("/scratch", beta),
    ):
        api.create("views", path=path, policy_id=pol["id"], create_dir=True)
    api.create(
        "views", path="/projects/alpha/data", policy_id=other["id"], tenant_id=t2["id"], create_dir=True
    )
    api.create("quotas", name="qa", path="/projects/alpha/data", hard_limit=100)
    api.create("quotas", name="qb", path="/projects/beta/data", hard_limit=2000)
    return api


def _paths(api: Api, **params: object) -> list[str]:
    response = api.get("/views/", params=params)
    assert response.status_code == 200, response.text
    return sorted(v["path"] + ("@t2" if v["tenant_id"] != 1 else "") for v in response.json())


def test_lists_are_plain_arrays_without_page_size(seeded: Api) -> None:
    body = seeded.get("/views/").json()
    assert isinstance(body, list) and len(body) == 5


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"path": "/scratch"}, ["/scratch"]),
        (
            {"path__startswith": "/projects/alpha"},
            ["/projects/alpha/data", "/projects/alpha/data@t2", "/projects/alpha/logs"],
        ),
        ({"path__contains": "beta"}, ["/projects/beta/data"]),
        ({"path__icontains": "BETA"}, ["/projects/beta/data"]),
        ({"path__endswith": "/logs"}, ["/projects/alpha/logs"]),
        ({"path__in": "/scratch,/projects/beta/data"}, ["/projects/beta/data", "/scratch"]),
        ({"path__in": ["/scratch", "/projects/beta/data"]}, ["/projects/beta/data", "/scratch"]),
        ({"path": ["/scratch", "/projects/beta/data"]}, ["/projects/beta/data", "/scratch"]),
        (
            {"tenant_id": 1, "path__startswith": "/projects/alpha"},
            ["/projects/alpha/data", "/projects/alpha/logs"],
        ),
        ({"tenant_name__icontains": "sec"}, ["/projects/alpha/data@t2"]),
        ({"policy__name": "beta-rw"}, ["/projects/beta/data", "/scratch"]),
        ({"policy__id": 1}, ["/projects/alpha/data", "/projects/alpha/logs"]),
        ({"id__gt": 3}, ["/projects/alpha/data@t2", "/scratch"]),
        ({"id__gte": 4, "id__lte": 4}, ["/scratch"]),
        ({"id__lt": 2}, ["/projects/alpha/data"]),
        ({"path__not_startswith": "/projects"}, ["/scratch"]),
        (
            {"protocols__contains": "NFS"},
            [
                "/projects/alpha/data",
                "/projects/alpha/data@t2",
                "/projects/alpha/logs",
                "/projects/beta/data",
                "/scratch",
            ],
        ),
        ({"alias__isnull": "true", "path": "/scratch"}, ["/scratch"]),
        (
            {"path__regex": "^/projects/(alpha|beta)/data$", "tenant_id": 1},
            ["/projects/alpha/data", "/projects/beta/data"],
        ),
        ({"path__iregex": "^/SCRATCH$"}, ["/scratch"]),
        ({"path__iexact": "/Scratch"}, ["/scratch"]),
        ({"path__istartswith": "/SCR", "path__iendswith": "TCH"}, ["/scratch"]),
        ({"tenant__name": "Second"}, ["/projects/alpha/data@t2"]),
        ({"path": "/nothing"}, []),
    ],
)
def test_view_filters(seeded: Api, params: dict[str, object], expected: list[str]) -> None:
    assert _paths(seeded, **params) == expected


def test_filters_on_other_collections(seeded: Api) -> None:
    assert [
        p["name"] for p in seeded.get("/viewpolicies/", params={"name__in": "alpha-ro,t2-pol"}).json()
    ] == ["alpha-ro", "t2-pol"]
    assert [q["name"] for q in seeded.get("/quotas/", params={"hard_limit__gt": 1000}).json()] == ["qb"]
    assert [q["name"] for q in seeded.get("/quotas/", params={"path": "/projects/alpha/data"}).json()] == [
        "qa"
    ]
    assert [t["name"] for t in seeded.get("/tenants/", params={"name__icontains": "SEC"}).json()] == [
        "Second"
    ]
    assert [p["name"] for p in seeded.get("/vippools/", params={"name": "vippool-1"}).json()] == ["vippool-1"]
    assert len(seeded.get("/versions/", params={"status": "success"}).json()) == 1
    assert seeded.get("/versions/", params={"status": "failed"}).json() == []


def test_unknown_filter_fields_are_refused(seeded: Api) -> None:
    response = seeded.get("/views/", params={"nosuchfield": "x"})
    assert response.status_code == 400
    assert "nosuchfield" in response.json()["detail"]
    assert seeded.get("/views/", params={"path__regex": "("}).status_code == 400


def test_pagination_across_several_pages_keeps_prefix_and_query(seeded: Api) -> None:
    first = seeded.get("/views/", params={"page_size": 2, "path__startswith": "/"}).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["previous"] is None
    seen = [v["id"] for v in first["results"]]
    next_url = first["next"]
    pages = 1
    while next_url:
        assert next_url.startswith(f"{HOST}/api/v5/views/?")
        query = parse_qs(urlsplit(next_url).query)
        assert query["page_size"] == ["2"] and query["path__startswith"] == ["/"]
        page = seeded.get(next_url).json()
        assert page["previous"] is not None
        seen += [v["id"] for v in page["results"]]
        next_url = page["next"]
        pages += 1
    assert pages == 3
    assert seen == [1, 2, 3, 4, 5]
    back = seeded.get(page["previous"]).json()
    assert [v["id"] for v in back["results"]] == [3, 4]


def test_pagination_edges(seeded: Api) -> None:
    assert seeded.get("/views/", params={"page_size": 2, "page": 9}).status_code == 404
    assert seeded.get("/views/", params={"page_size": "many"}).status_code == 400
    empty = seeded.get("/snapshots/", params={"page_size": 10}).json()
    assert empty == {"count": 0, "next": None, "previous": None, "results": []}
    only_page = seeded.get("/views/", params={"page": 1}).json()
    assert only_page["count"] == 5 and only_page["next"] is None


def test_field_projection(seeded: Api) -> None:
    rows = seeded.get("/views/", params={"fields": "path,policy", "path": "/scratch"}).json()
    assert rows == [{"path": "/scratch", "policy": "beta-rw"}]
    page = seeded.get("/views/", params={"fields": "id", "page_size": 1}).json()
    assert page["results"] == [{"id": 1}]


def test_walking_the_pages_renders_each_object_once(sim: Simulator, api: Api) -> None:
    # Rendering (usage totals, related names) is a listing's cost: every page used to render the whole
    # collection, so walking N pages rendered it N times. Only the returned page is rendered now.
    policy = api.create("viewpolicies", name="p")
    for n in range(60):
        api.create("views", path=f"/v{n:02d}", policy_id=policy["id"], create_dir=True)
    views = sim.backend.views
    rendered: list[int] = []
    original = views.render

    def counting(row: dict[str, object]) -> dict[str, object]:
        rendered.append(1)
        return original(row)

    views.render = counting  # type: ignore[method-assign]
    paths, url = [], "/views/?page_size=20&path__startswith=/v"
    while url:
        body = api.get(url).json()
        paths += [v["path"] for v in body["results"]]
        url = body["next"]
    assert paths == [f"/v{n:02d}" for n in range(60)]
    assert len(rendered) == 60
    # A filter on a server-computed field (the view's policy name) still works, page by page.
    assert api.get("/views/", params={"policy__name": "p", "page_size": 50}).json()["count"] == 60
