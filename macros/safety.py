"""Safety facts from data/safety.yml as care cards, boxes, lists and the tick-box safety check.

One wording everywhere: pages call these macros instead of repeating the signs. Every text
from data goes through safe(). Citations inside a card go on one "Sources" line at its end,
so a bullet reads as a plain instruction.
"""
from __future__ import annotations

import re
from typing import Iterable

from . import schema
from .citations import cite, split_ref
from .links import AFTER_SESSION_ANCHOR, AFTER_SESSION_PAGE, SAFETY_PAGE, relative
from .text import safe

# Admonition style per level: Material's danger / warning / note colours.
LEVEL_STYLE = {"emergency": "danger", "urgent": "warning", "routine": "note"}
# Plain words for "clinical judgement" (a reader aged 9-11 stumbled on the term, about 12 times a page).
BASIS_LABEL = {"reports": "", "guidance": "", "clinical-judgement": "Our careful advice, not based on studies."}


def _unique(ids: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for ident in ids:
        seen.setdefault(ident, None)
    return list(seen)


def _sources_line(data, ids: Iterable[str], page: str) -> str:
    ids = _unique(ids)
    if not ids:
        return ""
    return f'<p class="care-sources" markdown="span">Sources: {cite(data.sources, ids, page)}</p>'


def _level(data, level_id: str) -> schema.SafetyLevel:
    for level in data.safety.levels:
        if level.id == level_id:
            return level
    raise ValueError(f"'{level_id}' is not a safety level. Use one of: {', '.join(lv.id for lv in data.safety.levels)}.")


def _title(data, level: schema.SafetyLevel) -> str:
    return f"{safe(level.name)}: {_callable(data, level.action)}"


def _callable(data, text: str) -> str:
    """Data text, made safe, with each of safety.yml's phone numbers a tap-to-call (tel:) link. On
    paper the link's words are the number itself (the handouts and print CSS add nothing to tel:)."""
    numbers = sorted(data.safety.phone_numbers, key=len, reverse=True)
    made = safe(text)
    if not numbers:
        return made
    # Not inside a longer number, nor a character reference (&#42;) that safe() wrote.
    pattern = re.compile(r"(?<![\d#])(" + "|".join(re.escape(n) for n in numbers) + r")(?!\d)")
    return pattern.sub(lambda m: f'<a href="tel:{m.group(1).replace(" ", "")}">{m.group(1)}</a>', made)


def _link(page: str, anchor: str) -> str:
    """A link to a box on the safety page; a bare #anchor when already on it."""
    return f"#{anchor}" if page == SAFETY_PAGE else relative(SAFETY_PAGE, page, anchor)


def _level_link(data, level: schema.SafetyLevel, page: str, bold: bool = False) -> str:
    """'Emergency: call 999 ... now', its name a link to its box and its numbers tap-to-call (a
    link cannot hold a link). The words are the instruction, so on paper they stand alone
    (.urgency: the handouts add no "see the ... handout" to them)."""
    text = f"[{safe(level.name)}]({_link(page, level.anchor)}){{ .urgency }}: {_callable(data, level.action)}"
    return f"**{text}**" if bold else text


def _box(style: str, classes: str, title: str, body: list[str], box_id: str = "", indexed: bool = True,
         title_indexed: bool = True) -> str:
    """indexed=False: search skips the box (Material's data-search-exclude). The same safety box on
    many pages filled a search's first screen with copies of itself; each is found on its own page.
    title_indexed=False: search skips the title only (the body's parts say for themselves)."""
    ident = f' id="{box_id}"' if box_id else ""
    skip = "" if indexed else " data-search-exclude"
    title_skip = "" if title_indexed else " data-search-exclude"
    return "\n".join([f'<div class="admonition {style} {classes}"{ident}{skip} markdown>',
                      f'<p class="admonition-title"{title_skip}>{title}</p>', "", *body, "", "</div>", ""])


def _bullets(texts: Iterable[str]) -> list[str]:
    return ["", *(f"- {t}" for t in texts), ""]


# --- the short card, on every chapter page --------------------------------------------------

def care_card(data, page: str, after_session: bool = False) -> str:
    """'When to stop and get help': stop signs, the three levels in one line each, a link to the rest.

    after_session=True (the aftercare chapters): the warning signs after a session go inside the
    card, before its summary, so a chapter opens with one red box, not two stacked before its
    first words. One Sources line still closes it. Search skips the card; on the
    page where the signs after a session are the subject (AFTER_SESSION_PAGE) it finds them there."""
    if not isinstance(after_session, bool):
        raise ValueError(f"care_card(after_session={after_session!r}): after_session is True or False. "
                         "Fix: call it as care_card(after_session=True), or care_card().")
    card = data.safety.care_card
    stop = f"**Stop at once** if you feel {safe(card.stop)}"
    levels: list[str] = []
    sources: list[str] = []
    for level in data.safety.levels:
        # Each sign on a line of its own: the card is the safety text most people read.
        signs = "".join(f"\n    - {safe(sign)}" for sign in level.card)
        # Who to call comes before the signs, as in the full box ("Do this if ...": its `how`); one
        # paragraph keeps the list tight.
        lead = f". {_callable(data, level.call)} {safe(level.how).rstrip('.')}:" if level.call else " if you have any of these:"
        levels.append(f"{_level_link(data, level, page, bold=True)}{lead}{signs}")
        # The card is a summary: it names each source once; the full boxes cite the findings.
        sources += [split_ref(s)[0] for s in level.card_sources or level.sign_sources]
    sources += [split_ref(s)[0] for s in card.who_not_sources]
    more = [f'<p class="care-card__more" markdown="span"><span class="care-card__who-not">{safe(card.who_not)}</span> '
            f'[{safe(card.more)}]({relative(SAFETY_PAGE, page)}).</p>']
    if not after_session:
        body = _bullets([stop, *levels]) + more + [_sources_line(data, sources, page)]
        return _box("danger", "care-card", safe(card.title), body, indexed=False)  # a summary of the safety chapter
    after = data.safety.after_session
    # The signs after a session cite their findings, as in their own box (a whole source cited too
    # reads "NHS, 2024a: symptoms": one name, its finding beside it).
    sources += [s for sign in after.signs for s in sign.sources]
    # Search skips the summary everywhere, and the signs after a session except on their page.
    skip = " data-search-exclude"
    signs_skip = "" if page == AFTER_SESSION_PAGE else skip
    # The signs after a session first (the chapter is about the days after one), then the summary
    # whole: on paper the box may break between the two, and the summary stays on one page.
    body = [f'<div class="after-session-signs care-card__part"{signs_skip} markdown>',
            f'<p class="after-session-signs__title"><strong>{safe(after.title)}:</strong></p>',
            *_bullets(_after_session_rows(data, page)), "</div>", "",
            f'<div class="care-card__summary care-card__part"{skip} markdown>', *_bullets([stop, *levels]), *more,
            _sources_line(data, sources, page), "</div>"]
    # On the page where they are the subject, the card is a link target (#after-a-session): the home
    # page sends a reader who feels unwell after a session straight to the signs and whom to call.
    box_id = AFTER_SESSION_ANCHOR if page == AFTER_SESSION_PAGE else ""
    return _box("danger", "care-card care-card--after-session", safe(card.title), body, box_id, title_indexed=False)


# --- the full boxes, on the safety chapter ---------------------------------------------------

def care_level(data, level_id: str, page: str) -> str:
    level = _level(data, level_id)
    # "the safety check" links to it: on paper the link says which handout has it.
    check = f"the [safety check]({_link(page, 'safety-check')})"
    body = [" ".join(x for x in (_callable(data, level.call), safe(level.how)) if x), *_bullets(safe(s.text).replace("the safety check", check) for s in level.signs)]
    if level.closing:
        body += [safe(level.closing), ""]
    body.append(_sources_line(data, level.sign_sources + level.closing_sources, page))
    return _box(LEVEL_STYLE[level.id], "urgency care-level", _title(data, level), body, level.anchor, indexed=page == SAFETY_PAGE)


def level_action(data, level_id: str, page: str) -> str:
    """'Emergency: call 999 (UK) ... now' in running text: the level's name linking its box, its
    numbers tap-to-call, the words from data/safety.yml (a page never types a number of its own)."""
    return _level_link(data, _level(data, level_id), page, bold=True)


def urgency_boxes(data, page: str) -> str:
    return "\n".join(care_level(data, level.id, page) for level in data.safety.levels)


def stop_signs(data, page: str) -> str:
    stop = data.safety.stop_signs
    body = _bullets(safe(s.text) for s in stop.signs)
    if stop.basis and BASIS_LABEL[stop.basis]:
        body += [f"*{BASIS_LABEL[stop.basis]}*", ""]
    if stop.closing:
        # The link's words name the boxes, so a handout without the link still says where to look.
        body += [f'{safe(stop.closing)} The [Emergency and Urgent boxes]({_link(page, "emergency")}) '
                 "say how to get help.", ""]
    body.append(_sources_line(data, [s for sign in stop.signs for s in sign.sources] + stop.closing_sources, page))
    return _box("danger", "stop-signs", safe(stop.title), body, "stop-signs" if page == SAFETY_PAGE else "")


def _after_session_rows(data, page: str) -> list[str]:
    """Each warning sign after a session, then its level's words: 'Blood in your pee. Urgent: get ...'."""
    return [f"{safe(sign.text)} {_level_link(data, _level(data, sign.level), page)}." for sign in data.safety.after_session.signs]


def after_session_signs(data, page: str) -> str:
    """The signs after a session as a box of their own (care_card(after_session=True) holds them in the card)."""
    after = data.safety.after_session
    body = _bullets(_after_session_rows(data, page)) + [_sources_line(data, [s for sign in after.signs for s in sign.sources], page)]
    return _box("danger", "after-session-signs", safe(after.title), body, indexed=page == AFTER_SESSION_PAGE)


def contraindications(data, page: str) -> str:
    """Who should not have deep pressure, each group with its own anchor for the safety check to link to."""
    out = []
    for group in data.safety.contraindications:
        rows = []
        for item in group.items:
            label = BASIS_LABEL[item.basis]
            help_if = item.get_help_if
            # A question, so the level's own words ("Urgent: get medical advice today") follow without a second colon.
            get_help = f"{safe(help_if.when[:1].upper() + help_if.when[1:])}? {_level_link(data, _level(data, help_if.level), page)}." if help_if else ""
            text = " ".join(x for x in (safe(item.text), f"*{label}*" if label else "", get_help) if x)
            rows.append(f"**{safe(item.lead)}**" + (f" {text}" if text else ""))
        out += [f'<div class="contraindications" id="{group.id}" markdown>',
                f'<p class="contraindications__title"><strong>{safe(group.title)}</strong></p>',
                *_bullets(rows),
                _sources_line(data, [s for item in group.items for s in item.all_sources], page),
                "</div>", ""]
    return "\n".join(out)


# --- the tick-box safety check ----------------------------------------------------------------

def _what_to_do(data, item: schema.SafetyCheckItem, page: str) -> str:
    if item.level in schema.GET_HELP_LEVELS:
        level = _level(data, item.level)
        return _level_link(data, level, page)
    group = next(g for g in data.safety.contraindications if g.id == item.level)
    return f"[{safe(group.title)}]({_link(page, group.id)})"


def safety_check(data, page: str) -> str:
    """Tickable on screen, empty boxes on paper. A ticked box shows a warning, never a success tick."""
    check = data.safety.check
    lines = ['<div class="checklist safety-check" id="checklist-safety-check" markdown>',
             f'<p class="checklist__title"><strong>{safe(check.title)}</strong></p>',
             f'<p class="checklist__intro">{safe(check.intro)}</p>',
             '<ul class="task-list" markdown>']
    for n, item in enumerate(check.items, 1):
        label_id = f"safety-check-{n}"
        flag = " safety-check__item--red-flag" if item.red_flag else ""
        lines.append(
            f'<li class="task-list-item safety-check__item{flag}" data-level="{item.level}" markdown="span">'
            f'<label class="task-list-control"><input type="checkbox" aria-labelledby="{label_id}">'
            f'<span class="task-list-indicator"></span></label> '
            f'<span id="{label_id}">{safe(item.text)}</span> '
            f'<span class="safety-check__todo">What to do: {_what_to_do(data, item, page)}</span></li>')
    lines += ["</ul>",
              f'<p class="safety-check__if-ticked"><strong>If you ticked any box:</strong> {safe(check.if_ticked)}</p>',
              _sources_line(data, [s for item in check.items for s in item.sources], page),
              "</div>", ""]
    return "\n".join(lines)


# --- notes: pregnancy and consent -------------------------------------------------------------

def pregnancy_note(data, page: str) -> str:
    note = data.safety.pregnancy
    return _box("warning", "pregnancy-note", safe(note.title), [safe(note.text), "", _sources_line(data, note.sources, page)])


def consent_note(data, page: str) -> str:
    note = data.safety.consent
    return _box("info", "consent-note", safe(note.title),
                _bullets(safe(t) for t in note.items) + [_sources_line(data, note.sources, page)])

