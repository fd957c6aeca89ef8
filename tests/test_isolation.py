"""Dealers are kept apart on every route and every model of the repository.

The routes are read from Odoo's routing map and the models from the add-ons'
records in ``ir.model.data``: a route or a model added later is tested without
anyone listing it here. What a route's parameters point at must be known
(``RECORD_PARAMETERS``); a new kind of parameter fails the suite until it is
added there.

The channel is ``OrderingCommon``'s: dealer A (浙江) and dealer B (上海), each
with a portal user, orders, deliveries, invoices, sell-out, stock, codes,
stocktakes and announcements. Dealer A's user asks for B's records; an
anonymous visitor asks for everything; nobody gets a 200, B's data appears in
no body, and B's records are unchanged.
"""

import inspect
import io
import itertools
import json
import re

from odoo_case import RepositoryCase
from PIL import Image

from odoo.fields import Command
from odoo.tests import HttpCase, freeze_time
from odoo.tools import mute_logger

from odoo.addons.dealer_portal.tests.common_ordering import OrderingCommon

# The add-ons of the repository whose routes and models are walked.
ADDON_PREFIX = re.compile(r"^odoo\.addons\.(dealer_\w+|channel_\w+)(\.|$)")

# Where a parameter names another kind of record on some routes.
RECORD_PARAMETERS_BY_ROUTE = {("/my/dealer/claims/", "attachment_id"): "proof"}

# Route parameters that do not name a record.
PLAIN_PARAMETERS = {"page": 1, "decision": "confirm", "action": "cancel"}


def photo(colour):
    """A small JPEG, as claims' proof; each colour is another file."""
    output = io.BytesIO()
    Image.new("RGB", (16, 12), colour).save(output, format="JPEG")
    return output.getvalue()


# Texts of dealer B's records that must show nowhere dealer A or a visitor looks.
B_MARKERS = ("上海测试商贸", "C-B-001", "上海测试便利店", "SECRET-B", "B-OWN", "PO-B-7")

# Statuses that refuse a request: back to /my (the portal's way), or to the
# login page, or a plain 403/404.
REFUSED = (303, 403, 404)

# Errors by which JSON-RPC refuses a call on another dealer's records.
ACCESS_ERRORS = ("odoo.exceptions.AccessError", "odoo.exceptions.MissingError")


