"""The triage rule for data/safety.yml: a red-flag sign is never sent to a routine visit.

Checked when the data loads, so a wrong edit fails the build with the file, the entry and
the fix. Two guards, because either alone can be fooled: an explicit `red_flag: true`, and
the words that mark a red flag (a fever, a pulsing lump, pain that does not go away ...).
A third catches a get-help sign copied down to the routine level in other words: a routine
line may share no run of four words with an emergency or urgent one. And no line below the
emergency level (a card line, a sign, a check box) has the words of a 999 sign.
"""
from __future__ import annotations

import re

from . import schema
from .text import without_format_chars

GET_HELP_LEVELS = schema.GET_HELP_LEVELS

# Words that make a sign a red flag wherever they appear: the signs the NHS pages cited in
# data/sources.yml send to urgent or emergency care (nhs-back-pain, nhs-cauda-equina, nhs-aaa,
# nhs-dvt) and the signs of a psoas abscess (mallick-2004-iliopsoas-abscess).
RED_FLAG_WORDS = re.compile(
    r"\b(fever\w*|temperature|hot and shivery|shiver\w*|chills|puls\w*|(does not|doesn't|won't) go away"
    r"|lump\w*|swelling|blood in|chest pain|short of breath|breathless|faint\w*|numb\w*|cannot control|can't control"
    r"|(lose|lost|losing|loss of) control|being sick|vomit\w*|weak legs|weakness|nobody has explained|unexplained"
    # Cauda equina and a burst aneurysm (nhs-cauda-equina, nhs-aaa): emergency signs.
    r"|sudden\w*|genital\w*|pee|peeing|poo|pooing|tingl\w*|both legs"
    # The same signs in other words (second review). Not bare "wee\w*" (weeks), "bowel" (a bowel flare-up
    # is a contraindication) or "weak\w*" (a hernia's "weak spot"): only the forms that name the sign.
    r"|wee|wees|weeing|urin\w*|incontinen\w*|bladder|bowel (control|habits?|movements?|problems?)"
    r"|wet(ting)? (yourself|myself|themselves)|pins and needles|saddle|throbb\w*|pounding|heartbeat"
    r"|(no|loss of|lost|less|change in|changed) feeling|(can't|cannot|can not) feel"
    r"|(legs?|feet|foot) (\w+ ){0,2}(weak\w*|give way|giving way)|weak\w* (\w+ ){0,3}(legs?|feet|foot))\b",
    re.I,
)


# What the NHS findings in data/sources.yml marked `urgency: emergency` send to 999: chest pain or sudden
# breathlessness (nhs-dvt:lungs, nhs-back-pain:emergency), a burst aneurysm (nhs-aaa:burst) and cauda
# equina (nhs-cauda-equina:emergency). A line with these words at a less urgent level tells a reader to wait,
# whatever it cites: the short card's lines cite nothing, and a sign can cite another finding.
# Said the same way in a sign and in an instruction.
_SIGNS_ANYWHERE = (r"chest pain|short of breath|breathless\w*|genital\w*|inner thighs|saddle|trouble peeing"
                   r"|(cannot|can't|can not|lose|lost|losing|loss of) control|incontinen\w*"
                   r"|car crash|bad fall|serious accident")
EMERGENCY_WORDS = re.compile(rf"\b({_SIGNS_ANYWHERE}|sudden\w*|faint\w*|burst|both legs)\b", re.I)


# The same signs in an exercise's or a checklist's own words (macros/data.py): an instruction says
# "lie with both legs bent", "no sudden jerks", "faintly", "a burst of energy", which are no signs.
# There, "both legs" counts only with numbness, tingling, weakness or pain, and "sudden" only with pain.
INSTRUCTION_EMERGENCY_WORDS = re.compile(
    rf"\b({_SIGNS_ANYWHERE}|faint|fainted|fainting|faintness"
    r"|(numb\w*|tingl\w*|weak\w*|pain)\b[^.;]{0,40}\bboth legs|sudden\w*[^.;]{0,30}\bpain)\b",
    re.I,
)


def _found(pattern: re.Pattern[str], text: str) -> list[str]:
    return sorted({m.group(0).lower() for m in pattern.finditer(without_format_chars(text))})


def emergency_words(text: str) -> list[str]:
    return _found(EMERGENCY_WORDS, text)


def instruction_emergency_words(text: str) -> list[str]:
    return _found(INSTRUCTION_EMERGENCY_WORDS, text)


def red_flag_words(text: str) -> list[str]:
    return _found(RED_FLAG_WORDS, text)


# Left out of the word runs: "back pain that is" starts signs at every level.
_SMALL_WORDS = frozenset("a an the and or of in on to your you with is it that there if for at any have has had are be "
                         "this as not no do does".split())
# Four words, not three: "back pain after" or "back pain worse" start real routine signs too; a copied
# sign shares four ("back pain gets worse"), and the red-flag words catch the rest.
RUN = 4


