import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.service.model import retrying
from odoo.tests import TransactionCase, freeze_time, new_test_user
from odoo.tools import mute_logger


def race(registry, jobs):
    """Run each job, a function of an environment, in its own thread and
    cursor, all released at the same moment after their transactions started;
    Odoo runs again a transaction PostgreSQL failed for a concurrent update.

    :return: ``(outcomes, retries)``: per job, what it returned or the message
        of the error that refused it; the messages of the retries
    """
    barrier = threading.Barrier(len(jobs))
    retries = []
    counter = logging.Handler(logging.INFO)
    counter.emit = lambda record: retries.append(record.getMessage())
    retry_logger = logging.getLogger("odoo.service.model")
    level = retry_logger.level
    retry_logger.setLevel(logging.INFO)
    retry_logger.addHandler(counter)

    def run(job):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # the transaction's snapshot is taken here, before the others have
            # written anything
            cr.execute("SELECT 1")
            barrier.wait(timeout=30)
            try:
                return retrying(partial(job, env), env)
            except UserError as error:
                cr.rollback()
                return str(error)

    try:
        with (
            mute_logger("odoo.sql_db"),
            ThreadPoolExecutor(max_workers=len(jobs)) as executor,
        ):
            futures = [executor.submit(run, job) for job in jobs]
            outcomes = [future.result(timeout=120) for future in futures]
    finally:
        retry_logger.removeHandler(counter)
        retry_logger.setLevel(level)
    return outcomes, [message for message in retries if "try again" in message]


class DealerCommon(TransactionCase):
    """A small channel that does not depend on demo data.

    Dealer A sells in 浙江省, dealer B in 上海市, and A's sub-dealer in 湖州市;
    each dealer has a portal user and a downstream customer. The province
    territories come with the module's data; the cities are the test's own.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.zhejiang = cls.env.ref("dealer_portal.territory_zhejiang")
        cls.shanghai = cls.env.ref("dealer_portal.territory_shanghai")
        cls.state_zhejiang = cls.env.ref("base.state_cn_ZJ")
        cls.state_shanghai = cls.env.ref("base.state_cn_SH")
        # Decisions go to the staff of the dealer's territories; the demo's
        # staff have no say in the test's channel.
        cls.env["dealer.territory"].search([]).manager_ids = False
        cls.jiaxing, cls.huzhou = cls.env["dealer.territory"].create(
            [
                {"name": "嘉兴市", "level": "city", "parent_id": cls.zhejiang.id},
                {"name": "湖州市", "level": "city", "parent_id": cls.zhejiang.id},
            ]
        )

        cls.category_root = cls.env["product.category"].create({"name": "测试饮料"})
        cls.category_tea, cls.category_energy = cls.env["product.category"].create(
            [
                {"name": "茶", "parent_id": cls.category_root.id},
                {"name": "能量", "parent_id": cls.category_root.id},
            ]
        )
        cls.product_tea, cls.product_energy = cls.env["product.product"].create(
            [
                {
                    "name": "测试绿茶",
                    "default_code": "T-TEA",
                    "categ_id": cls.category_tea.id,
                    "is_storable": True,
                    "tracking": "lot",
                    "list_price": 30.0,
                    "channel_floor_price": 35.0,
                },
                {
                    "name": "测试能量饮料",
                    "default_code": "T-EN",
                    "categ_id": cls.category_energy.id,
                    "is_storable": True,
                    "list_price": 78.0,
                    "channel_floor_price": 90.0,
                },
            ]
        )

        Partner = cls.env["res.partner"]
        cls.dealer_a, cls.dealer_b = Partner.create(
            [
                {
                    "name": "浙江测试商贸",
                    "is_company": True,
                    "is_dealer": True,
                    "dealer_code": "TA01",
                    "dealer_territory_ids": [Command.set(cls.zhejiang.ids)],
                    "dealer_category_ids": [Command.set(cls.category_root.ids)],
                    "state_id": cls.state_zhejiang.id,
                },
                {
                    "name": "上海测试商贸",
                    "is_company": True,
                    "is_dealer": True,
                    "dealer_code": "TB01",
                    "dealer_territory_ids": [Command.set(cls.shanghai.ids)],
                    "dealer_category_ids": [Command.set(cls.category_tea.ids)],
                    "state_id": cls.state_shanghai.id,
                },
            ]
        )
        cls.sub_dealer = Partner.create(
            {
                "name": "湖州测试分销",
                "is_company": True,
                "is_dealer": True,
                "dealer_code": "TA11",
                "dealer_level": "sub_distributor",
                "dealer_parent_id": cls.dealer_a.id,
                "dealer_territory_ids": [Command.set(cls.huzhou.ids)],
                "dealer_category_ids": [Command.set(cls.category_root.ids)],
            }
        )
        cls.user_a = cls._dealer_user(cls.dealer_a, "dealer_a")
        cls.user_b = cls._dealer_user(cls.dealer_b, "dealer_b")

        cls.customer_a, cls.customer_b = cls.env["dealer.customer"].create(
            [
                {
                    "dealer_id": cls.dealer_a.id,
                    "code": "C-A-001",
                    "name": "嘉兴测试超市",
                    "state_id": cls.state_zhejiang.id,
                    "city": "嘉兴市",
                },
                {
                    "dealer_id": cls.dealer_b.id,
                    "code": "C-B-001",
                    "name": "上海测试便利店",
                    "state_id": cls.state_shanghai.id,
                    "city": "上海市",
                },
            ]
        )

    @classmethod
    def _deliver(cls, dealer, product, quantity, lot_name=None, date="2026-09-10"):
        """Ship ``quantity`` of ``product`` to ``dealer`` from the main warehouse,
        validated on ``date``: the dealer's receipt in its ledger."""
        env = cls.env
        warehouse = env.ref("stock.warehouse0")
        lot = env["stock.lot"]
        if lot_name:
            lot = lot.search(
                [("name", "=", lot_name), ("product_id", "=", product.id)]
            ) or lot.create({"name": lot_name, "product_id": product.id})
        env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, quantity, lot_id=lot or None
        )
        picking = env["stock.picking"].create(
            {
                "partner_id": dealer.id,
                "picking_type_id": warehouse.out_type_id.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "product_uom": product.uom_id.id,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_line_ids.write({"lot_id": lot.id, "quantity": quantity})
        with freeze_time(f"{date} 10:00:00"):
            picking.button_validate()
        return picking

    @classmethod
    def _dealer_user(cls, dealer, login):
        """A portal user working for ``dealer``, as the portal wizard makes them.

        Its password is its login, as ``HttpCase.start_tour`` expects.
        """
        contact = cls.env["res.partner"].create(
            {"name": f"{dealer.name} 业务员", "parent_id": dealer.id}
        )
        return new_test_user(
            cls.env,
            login=login,
            groups="base.group_portal",
            name=contact.name,
            partner_id=contact.id,
            password=login,
        )

    @contextmanager
    def assertRaisesText(self, exception, text):
        """Like ``assertRaises`` (and its savepoint), also checking the message."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertIn(text, str(caught.exception))
