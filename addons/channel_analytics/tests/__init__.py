from . import test_flow_summary
from . import test_reports
from . import test_roi
from . import test_dashboard
from . import test_grade
from . import test_key_customer
from . import test_grade_access
from . import test_benchmark
