"""The add-ons' style sheets compile: a broken one silently breaks every page."""

from odoo_case import RepositoryCase


class TestAssets(RepositoryCase):
    def test_bundles_compile_without_errors(self):
        for name in ("web.assets_frontend", "web.assets_backend"):
            with self.subTest(bundle=name):
                bundle = self.env["ir.qweb"]._get_asset_bundle(name, js=False)
                bundle.preprocess_css()
                self.assertEqual(bundle.css_errors, [])
