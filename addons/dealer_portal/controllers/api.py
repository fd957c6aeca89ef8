import json
import logging

from odoo import _, http
from odoo.exceptions import UserError
from odoo.http import request

from ..services.sellout_parser import HEADER_INDEX, header_key

_logger = logging.getLogger(__name__)

MAX_API_LINES = 50000


class DealerSelloutApi(http.Controller):
    """Sell-out from dealers' own systems, with an Odoo API key as bearer token."""

    def _error(self, status, code, message, **extra):
        return request.make_json_response(
            {"error": {"code": code, "message": message, **extra}}, status=status
        )

    @http.route(
        "/api/dealer/v1/sellout",
        type="http",
        auth="bearer",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def sellout(self, **kw):
        dealer = request.env.user.commercial_partner_id
        if not dealer.is_dealer:
            return self._error(
                403, "not_a_dealer", _("This API key is not a dealer's.")
            )
        Batch = request.env["dealer.sellout.batch"]
        limit = Batch._max_upload_bytes(dealer)
        declared = request.httprequest.content_length or 0
        data = b"" if declared > limit else request.httprequest.get_data()
        if declared > limit or len(data) > limit:
            _logger.info(
                "Sell-out API call of dealer %s refused: %s bytes over %s",
                dealer.dealer_code,
                max(declared, len(data)),
                limit,
            )
            return self._error(413, "too_large", Batch._too_large_message(dealer))
        try:
            payload = json.loads(data or b"null")
        except (ValueError, UnicodeDecodeError):
            return self._error(400, "bad_json", _("The request body is not JSON."))
        lines = payload.get("lines") if isinstance(payload, dict) else None
        if not isinstance(lines, list) or not all(isinstance(x, dict) for x in lines):
            return self._error(
                400, "bad_request", _('The body needs "lines": a list of objects.')
            )
        if len(lines) > MAX_API_LINES:
            return self._error(
                413,
                "too_many_lines",
                _("Send at most %(max)s lines per call.", max=MAX_API_LINES),
            )
        client_ref = payload.get("client_ref")
        if client_ref is not None and not isinstance(client_ref, str | int):
            return self._error(400, "bad_request", _('"client_ref" must be a string.'))
        rows = [
            {
                HEADER_INDEX[header_key(key)]: value
                for key, value in line.items()
                if header_key(key) in HEADER_INDEX
            }
            for line in lines
        ]
        client_ref = str(client_ref) if client_ref is not None else None
        existing = client_ref and Batch.search(
            [("dealer_id", "=", dealer.id), ("client_ref", "=", client_ref)], limit=1
        )
        try:
            batch = existing or Batch._from_rows(dealer, "api", rows, client_ref)
        except UserError as err:
            request.env.cr.rollback()
            return self._error(422, "not_accepted", err.args[0])
        # The dealer may read, not write, its batch: results and submission are
        # read and done for it.
        result = batch.sudo()._api_result()
        if payload.get("submit") and batch.state == "draft":
            try:
                batch.sudo().action_submit()
            except UserError as err:
                request.env.cr.rollback()
                return self._error(
                    422, "not_submitted", err.args[0], lines=result["lines"]
                )
            result = batch.sudo()._api_result()
        return request.make_json_response(result, status=200 if existing else 201)