class IsolationWorld(OrderingCommon):
    """Two dealers with one record of every kind each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.dealer_receipt_source = "confirmation"
        cls.worlds = {
            "a": cls._records(cls.dealer_a, "A"),
            "b": cls._records(cls.dealer_b, "B"),
        }

    @classmethod
    def _records(cls, dealer, letter):
        env = cls.env
        customer = cls.customer_a if letter == "A" else cls.customer_b
        order = cls._order(
            dealer, [(cls.product_tea, 10)], client_order_ref=f"PO-{letter}-7"
        )
        picking = cls._deliver(order)
        invoice = cls._invoice(order)
        receipt = picking.dealer_receipt_ids
        receipt.action_confirm()
        batch = env["dealer.sellout.batch"]._from_rows(
            dealer,
            "form",
            [
                {
                    "date": "2026-10-05",
                    "product_code": "T-TEA",
                    "quantity": "2",
                    "unit_price": "38",
                    "customer_code": customer.code,
                    "doc_ref": f"SECRET-{letter}",
                },
                {
                    "date": "2026-10-06",
                    "product_code": "T-TEA",
                    "quantity": "500",  # more than in stock: a blocking issue
                    "unit_price": "38",
                    "customer_code": customer.code,
                    "doc_ref": f"SECRET-{letter}2",
                },
            ],
        )
        code = env["dealer.product.code"].create(
            {
                "dealer_id": dealer.id,
                "code": f"{letter}-OWN",
                "product_id": cls.product_tea.id,
            }
        )
        stocktake = env["dealer.stocktake"].create(
            {
                "dealer_id": dealer.id,
                "date": "2026-11-01",
                "line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product_tea.id,
                            "lot_id": cls.lot_tea.id,
                            "counted_quantity": 9,
                        }
                    )
                ],
            }
        )
        territory = cls.zhejiang if letter == "A" else cls.shanghai
        announcement = env["dealer.announcement"].create(
            {
                "name": f"公告 {letter}",
                "audience_all": False,
                "territory_ids": [Command.set(territory.ids)],
                "attachment_ids": [
                    Command.create(
                        {"name": f"{letter}.txt", "raw": f"file {letter}".encode()}
                    )
                ],
            }
        )
        announcement.action_publish()
        records = {
            "dealer": dealer,
            "customer": customer,
            "order": order,
            "picking": picking,
            "invoice": invoice,
            "receipt": receipt,
            "batch": batch,
            "line": batch.line_ids[:1],
            "issue": batch.line_ids.issue_ids[:1],
            "code": code,
            "stocktake": stocktake,
            "announcement": announcement,
            "attachment": announcement.attachment_ids,
        }
        if "dealer.expense.claim" in env:
            records.update(cls._expense_records(dealer, letter))
        if "dealer.grade" in env:
            records.update(cls._grading_records(dealer, letter))
        return records

    @classmethod
    def _expense_records(cls, dealer, letter):
        """A fund and a draft claim with its proof (dealer_expense)."""
        env = cls.env
        expense_type = env.ref("dealer_expense.expense_type_promotion")
        fund = env["dealer.fund"].create(
            {
                "name": f"基金 {letter}",
                "dealer_id": dealer.id,
                "date_from": "2026-10-01",
                "date_to": "2026-12-31",
                "line_ids": [Command.create({"amount": 5000.0, "date": "2026-10-01"})],
            }
        )
        fund.action_open()
        claim = env["dealer.expense.claim"].create(
            {
                "dealer_id": dealer.id,
                "fund_id": fund.id,
                "expense_type_id": expense_type.id,
                "date_from": "2026-10-10",
                "date_to": "2026-10-12",
                "requested_amount": 800.0,
                "description": f"SECRET-{letter} 陈列",
            }
        )
        claim._add_proof(
            [(f"proof-{letter}.jpg", photo(letter == "A" and "red" or "blue"))]
        )
        claim.action_submit()
        claim.action_cancel()
        claim.action_reset_draft()  # back to draft, with its decisions logged
        return {
            "fund": fund,
            "claim": claim,
            "proof": claim.proof_ids,
            "decision": claim.decision_ids[:1],
        }

    @classmethod
    def _grading_records(cls, dealer, letter):
        """A posted sale, then the dealer's grade and key customers
        (channel_analytics)."""
        env = cls.env
        customer = cls.customer_a if letter == "A" else cls.customer_b
        env["dealer.sellout.batch"]._from_rows(
            dealer,
            "form",
            [
                {
                    "date": "2026-11-27",
                    "product_code": "T-TEA",
                    "quantity": "1",
                    "unit_price": "38",
                    "customer_code": customer.code,
                }
            ],
        ).action_submit()
        grade = env["dealer.grade"]._recompute_grades(
            dealers=dealer, period="2026-11-01"
        )
        Key = env["dealer.key.customer"]
        Key._recompute_key_customers(dealers=dealer, period="2026-11-01")
        return {
            "grade": grade,
            "grade_line": grade.line_ids[:1],
            "key_customer": Key.search([("dealer_id", "=", dealer.id)], limit=1),
        }


def snapshot(env, world):
    """What the world's records hold, but their write dates."""
    env.invalidate_all()
    return {
        kind: repr(
            record.sudo().read(
                [
                    name
                    for name, field in record._fields.items()
                    if field.store
                    and field.type not in ("binary", "one2many", "many2many")
                    and name != "write_date"
                ]
            )
        )
        for kind, record in world.items()
    }


# Route parameter → the kind of record in IsolationWorld it names.
RECORD_PARAMETERS = {
    "announcement_id": "announcement",
    "attachment_id": "attachment",
    "batch_id": "batch",
    "claim_id": "claim",
    "fund_id": "fund",
    "code_id": "code",
    "customer_id": "customer",
    "line_id": "line",
    "order_id": "order",
    "picking_id": "picking",
}


def record_kind(path, parameter):
    for (prefix, name), kind in RECORD_PARAMETERS_BY_ROUTE.items():
        if name == parameter and path.startswith(prefix):
            return kind
    return RECORD_PARAMETERS.get(parameter)


def our_routes(env):
    """``(path template, endpoint routing)`` of every route of the add-ons."""
    routes = []
    for rule in env["ir.http"].routing_map().iter_rules():
        endpoint = rule.endpoint
        function = getattr(endpoint, "original_endpoint", endpoint)
        if ADDON_PREFIX.match(getattr(function, "__module__", "")):
            routes.append((rule, endpoint.routing))
    return sorted(routes, key=lambda route: route[0].rule)


