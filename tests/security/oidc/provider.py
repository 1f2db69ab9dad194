"""A small but real OpenID Connect provider for the tests: an HTTP server on 127.0.0.1 with
discovery, JWKS, authorize (the code flow, with PKCE), token (an RS256-signed ID token made
with PyJWT, which mozilla-django-oidc itself uses) and userinfo. The library under test talks
to it over HTTP exactly as it would to the council's directory; nothing of the library is mocked.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "discretion-test"
CLIENT_SECRET = "test-client-secret-0123456789"
KID = "test-key-1"


@dataclass
class DirectoryUser:
    """Who the provider signs in at /authorize (the tests set this, as a person would type it)."""

    sub: str
    email: str
    email_verified: bool = True
    amr: list[str] = field(default_factory=lambda: ["pwd"])
    acr: str = ""


@dataclass
class Grant:
    user: DirectoryUser
    client_id: str
    redirect_uri: str
    nonce: str
    code_challenge: str


class Provider:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.user: DirectoryUser | None = None
        self.grants: dict[str, Grant] = {}
        self.tokens: dict[str, DirectoryUser] = {}
        # Misbehaviours a test can switch on.
        self.audience = CLIENT_ID
        self.issuer_override: str | None = None
        self.sign_with_other_key = False
        self.expired = False
        self.token_requests: list[dict[str, str]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Provider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        self.user = None
        self.grants.clear()
        self.tokens.clear()
        self.audience = CLIENT_ID
        self.issuer_override = None
        self.sign_with_other_key = False
        self.expired = False
        self.token_requests.clear()

    def settings(self) -> dict[str, Any]:
        """The Django settings docs/oidc.md derives from the environment, for this provider."""
        return {
            "DISCRETION_OIDC_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.issuer + "/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": self.issuer + "/token",
            "OIDC_OP_USER_ENDPOINT": self.issuer + "/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": self.issuer + "/jwks",
            "OIDC_RP_SIGN_ALGO": "RS256",
            "DISCRETION_OIDC_TRUST_IDP_MFA": False,
            "DISCRETION_OIDC_MFA_AMR": ["mfa"],
            "DISCRETION_OIDC_MFA_ACR": [],
        }

    # --- the protocol --------------------------------------------------------------------------

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": KID, "alg": "RS256", "use": "sig"})
        return {"keys": [jwk]}

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "userinfo_endpoint": self.issuer + "/userinfo",
            "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if self.user is None:
            return 400, {}, b"no user at the directory"
        if query.get("response_type") != "code" or query.get("client_id") != CLIENT_ID:
            return 400, {}, b"bad request"
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return 400, {}, b"PKCE required"
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(
            self.user,
            query["client_id"],
            query["redirect_uri"],
            query.get("nonce", ""),
            query["code_challenge"],
        )
        location = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
        return 302, {"Location": location}, b""

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        self.token_requests.append(form)
        grant = self.grants.pop(form.get("code", ""), None)  # a code works once
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return 401, {"error": "invalid_client"}
        if form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant.code_challenge:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time()) - (3600 if self.expired else 0)
        claims: dict[str, Any] = {
            "iss": self.issuer_override or self.issuer,
            "sub": grant.user.sub,
            "aud": self.audience,
            "iat": now,
            "exp": now + 300,
            "nonce": grant.nonce,
            "amr": grant.user.amr,
        }
        if grant.user.acr:
            claims["acr"] = grant.user.acr
        key = self.other_key if self.sign_with_other_key else self.key
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = grant.user
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def userinfo(self, authorization: str) -> tuple[int, dict[str, Any]]:
        user = self.tokens.get(authorization.removeprefix("Bearer "))
        if user is None:
            return 401, {"error": "invalid_token"}
        return 200, {"sub": user.sub, "email": user.email, "email_verified": user.email_verified}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _json(self, status: int, data: dict[str, Any]) -> None:
                self._send(status, json.dumps(data).encode(), {"Content-Type": "application/json"})

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(200, provider.discovery())
                elif url.path == "/jwks":
                    self._json(200, provider.jwks())
                elif url.path == "/authorize":
                    status, headers, body = provider.authorize(query)
                    self._send(status, body, headers)
                elif url.path == "/userinfo":
                    self._json(*provider.userinfo(self.headers.get("Authorization", "")))
                else:
                    self._send(404, b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path == "/token":
                    self._json(*provider.token(form))
                else:
                    self._send(404, b"")

        return Handler
