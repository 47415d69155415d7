"""Rasa's Redis lock store, kept working while Redis does not answer.

Rasa takes a conversation's lock in Redis for every turn (so that two Rasa servers never handle
one conversation at once). Rasa's own `RedisLockStore` fails every turn while Redis is down, and
families would get the 503. This one keeps locks in the Rasa process's memory meanwhile, and tries
Redis again every few seconds. The gateway sends a conversation to the same Rasa server each time,
so a lock in memory still keeps that conversation's turns in order.

It also mends Rasa's wait for the lock. A ticket lives as long from the moment it is issued,
waiting or served. When a server is killed mid-turn, its ticket stays until it expires; the
turn retried on another server queues behind it with a ticket issued a moment later, so the two
expire together, the waiting one is swept away with the dead one, and Rasa's loop waits for a
ticket that no longer exists until the gateway gives up. Here a ticket that expired while
waiting is issued again.
"""
from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager
from typing import AsyncGenerator, Callable, Optional, Text, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

log = logging.getLogger("carebot.lock_store")
RETRY_SECONDS = 5.0
Result = TypeVar("Result")


class RedisLockStoreWithFallback(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)
        self.memory = InMemoryLockStore()
        self.retry_at = 0.0

    def _either(self, in_redis: Callable[[], Result], in_memory: Callable[[], Result]) -> Result:
        if time.monotonic() >= self.retry_at:
            try:
                result = in_redis()
                if self.retry_at:
                    log.warning("Redis answers again: conversation locks are back in Redis")
                    self.retry_at = 0.0
                return result
            except redis.RedisError as exc:
                log.warning("Redis does not answer (%s): conversation locks kept in memory", type(exc).__name__)
                self.retry_at = time.monotonic() + RETRY_SECONDS
        return in_memory()

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        return self._either(lambda: super(RedisLockStoreWithFallback, self).get_lock(conversation_id),
                            lambda: self.memory.get_lock(conversation_id))

    def delete_lock(self, conversation_id: Text) -> None:
        self._either(lambda: super(RedisLockStoreWithFallback, self).delete_lock(conversation_id),
                     lambda: self.memory.delete_lock(conversation_id))

    def save_lock(self, lock: TicketLock) -> None:
        self._either(lambda: super(RedisLockStoreWithFallback, self).save_lock(lock),
                     lambda: self.memory.save_lock(lock))

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[TicketLock, None]:
        """Rasa's `LockStore.lock`, with a waiting ticket that expired issued again."""
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            while True:
                lock = self.get_lock(conversation_id)
                if lock is None or all(held.number != ticket for held in lock.tickets):
                    ticket = self.issue_ticket(conversation_id, lock_lifetime)  # expired while waiting
                elif not lock.is_locked(ticket):
                    break
                else:
                    await asyncio.sleep(wait_time_in_seconds)
                    self.update_lock(conversation_id)
            yield lock
        finally:
            self.cleanup(conversation_id, ticket)