@freeze_time("2026-11-27")
class TestRouteIsolation(IsolationWorld, HttpCase, RepositoryCase):
    def setUp(self):
        super().setUp()
        self.routes = our_routes(self.env)
        self.assertTrue(self.routes, "no route found: is the routing map read?")

    def _url(self, rule, values):
        return rule.build(values, append_unknown=False)[1]

    def _combinations(self, rule):
        """Each way of filling the rule's record parameters with A's and B's
        records, except A's everywhere (first, returned apart)."""
        names = sorted(rule.arguments)
        unknown = [
            name
            for name in names
            if not record_kind(rule.rule, name) and name not in PLAIN_PARAMETERS
        ]
        self.assertFalse(
            unknown,
            f"{rule.rule}: say in RECORD_PARAMETERS what {unknown} names, "
            "so that the route is tested with another dealer's records",
        )
        choices = []
        for name in names:
            if name in PLAIN_PARAMETERS:
                choices.append([(name, PLAIN_PARAMETERS[name], "a")])
            else:
                kind = record_kind(rule.rule, name)
                choices.append(
                    [(name, self.worlds[who][kind].id, who) for who in ("a", "b")]
                )
        combos = [
            dict((name, value) for name, value, _who in combo)
            for combo in itertools.product(*choices)
        ]
        owners = [
            {who for _name, _value, who in combo}
            for combo in itertools.product(*choices)
        ]
        own = [combo for combo, who in zip(combos, owners, strict=True) if who <= {"a"}]
        foreign = [
            combo for combo, who in zip(combos, owners, strict=True) if "b" in who
        ]
        return own[0], foreign

    def _methods(self, routing):
        methods = routing.get("methods") or ["GET", "POST"]
        return [method for method in methods if method in ("GET", "POST")]

    def _request(self, method, url, token=None):
        if method == "GET":
            return self.url_open(url, allow_redirects=False)
        data = {"csrf_token": token} if token else {"no_token": "1"}
        return self.url_open(url, data=data, allow_redirects=False)

    def assertNoMarker(self, response, what):
        body = response.content.decode("utf-8", "replace")
        for marker in B_MARKERS:
            self.assertNotIn(marker, body, f"{what}: dealer B's data in the body")

    def _snapshot(self, who="b"):
        """What a dealer's records hold, to prove no request changed them."""
        return snapshot(self.env, self.worlds[who])

    def _token(self):
        page = self.url_open("/my/dealer/sellout/new")
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def test_dealer_gets_nothing_of_another_dealer(self):
        before = self._snapshot()
        self.authenticate("dealer_a", "dealer_a")
        token = self._token()
        checked = 0
        for rule, routing in self.routes:
            if routing.get("auth") != "user":
                continue
            own, foreign = self._combinations(rule)
            for method in self._methods(routing):
                if method == "GET":
                    response = self._request(method, self._url(rule, own))
                    self.assertEqual(
                        response.status_code,
                        200,
                        f"GET {rule.rule} with dealer A's own records should work: "
                        f"{response.status_code} {response.headers.get('Location')}",
                    )
                    self.assertNoMarker(response, f"GET {self._url(rule, own)}")
                for values in foreign:
                    url = self._url(rule, values)
                    with mute_logger("odoo.http"):
                        response = self._request(method, url, token)
                    self.assertIn(
                        response.status_code, REFUSED, f"{method} {url} as dealer A"
                    )
                    self.assertNoMarker(response, f"{method} {url}")
                    checked += 1
        self.assertEqual(
            self._snapshot(), before, "a request changed dealer B's records"
        )
        self.assertGreater(checked, 20)

    def test_odoo_document_pages_refuse_another_dealers_documents(self):
        """The order and invoice pages dealers reach from ours are Odoo's own,
        which also take an access token: a wrong one opens nothing."""
        world = self.worlds["b"]
        urls = [
            f"/my/orders/{world['order'].id}",
            f"/my/invoices/{world['invoice'].id}",
            f"/my/orders/{world['order'].id}?access_token=wrong",
            f"/my/invoices/{world['invoice'].id}?access_token=wrong",
            f"/my/invoices/{world['invoice'].id}?access_token=wrong&report_type=pdf",
        ]
        for login in (None, "dealer_a"):
            if login:
                self.authenticate(login, login)
            for url in urls:
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 303, f"{url} as {login}")
                self.assertNoMarker(response, url)

    def test_visitor_is_sent_to_log_in(self):
        before = self._snapshot()
        for rule, routing in self.routes:
            own, foreign = self._combinations(rule)
            for method in self._methods(routing):
                for values in [own, *foreign]:
                    url = self._url(rule, values)
                    for suffix in ("", "?access_token=wrong"):
                        with mute_logger("odoo.http"):
                            response = self._request(method, url + suffix)
                        what = f"{method} {url}{suffix} as a visitor"
                        self.assertNoMarker(response, what)
                        if routing.get("auth") == "bearer":
                            self.assertEqual(response.status_code, 401, what)
                        elif method == "POST" and routing.get("csrf", True):
                            # no session, no token: refused before the route runs
                            self.assertIn(response.status_code, (303, 400), what)
                        else:
                            self.assertEqual(response.status_code, 303, what)
                            self.assertIn(
                                "/web/login", response.headers["Location"], what
                            )
        self.assertEqual(self._snapshot(), before)

    def test_every_post_needs_its_csrf_token(self):
        before = self._snapshot()
        self.authenticate("dealer_a", "dealer_a")
        own_before = self._snapshot("a")
        for rule, routing in self.routes:
            if routing.get("auth") != "user" or "POST" not in self._methods(routing):
                continue
            own, _foreign = self._combinations(rule)
            url = self._url(rule, own)
            with mute_logger("odoo.http"):
                response = self._request("POST", url)
            self.assertEqual(response.status_code, 400, f"POST {url} without a token")
        self.assertEqual(
            self._snapshot("a"), own_before, "a POST without token changed A's records"
        )
        self.assertEqual(self._snapshot(), before)


