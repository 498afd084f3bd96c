"""Security tests from the endpoint inventory, named after the OWASP API Security Top 10 (2023)."""

from __future__ import annotations

from bot.generate.security.inventory import InventoryGap, inventory_gaps
from bot.generate.security.suite import plan_security

__all__ = ["InventoryGap", "inventory_gaps", "plan_security"]
