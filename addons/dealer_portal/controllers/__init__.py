from . import portal
from . import ordering
