from odoo import fields


class BulkMany2one(fields.Many2one):
    """A many2one whose column carries no foreign key constraint.

    For the tables sell-out is loaded into by the hundred thousand rows:
    PostgreSQL checks each foreign key of each row with a locking lookup, which
    costs several times the insert itself. The loaders write only ids they have
    just read from the referenced tables, and what these columns point to
    (dealers, products, lots, customers) is archived, never deleted, once it
    has sell-out.
    """

    def update_db_foreign_key(self, model, column):
        return
