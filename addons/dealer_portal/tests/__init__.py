from . import test_access_rights
from . import test_dealer
from . import test_demo_data
from . import test_portal
from . import test_territory
from . import test_sellout_samples
from . import test_ledger
