from . import test_flow_summary
