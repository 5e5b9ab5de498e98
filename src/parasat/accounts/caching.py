"""Keys of what is cached about people (see accounts.backends)."""

from typing import Any

USER_CACHE_SECONDS = 60


def user_cache_key(user_id: Any) -> str:
    return f"accounts:user:{user_id}"
