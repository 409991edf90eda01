"""URL shapes and authentication: Basic, Bearer (JWT + refresh + expiry), Api-Token, X-Tenant-Name."""

from __future__ import annotations

import pytest
import requests

from vastplan.sim import Simulator

from .support import HOST, Api, make_api

PREFIXES = ["/api", "/api/v1", "/api/v5", "/api/latest"]


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("slash", ["/", ""])
def test_every_url_shape_reaches_the_same_collection(sim: Simulator, prefix: str, slash: str) -> None:
    api = make_api(sim, prefix=prefix)
    listing = api.get("/tenants" + slash)
    assert listing.status_code == 200
    assert [t["name"] for t in listing.json()] == ["default"]
    detail = api.get("/tenants/1" + slash)
    assert detail.status_code == 200
    assert detail.json()["url"] == f"{HOST}{prefix}/tenants/1/"


def test_unknown_routes_are_404_and_wrong_methods_405(api: Api) -> None:
    assert api.get("/nosuchthing/").status_code == 404
    assert api.get(f"{HOST}/views/").status_code == 404  # no /api prefix
    assert api.get("/views/999/").json() == {"detail": "Not found."}
    response = api.put("/viewpolicies/1/", json={})
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "PUT" not allowed.'}


# -- Basic -------------------------------------------------------------------------------------------------


def test_basic_auth_wrong_password_is_401_naming_the_user_not_the_password(sim: Simulator) -> None:
    api = make_api(sim, auth=("admin", "s3cret-wrong"))
    response = api.get("/views/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication failure, user: admin"}
    assert "s3cret-wrong" not in response.text
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_missing_or_unknown_credentials_are_401(anon: Api) -> None:
    response = anon.get("/views/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication failure, user: anonymous"}
    assert anon.get("/views/", headers={"Authorization": "Basic !!notbase64"}).status_code == 401
    assert anon.get("/views/", headers={"Authorization": "Digest abc"}).status_code == 401
    assert (
        anon.get("/views/", auth=("nobody", "123456")).json()["detail"]
        == "Authentication failure, user: nobody"
    )


# -- Bearer (JWT) --------------------------------------------------------------------------------------------


def _login(anon: Api, url: str = f"{HOST}/api/token/") -> dict[str, str]:
    response = anon.post(url, json={"username": "admin", "password": "123456"})
    assert response.status_code == 200, response.text
    tokens: dict[str, str] = response.json()
    assert set(tokens) == {"access", "refresh"}
    return tokens


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    "url", [f"{HOST}/api/token/", f"{HOST}/api/token", f"{HOST}/api/v1/token/", f"{HOST}/api/latest/token/"]
)
def test_token_endpoints_live_with_and_without_a_version(anon: Api, url: str) -> None:
    tokens = _login(anon, url)
    assert anon.get("/views/", headers=_bearer(tokens["access"])).status_code == 200


def test_token_refresh_gives_a_working_pair(anon: Api) -> None:
    tokens = _login(anon)
    refreshed = anon.post(f"{HOST}/api/token/refresh/", json={"refresh": tokens["refresh"]})
    assert refreshed.status_code == 200
    assert anon.get("/views/", headers=_bearer(refreshed.json()["access"])).status_code == 200
    # A refresh token is not an access token, and vice versa.
    assert anon.get("/views/", headers=_bearer(tokens["refresh"])).status_code == 403
    assert anon.post(f"{HOST}/api/token/refresh/", json={"refresh": tokens["access"]}).status_code == 403


def test_login_with_bad_credentials_is_401_and_missing_fields_400(anon: Api) -> None:
    bad = anon.post(f"{HOST}/api/token/", json={"username": "admin", "password": "nope-nope"})
    assert bad.status_code == 401
    assert bad.json() == {"detail": "Authentication failure, user: admin"}
    assert "nope-nope" not in bad.text
    missing = anon.post(f"{HOST}/api/token/", json={})
    assert missing.status_code == 400
    assert missing.json() == {
        "username": ["This field is required."],
        "password": ["This field is required."],
    }


def test_garbage_or_forged_jwt_is_403_token_invalid(anon: Api) -> None:
    tokens = _login(anon)
    head, body, _ = tokens["access"].split(".")
    for token in ("garbage", f"{head}.{body}.AAAA", "a.b.c"):
        response = anon.get("/views/", headers=_bearer(token))
        assert response.status_code == 403
        assert response.json() == {"detail": "Token is invalid or expired"}


def test_an_access_token_expires_after_its_lifetime(anon: Api) -> None:
    anon.control("POST", "cluster", {"access_token_ttl": 0})
    tokens = _login(anon)
    response = anon.get("/views/", headers=_bearer(tokens["access"]))
    assert response.status_code == 403
    assert response.json() == {"detail": "Token is invalid or expired"}
    # The refresh token (longer-lived) still gets a new pair.
    assert anon.post(f"{HOST}/api/token/refresh/", json={"refresh": tokens["refresh"]}).status_code == 200


