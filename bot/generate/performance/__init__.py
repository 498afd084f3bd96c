"""Load tests from the endpoint inventory: one Locust file per feature, thresholds checked."""

from __future__ import annotations

from bot.generate.performance.suite import plan_performance

__all__ = ["plan_performance"]
