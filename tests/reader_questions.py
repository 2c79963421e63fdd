"""Questions and phrases readers type, each with the chapter(s) that answer it.

Word forms the pages do not use, readers' own words, misspellings and plain questions. The
search test expects one of the listed pages in the top 3 results (under file://, offline).
"""
from __future__ import annotations

SAFE = "before/is-it-safe.html"
UNDERSTAND = "before/understanding-the-psoas.html"
TIGHT = "before/what-makes-it-tight.html"
PREPARE = "before/preparing.html"
DURING = "before/during-a-release.html"
EFFECTS = "aftercare/immediate-effects.html"
EMOTIONS = "aftercare/emotional-changes.html"
POSTURE = "aftercare/posture-and-mobility.html"
MAINTAIN = "aftercare/maintaining-psoas-health.html"
EXERCISES = "aftercare/exercises.html"
LONG_TERM = "aftercare/long-term-well-being.html"

QUESTIONS: list[tuple[str, tuple[str, ...]]] = [
    # word forms the pages do not use
    ("crying", (EMOTIONS, DURING)),
    ("pregnancy", (SAFE,)),
    ("bruising", (EFFECTS,)),
    ("stressed", (TIGHT,)),
    ("sitting all day", (TIGHT, MAINTAIN)),
    ("runners", (TIGHT, MAINTAIN)),
    ("cyclist", (TIGHT, MAINTAIN)),
    ("anxiety", (EMOTIONS,)),
    ("stretches for hip flexors", (EXERCISES, MAINTAIN, POSTURE)),
    ("breathing exercises", (PREPARE, DURING, MAINTAIN)),
    ("cried during my session", (DURING, EMOTIONS)),
    # readers' own words
    ("stomach pain", (SAFE,)),
    ("belly", (SAFE, DURING)),
    ("abdominal pressure", (SAFE,)),
    ("tummy ache", (SAFE,)),
    ("sciatica", (SAFE, UNDERSTAND)),
    ("numb leg", (SAFE, EFFECTS)),
    ("pins and needles", (DURING, PREPARE)),
    ("backache", (TIGHT, EFFECTS, POSTURE, LONG_TERM)),
    ("lower back ache from my desk job", (TIGHT, MAINTAIN)),
    ("tears", (EMOTIONS,)),
    ("sore afterwards", (EFFECTS,)),
    ("light headed", (DURING, PREPARE, SAFE)),  # the full "stop at once" list lives on the safety page (data/safety.yml)
    ("blood thinners", (SAFE,)),
    ("warfarin", (SAFE,)),
    ("feel sick", (DURING,)),
    ("what should I wear", (PREPARE,)),
    ("physio", (PREPARE,)),
    ("slouching", (TIGHT, POSTURE)),
    ("stand up straight", (POSTURE, EFFECTS)),
    ("emotional release", (EMOTIONS,)),
    ("anterior pelvic tilt", (TIGHT, POSTURE)),
    ("throbbing in my tummy", (SAFE,)),
    # health words a worried reader types (a phone review found each missing or misranked)
    ("blood clot", (SAFE,)),
    ("dvt", (SAFE,)),
    ("osteoporosis", (SAFE, PREPARE, MAINTAIN)),
    ("after giving birth", (SAFE,)),
    ("postpartum", (SAFE,)),
    ("smoker", (SAFE,)),
    ("stroke", (SAFE,)),
    ("fever", (SAFE,)),
    ("sore next day", (EFFECTS,)),
    # warning signs and everyday questions an offline review found ranked below less useful pages
    ("chest pain", (SAFE,)),
    ("back pain at night", (SAFE,)),
    ("blood thinner", (SAFE,)),
    ("sore after massage", (EFFECTS,)),
    ("how often exercises", (MAINTAIN, EXERCISES)),
    ("bruised", (EFFECTS,)),
    # misspellings readers make
    ("soas muscle", (UNDERSTAND,)),
    ("psoaz", (UNDERSTAND,)),
    ("sciatia", (SAFE, UNDERSTAND)),
    ("pregant", (SAFE,)),
    ("aneurism", (SAFE,)),
    ("hip flexer", (UNDERSTAND, EXERCISES, POSTURE)),
    # plain questions
    ("can I do this pregnant", (SAFE,)),
    ("is it safe after surgery", (SAFE,)),
    ("who should not have it", (SAFE,)),
    ("where is the psoas", (UNDERSTAND,)),
    ("why is my psoas tight", (TIGHT,)),
    ("how long does a session take", (DURING,)),
    ("how often should I stretch", (MAINTAIN, LONG_TERM)),
    ("what exercises can I do at home", (EXERCISES, MAINTAIN)),
    ("why do I feel like crying after", (EMOTIONS,)),
    ("does it hurt", (DURING,)),
    ("what happens after a release", (EFFECTS,)),
    ("how do I keep my hips loose", (LONG_TERM, MAINTAIN)),
    # a phone review's everyday questions: each put the right chapter below the top 3, or found nothing
    ("how long does the soreness last", (EFFECTS,)),
    ("how long will i be sore", (EFFECTS,)),
    ("felt like throwing up", (DURING, SAFE)),
    ("im pregnant can i have a psoas release", (SAFE,)),
    ("psoas release with a hernia", (SAFE,)),
    ("psoas release after surgery", (SAFE,)),
    ("psoas release aneurysm", (SAFE,)),
    ("had my appendix out", (SAFE,)),
    ("hysterectomy", (SAFE,)),
    ("diabetic", (SAFE,)),
    ("elderly", (POSTURE, MAINTAIN)),
    ("can i do it myself with a ball", (PREPARE, MAINTAIN)),
    ("self massage psoas", (PREPARE, MAINTAIN)),
    ("groin pain", (SAFE, DURING)),
    ("can i bring a friend", (SAFE,)),
    ("suicidal", (EMOTIONS,)),
    ("i want to hurt myself", (EMOTIONS,)),
    # words joined by a hyphen (the whole query went to search without the guide's words)
    ("c-section", (SAFE,)),
    ("post-natal", (SAFE,)),
    ("self-massage", (PREPARE, MAINTAIN)),
    # emergency signs in the NHS's or readers' own words: each found no page at all ("a&e" searched
    # for "e", every word starting with it), though the safety page's Emergency box names them
    ("palpitations", (SAFE,)),
    ("breathless", (SAFE, EFFECTS)),
    ("breathlessness", (SAFE, EFFECTS)),
    ("ambulance", (SAFE,)),
    ("a&e", (SAFE,)),
    ("collapsed", (SAFE,)),
    ("incontinence", (SAFE,)),
    ("threw up", (DURING, SAFE)),
    # a tester's worried reader: side or kidney pain (the safety page's Urgent box: "A fever with pain
    # in your tummy, side or groin"), a flare-up of back pain (when to get help: Long-term well-being,
    # and the safety page's "Your back pain is very bad, or it is getting worse"), and a bruise that
    # stays (Immediate effects: "A large or spreading bruise where you were pressed", get help today)
    ("side pain", (SAFE,)),
    ("pain in my side", (SAFE,)),
    ("kidney pain", (SAFE,)),
    ("flare up", (LONG_TERM, SAFE)),
    ("my back pain has flared up", (LONG_TERM, SAFE)),
    ("bruise wont go away", (EFFECTS,)),
    ("bruise won't go away", (EFFECTS,)),
    # the days after a session, in a worried reader's words: Immediate effects lists what to get help for
    # ("Tummy pain that gets worse, with being sick or a fever"; "Blood in your pee")
    ("tummy pain after massage", (EFFECTS, SAFE)),
    ("sore stomach the day after", (EFFECTS, SAFE)),
    ("vomiting after my session", (EFFECTS, SAFE)),
    ("blood when i pee", (EFFECTS, SAFE)),
    # a phone review's worried reader after a session: the words "session", "release" and "treatment"
    # found Long-term well-being, Preparing and During first, never the page that opens with the signs
    # to watch for after a session and whom to call
    ("my back hurts after a session", (EFFECTS,)),
    ("pain after psoas release", (EFFECTS,)),
    ("hurts after treatment", (EFFECTS,)),
    ("sore after my appointment", (EFFECTS,)),
    # ... and the words for it kept feelings after a session on their own chapter
    ("crying after a session", (EMOTIONS,)),
    ("upset after my session", (EMOTIONS,)),
    # a review's reader searching after a session: "painkillers" and "ibuprofen" found nothing. Immediate
    # effects now says what the NHS says of painkillers for back pain ("If you are sore afterwards")
    ("painkillers", (EFFECTS,)),
    ("ibuprofen", (EFFECTS,)),
    ("pain killers", (EFFECTS,)),
    ("paracetamol", (EFFECTS,)),
    ("can i take ibuprofen after a session", (EFFECTS,)),
    ("painkillers after massage", (EFFECTS,)),
    ("anti-inflammatory", (EFFECTS,)),
]

