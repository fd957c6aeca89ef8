from . import channel_analytics_export
from . import dealer_key_customer_export
