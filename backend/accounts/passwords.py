"""Password hashing with Argon2id (argon2-cffi's current recommended parameters)."""

import os

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

# ROUNDS_PASSWORD_HASH=fast picks argon2's cheapest profile: for test suites only, where
# hundreds of logins would otherwise spend minutes hashing.
_hasher = (
    PasswordHasher.from_parameters(profiles.CHEAPEST)
    if os.environ.get("ROUNDS_PASSWORD_HASH") == "fast"
    else PasswordHasher()
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches; never raises for a wrong or malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# Verified against when the e-mail is unknown, so timing does not reveal which accounts exist.
DUMMY_HASH = _hasher.hash("rounds-dummy-password")
