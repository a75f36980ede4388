"""A Rasa server calls its own action server first and the others when it can't.

Scaled out on one machine, a proxy between the Rasa servers and the action
servers cost a tenth of the messages the second server could carry (README,
"Speed"). Instead each Rasa server's `action_endpoint` names its nearest action
server as `url` and the other replicas as `fallback_urls`:

    action_endpoint:
      url: http://127.0.0.1:5055/webhook
      fallback_urls: [http://127.0.0.1:5057/webhook]

A call that can't reach a replica (refused, reset, the server gone mid-call)
goes to the next one, so an action server that dies loses no message. That is
safe because an action only returns events: the Rasa server applies them, the
action server keeps and changes nothing. A replica that failed is tried last for
RETRY_AFTER seconds, so a dead one doesn't cost every call a refused connection.
A timeout is not failed over: the action may only be slow, and a second call
would double its load. Without `fallback_urls` Rasa's own call runs unchanged
(`make run`, the cluster, where the Service spreads the calls).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Dict, List, Optional, Text

import aiohttp
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

FALLBACKS_KEY = "fallback_urls"
RETRY_AFTER = 5.0

_rasa_request = EndpointConfig.request
_failed_at: Dict[str, float] = {}  # url -> when a call to it last failed


def replica_urls(endpoint: EndpointConfig) -> List[str]:
    """The endpoint's URLs in the order to try them: those that haven't failed
    lately first, each group in the configured order."""
    urls = [endpoint.url, *(endpoint.kwargs.get(FALLBACKS_KEY) or [])]
    now = time.monotonic()
    recently_failed = {url for url in urls if now - _failed_at.get(url, -RETRY_AFTER) < RETRY_AFTER}
    return [url for url in urls if url not in recently_failed] + [url for url in urls if url in recently_failed]


def _replica(endpoint: EndpointConfig, url: str) -> EndpointConfig:
    """The endpoint with `url` in place of its own, made once per URL."""
    replicas: Dict[str, EndpointConfig] = endpoint.__dict__.setdefault("_amma_replicas", {})
    if url not in replicas:
        replica = endpoint.copy()
        replica.url = url
        replica.kwargs = {k: v for k, v in endpoint.kwargs.items() if k != FALLBACKS_KEY}
        replicas[url] = replica
    return replicas[url]


async def request_with_failover(
    self: EndpointConfig, method: Text = "post", subpath: Optional[Text] = None, **kwargs: Any
) -> Optional[Any]:
    if not self.kwargs.get(FALLBACKS_KEY):
        return await _rasa_request(self, method, subpath, **kwargs)
    urls = replica_urls(self)
    for attempt, url in enumerate(urls, 1):
        try:
            return await _rasa_request(_replica(self, url), method, subpath, **kwargs)
        except aiohttp.ClientConnectionError as error:
            if isinstance(error, asyncio.TimeoutError):
                raise  # aiohttp's read timeout is a connection error too: the action may be running
            _failed_at[url] = time.monotonic()
            if attempt == len(urls):
                raise  # Rasa's RemoteAction makes it a failed action (policies/failed_action_reply.py)
            logger.warning("Action server %s unreachable (%r); trying the next replica", url, error)
    return None  # not reached: the last attempt returns or raises


EndpointConfig.request = request_with_failover
