"""Errors raised by labkit, named and shaped like MLflow's (``mlflow.exceptions``).

Every failure the tracking server reports arrives as an :class:`MlflowException` (more precisely
a :class:`RestException`) carrying the server's ``error_code`` (for example
``RESOURCE_DOES_NOT_EXIST`` or ``INVALID_PARAMETER_VALUE``) and its message, so code such as::

    from labkit.exceptions import MlflowException

    try:
        client.get_run("0" * 32)
    except MlflowException as e:
        print(e.error_code)   # RESOURCE_DOES_NOT_EXIST

works the same with ``mlflow.exceptions.MlflowException`` against a real MLflow server.
"""

# The HTTP status each error code maps to (MLflow's ERROR_CODE_TO_HTTP_STATUS).
ERROR_CODE_TO_HTTP_STATUS = {
    "INTERNAL_ERROR": 500,
    "INVALID_STATE": 500,
    "TEMPORARILY_UNAVAILABLE": 503,
    "REQUEST_LIMIT_EXCEEDED": 429,
    "ENDPOINT_NOT_FOUND": 404,
    "RESOURCE_DOES_NOT_EXIST": 404,
    "PERMISSION_DENIED": 403,
    "CUSTOMER_UNAUTHORIZED": 401,
    "UNAUTHENTICATED": 401,
    "BAD_REQUEST": 400,
    "INVALID_PARAMETER_VALUE": 400,
    "RESOURCE_ALREADY_EXISTS": 400,
    "ALREADY_EXISTS": 409,
    "RESOURCE_CONFLICT": 409,
    "NOT_IMPLEMENTED": 501,
}

_HTTP_STATUS_TO_ERROR_CODE = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "ENDPOINT_NOT_FOUND",
    409: "RESOURCE_CONFLICT",
    429: "REQUEST_LIMIT_EXCEEDED",
    500: "INTERNAL_ERROR",
    501: "NOT_IMPLEMENTED",
    503: "TEMPORARILY_UNAVAILABLE",
}


def error_code_for_http_status(status):
    """The error code that best describes an HTTP status when the server did not name one."""
    if status in _HTTP_STATUS_TO_ERROR_CODE:
        return _HTTP_STATUS_TO_ERROR_CODE[status]
    return "INTERNAL_ERROR" if status >= 500 else "BAD_REQUEST"


class MlflowException(Exception):
    """The base of every labkit error.

    Attributes:
        message: the human-readable explanation.
        error_code: one of MLflow's error codes, such as ``"RESOURCE_DOES_NOT_EXIST"``,
            ``"INVALID_PARAMETER_VALUE"`` or ``"RESOURCE_ALREADY_EXISTS"``.
    """

    def __init__(self, message, error_code="INTERNAL_ERROR", **kwargs):
        self.message = str(message)
        self.error_code = error_code if error_code in ERROR_CODE_TO_HTTP_STATUS else "INTERNAL_ERROR"
        self.json_kwargs = kwargs
        super().__init__(self.message)

    def serialize_as_json(self):
        import json

        return json.dumps({"error_code": self.error_code, "message": self.message, **self.json_kwargs})

    def get_http_status_code(self):
        """The HTTP status MLflow associates with this error's code (500 when unknown)."""
        return ERROR_CODE_TO_HTTP_STATUS.get(self.error_code, 500)

    @classmethod
    def invalid_parameter_value(cls, message, **kwargs):
        return cls(message, error_code="INVALID_PARAMETER_VALUE", **kwargs)


class RestException(MlflowException):
    """An error answer from the tracking server (``{"error_code": ..., "message": ...}``).

    ``str(e)`` reads ``"<ERROR_CODE>: <server message>"`` as in MLflow; ``e.error_code`` holds the
    code, ``e.server_message`` the server's own words and ``e.json`` the whole error body.
    """

    def __init__(self, json_body, http_status=None):
        error_code = json_body.get("error_code") or (
            error_code_for_http_status(http_status) if http_status else "INTERNAL_ERROR"
        )
        server_message = str(json_body.get("message", ""))
        self.json = json_body
        self.http_status = http_status
        self.server_message = server_message
        super().__init__(f"{error_code}: {server_message}", error_code=error_code)
        # Keep a code the server sent even if this list does not know it.
        self.error_code = error_code

    def get_http_status_code(self):
        return self.http_status or super().get_http_status_code()


class TrackingServerUnavailable(MlflowException):
    """The tracking server could not be reached (nothing listens, or it stopped answering)."""

    def __init__(self, message):
        super().__init__(message, error_code="TEMPORARILY_UNAVAILABLE")


__all__ = [
    "ERROR_CODE_TO_HTTP_STATUS",
    "MlflowException",
    "RestException",
    "TrackingServerUnavailable",
    "error_code_for_http_status",
]
