"""Renderers shared by the adapters: plain text and limit-aware splitting."""
