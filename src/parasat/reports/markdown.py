"""A section's Markdown to safe HTML, with its paragraphs' identifiers.

Markdown (CommonMark with tables and footnotes) is parsed by markdown-it with
raw HTML off, so ``<script>`` is shown as text and never reaches a page; the
HTML made is then cleaned by nh3 (an allow-list) before anything is inserted.
What the renderer adds of its own:

- each top-level block carries the identifier of the paragraph it comes
  from (``id="p-…"``), so a link to a paragraph survives edits elsewhere;
- headings inside a chapter are numbered (``2.1``, ``2.1.1``);
- cross references ``[@sec:key]``, ``[@fig:key]``, ``[@rec:CODE]`` and
  ``[@p:p-…]`` become links, and a citation ``[@cite:CODE]`` of a work of
  the review's bibliography a link to its entry in the references; one that
  points nowhere is shown marked and named in :attr:`Rendered.problems`,
  never dropped;
- a paragraph ``{{figure:key}}`` is the figure ``key`` (its SVG, text
  alternative and data table are inserted after cleaning: they are ours);
- a footnote reference with no footnote text is named in the problems.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

import nh3
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

XREF = re.compile(r"\[@(sec|fig|rec|p|cite):([A-Za-z0-9._-]{1,60})\]")
FIGURE = re.compile(r"\{\{figure:([a-z0-9-]{1,60})\}\}[ \t]*$")
FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]{1,40})\](?!:)")
_FIGURE_HOLE = re.compile(r'<figure data-figure="([a-z0-9-]+)"( id="[^"]*")?></figure>')

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "div", "em", "figure", "h2", "h3",
    "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "s", "section", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class"},
    "a": {"href", "title", "aria-label"},
    "figure": {"data-figure"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}


@dataclass(frozen=True)
class Target:
    label: str
    url: str


@dataclass
class Targets:
    """What cross references may point at, each with its label and address."""

    sections: dict[str, Target] = field(default_factory=dict)
    figures: dict[str, Target] = field(default_factory=dict)
    recommendations: dict[str, Target] = field(default_factory=dict)
    paragraphs: dict[str, Target] = field(default_factory=dict)
    # Works of the review's bibliography, by code, at their entry in the references.
    citations: dict[str, Target] = field(default_factory=dict)

    def find(self, kind: str, key: str) -> Target | None:
        table = {
            "sec": self.sections,
            "fig": self.figures,
            "rec": self.recommendations,
            "p": self.paragraphs,
            "cite": self.citations,
        }[kind]
        return table.get(key)


@dataclass
class Rendered:
    html: str
    problems: list[str] = field(default_factory=list)


def _xref_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[@", state.pos):
        return False
    match = XREF.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("xref", "", 0)
        token.meta = {"kind": match.group(1), "key": match.group(2), "raw": match.group(0)}
    state.pos = match.end()
    return True


def _figure_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    begin = state.bMarks[start] + state.tShift[start]
    line = state.src[begin : state.eMarks[start]]
    match = FIGURE.match(line)
    if match is None:
        return False
    if not silent:
        token = state.push("figure_embed", "", 0)
        token.meta = {"key": match.group(1)}
        token.map = [start, start + 1]
    state.line = start + 1
    return True


def _render_xref(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    meta = tokens[idx].meta
    target = env["targets"].find(meta["kind"], meta["key"])
    if target is None and meta["kind"] == "cite":
        env["problems"].append(
            _(
                "The citation %(ref)s names no work of the review's bibliography: "
                "use the code of one listed under the editor."
            )
            % {"ref": meta["raw"]}
        )
        return f'<span class="xref-broken">{escape(meta["raw"])}</span>'
    if target is None:
        env["problems"].append(
            _("The cross reference %(ref)s points at nothing in this report.")
            % {"ref": meta["raw"]}
        )
        return f'<span class="xref-broken">{escape(meta["raw"])}</span>'
    if meta["kind"] == "cite":
        return f'<a class="cite" href="{escape(target.url)}">{escape(target.label)}</a>'
    return f'<a class="xref" href="{escape(target.url)}">{escape(target.label)}</a>'


def _render_figure(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    key = tokens[idx].meta["key"]
    if key not in env["figures"]:
        env["problems"].append(
            _("The figure %(key)s does not exist in this report.") % {"key": key}
        )
        return f'<p class="xref-broken">{escape("{{figure:" + key + "}}")}</p>\n'
    pid = tokens[idx].attrGet("id")
    anchor = f' id="{escape(str(pid))}"' if pid else ""
    return f'<figure data-figure="{key}"{anchor}></figure>\n'


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").enable("strikethrough")
    md.use(footnote_plugin)
    md.inline.ruler.before("link", "xref", _xref_rule)
    md.block.ruler.before("paragraph", "figure_embed", _figure_rule)
    md.add_render_rule("xref", _render_xref)
    md.add_render_rule("figure_embed", _render_figure)
    return md


_MD = _parser()


def split_blocks(text: str) -> list[str]:
    """A section's Markdown cut into paragraphs at blank lines (a fenced block
    is kept whole)."""
    blocks: list[str] = []
    current: list[str] = []
    fenced = False
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current).strip("\n"))
                current = []
            continue
        current.append(line.rstrip())
    if current:
        blocks.append("\n".join(current).strip("\n"))
    return [b for b in blocks if b.strip()]


def _number_headings(tokens: list[Token], number: str | None) -> None:
    """Prefix ``##`` headings with ``n.1``, ``###`` with ``n.1.1`` (chapters only)."""
    if not number:
        return
    counters = [0, 0, 0, 0]
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        depth = min(max(int(token.tag[1]) - 2, 0), 3)
        counters[depth] += 1
        for deeper in range(depth + 1, 4):
            counters[deeper] = 0
        label = ".".join([number, *(str(c) for c in counters[: depth + 1])])
        token.attrSet("data-number", label)
        inline = tokens[i + 1]
        prefix = Token("html_inline", "", 0)
        prefix.content = f'<span class="secno">{escape(label)}</span> '
        inline.children = [prefix, *(inline.children or [])]


