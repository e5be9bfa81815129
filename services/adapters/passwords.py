"""Password hashes: Argon2id (argon2-cffi, the RFC 9106 parameters it defaults to), checked
in constant time, rehashed when the parameters grow; an unknown account costs as much to
check as a known one, so timing does not tell which names exist."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()  # Argon2id


@cache
def _dummy() -> str:
    """A hash of nobody's password, made once when first needed (a hash costs most of a
    second: every command started paid it, before)."""
    return _HASHER.hash("not a password of anyone: equalises the time of a miss")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches the hash (a missing hash takes the same time, and fails)."""
    try:
        return _HASHER.verify(password_hash or _dummy(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
