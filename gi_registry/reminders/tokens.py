"""Signed links that work without signing in: verify an address, stop one kind of message."""

import hashlib
import hmac


def _mac(secret: str, text: str) -> str:
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]


def verify_token(secret: str, user_id: int, email: str) -> str:
    """Proves the holder received mail at `email`; a changed address makes older links void."""
    return f"{user_id}.{_mac(secret, f'verify:{user_id}:{email.lower()}')}"


def user_of_verify_token(token: str) -> int | None:
    """The account id a well-formed token names; `verify_token_matches` then checks its signature."""
    head, _, mac = token.partition(".")
    if not token.isascii() or not head.isdigit() or len(head) > 18 or len(mac) != 32:
        return None
    return int(head)


def verify_token_matches(secret: str, token: str, user_id: int, email: str) -> bool:
    """Whether `token` was made for this account and this address."""
    return hmac.compare_digest(token.encode(), verify_token(secret, user_id, email).encode())


def unsubscribe_token(secret: str, user_id: int, kind: str) -> str:
    """Stops messages of `kind` to this account."""
    return f"{user_id}.{kind}.{_mac(secret, f'unsubscribe:{user_id}:{kind}')}"


def read_unsubscribe_token(secret: str, token: str) -> tuple[int, str] | None:
    """(account id, kind) of a genuine unsubscribe token, or None for a forged or damaged one."""
    parts = token.split(".")
    if not token.isascii() or len(parts) != 3 or not parts[0].isdigit() or len(parts[0]) > 18:
        return None
    user_id, kind = int(parts[0]), parts[1]
    ok = hmac.compare_digest(token.encode(), unsubscribe_token(secret, user_id, kind).encode())
    return (user_id, kind) if ok else None
