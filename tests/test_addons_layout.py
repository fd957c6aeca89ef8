"""Every add-on ships what an Odoo admin and a Chinese user expect."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import polib

README_BUILD = Path(__file__).resolve().parent.parent / "tools" / "readme-build"

CJK = re.compile(r"[\u2e80-\u9fff]")


def test_manifest(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", manifest["version"])
    assert manifest["license"] == "LGPL-3"
    for path in manifest.get("data", []) + manifest.get("demo", []):
        assert (addon / path).is_file(), path
    for name in ("README.rst", "readme/DESCRIPTION.rst", "static/description/icon.png"):
        assert (addon / name).is_file(), name


def test_readme_is_built_from_its_fragments(addon):
    result = subprocess.run(
        [sys.executable, str(README_BUILD), "--check", addon.name],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_string_has_its_chinese_translation(addon):
    template = polib.pofile(str(addon / "i18n" / f"{addon.name}.pot"))
    chinese = polib.pofile(str(addon / "i18n" / "zh_CN.po"))
    translated = {entry.msgid: entry.msgstr for entry in chinese}
    untranslated = [
        entry.msgid
        for entry in template
        if not translated.get(entry.msgid) and not CJK.search(entry.msgid)
    ]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:10]}"


def test_translations_keep_their_placeholders(addon):
    chinese = polib.pofile(str(addon / "i18n" / "zh_CN.po"))
    placeholder = re.compile(r"%\(\w+\)s|%s|%d")
    for entry in chinese.translated_entries():
        assert sorted(placeholder.findall(entry.msgid)) == sorted(
            placeholder.findall(entry.msgstr)
        ), entry.msgid
