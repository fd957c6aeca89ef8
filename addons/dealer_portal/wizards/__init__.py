from . import dealer_order_reject
from . import dealer_sellout_issue_decision
