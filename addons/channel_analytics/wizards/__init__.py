from . import channel_analytics_export
