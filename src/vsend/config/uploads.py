"""An upload handler that keeps no more of a file than vsend will read.

Put first in the request's handlers (by the input hygiene middleware, before the body is
parsed), it stops the upload once a file passes FILE_UPLOAD_LIMIT_BYTES: the rest of the body is
read and thrown away, never kept in memory or on disk, and the view finds
`request.upload_too_large` set (see `too_large`).
"""

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest


class BoundedUpload(FileUploadHandler):
    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.over = False

    def _stop(self) -> None:
        self.request.upload_too_large = True  # type: ignore[union-attr]
        raise StopUpload(connection_reset=False)

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        # The body holds the file and a few small fields besides; stopped at its first file
        # (the parser only catches a stop raised while it reads the parts).
        self.over = content_length > self.limit + 64 * 1024

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if self.over:
            self._stop()
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._stop()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def too_large(request: HttpRequest) -> bool:
    """Was a file in this request stopped for being over the limit?"""
    return bool(getattr(request, "upload_too_large", False))
