"""testgen-bot: keeps a GitLab project's Allure API tests in step with its code."""

__version__ = "0.1.0"
