from . import dealer_fund_report
