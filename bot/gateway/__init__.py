"""The public web gateway: /api/chat (shared/docs/chat-api.md), /healthz."""
