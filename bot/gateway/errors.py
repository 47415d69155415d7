"""The chat API's error shape: `{"error": {"code": ..., "message": ...}}`, never internals."""
from __future__ import annotations

from typing import Optional

from starlette.responses import JSONResponse


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: Optional[dict] = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}

    def response(self) -> JSONResponse:
        return JSONResponse({"error": {"code": self.code, "message": self.message}},
                            status_code=self.status, headers=self.headers)