def test_expire_tokens_fault_invalidates_every_jwt_issued_so_far(anon: Api) -> None:
    tokens = _login(anon)
    assert anon.control("POST", "faults", {"expire_tokens": True}).status_code == 201
    assert anon.get("/views/", headers=_bearer(tokens["access"])).status_code == 403
    assert anon.post(f"{HOST}/api/token/refresh/", json={"refresh": tokens["refresh"]}).status_code == 403
    assert anon.get("/views/", headers=_bearer(_login(anon)["access"])).status_code == 200
    assert anon.control("GET", "faults").json() == []  # an action, not a standing fault


# -- Api-Token -----------------------------------------------------------------------------------------------


def _api_token(token: str) -> dict[str, str]:
    return {"Authorization": f"Api-Token {token}"}


def test_api_token_minted_through_the_api_authenticates_until_revoked(api: Api, anon: Api) -> None:
    created = api.post("/apitokens/", json={"name": "ci"})
    assert created.status_code == 201
    token_id, token = created.json()["id"], created.json()["token"]
    assert anon.get("/views/", headers=_api_token(token)).status_code == 200
    listed = api.get("/apitokens/").json()
    assert [t["name"] for t in listed] == ["ci"]
    assert token not in api.get("/apitokens/").text
    assert api.patch(f"/apitokens/{token_id}/revoke/").json()["revoked"] is True
    response = anon.get("/views/", headers=_api_token(token))
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication failure, user: admin"}


def test_api_token_minted_by_control_call_and_unknown_tokens(anon: Api) -> None:
    minted = anon.control("POST", "apitokens", {"name": "demo"})
    assert minted.status_code == 201
    assert anon.get("/views/", headers=_api_token(minted.json()["token"])).status_code == 200
    unknown = anon.get("/views/", headers=_api_token("deadbeef.not-a-real-token"))
    assert unknown.status_code == 401
    assert unknown.json() == {"detail": "Authentication failure, user: anonymous"}
    assert "not-a-real-token" not in unknown.text


def test_api_token_limit_is_503(api: Api) -> None:
    for index in range(5):
        assert api.post("/apitokens/", json={"name": f"t{index}"}).status_code == 201
    response = api.post("/apitokens/", json={"name": "one-too-many"})
    assert response.status_code == 503
    assert response.json() == "Service Unavailable - Max allowed API tokens reached"


def test_an_expired_api_token_is_refused(api: Api, anon: Api) -> None:
    created = api.post("/apitokens/", json={"expiry_date": "0s"}).json()
    assert anon.get("/views/", headers=_api_token(created["token"])).status_code == 401
    assert api.post("/apitokens/", json={"expiry_date": "soon"}).status_code == 400


# -- X-Tenant-Name -------------------------------------------------------------------------------------------


def test_x_tenant_name_must_name_an_existing_tenant(api: Api, anon: Api) -> None:
    response = api.get("/views/", headers={"X-Tenant-Name": "ghost"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication failure, user: admin"}
    token = anon.post(
        f"{HOST}/api/token/",
        json={"username": "admin", "password": "123456"},
        headers={"X-Tenant-Name": "ghost"},
    )
    assert token.status_code == 401


def test_x_tenant_name_scopes_lists_creates_and_reads(api: Api, anon: Api) -> None:
    t2 = api.create("tenants", name="t2")
    api.create("viewpolicies", name="in-default")
    scoped = requests.Session()
    scoped.mount(f"{HOST}/", api.session.get_adapter(HOST + "/"))
    scoped.auth = ("admin", "123456")
    scoped.headers["X-Tenant-Name"] = "t2"
    t2api = Api(scoped, api.base)
    created = t2api.create("viewpolicies", name="in-t2")
    assert created["tenant_id"] == t2["id"]
    assert created["tenant_name"] == "t2"
    assert [p["name"] for p in t2api.get("/viewpolicies/").json()] == ["in-t2"]
    assert [t["name"] for t in t2api.get("/tenants/").json()] == ["t2"]
    assert t2api.get("/viewpolicies/1/").status_code == 404
    refused = t2api.post("/viewpolicies/", json={"name": "elsewhere", "tenant_id": 1})
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert t2api.post("/tenants/", json={"name": "t3"}).status_code == 403
    # A JWT asked for with the header carries the scope.
    token = anon.post(
        f"{HOST}/api/token/",
        json={"username": "admin", "password": "123456"},
        headers={"X-Tenant-Name": "t2"},
    ).json()["access"]
    names = [p["name"] for p in anon.get("/viewpolicies/", headers=_bearer(token)).json()]
    assert names == ["in-t2"]
