from . import dealer_fund_transfer
from . import dealer_expense_claim_approve
from . import dealer_expense_claim_reject
from . import dealer_expense_write_off
from . import dealer_expense_export
