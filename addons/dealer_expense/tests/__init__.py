from . import test_fund
from . import test_claim
from . import test_write_off
from . import test_access_rights
from . import test_portal
from . import test_concurrency
