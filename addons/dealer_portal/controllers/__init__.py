from . import api
from . import portal
from . import sellout
from . import ordering
from . import announcement
from . import export
