"""pytest settings for every test of the repository, add-ons' tests included."""

import logging

import pytest


class _ErrorRecorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_logged_errors():
    """Fail a test during which Odoo logged an error, as Odoo's own runner does.

    Errors a test expects are silenced with ``odoo.tools.mute_logger``, whose
    filter stops them before they reach this handler.
    """
    recorder = _ErrorRecorder()
    logger = logging.getLogger("odoo")
    logger.addHandler(recorder)
    try:
        yield
    finally:
        logger.removeHandler(recorder)
    if recorder.records:
        messages = "\n".join(
            f"{record.name}: {record.getMessage()}" for record in recorder.records
        )
        pytest.fail(f"Odoo logged {len(recorder.records)} error(s):\n{messages}")


@pytest.fixture(autouse=True, scope="session")
def read_manifests_once():
    """Read every add-on's manifest before any test server thread does.

    Odoo's HTTP threads read them all on the first static file a browser asks
    for; on Python 3.11 before 3.11.8, compiling in several threads at once may
    fail with "AST constructor recursion depth mismatch" (CPython gh-106905).
    """
    import odoo.http

    odoo.http.root.statics  # noqa: B018 - a lazy property, computed here
