"""Creating the first administrator from the command line."""

from __future__ import annotations

from uuid import uuid4

from backend.accounts.password_policy import check_new_password
from backend.accounts.passwords import hash_password
from backend.accounts.tables import User
from backend.db import write_transaction
from backend.errors import Conflict
from sync.changelog import record_change


async def create_admin(email: str, password: str, name: str) -> None:
    email = email.strip().lower()
    check_new_password(password, "password", email)
    async with write_transaction():
        if await User.exists().where(User.email == email):
            raise Conflict(detail=f"{email} exists already")
        user_id = uuid4()
        await User.insert(
            User(
                id=user_id,
                email=email,
                password_hash=hash_password(password),
                name=name,
                role="admin",
            )
        )
        await record_change("users", user_id, "put", user_id=user_id)
