"""The lexicon turned into phrase tables once, so extraction never re-reads or re-splits words."""

from __future__ import annotations

from tracker.extract.text import PhraseTable, lemma


class Compiled:
    """Lookup tables derived from a `Lexicon` (see lexicon.toml for what each holds)."""

    def __init__(self, lex) -> None:
        figs = lex.figures
        self.units = {name: spec.unit for name, spec in figs.items()}
        self.default_aspect = {name: spec.aspect for name, spec in figs.items()}
        self.spans = {(other, word): name for name, spec in figs.items()
                      for other, words in spec.spans.items() for word in words}
        self.shares = {name for name, spec in figs.items() if spec.share}
        # Counted nouns: a figure's own nouns; generic people nouns map to None (cues decide).
        self.nouns = PhraseTable((p, None) for p in lex.people.get("nouns", []))
        for name, spec in figs.items():
            for noun in spec.nouns:
                self.nouns.add(noun, name)
        self.modifiers = frozenset(lex.people.get("modifiers", []))
        self.exchange = dict(lex.exchange)
        self.exact_people = frozenset(lex.people.get("exact", []))
        self.collectives = frozenset(lemma(w) for w in lex.people.get("collectives", []))
        self.predicates = frozenset(lex.people.get("predicates", []))
        self.cues = PhraseTable()
        cue_sets: dict[str, set[str]] = {}
        for name, spec in figs.items():
            for cue in spec.cues + spec.verbs + spec.nouns:
                cue_sets.setdefault(cue, set()).add(name)
        for cue, names in cue_sets.items():
            self.cues.add(cue, frozenset(names))
        # Shared nouns map to the set of figures they may name; the document's topic picks one.
        shared: dict[str, set[str]] = {}
        for name, spec in figs.items():
            for w in spec.weak:
                shared.setdefault(w, set()).add(name)
        self.weak = PhraseTable((w, frozenset(names)) for w, names in shared.items())
        for w, names in shared.items():
            self.nouns.add(w, frozenset(names))
        self.hints = PhraseTable()
        for name, spec in figs.items():
            for hint in spec.hints:
                self.hints.add(hint, name)
        self.hedges = PhraseTable((w, kind) for kind, ws in lex.hedges.items()
                                  if kind not in ("level_verbs", "particle_verbs") for w in ws)
        self.particle_verbs = frozenset(lex.hedges.get("particle_verbs", []))
        self.level_verbs = frozenset(lemma(w) for w in lex.hedges.get("level_verbs", []))
        self.vague = PhraseTable(lex.vague.items(), exact=True)
        self.vague_need_of = frozenset(lex.grammar.get("vague_need_of", []))
        self.not_before_half = frozenset(lex.grammar.get("not_before_half", []))
        self.change_verbs = frozenset(lex.grammar.get("change_verbs", []))
        nums = lex.numbers
        self.number_words = {k: float(v) for k, v in nums.get("words", {}).items()}
        self.fractions = {k: float(v) for k, v in nums.get("fractions", {}).items()}
        self.scales = {k: float(v) for k, v in nums.get("scales", {}).items()}
        self.multipliers = PhraseTable((k, float(v)) for k, v in nums.get("multipliers", {}).items())
        self.durations = {k: float(v) for k, v in lex.durations.items()}
        self.money = PhraseTable(lex.money.items())
        self.money_after = {k: v for k, v in lex.money.items() if k.isalpha()}
        # "85 pence", "9 cents": hundredths of a currency.
        self.minor_money = dict(lex.minor_money)
        # --all: quantities outside the figures (duration unit, length verbs, people nouns).
        self.general = {k: (frozenset(v) if isinstance(v, list) else v) for k, v in lex.general.items()}
        self.general_people = frozenset(lemma(w) for w in lex.general.get("people", []))
        self.percent = PhraseTable((w, True) for w in lex.percent.get("words", []))
        asp = lex.aspects
        self.aspects = PhraseTable((w, kind) for kind, ws in asp.items()
                                   if kind not in ("modals", "death_events") for w in ws)
        self.death_events = frozenset(asp.get("death_events", []))
        self.modals = PhraseTable((w, True) for w in asp.get("modals", []))
        att = lex.attribution
        self.report_verbs = frozenset(w.lower() for w in att.get("verbs", []) + att.get("data_verbs", []))
        self.data_verbs = frozenset(w.lower() for w in att.get("data_verbs", []))
        self.report_nouns = frozenset(lemma(w.lower()) for w in att.get("nouns", []))
        self.report_intro = PhraseTable((w, True) for w in att.get("intro", []))
        self.implicit = PhraseTable(att.get("implicit", {}).items())
        self.anaphors = PhraseTable((w, True) for w in att.get("anaphors", []))
        self.list_verbs = frozenset(w.lower() for w in att.get("list_verbs", []))
        self.attr_stop = frozenset(w.lower() for w in att.get("stop", []))
        gram = {k: frozenset(v) for k, v in lex.grammar.items()}
        self.no_noun_after = gram.get("no_noun_after", frozenset())
        self.refer_back = gram.get("refer_back", frozenset())
        self.of_determiners = gram.get("of_determiners", frozenset())
        self.subset = PhraseTable((w, True) for w in lex.grammar.get("subset", []))
        self.text_determiners = gram.get("text_determiners", frozenset())
        self.year_before = gram.get("year_before", frozenset())
        self.clause_breaks = gram.get("clause_breaks", frozenset())
        self.attr_determiners = frozenset(att.get("determiners", []))
        self.attr_inner = frozenset(att.get("inner", []))
        self.attr_via = frozenset(att.get("via", []))
        self.subject_verbs = frozenset(att.get("subject_verbs", []))
        self.measure_nouns = frozenset(att.get("measures", []))
        self.attr_modifiers = PhraseTable([(w, True) for w in att.get("keep_modifiers", [])]
                                          + [(w, False) for w in att.get("drop_modifiers", [])])
        self.attr_media = frozenset(att.get("media", []))
        self.negations = frozenset(att.get("negations", []))
        self.attr_between = frozenset(att.get("between", []))
        self.noun_markers = frozenset(att.get("noun_markers", []))
        self.reported_speech = frozenset(att.get("reported_speech", []))
        qual = lex.qualifiers
        self.qualifiers = PhraseTable((w, w) for w in qual.get("words", []))
        self.rates = PhraseTable((w, w) for w in qual.get("after", []))
        self.dead_words = frozenset(lemma(w) for w in qual.get("dead", []))
        self.change_words = frozenset(qual.get("change", []))
        self.canonical = dict(qual.get("canonical", {}))
        flt = lex.filters
        self.months = frozenset(flt.get("months", []))
        self.name_heads = frozenset(lemma(w.lower()) for w in flt.get("name_heads", []))
        self.duration_not_after = frozenset(flt.get("duration_not_after", []))
        self.duration_not_of = frozenset(lemma(w) for w in flt.get("duration_not_of", []))
        self.duration_not_after_det = frozenset(flt.get("duration_not_after_det", []))
        self.duration_not_before = frozenset(flt.get("duration_not_before", []))
        self.lasted = PhraseTable((w, True) for w in lex.grammar.get("lasted", []))
        self.captor_verbs = frozenset(lex.grammar.get("captor_verbs", []))
        self.over_bounds = frozenset(lex.grammar.get("over_bounds", []))
        self.lasted_skip = frozenset(lex.grammar.get("lasted_skip", []))
        self.age_before = PhraseTable((w, True) for w in flt.get("age_before", []))
        self.age_bounds = frozenset(flt.get("age_bounds", []))
        self.vote_words = frozenset(lemma(w) for w in flt.get("vote_words", []))
        self.kin = frozenset(w for word in flt.get("kin", []) for w in (word, lemma(word)))
        self.times = PhraseTable((w, True) for w in flt.get("times", []))
        self.events = frozenset(flt.get("events", []))
        self.abbreviations = frozenset(flt.get("abbreviations", []))
        # Every single word that may start or be a number: the cheap pre-filter of sentences.
        vague_words = {w for p in lex.vague for w in p.split()}
        self.number_starts = (set(self.number_words) | vague_words | set(self.durations)
                              | {w for w in self.scales if len(w) > 2} | set(self.fractions)) \
            - {"a", "an", "of"}

    def unit_of(self, figure: str) -> str:
        """The unit of a lexicon figure ('item' for a figure outside the lexicon)."""
        return self.units.get(figure, "item")
