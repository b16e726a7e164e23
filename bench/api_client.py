"""A JSON client of Keygate's HTTP API, shared by the benchmark harness and the end-to-end tests
that drive the binary: a cookie jar for the session API, the CSRF header on state changes and an
optional bearer token. Python standard library only.
"""
import decimal
import http.cookiejar
import json
import urllib.error
import urllib.request


class UnexpectedStatus(Exception):
    """An answer other than the one the caller expected (ApiClient.expect)."""


def _decode(payload):
    # Decimals stay exact: 7.25 is Decimal("7.25"), not a float.
    return json.loads(payload, parse_float=decimal.Decimal) if payload else None


class ApiClient:
    def __init__(self, base, timeout=600):
        self.base = base
        self.timeout = timeout
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = None
        self.token = None

    def call(self, method, path, body=None, raw=False):
        """(status, body, headers): the body decoded from JSON, or the bytes when raw. `path` may
        also be an absolute URL (the RaaS `nextpage` links are)."""
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.csrf and method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        url = path if path.startswith("http") else self.base + path
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                payload = response.read()
                return response.status, payload if raw else _decode(payload), response.headers
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                return error.code, _decode(payload), error.headers
            except ValueError:
                return error.code, payload[:200], error.headers

    def expect(self, status, method, path, body=None):
        """The decoded body; UnexpectedStatus when the answer has another status."""
        got, answer, _ = self.call(method, path, body)
        if got != status:
            raise UnexpectedStatus(f"{method} {path}: expected {status}, got {got}: {answer}")
        return answer
