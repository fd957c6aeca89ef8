from . import channel_flow_report
from . import channel_inventory_report
from . import channel_roi_report
