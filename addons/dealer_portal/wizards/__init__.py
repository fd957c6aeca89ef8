from . import dealer_order_reject
from . import dealer_reconciliation
from . import dealer_sellout_issue_decision
from . import dealer_trace
