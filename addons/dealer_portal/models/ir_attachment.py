from odoo import models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _index(self, bin_data, file_type, checksum=None):
        # A sell-out file is found through its batch, never by the words in it:
        # collecting them from a CSV of a hundred megabytes takes seconds.
        if self.env.context.get("dealer_sellout_file"):
            return False
        return super()._index(bin_data, file_type, checksum=checksum)
