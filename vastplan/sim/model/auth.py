"""Users, JSON Web Tokens and API tokens (VMS_API.md §2.3).

Passwords and API tokens are kept as salted SHA-256 digests only, so a state dump holds no usable
credential. JWTs are HS256-signed with a per-cluster key; every JWT carries the "generation" it was issued
in, and ``expire_all`` (the ``expire_tokens`` fault) moves to a new generation, invalidating all earlier ones.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from vastplan.sim.errors import AuthenticationFailed, FieldErrors, NotFound, ServiceUnavailable, TokenInvalid
from vastplan.sim.state import Record

if TYPE_CHECKING:
    from vastplan.sim.backend import SimBackend

_EXPIRY = re.compile(r"^(\d+)([YMwWdDhHmsS])$")
_EXPIRY_SECONDS = {
    "Y": 365 * 86400,
    "M": 30 * 86400,
    "w": 7 * 86400,
    "W": 7 * 86400,
    "d": 86400,
    "D": 86400,
    "h": 3600,
    "H": 3600,
    "m": 60,
    "s": 1,
    "S": 1,
}


@dataclass(frozen=True)
class Principal:
    """Who a request runs as. ``tenant`` is the tenant name a JWT was issued for, if any."""

    username: str
    method: str
    tenant: str | None = None


def _digest(salt: str, secret: str) -> str:
    return hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Auth:
    """Login, token issue/refresh/verification, API token lifecycle."""

    def __init__(self, backend: SimBackend) -> None:
        self.backend = backend

    @property
    def settings(self) -> Record:
        return self.backend.state.auth

    def seed(self) -> None:
        self.backend.state.auth = {
            "signing_key": secrets.token_hex(32),
            "generation": 0,
            # [INFERRED] lifetimes are not stated anywhere (§2.3); an hour and a day, settable by control call.
            "access_ttl": 3600,
            "refresh_ttl": 86400,
            # VMS_API.md §2.3 [READ KB-TOKENS]: 5 valid API tokens per user by default.
            "max_api_tokens": 5,
        }
        self.backend.state.users = {}
        self.backend.state.api_tokens = {}
        # The default login of a fresh cluster (VMS_API.md §2.3: KB curl examples use admin:123456).
        self.add_user("admin", "123456")

    def add_user(self, username: str, password: str) -> None:
        with self.backend.lock:
            salt = secrets.token_hex(8)
            users = self.backend.state.users
            users[username] = {"id": len(users) + 1, "salt": salt, "password_sha256": _digest(salt, password)}

    def check_password(self, username: str, password: str) -> Principal:
        with self.backend.lock:
            user = self.backend.state.users.get(username)
            if user is None or not hmac.compare_digest(
                user["password_sha256"], _digest(user["salt"], password)
            ):
                raise AuthenticationFailed(username)
            return Principal(username, "basic")

    # -- JWT (VMS_API.md §2.3: POST /token/ -> {access, refresh}; Bearer <access>) ----------------------------

    def login(self, username: str, password: str, tenant: str | None) -> Record:
        self.check_password(username, password)
        return self._pair(username, tenant)

    def refresh(self, refresh_token: str) -> Record:
        claims = self._verify(refresh_token, "refresh")
        return self._pair(str(claims["username"]), claims.get("tenant"))

    def verify_access(self, token: str) -> Principal:
        claims = self._verify(token, "access")
        return Principal(str(claims["username"]), "jwt", claims.get("tenant"))

    def expire_all(self) -> None:
        """Invalidate every JWT issued so far (the ``expire_tokens`` fault)."""
        with self.backend.lock:
            self.settings["generation"] += 1

    def _pair(self, username: str, tenant: str | None) -> Record:
        with self.backend.lock:
            return {
                "access": self._sign(username, tenant, "access", self.settings["access_ttl"]),
                "refresh": self._sign(username, tenant, "refresh", self.settings["refresh_ttl"]),
            }

    def _sign(self, username: str, tenant: str | None, kind: str, ttl: float) -> str:
        now = self.backend.clock()
        header = {"alg": "HS256", "typ": "JWT"}
        claims = {
            "token_type": kind,
            "username": username,
            "tenant": tenant,
            "iat": int(now),
            "exp": now + ttl,
            "jti": secrets.token_hex(16),
            "gen": self.settings["generation"],
        }
        signing_input = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
        return signing_input + "." + _b64(self._mac(signing_input))

    def _mac(self, signing_input: str) -> bytes:
        return hmac.new(
            self.settings["signing_key"].encode(), signing_input.encode(), hashlib.sha256
        ).digest()

    def _verify(self, token: str, kind: str) -> dict[str, Any]:
        with self.backend.lock:
            try:
                head, body, signature = token.split(".")
                if not hmac.compare_digest(_unb64(signature), self._mac(head + "." + body)):
                    raise TokenInvalid()
                claims = json.loads(_unb64(body))
            except (ValueError, TypeError) as exc:
                raise TokenInvalid() from exc
            if not isinstance(claims, dict):
                raise TokenInvalid()
            fresh = claims.get("gen") == self.settings["generation"] and self.backend.clock() < claims.get(
                "exp", 0
            )
            if (
                not fresh
                or claims.get("token_type") != kind
                or claims.get("username") not in self.backend.state.users
            ):
                raise TokenInvalid()
            return claims

    # -- API tokens (VMS_API.md §2.3: /apitokens/, header "Api-Token <token>") -----------------------------

    def create_api_token(self, owner: str, name: str | None = None, expiry: str | None = None) -> Record:
        """Mint a token; the secret is returned once and only its digest kept. Returns ``{id, token}``."""
        with self.backend.lock:
            if owner not in self.backend.state.users:
                raise FieldErrors.one("owner", f"User {owner} does not exist.")
            now = self.backend.clock()
            expires = now + self._expiry_seconds(expiry) if expiry else None
            valid = [
                t for t in self.backend.state.api_tokens.values() if t["owner"] == owner and self._usable(t)
            ]
            if len(valid) >= self.settings["max_api_tokens"]:
                # VMS_API.md §2.3 [READ spec]: 503 "Service Unavailable - Max allowed API tokens reached".
                raise ServiceUnavailable("Service Unavailable - Max allowed API tokens reached")
            token_id = secrets.token_hex(4)
            token = f"{token_id}.{secrets.token_urlsafe(24)}"
            salt = secrets.token_hex(8)
            self.backend.state.api_tokens[token_id] = {
                "id": token_id,
                "name": name or f"{owner}_api_token",
                "owner": owner,
                "created": self.backend.now_iso(),
                "expiry_date": None if expires is None else _iso(expires),
                "expires_at": expires,
                "last_used": None,
                "revoked": False,
                "revocation_time": None,
                "salt": salt,
                "token_sha256": _digest(salt, token),
            }
            return {"id": token_id, "token": token}

    @staticmethod
    def _expiry_seconds(expiry: str) -> int:
        match = _EXPIRY.match(expiry.strip())
        if not match:
            raise FieldErrors.one(
                "expiry_date", "Expected an integer and a unit (Y, M, w, d, h, m, s), e.g. 30d."
            )
        return int(match.group(1)) * _EXPIRY_SECONDS[match.group(2)]

    def _usable(self, token: Record) -> bool:
        expires = token.get("expires_at")
        return not token["revoked"] and (expires is None or self.backend.clock() < expires)

    def verify_api_token(self, token: str) -> Principal:
        with self.backend.lock:
            record = self.backend.state.api_tokens.get(token.split(".", 1)[0])
            if record is None or not hmac.compare_digest(
                record["token_sha256"], _digest(record["salt"], token)
            ):
                # Unknown token: no user name can be given without echoing the token.
                raise AuthenticationFailed("anonymous")
            if not self._usable(record):
                raise AuthenticationFailed(record["owner"])
            record["last_used"] = self.backend.now_iso()
            return Principal(record["owner"], "api_token")

    def list_api_tokens(self) -> list[Record]:
        with self.backend.lock:
            return [self._public(t) for t in self.backend.state.api_tokens.values()]

    def read_api_token(self, token_id: str) -> Record:
        with self.backend.lock:
            record = self.backend.state.api_tokens.get(token_id)
            if record is None:
                raise NotFound()
            return self._public(record)

    def revoke_api_token(self, token_id: str) -> Record:
        with self.backend.lock:
            record = self.backend.state.api_tokens.get(token_id)
            if record is None:
                # VMS_API.md §2.3: revoke of an unknown token -> 404.
                raise NotFound()
            record["revoked"] = True
            record["revocation_time"] = self.backend.now_iso()
            return self._public(record)

    @staticmethod
    def _public(record: Record) -> Record:
        """The ApiToken fields of the spec: never the digest, never the secret."""
        keys = ("id", "name", "owner", "created", "expiry_date", "last_used", "revoked", "revocation_time")
        return {key: record.get(key) for key in keys}


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, timezone.utc).isoformat().replace("+00:00", "Z")
