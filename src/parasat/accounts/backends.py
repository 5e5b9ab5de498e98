"""Authentication backend that keeps signed-in users in the shared cache.

Every request of a signed-in user loads the user; on this kind of page that one
query is a large share of the cost. The cached copy is dropped whenever the user
is saved (a password change, a deactivation through the admin or a service), and
expires within a minute regardless, for changes made behind the ORM's back."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from parasat.accounts.caching import USER_CACHE_SECONDS, user_cache_key


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id: Any):  # -> User | None
        key = user_cache_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(key, user, USER_CACHE_SECONDS)
        elif not self.user_can_authenticate(user):
            return None
        return user
