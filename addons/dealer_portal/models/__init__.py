from . import dealer_territory
from . import dealer_customer
from . import product_template
from . import res_partner
