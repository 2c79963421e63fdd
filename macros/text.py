"""Make text from data safe to place in Markdown or HTML, and refuse text that would print wrong."""
from __future__ import annotations

import html
import re
import unicodedata

# Markdown punctuation that could start emphasis, links, attribute lists ({ onclick=... }), headings
# or code. They become numeric character references, not backslash escapes: a reference shows as
# the character itself in Markdown *and* in raw HTML blocks (where Markdown is not parsed and a
# backslash escape would show as typed: "Step \#1").
_MARKDOWN_SPECIALS = re.compile(r"[\\`*_\[\]{}|#!~<>&]")
_REFERENCES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def _reference(match: re.Match) -> str:
    char = match.group(0)
    return _REFERENCES.get(char) or f"&#{ord(char)};"


# Data text often starts a line (a bullet, a numbered step, a summary paragraph), where "2. Tuck ..."
# opens a list of its own, printed "2. 1. Tuck", and "- ", "+ ", "---", "???" or "===" open
# a list, a rule, a details or a tab block. The first character (or the number's full stop) is made a
# reference, so the line starts as plain text; mid-line these characters are plain text anyway.
_BLOCK_START = re.compile(r"^\d+(\.)(?= )|^[-+=?:]")


def _inert_start(text: str) -> str:
    found = _BLOCK_START.search(text)
    if not found:
        return text
    at = found.start(1) if found.lastindex else 0
    return f"{text[:at]}&#{ord(text[at])};{text[at + 1:]}"


def safe(text: str) -> str:
    """Data text as inert Markdown/HTML: one line; markup characters as character references.

    Data is content, not markup: a '<script>' or '**' typed in a YAML file shows exactly as typed,
    on screen, on paper, in Markdown and in raw HTML contexts alike.
    """
    one_line = " ".join(str(text).split())
    return _inert_start(_MARKDOWN_SPECIALS.sub(_reference, one_line))


def attr(text: str) -> str:
    """Data text for an HTML attribute value (quotes escaped too)."""
    return html.escape(" ".join(str(text).split()), quote=True)


# --- text that would show or print wrong -----------------------------------------------------------

LONGEST_WORD = 40  # longer, unbroken, it runs off a phone screen or the PDF page
_URL = re.compile(r"^(?:https?://|www\.)", re.I)
# Emoji have no glyph in the PDF fonts: they print as empty boxes.
_EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0xFE00, 0xFE0F), (0xE0000, 0xE007F))
_ALLOWED_CONTROLS = {"\n", "\t"}
# Format characters that translators need and that hide nothing: the zero-width non-joiner and joiner
# (Persian, Indic scripts) and the soft hyphen (a break point, shown only as a hyphen at a line end).
_ALLOWED_FORMAT = {"\u200c", "\u200d", "\u00ad"}
_FORMAT_CHARS = re.compile("[" + "".join(sorted(_ALLOWED_FORMAT)) + "]")


def without_format_chars(text: str) -> str:
    """Text as the rules read it: "numb" + soft hyphen + "ness" must still read "numbness" to the red-flag check."""
    return _FORMAT_CHARS.sub("", text)


# Characters the themes print as markup: front matter and site settings go into <title>, <meta>
# attributes, the navigation and the handouts' running heads unescaped.
_THEME_MARKUP = re.compile(r'[<>"{}]')


def theme_markup(text: str) -> str:
    """The first character of text the theme would print as markup, or ''."""
    found = _THEME_MARKUP.search(text)
    return found.group(0) if found else ""


