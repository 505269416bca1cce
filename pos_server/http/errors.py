"""The 422 answer to a request FastAPI could not validate, without the input it refused.

FastAPI's own handler echoes each bad value back (``input``): a 17-digit ``X-Staff-Pin``, a
mistyped token or enrolment code would come back in the body, and into whatever logs the
answers on the way (a proxy, a till's error report). The shape is otherwise FastAPI's
(``{"detail": [{"loc", "msg", "type", "ctx"?}]}``, as the OpenAPI schema documents it).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

ECHOED = ("input", "url")  # "url": a link to pydantic's docs, noise for a till


def without_input(errors: Any) -> list[dict[str, Any]]:
    """Each error as FastAPI gives it, minus the value that was refused."""
    return [{k: v for k, v in error.items() if k not in ECHOED} for error in errors]


async def validation_failed(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(status_code=422,
                        content={"detail": jsonable_encoder(without_input(exc.errors()))})


# FastAPI answers 400 with this text when reading the JSON body raised anything but a
# JSONDecodeError - in practice a RecursionError for JSON nested about 1 000 deep. It is
# malformed JSON like any other, and docs/api.md promises 422 for that.
UNPARSABLE_BODY = "There was an error parsing the body"


async def http_error(request: Request, exc: Exception) -> Response:
    """FastAPI's own answer to an ``HTTPException``, except the unparsable body above: 422 in
    the validation shape (``json_invalid``), the input not echoed."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and exc.detail == UNPARSABLE_BODY:
        error = {"type": "json_invalid", "loc": ["body"],
                 "msg": "JSON decode error: nested too deeply or otherwise unreadable"}
        return JSONResponse(status_code=422, content={"detail": [error]})
    return await http_exception_handler(request, exc)
