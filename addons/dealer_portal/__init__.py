from odoo.tools import sql

from . import controllers
from . import models
from . import report
from . import wizards
from .services import partitioning

# The sell-out tables may be partitioned (docs/scale-out.md). Done on import
# rather than in a post_load hook, which Odoo skips for a module imported
# before its registry loads (as test runners do).
sql.existing_tables = partitioning.existing_tables
