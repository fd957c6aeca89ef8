from odoo.tools import SQL, sql

from . import controllers
from . import models
from . import report
from . import wizards
from .services import partitioning

# The sell-out tables may be partitioned (docs/scale-out.md). Done on import
# rather than in a post_load hook, which Odoo skips for a module imported
# before its registry loads (as test runners do).
sql.existing_tables = partitioning.existing_tables


def uninstall_hook(env):
    # The table of the sell-out locks belongs to no model: Odoo would leave it.
    env.cr.execute(SQL("DROP TABLE IF EXISTS dealer_sellout_lock"))
