"""Secrets at rest: webhook secrets and the generated receipt signing key are stored
encrypted (Fernet: AES-128-CBC + HMAC-SHA256, from `cryptography`) under a key that lives in
the environment or a file, never in the database — a copy of the database or a backup does
not reveal them.

Keys: ``QCREDIT_SECRETS_KEY`` (comma-separated) or ``QCREDIT_SECRETS_KEY_FILE`` (one key a
line), each a Fernet key from ``qcredit secrets keygen``. The first key encrypts; every key
decrypts, which is how rotation works: put the new key first and the old one after it,
restart, run ``qcredit secrets rotate`` (re-encrypts every stored secret with the new key),
then drop the old key.

Stored form: ``fernet:<token>``. A value without the prefix is plaintext — a row written
before encryption was configured, or a deployment with no key at all (the development
default: ``make run`` needs no setup; a warning is logged at start-up). ``qcredit secrets
rotate`` encrypts such rows once a key is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

PREFIX = "fernet:"


class SecretsKeyError(RuntimeError):
    """A secret cannot be decrypted: no key configured, or none of the keys fits."""


def parse_keys(value: str) -> list[bytes]:
    return [k.strip().encode() for k in value.replace("\n", ",").split(",") if k.strip()]


@dataclass(frozen=True, slots=True)
class SecretBox:
    keys: tuple[bytes, ...] = ()

    @classmethod
    def from_config(cls, key: str, key_file: str) -> SecretBox:
        keys = parse_keys(key)
        if key_file:
            keys += parse_keys(Path(key_file).read_text())
        for k in keys:
            Fernet(k)  # a malformed key fails at start-up, not at the first webhook
        return cls(tuple(keys))

    @property
    def enabled(self) -> bool:
        return bool(self.keys)

    def _fernet(self) -> MultiFernet:
        return MultiFernet([Fernet(k) for k in self.keys])

    def seal(self, plain: str) -> str:
        """The stored form of `plain`: encrypted with the first key, or as is without one."""
        if not self.keys:
            return plain
        return PREFIX + self._fernet().encrypt(plain.encode()).decode()

    def open(self, stored: str) -> str:
        if not stored.startswith(PREFIX):
            return stored  # plaintext (written before a key was configured)
        if not self.keys:
            raise SecretsKeyError(
                "a stored secret is encrypted but no QCREDIT_SECRETS_KEY is configured"
            )
        try:
            return self._fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
        except InvalidToken as err:
            raise SecretsKeyError(
                "a stored secret does not decrypt with any configured key"
            ) from err

    def reseal(self, stored: str) -> str | None:
        """`stored` re-encrypted with the first key; None when it already is."""
        if not self.keys:
            raise SecretsKeyError("no QCREDIT_SECRETS_KEY is configured")
        plain = self.open(stored)
        if stored.startswith(PREFIX):
            token = stored[len(PREFIX) :].encode()
            try:
                Fernet(self.keys[0]).decrypt(token)
                return None  # already under the current key
            except InvalidToken:
                pass
        return self.seal(plain)


def new_key() -> str:
    return Fernet.generate_key().decode()