# Tooltips show a definition as plain text; Material's tooltip inserts it as HTML.
_MARKUP = re.compile(r"[<>`*_\[\]{}\\]|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.I)


# Jinja's openers. Data text lands in pages and in theme templates (the generated review partials),
# where one of these would run as template code or hide the words after it.
_TEMPLATE_OPENER = re.compile(r"\{[{%#]")
# A Markdown link or bold in data shows as typed (data is escaped), yet reads as a source or a warning.
_DATA_MARKUP = {"](": "a Markdown link", "**": "Markdown bold"}


def template_problem(text: str) -> str | None:
    """Why text from a data file could run as template code; None when it cannot."""
    found = _TEMPLATE_OPENER.search(text)
    if not found:
        return None
    return (f"contains {found.group(0)!r}, which opens template code: data text must never run or hide "
            "words on a page. Fix: remove it; data text is plain text, and sources go in the entry's 'sources:'")


def data_markup_problem(text: str) -> str | None:
    """Why reader-facing data text is not plain text (a link or bold it would show as typed); None when it is."""
    for mark, what in _DATA_MARKUP.items():
        if mark in text:
            return (f"contains {mark!r} ({what}), which would show as typed. Fix: data text is plain text: "
                    "put sources in the entry's 'sources:', not links in the text, and say it without bold")
    return None


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


def text_problems(text: str) -> list[str]:
    """What is wrong with a piece of data text, each with its fix; [] when it is fine."""
    return char_problems(text) + word_problems(text)


# Letters that show nothing, yet are letters, not spaces: "\u3164" passes as text and prints blank.
_BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
# Marks that show nothing (Unicode's default-ignorable code points outside the format category): "che"
# + U+034F + "st pain" reads as chest pain, yet no red-flag or 999 check, search or screen reader sees it.
_INVISIBLE_MARKS = ((0x034F, 0x034F), (0x17B4, 0x17B5), (0x180B, 0x180F), (0xE0100, 0xE01EF))
# Scripts with letters that look like Latin ones (Cyrillic "е", Greek "ο"). Among Latin letters, "chеst
# pain" reads as chest pain to a reader, but not to the red-flag and 999-sign checks, search or a screen reader.
_LOOK_ALIKE_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")


def _look_alike_script(char: str) -> str:
    """'Cyrillic' for a Cyrillic letter (any of _LOOK_ALIKE_SCRIPTS), else ''."""
    name = unicodedata.name(char, "")
    return next((s.capitalize() for s in _LOOK_ALIKE_SCRIPTS if name.startswith(f"{s} ")), "")


def _latin_in_disguise(char: str) -> str | None:
    """A letter that is a Latin one in another form (fullwidth "ｃ", mathematical bold "𝐜", the
    ligature "ﬁ"): what it stands for, else None. No word check or search reads it as that letter."""
    if not char.isalpha() or char.isascii():
        return None
    plain = unicodedata.normalize("NFKC", char)
    return plain if plain != char and re.fullmatch(r"[A-Za-z]+", plain) else None


def _look_alike(char: str, text: str) -> str | None:
    if plain := _latin_in_disguise(char):
        word = next((w for w in text.split() if char in w), char)
        return (f"contains {_char_name(char)}, a form of the Latin {plain!r} (in {word[:30]!r}): it reads as "
                f"{plain!r} to a reader, but not to the guide's safety checks, search or screen readers. Fix: retype "
                "the word in plain letters")
    script = _look_alike_script(char) if char.isalpha() and not char.isascii() else ""
    if not script or not re.search(r"[A-Za-z]", text):
        return None
    word = next((w for w in text.split() if char in w), char)
    return (f"contains the {script} letter {char!r} ({_char_name(char)}) among Latin letters (in {word[:30]!r}): "
            "it looks like a Latin letter, but the guide's safety checks, search and screen readers read another "
            "word. Fix: retype the word in Latin letters (a Greek letter used as a symbol: write its name, e.g. beta)")


def char_problems(text: str) -> list[str]:
    """Invisible characters, look-alike letters and emoji in text, each with its fix; [] when there are none."""
    problems = []
    for char in dict.fromkeys(text):
        # Printable ASCII is never a problem: skipped at once, as nearly every character is (about
        # 0.1 s of each build's data and page checks at 1x, before the engine may start).
        if " " <= char <= "~" or char in _ALLOWED_CONTROLS or char in _ALLOWED_FORMAT:
            continue
        if look_alike := _look_alike(char, text):
            problems.append(look_alike)
        elif char in _BLANK_LETTERS:
            problems.append(f"contains {_char_name(char)}, a letter that shows as a blank: the text would print "
                            "empty. Fix: delete it and write the text")
        elif (unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")
              or any(lo <= ord(char) <= hi for lo, hi in _INVISIBLE_MARKS)):
            problems.append(f"contains the invisible character {_char_name(char)} (it can reorder or hide text). "
                            "Fix: delete it and retype the text around it")
        elif any(lo <= ord(char) <= hi for lo, hi in _EMOJI_RANGES):
            problems.append(f"contains the emoji/symbol {char!r} ({_char_name(char)}), which prints as an empty "
                            "box in the PDF handouts. Fix: say it in words")
    return problems


def word_problems(text: str) -> list[str]:
    """Words too long to wrap (addresses aside), each with its fix; [] when there are none."""
    problems = []
    for token in text.split():
        if _URL.match(token):
            continue
        for word in re.split(r"[/-]+", token):  # browsers and WeasyPrint may break after these
            if len(word) <= LONGEST_WORD:
                continue
            problems.append(f"has a {len(word)}-character word ('{word[:20]}...') that cannot wrap on a phone or "
                            f"the printed page. Fix: use words of at most {LONGEST_WORD} characters")
            break
    return problems


def markup_problem(text: str) -> str | None:
    """Why text that must be plain (tooltips) is not; None when it is plain."""
    found = _MARKUP.search(text)
    if not found:
        return None
    return (f"must be plain text, but has {found.group(0)!r}: tooltips show it as typed, and markup there "
            "could run as code. Fix: remove <, >, &...; entities and Markdown marks (* _ ` [ ] { } \\)")
