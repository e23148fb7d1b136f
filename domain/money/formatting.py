"""Money for people: the clinic's locale decides the symbol, the separators and their order."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency

from domain.money.money import Money

DEFAULT_LOCALE = "pl_PL"


def known_locale(name: str) -> bool:
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def format_money(money: Money, locale: str = DEFAULT_LOCALE) -> str:
    """E.g. "1 200,00 zł" in pl_PL, "€1,200.00" in en_IE; an unknown locale falls back."""
    chosen = locale if known_locale(locale) else DEFAULT_LOCALE
    return str(format_currency(money.amount, money.currency, locale=chosen))
