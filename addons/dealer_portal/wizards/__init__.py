from . import dealer_order_reject