def our_models(env):
    """The models the add-ons define or extend, by name."""
    data = env["ir.model.data"].search(
        [("model", "=", "ir.model"), ("module", "=like", "dealer\\_%")]
    ) | env["ir.model.data"].search(
        [("model", "=", "ir.model"), ("module", "=like", "channel\\_%")]
    )
    names = env["ir.model"].browse(data.mapped("res_id")).mapped("model")
    return sorted(name for name in names if not env[name]._abstract)


def our_public_methods(model):
    """Public methods the add-ons wrote on ``model``, with whether they can be
    called without arguments."""
    methods = {}
    for cls in type(model).__mro__:
        if not ADDON_PREFIX.match(cls.__module__):
            continue
        for name, function in vars(cls).items():
            if name.startswith("_") or not inspect.isfunction(function):
                continue
            if getattr(function, "_api_private", False):
                continue
            required = [
                parameter
                for parameter in list(inspect.signature(function).parameters.values())[
                    1:
                ]
                if parameter.default is parameter.empty
                and parameter.kind
                not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
            ]
            methods[name] = not required
    return methods


def is_window_action(result):
    return isinstance(result, dict) and result.get("type") == "ir.actions.act_window"


# Values to create a record of dealer B with, for each model a portal user may
# create records of (its access rights allow it; record rules must refuse B's).
CREATE_VALUES = {
    "dealer.customer": lambda world: {
        "dealer_id": world["dealer"].id,
        "name": "伪造客户",
    },
    "dealer.product.code": lambda world: {
        "dealer_id": world["dealer"].id,
        "code": "FORGED",
        "product_id": world["line"].product_id.id,
    },
    "dealer.sellout.batch": lambda world: {"dealer_id": world["dealer"].id},
    "dealer.stocktake": lambda world: {"dealer_id": world["dealer"].id},
    "dealer.stocktake.line": lambda world: {
        "stocktake_id": world["stocktake"].id,
        "product_id": world["line"].product_id.id,
        "counted_quantity": 1,
    },
}

# Core models the add-ons extend that hold no dealer's data of their own: only
# the add-ons' public methods are called on them.
SHARED_MODELS = {
    "product.product",
    "product.template",
    "res.company",
    "res.config.settings",
    "res.users",
    "dealer.territory",
    "dealer.sellout.rule",
    "dealer.expense.type",
}


