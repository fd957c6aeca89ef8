"""The test database holds every add-on of the repository, installed with demo data."""

from odoo_case import RepositoryCase

from conftest import addon_dirs


class TestInstalled(RepositoryCase):
    def test_every_addon_is_installed_with_demo_data(self):
        names = [path.name for path in addon_dirs()]
        modules = self.env["ir.module.module"].search([("name", "in", names)])
        self.assertEqual(sorted(modules.mapped("name")), sorted(names))
        for module in modules:
            self.assertEqual(module.state, "installed", module.name)
            self.assertTrue(module.demo, module.name)