def _runs(text: str) -> set[str]:
    words = [w for w in re.findall(r"[a-z0-9']+", without_format_chars(text).lower()) if w not in _SMALL_WORDS]
    return {" ".join(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def _get_help_runs(safety: schema.SafetyFile) -> dict[str, str]:
    """Each run of words of an emergency or urgent line (cards, signs, after-session signs) -> that line."""
    lines = [text for level in safety.levels if level.id in GET_HELP_LEVELS
             for text in [*level.card, *(s.text for s in level.signs)]]
    lines += [s.text for s in safety.after_session.signs]
    return {run: text for text in lines for run in _runs(text)}


def triage_problems(safety: schema.SafetyFile) -> list[str]:
    """Every breach of the triage rule, each naming the entry and the fix; [] when all is well."""
    problems: list[str] = []
    routine = next(level for level in safety.levels if level.id == "routine")
    get_help = _get_help_runs(safety)
    for n, sign in enumerate(routine.signs, 1):
        words = red_flag_words(sign.text)
        shared = sorted(_runs(sign.text) & get_help.keys())
        if sign.red_flag or words or shared:
            why = (f"has red-flag words {words}" if words else "is marked red_flag" if sign.red_flag
                   else f"repeats {shared[0]!r} from the get-help sign {get_help[shared[0]][:50]!r}")
            problems.append(
                f"levels.routine.signs[{n}] ({sign.text[:50]!r}) {why}. Fix: move it to the emergency or urgent level.")
    if words := red_flag_words(" ".join(routine.card)):
        problems.append(f"levels.routine.card has red-flag words {words}. Fix: name those signs in the urgent card.")
    for n, line in enumerate(routine.card, 1):
        if shared := sorted(_runs(line) & get_help.keys()):
            problems.append(f"levels.routine.card[{n}] ({line[:50]!r}) repeats {shared[0]!r} from the get-help sign "
                            f"{get_help[shared[0]][:50]!r}. Fix: name that sign only in the emergency or urgent card.")

    # A 999 sign is never moved down to "advice today" in other words: not on the short card, not split off.
    below = [(f"levels.{lv.id}.card[{n}]", line) for lv in safety.levels if lv.id != "emergency"
             for n, line in enumerate(lv.card, 1)]
    below += [(f"levels.{lv.id}.signs[{n}]", s.text) for lv in safety.levels if lv.id != "emergency"
              for n, s in enumerate(lv.signs, 1)]
    below += [(f"after_session.signs[{n}]", s.text) for n, s in enumerate(safety.after_session.signs, 1)
              if s.level != "emergency"]
    below += [(f"contraindications.{g.id}.items[{n}].get_help_if", i.get_help_if.when) for g in safety.contraindications
              for n, i in enumerate(g.items, 1) if i.get_help_if and i.get_help_if.level != "emergency"]
    below += [(f"check.items[{n}]", i.text) for n, i in enumerate(safety.check.items, 1) if i.level != "emergency"]
    for where, text in below:
        if words := emergency_words(text):
            problems.append(f"{where} ({text[:50]!r}) has the words of a 999 sign {words} at a less urgent level. "
                            "Fix: put that sign in the emergency level (card and signs), or set its level: emergency.")

    # A contraindication tells the reader only what to avoid: a sign in it must also say to get help.
    for group in safety.contraindications:
        for n, item in enumerate(group.items, 1):
            if (words := red_flag_words(f"{item.lead} {item.text}")) and not item.get_help_if:
                problems.append(
                    f"contraindications.{group.id}.items[{n}] ({item.lead[:50]!r}) has red-flag words {words} but no "
                    "get_help_if, so it says only what to avoid. Fix: add get_help_if (level: emergency or urgent) "
                    "for that sign, or move the sign to that level's signs (if the words are not a sign, reword them).")

    groups = {g.id for g in safety.contraindications}
    for n, item in enumerate(safety.check.items, 1):
        where = f"check.items[{n}] ({item.text[:50]!r})"
        if item.level not in GET_HELP_LEVELS and item.level not in groups:
            problems.append(
                f"{where}: unknown level '{item.level}'. Fix: use emergency, urgent or one of: {', '.join(sorted(groups))}.")
            continue
        words = red_flag_words(item.text)
        if (item.red_flag or words) and item.level not in GET_HELP_LEVELS:
            why = f"has red-flag words {words}" if words else "is marked red_flag"
            known = " (if it is about a diagnosis a doctor already knows, reword it without the sign)" if words else ""
            problems.append(
                f"{where} {why} but its level is '{item.level}'. "
                f"Fix: set level to urgent or emergency and red_flag: true{known}.")
        if item.level in GET_HELP_LEVELS and not item.red_flag:
            problems.append(f"{where}: level '{item.level}' is for red flags. Fix: add red_flag: true.")
    return problems
