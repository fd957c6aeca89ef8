from . import controllers
from . import models
from . import report
from . import wizards


def post_init_hook(env):
    """Sum the ledger that is already there into the summaries."""
    env["channel.flow.daily"].action_rebuild_all()
