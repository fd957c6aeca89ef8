from . import test_flow_summary
from . import test_reports
from . import test_roi
from . import test_dashboard
from . import test_portal
from . import test_export
