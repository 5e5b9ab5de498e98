"""``{% tr value %}``: show translated content in the reader's language, marked
when it falls back to English or is out of date. Inside ``{% plaintext %}`` (a
page's ``<title>``, where markup would show as written) the text alone."""

from contextvars import ContextVar
from dataclasses import replace
from typing import Any

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parasat.core.lib.translated import Status, TranslatedText

register = template.Library()

# True while a {% plaintext %} block renders: {% tr %} then gives the text alone.
_plain: ContextVar[bool] = ContextVar("parasat_tr_plain", default=False)


@register.simple_tag
def tr(value: Any, language: str | None = None, truncate: int | None = None) -> str:
    """``truncate``: at most that many characters of the text (the mark aside),
    for tables that show the beginning of long texts."""
    text = TranslatedText.from_json(value)
    reader = (language or get_language() or "en").split("-")[0]
    shown = text.render(reader)
    if not shown.text:
        return ""
    if truncate:
        shown = replace(shown, text=Truncator(shown.text).chars(int(truncate)))
    if _plain.get():
        return shown.text
    if shown.language != reader:
        return format_html(
            '<span lang="{}">{}</span> <abbr class="tr-mark tr-missing" title="{}">{}</abbr>',
            shown.language,
            shown.text,
            _("Not translated yet: shown in English"),
            _("EN"),
        )
    if shown.status == Status.STALE:
        return format_html(
            '{} <abbr class="tr-mark tr-stale" title="{}">{}</abbr>',
            shown.text,
            _("This translation may be out of date: the English text has changed"),
            _("outdated"),
        )
    return shown.text


class PlainTextNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist  # searched for {% block %}s, as any tag's nodelist

    def render(self, context: template.Context) -> str:
        token = _plain.set(True)
        try:
            return self.nodelist.render(context)
        finally:
            _plain.reset(token)


@register.tag
def plaintext(parser: template.base.Parser, token: template.base.Token) -> PlainTextNode:
    """``{% plaintext %}…{% endplaintext %}``: translated texts inside without
    their marks, for places that show no markup (a page's ``<title>``)."""
    nodelist = parser.parse(("endplaintext",))
    parser.delete_first_token()
    return PlainTextNode(nodelist)


@register.filter
def trplain(value: Any) -> str:
    """The text alone, for attributes and titles."""
    return TranslatedText.from_json(value).render().text


@register.filter
def language_label(code: str) -> str:
    """A language's name in the reader's language ("kk" -> "Kazakh", "Қазақ
    тілі"…); a code Django does not know is shown as written."""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code