@freeze_time("2026-11-27")
class TestModelIsolation(IsolationWorld, HttpCase, RepositoryCase):
    """The same through JSON-RPC, model by model."""

    def _b_record(self, model_name):
        """Dealer B's record of the model, or some record the portal must not touch."""
        world = self.worlds["b"]
        for record in world.values():
            if record._name == model_name:
                return record
        Model = self.env[model_name].sudo()
        if model_name == "res.partner":
            return world["dealer"]
        if "dealer_id" in Model._fields and not Model._transient:
            record = Model.search([("dealer_id", "=", world["dealer"].id)], limit=1)
            self.assertTrue(record, f"the world has no {model_name} of dealer B")
            return record
        for field in ("stocktake_id", "receipt_id", "announcement_id", "batch_id"):
            if field in Model._fields:
                parent = Model._fields[field].comodel_name
                return Model.search([(field, "=", self._b_record(parent).id)], limit=1)
        # a wizard with no record yet: the access rights refuse any id
        return Model.search([], limit=1) or Model.browse(1)

    def _call(self, model, method, args, kwargs=None):
        """Call ``method`` by JSON-RPC: ``("ok", result)`` or ``("error", name)``."""
        response = self.url_open(
            "/web/dataset/call_kw",
            data=self._jsonrpc(model, method, args, kwargs),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        for marker in B_MARKERS:
            self.assertNotIn(
                marker, response.text, f"{model}.{method}: B's data in the answer"
            )
        if "error" in body:
            return "error", body["error"]["data"]["name"]
        return "ok", body["result"]

    def _jsonrpc(self, model, method, args, kwargs):
        return json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            }
        )

    def _snapshot(self):
        return snapshot(self.env, self.worlds["b"])

    def _harmless_change(self, record):
        """New text for a field of the record, for write to have work to do."""
        for name, field in sorted(record._fields.items()):
            if field.type == "char" and field.store and not field.readonly:
                return {name: "改写"}
        return {}

    def test_models_refuse_another_dealers_records(self):
        models = our_models(self.env)
        self.assertIn("dealer.sellout.line", models)
        before = self._snapshot()
        self.authenticate("dealer_a", "dealer_a")
        leaks = []
        with mute_logger("odoo.http"):
            for model in models:
                record = self._b_record(model)
                if model not in SHARED_MODELS:
                    status, result = self._call(
                        model,
                        "search_read",
                        [[("id", "=", record.id)]],
                        {"fields": ["display_name"]},
                    )
                    if status == "ok" and result:
                        leaks.append(f"{model}: search_read finds B's record")
                    status, result = self._call(
                        model, "read", [record.ids, ["display_name"]]
                    )
                    if status == "ok":
                        leaks.append(f"{model}: read B's record")
                status, result = self._call(
                    model, "write", [record.ids, self._harmless_change(record)]
                )
                if status == "ok":
                    leaks.append(f"{model}: write on {record}")
                status, result = self._call(model, "unlink", [record.ids])
                if status == "ok":
                    leaks.append(f"{model}: unlink of {record}")
        self.assertFalse(leaks, "\n".join(leaks))
        self.assertEqual(self._snapshot(), before)

    def test_portal_cannot_create_for_another_dealer(self):
        creatable = [
            model
            for model in our_models(self.env)
            if self.env[model].with_user(self.user_a).has_access("create")
        ]
        self.assertEqual(
            sorted(creatable),
            sorted(CREATE_VALUES),
            "say in CREATE_VALUES how to forge a record of each model a portal "
            "user may create",
        )
        self.authenticate("dealer_a", "dealer_a")
        with mute_logger("odoo.http"):
            for model, values in CREATE_VALUES.items():
                status, result = self._call(model, "create", [values(self.worlds["b"])])
                self.assertEqual(status, "error", f"{model}: created {result} for B")
                self.assertIn(result, ACCESS_ERRORS, model)

    def test_public_methods_refuse_another_dealers_records(self):
        before = self._snapshot()
        self.authenticate("dealer_a", "dealer_a")
        leaks, called = [], 0
        with mute_logger("odoo.http", "odoo.addons.dealer_portal"):
            for model in our_models(self.env):
                record = self._b_record(model)
                for method, callable_bare in sorted(
                    our_public_methods(self.env[model]).items()
                ):
                    function = getattr(type(self.env[model]), method)
                    args = (
                        [] if getattr(function, "_api_model", False) else [record.ids]
                    )
                    status, result = self._call(model, method, args)
                    called += 1
                    if status == "error" and (
                        result in ACCESS_ERRORS or not callable_bare
                    ):
                        continue
                    if status == "ok" and is_window_action(result):
                        # A button opening a view: what it shows is read
                        # through the ORM, whose rules the other tests check.
                        continue
                    leaks.append(f"{model}.{method}() on B's record: {status} {result}")
        self.assertGreater(called, 10)
        self.assertFalse(leaks, "\n".join(leaks))
        self.assertEqual(self._snapshot(), before)
