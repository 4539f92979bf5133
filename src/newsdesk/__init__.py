"""newsdesk: a self-hosted news aggregator for financial news in Chinese and English."""

__version__ = "0.1.0"
