"""An in-process `requests` transport to the sandbox.

The app in sandbox mode sends its GraphQL requests through an ordinary `requests.Session`,
like it would to a real instance, but this adapter hands them straight to the sandbox engine
instead of opening a socket back to the app's own port. A single-threaded server would
otherwise deadlock waiting on itself.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

from requests import PreparedRequest, ReadTimeout, Response
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from .engine import SandboxInstance

SANDBOX_BASE_URL = "http://sandbox.internal"


class SandboxAdapter(BaseAdapter):
    """Mount on a session for SANDBOX_BASE_URL; answers POST /helium like the HTTP route."""

    def __init__(self, instance: SandboxInstance):
        super().__init__()
        self.instance = instance

    def send(
        self,
        request: PreparedRequest,
        stream=False,
        timeout=None,
        verify=True,
        cert=None,
        proxies=None,
    ):
        url = urlsplit(request.url)
        response = Response()
        response.request = request
        response.url = request.url
        response.encoding = "utf-8"
        if request.method != "POST" or url.path != "/helium":
            response.status_code = 404
            response._content = (
                b'{"errors":[{"message":"Not found","extensions":{"code":"NOT_FOUND"}}]}'
            )
            response.headers = CaseInsensitiveDict({"Content-Type": "application/json"})
            return response
        # The engine sleeps its added latency in-process; honour the caller's read timeout
        # the way a socket would, so timeouts behave the same as against a real instance.
        read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
        if read_timeout is not None and self.instance.faults.latency_ms / 1000 > read_timeout:
            time.sleep(read_timeout)
            raise ReadTimeout(f"sandbox did not answer within {read_timeout} s", request=request)
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        api_key = (parse_qs(url.query).get("apiKey") or [None])[0]
        answer = self.instance.handle(body, api_key, request.headers.get("authToken"))
        if answer.lost:
            # The work is done; the answer comes after the caller stopped waiting for it.
            time.sleep(read_timeout or 0)
            raise ReadTimeout(f"sandbox did not answer within {read_timeout} s", request=request)
        response.status_code = answer.status
        response._content = answer.body()
        response.headers = CaseInsensitiveDict(answer.headers)
        return response

    def close(self) -> None:
        pass