# A worried reader's everyday words, each with the page that must come FIRST (not only in the top 3):
# a reader on a phone opens the first result. "sore after" put the "Looking after yourself" checklists
# of Long-term well-being and Maintaining above Immediate effects (what is normal afterwards, and the
# signs to get help for), "still sore" left Immediate effects out of the top 3, and "i feel faint" put
# Emotional changes first (an offline review).
FIRST_ANSWERS: list[tuple[str, str]] = [
    ("sore after", EFFECTS),
    ("still sore", EFFECTS),
    ("still aching", EFFECTS),
    ("bruise", EFFECTS),
    ("pregnant", SAFE),
    ("crying", EMOTIONS),
    ("when to call 999", SAFE),
    # a sign to stop at once, or an emergency: "feel" put Emotional changes ("Feeling calmer") first
    ("i feel faint", SAFE),
    ("feel dizzy", SAFE),
    # with "feel" a stop word, "feel nothing" was "nothing": the plan builder ("Nothing is saved in the
    # browser") came first, not During a release ("Others feel nothing special"); numbness in a leg is
    # still the signs to stop for
    ("feel nothing", DURING),
    ("i felt nothing", DURING),
    ("i feel nothing in my leg", SAFE),
    # soreness in "feel" words, the stop word left out: the page on soreness afterwards first
    ("feel sore", EFFECTS),
    ("feeling sore", EFFECTS),
]
