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
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

ECHOED = ("input", "url")  # "url": a link to pydantic's docs, noise for a till


def without_input(errors: Any) -> list[dict[str, Any]]:
    """Each error as FastAPI gives it, minus the value that was refused."""
    return [{k: v for k, v in error.items() if k not in ECHOED} for error in errors]


async def validation_failed(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(status_code=422,
                        content={"detail": jsonable_encoder(without_input(exc.errors()))})
