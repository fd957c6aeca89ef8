from . import channel_flow_mixin
from . import channel_flow_daily
from . import channel_flow_monthly
from . import dealer_stock_move
from . import res_company
from . import res_config_settings
from . import dealer_expense_claim
from . import channel_dashboard
