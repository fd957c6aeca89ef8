"""Odoo test cases for the repository-wide tests, which live outside any add-on."""

from odoo.tests import TransactionCase


class RepositoryCase(TransactionCase):
    """A ``TransactionCase`` that pytest-odoo runs on the test database.

    Odoo tags only the test classes of add-ons; these ones are tagged here.
    """

    test_tags = {"standard", "post_install"}
    test_module = "repository"
    test_sequence = 0

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.test_class = cls.__name__
