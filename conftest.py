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
