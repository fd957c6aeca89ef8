from . import dealer_key_customer_export
