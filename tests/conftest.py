"""Shared helpers of the repository-wide tests."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def addon_dirs():
    """Every installable add-on of the repository."""
    return [
        manifest.parent
        for manifest in sorted(REPO.glob("addons/*/__manifest__.py"))
        if ast.literal_eval(manifest.read_text()).get("installable", True)
    ]


@pytest.fixture(params=addon_dirs(), ids=lambda path: path.name)
def addon(request):
    return request.param