def _demote_headings(tokens: list[Token]) -> None:
    """A section's ``#`` is its own title's level: start its headings at h2."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"


def render(
    paragraphs: Sequence[tuple[str, str]],
    *,
    targets: Targets,
    figures: Mapping[str, str],
    doc_id: str,
    number: str | None = None,
    permalinks: bool = False,
) -> Rendered:
    """Render ``paragraphs`` ((identifier, Markdown) in order) as one
    section. ``figures`` maps a figure key to its HTML (inserted as is)."""
    starts: list[tuple[int, str]] = []
    lines = 0
    parts: list[str] = []
    for pid, text in paragraphs:
        text = (text or "").strip("\n")
        starts.append((lines, pid))
        parts.append(text)
        lines += text.count("\n") + 2
    source = "\n\n".join(parts)
    problems: list[str] = []
    env = {"docId": doc_id, "targets": targets, "figures": figures, "problems": problems}
    tokens = _MD.parse(source, env)
    _demote_headings(tokens)
    _number_headings(tokens, number)
    seen: set[str] = set()
    label = escape(_("Link to this paragraph"))
    for i, token in enumerate(tokens):
        if token.level != 0 or token.nesting < 0 or token.map is None:
            continue
        pid = _owner(starts, token.map[0])
        if pid is None:
            continue
        token.attrJoin("class", "para")
        if pid not in seen:
            seen.add(pid)
            token.attrSet("id", pid)
            if permalinks and token.type in ("paragraph_open", "heading_open"):
                link = Token("html_inline", "", 0)
                link.content = (
                    f' <a class="copy-link" href="#{pid}" aria-label="{label}" '
                    f'title="{label}">¶</a>'
                )
                inline = tokens[i + 1]
                inline.children = [*(inline.children or []), link]
    html = _MD.renderer.render(tokens, _MD.options, env)
    refs = env.get("footnotes", {}).get("refs", {})
    for match in FOOTNOTE_REF.finditer(source):
        if f":{match.group(1)}" not in refs:
            problems.append(
                _("The footnote %(ref)s has no text: add a line “%(ref)s: …”.")
                % {"ref": match.group(0)}
            )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    clean = _FIGURE_HOLE.sub(
        lambda m: f'<div class="para"{m.group(2) or ""}>{figures.get(m.group(1), "")}</div>', clean
    )
    return Rendered(html=clean, problems=list(dict.fromkeys(problems)))


def _owner(starts: list[tuple[int, str]], line: int) -> str | None:
    owner = None
    for start, pid in starts:
        if start > line:
            break
        owner = pid
    return owner


def plain_text(markdown: str) -> str:
    """The words of a paragraph without its Markdown (for comparing and searching)."""
    tokens = _MD.parse(markdown or "", {"targets": Targets(), "figures": {}, "problems": []})
    words: list[str] = []
    for token in tokens:
        if token.type == "inline":
            words.extend(c.content for c in token.children or [] if c.type == "text")
    return " ".join(w for w in words if w)
