"""A representative's own address for answering a round's e-mail by reply:
``<local>+<token>@<domain>``, where ``local`` is the local part of ACCORD_MAIL_FROM, the
domain ACCORD_MAIL_REPLY_DOMAIN (else that of ACCORD_MAIL_FROM), and the token names the
user and the round, signed with the secret key.

The token is short enough for a local part (at most 64 characters with ``local+``) and
reads the same in any case, as some mail servers and clients change the case of a local
part: the ids in base 36, then an HMAC-SHA256 of them truncated to 120 bits, in base 32.
The key is derived from SECRET_KEY by itsdangerous with a salt of its own, so no other
signature of the application can stand in for one of these. A token cannot be guessed
(2^120 signatures to try) nor moved to another user or round (the signature covers both).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from email.utils import getaddresses, parseaddr

from itsdangerous import Signer

from notifications.settings import Settings

SALT = "accord.reply-address"
#: 120 bits: 24 characters of base 32, without padding
SIGNATURE_BYTES = 15
#: what RFC 5321 allows a local part
LOCAL_PART_MAX = 64
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = _DIGITS[digit] + digits
        if not number:
            return digits


@dataclass(frozen=True)
class Named:
    """Whom and which round a valid token names."""

    user_id: int
    round_id: int


@dataclass(frozen=True)
class ReplyAddresses:
    """Makes and reads the reply addresses of one deployment: built once, then used for
    each of thousands of recipients (an HMAC each)."""

    local: str
    domain: str
    key: bytes

    @classmethod
    def of(cls, settings: Settings) -> ReplyAddresses:
        sender = parseaddr(settings.mail_from)[1] or settings.mail_from
        local, _, domain = sender.rpartition("@")
        key = Signer(
            settings.secret_key, salt=SALT, key_derivation="hmac", digest_method=hashlib.sha256
        ).derive_key()
        return cls(
            local=local or "accord",
            domain=(settings.reply_domain or domain or "localhost").lower(),
            key=key,
        )

    def _signature(self, payload: str) -> str:
        digest = hmac.new(self.key, payload.encode("ascii"), hashlib.sha256).digest()
        return base64.b32encode(digest[:SIGNATURE_BYTES]).decode("ascii").lower()

    def token(self, user_id: int, round_id: int) -> str:
        payload = f"{_base36(user_id)}-{_base36(round_id)}"
        return f"{payload}-{self._signature(payload)}"

    def address(self, user_id: int, round_id: int) -> str:
        return f"{self.local}+{self.token(user_id, round_id)}@{self.domain}"

    def read(self, token: str) -> Named | None:
        """Whom and which round ``token`` names, when it is one of ours (any case)."""
        parts = token.strip().lower().split("-")
        if len(parts) != 3 or not all(parts):
            return None
        user, round_, signature = parts
        if not hmac.compare_digest(self._signature(f"{user}-{round_}"), signature):
            return None
        try:
            return Named(int(user, 36), int(round_, 36))
        except ValueError:
            return None

    def token_in(self, address: str) -> str | None:
        """The token of ``address`` when it is one of our reply addresses."""
        local, _, domain = address.strip().rpartition("@")
        base, plus, token = local.partition("+")
        if not plus or domain.lower() != self.domain or base.lower() != self.local.lower():
            return None
        return token

    def named_in(self, addresses: list[str]) -> tuple[Named | None, bool]:
        """The first valid token among ``addresses`` (header values: To, Cc, the
        envelope's), and whether any of them was a reply address at all (a forged or
        damaged token, then, when none is valid)."""
        seen = False
        for _name, address in getaddresses(addresses):
            token = self.token_in(address)
            if token is None:
                continue
            seen = True
            named = self.read(token)
            if named is not None:
                return named, True
        return None, seen
