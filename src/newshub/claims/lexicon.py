"""Word lists the attribution rules rely on, in one place so they can be read and extended, and the
forms and tags that tell a cue word without spaCy's lemmatizer."""

from spacy.tokens import Token


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that introduce what someone said, wrote or holds true (lemmas).
CUE_VERBS = _words(
    """
    say tell state post note declare announce claim allege deny confirm verify warn report add insist
    write tweet explain argue suggest acknowledge admit contend assert maintain predict promise vow
    pledge believe think accuse reply respond conclude show find indicate reveal estimate stress
    emphasize emphasise observe recall inform testify concede complain boast charge caution agree
    disagree hope fear worry feel question refute reject dispute dismiss rebut repeat reiterate
    recount remark comment mention disclose propose urge demand recommend ask continue counter
    acknowledge announce speculate assure contend signal tout brag lament predict forecast allege admit
    blast slam praise criticize criticise describe cite quote insist answer explain predict expect
    """
)

# Cues whose grammatical object (not only a clause) is what was said: "denied the allegations".
OBJECT_CUES = _words(
    """
    deny confirm announce reject dispute propose acknowledge reveal disclose refute dismiss predict
    allege claim report cite question demand recommend rebut concede admit forecast praise criticize
    criticise support endorse oppose back blame condemn slam blast defend accuse mock thank describe
    characterize characterise label dub brand
    """
)

# Cues that tell someone to do something: "told Jeb Bush to quiet down", "urged voters to stay home".
DIRECTIVE_CUES = _words(
    """
    tell ask urge warn encourage invite implore beg
    """
)

# Cues whose content is an infinitive: "vowed to ban ...", "promised to cut taxes".
INFINITIVE_CUES = _words(
    """
    vow promise pledge threaten refuse hope want urge
    """
)

# Cues that carry content only when a quote or colon follows them ("Caddell continued: ...").
QUOTE_ONLY_CUES = _words(
    """
    continue answer reply respond tweet
    """
)

# Cues that by themselves deny the content: "CENTCOM denied the reports".
DENIAL_CUES = _words(
    """
    deny refute reject dispute dismiss rebut debunk disavow contradict
    """
)

# Adjectives that call the content untrue: "Those reports are false".
FALSITY_WORDS = _words(
    """
    false untrue baseless unfounded fabricated inaccurate incorrect bogus fake groundless wrong
    misleading nonsense lie lies
    """
)

# Nouns that make a speaker a document rather than a person or body: "the statement to Reuters said".
DOCUMENT_NOUNS = _words(
    """
    statement report document letter filing complaint memo study survey poll release communique
    communiqué tweet post message email indictment lawsuit ruling order analysis paper data record
    records audit review transcript affidavit testimony announcement notice bulletin assessment
    """
)

# Head nouns of anonymous speakers: "two security sources", "a senior official".
UNNAMED_NOUNS = _words(
    """
    source sources official officials spokesperson spokesman spokeswoman aide aides person people
    witness witnesses resident residents diplomat diplomats insider insiders officer officers commander
    commanders analyst analysts expert experts observer observers critic critics supporter supporters
    lawmaker lawmakers member members staffer staffers adviser advisers advisor advisors employee
    employees activist activists
    """
)

# Head nouns of bodies that speak as one: "the Iraqi military", "the ministry".
ORGANISATION_NOUNS = _words(
    """
    military army navy government ministry department command agency police office committee council
    campaign party company firm court parliament congress senate administration embassy coalition force
    forces group organization organisation union commission board bureau authority authorities
    university institute center centre team network newspaper paper agency service services cabinet
    """
)

# Words that introduce attribution without a verb: "according to Reuters", "as per Reuters".
PREPOSITIONAL_CUES = ("according to", "as per")


OPENING_QUOTES = "“«"


CLOSING_QUOTES = "”»"


STRAIGHT_QUOTE = '"'

# Cues whose content is the object of a preposition: "talked about the economy", "called for a ban".
PREPOSITION_CUES = {
    "talk": ("about", "of"),
    "speak": ("about", "of", "against", "out"),
    "write": ("about", "of"),
    "worry": ("about",),
    "complain": ("about", "of"),
    "joke": ("about",),
    "warn": ("about", "of", "against"),
    "testify": ("about", "on"),
    "comment": ("on", "about"),
    "refer": ("to",),
    "call": ("for",),
    "argue": ("for", "against"),
    "push": ("for",),
    "advocate": ("for",),
    "rail": ("against",),
    "campaign": ("for", "against", "on"),
    "vote": ("for", "against"),
    "focus": ("on",),
    "boast": ("about", "of"),
    "brag": ("about",),
    "apologize": ("for",),
    "criticize": ("for",),
}

# Passive cues that report a claim without naming who holds it: "is expected to", "is believed that".
PASSIVE_CUES = _words(
    """
    expect believe think consider say report rumor rumour project predict estimate know see allege fear
    """
)

# Verbs that take a "that" clause without reporting anything ("made sure that", "it means that"); any
# other verb with a "that" clause is a cue ("hinted that", "conceded that").
NOT_SAYING_FORMS = _words(
    """
    be is are was were been being 's 're ’s ’re ’m 'm have has had having make makes made making do does
    did mean means meant ensure ensures ensured seem seems seemed appear appears appeared happen happened
    get gets got so
    """
)

# Every verb above is a cue.
CUE_VERBS = (
    CUE_VERBS | PASSIVE_CUES | OBJECT_CUES | INFINITIVE_CUES | DIRECTIVE_CUES | frozenset(PREPOSITION_CUES)
)


# --- forms and lemmas --------------------------------------------------------------------------------------


def inflections(lemma: str) -> set[str]:
    """say -> says, sayed, saying ...: enough forms for a prefilter (over-matching only costs time)."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {
        lemma,
        lemma + "s",
        lemma + "es",
        lemma + "ed",
        stem + "ed",
        stem + "ing",
        lemma + lemma[-1] + "ed",
        lemma + lemma[-1] + "ing",
    }
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return forms


_IRREGULAR_LEMMAS = {
    "said": "say",
    "told": "tell",
    "wrote": "write",
    "written": "write",
    "thought": "think",
    "found": "find",
    "knew": "know",
    "known": "know",
    "felt": "feel",
    "shown": "show",
    "spoke": "speak",
    "spoken": "speak",
    "sought": "seek",
    "lies": "lie",
}
FORM_LEMMAS = {form: lemma for lemma in sorted(CUE_VERBS) for form in inflections(lemma)} | _IRREGULAR_LEMMAS


def lemma(token: Token) -> str:
    """A cue verb's lemma from its form; for other words the lower-case form, plurals folded."""
    lower = token.lower_
    if lower in FORM_LEMMAS:
        return FORM_LEMMAS[lower]
    if token.tag_ in ("NNS", "NNPS") and lower.endswith("s") and not lower.endswith("ss"):
        return lower[:-1]
    return lower


def is_verb(token: Token) -> bool:
    return token.tag_.startswith("VB") or token.tag_ == "MD"


def is_proper(token: Token) -> bool:
    return token.tag_ in ("NNP", "NNPS")


def is_pronoun(token: Token) -> bool:
    return token.tag_ in ("PRP", "PRP$", "WP", "EX")
