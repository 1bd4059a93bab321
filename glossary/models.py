"""The concept-oriented termbase (after TBX, ISO 30042): concepts, terms, sources."""

from django.conf import settings
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import languages, normalize


class Concept(models.Model):
    """One idea with its terms in every language; a TBX `conceptEntry`."""

    class Kind(models.TextChoices):
        PLACE = "place", _("place")
        ORGANIZATION = "organization", _("organization")
        PERSON = "person", _("person")
        TITLE = "title", pgettext_lazy("concept kind", "title")
        INITIATIVE = "initiative", _("initiative")
        PROJECT = "project", _("project")
        EVENT = "event", _("event")
        PUBLICATION = "publication", _("publication")
        PHRASE = "phrase", pgettext_lazy("concept kind", "phrase")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        APPROVED = "approved", _("approved")
        RETIRED = "retired", _("retired")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        INTERNAL = "internal", _("internal")

    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Stable public id used in URLs and exports, e.g. khorgos."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    domain = models.CharField(
        _("domain"),
        max_length=100,
        blank=True,
        help_text=_("Subject field, e.g. international relations."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_("Internal concepts are shown only to signed-in team members."),
    )
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(
        _("approved at"), null=True, blank=True, editable=False
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Raised on every save, for optimistic concurrency."),
    )
    seed_digest = models.CharField(
        _("seed digest"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Fingerprint of the seed entry last loaded into this concept."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")
        ordering = ["slug"]
        permissions = [
            ("view_internal", _("Can see internal concepts")),
            ("submit_concept", _("Can submit concepts for review")),
            ("review_concept", _("Can approve, return and retire concepts")),
        ]
        indexes = [
            models.Index(fields=["kind", "status"], name="concept_kind_status_idx"),
            models.Index(fields=["domain"], name="concept_domain_idx"),
        ]

    def __str__(self) -> str:
        return self.slug

    def save(self, *args, **kwargs) -> None:
        # Raised in the database, so two editors saving at once both count.
        existing = self.pk is not None
        if existing:
            self.version = F("version") + 1
        super().save(*args, **kwargs)
        if existing:
            self.refresh_from_db(fields=["version"])


class Term(models.Model):
    """One designation of a concept in one language; a TBX `termSec`."""

    class Status(models.TextChoices):
        PREFERRED = "preferred", _("preferred")
        ADMITTED = "admitted", _("admitted")
        DEPRECATED = "deprecated", _("deprecated")
        SUPERSEDED = "superseded", _("superseded")

    class TermType(models.TextChoices):
        FULL_FORM = "fullForm", _("full form")
        ACRONYM = "acronym", _("acronym")
        ABBREVIATION = "abbreviation", _("abbreviation")
        SHORT_FORM = "shortForm", _("short form")
        VARIANT = "variant", _("variant")
        TRANSLITERATION = "transliteration", _("transliteration")
        PHRASE = "phrase", pgettext_lazy("term type", "phrase")

    # What is said about a term beyond its language and text: the fields the admin
    # edits, the seed reads and the formats carry, listed once so none forgets one.
    DESCRIPTIVE_FIELDS = (
        "status",
        "term_type",
        "part_of_speech",
        "romanization",
        "usage_note",
        "source",
    )

    class PartOfSpeech(models.TextChoices):
        NOUN = "noun", _("noun")
        VERB = "verb", _("verb")
        ADJECTIVE = "adjective", _("adjective")
        ADVERB = "adverb", _("adverb")
        OTHER = "other", _("other")

    concept = models.ForeignKey(
        Concept,
        on_delete=models.CASCADE,
        related_name="terms",
        verbose_name=_("concept"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=languages.choices(),
        help_text=_("BCP 47 tag, e.g. zh-Hans."),
    )
    text = models.CharField(_("text"), max_length=300)
    term_type = models.CharField(
        _("term type"),
        max_length=20,
        choices=TermType.choices,
        default=TermType.FULL_FORM,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PREFERRED
    )
    part_of_speech = models.CharField(
        _("part of speech"), max_length=10, choices=PartOfSpeech.choices, blank=True
    )
    romanization = models.CharField(
        _("romanization"),
        max_length=300,
        blank=True,
        help_text=_("Hanyu Pinyin for Chinese terms, e.g. Huò'ěrguǒsī."),
    )
    usage_note = models.TextField(
        _("usage note"),
        blank=True,
        help_text=_("For translators: when to use the term, or what to use instead."),
    )
    source = models.CharField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("Where this form is established, e.g. the organization's site."),
    )
    search_key = models.CharField(
        _("search key"),
        max_length=300,
        editable=False,
        help_text=_("The text folded for matching; computed from the text."),
    )
    # The keys below are derived from the text by glossary.normalize, like search_key.
    # They can grow longer than the text (ц → ts, one syllable per Chinese character).
    loose_key = models.CharField(
        _("loose key"),
        max_length=900,
        editable=False,
        help_text=_(
            "The text folded across scripts and spellings, e.g. Қорғас, Qorğas and "
            "Qorgas → korgas; computed from the text."
        ),
    )
    pinyin_key = models.CharField(
        _("pinyin key"),
        max_length=1800,
        blank=True,
        editable=False,
        help_text=_(
            "Toneless pinyin of a Chinese term, e.g. 霍尔果斯 → huoerguosi; computed "
            "from the text."
        ),
    )
    match_key = models.CharField(
        _("match key"),
        max_length=900,
        editable=False,
        help_text=_(
            "The words as text recognition compares them in the term's language, "
            "e.g. Шанхайская организация → шанхайск организац; computed from the text."
        ),
    )

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["concept__slug", "language", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["concept", "language", "text"],
                name="term_unique_text_per_concept_language",
                violation_error_message=_(
                    "This concept already has this term in this language."
                ),
            ),
            models.UniqueConstraint(
                fields=["concept", "language"],
                condition=Q(status="preferred"),
                name="term_one_preferred_per_language",
                violation_error_message=_(
                    "A concept can have only one preferred term per language; mark "
                    "the other one admitted first."
                ),
            ),
            models.CheckConstraint(
                condition=Q(language__in=languages.TAGS),
                name="term_language_known",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="term_text_not_empty"),
        ]
        indexes = [
            models.Index(fields=["language", "search_key"], name="term_lang_key_idx"),
            models.Index(fields=["search_key"], name="term_key_idx"),
            models.Index(fields=["loose_key"], name="term_loose_key_idx"),
            models.Index(fields=["pinyin_key"], name="term_pinyin_key_idx"),
            models.Index(fields=["match_key"], name="term_match_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.text} [{self.language}]"

    def save(self, *args, **kwargs) -> None:
        self.fill_keys()
        super().save(*args, **kwargs)

    @property
    def is_deprecated(self) -> bool:
        """Deprecated or superseded: a term a translator must not use."""
        return self.status in (self.Status.DEPRECATED, self.Status.SUPERSEDED)

    def fill_keys(self) -> None:
        """Derive the search keys from the text (bulk inserts call this themselves)."""
        self.search_key = normalize.search_key(self.text)
        self.loose_key = normalize.loose_key(self.text)
        self.pinyin_key = normalize.pinyin_key(self.text)
        self.match_key = normalize.match_key(self.text, self.language)


class Definition(models.Model):
    """What a concept is, in one language; a TBX `descrip type="definition"`."""

    concept = models.ForeignKey(
        Concept,
        on_delete=models.CASCADE,
        related_name="definitions",
        verbose_name=_("concept"),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=languages.choices()
    )
    text = models.TextField(_("text"))
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("definition")
        verbose_name_plural = _("definitions")
        ordering = ["concept__slug", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["concept", "language"],
                name="definition_one_per_language",
                violation_error_message=_(
                    "This concept already has a definition in this language."
                ),
            ),
            models.CheckConstraint(
                condition=Q(language__in=languages.TAGS),
                name="definition_language_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concept.slug} [{self.language}]"


class SourceDocument(models.Model):
    """A text the glossary quotes from, kept verbatim."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(pgettext_lazy("document", "title"), max_length=500)
    speaker = models.CharField(_("speaker"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    published = models.CharField(
        _("published"),
        max_length=10,
        blank=True,
        help_text=_("ISO 8601 date, as precise as known: 2024-07 or 2024-07-01."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=languages.choices(),
        help_text=_("The language of this text."),
    )
    original_language = models.CharField(
        _("original language"),
        max_length=10,
        choices=languages.choices(),
        blank=True,
        help_text=_("The language the text was first given in."),
    )
    citation = models.TextField(_("citation"), blank=True)
    url = models.URLField(_("URL"), blank=True)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title


class Quote(models.Model):
    """A verbatim excerpt of a source document that attests terms; a TBX `context`."""

    document = models.ForeignKey(
        SourceDocument,
        on_delete=models.CASCADE,
        related_name="quotes",
        verbose_name=_("document"),
    )
    excerpt = models.TextField(_("excerpt"))
    start = models.PositiveIntegerField(
        _("start"), help_text=_("Offset of the first character in the document.")
    )
    end = models.PositiveIntegerField(
        _("end"), help_text=_("Offset just past the last character.")
    )
    terms = models.ManyToManyField(
        Term,
        related_name="quotes",
        blank=True,
        verbose_name=_("terms"),
        help_text=_("The terms this excerpt attests."),
    )

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["document__slug", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(end__gt=F("start")),
                name="quote_span_ordered",
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("excerpt")),
                name="quote_span_matches_excerpt",
            ),
            models.UniqueConstraint(
                fields=["document", "start", "end"], name="quote_unique_span"
            ),
        ]

    def __str__(self) -> str:
        preview = self.excerpt if len(self.excerpt) <= 60 else self.excerpt[:57] + "…"
        return f"“{preview}” ({self.document.slug} {self.start}–{self.end})"


class ConceptRelation(models.Model):
    """A link between two concepts; a TBX `ref type="crossReference"`."""

    class Kind(models.TextChoices):
        BROADER = "broader", _("broader")
        NARROWER = "narrower", _("narrower")
        RELATED = "related", _("related")

    source = models.ForeignKey(
        Concept,
        on_delete=models.CASCADE,
        related_name="relations",
        verbose_name=_("from concept"),
    )
    target = models.ForeignKey(
        Concept,
        on_delete=models.CASCADE,
        related_name="incoming_relations",
        verbose_name=_("to concept"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("concept relation")
        verbose_name_plural = _("concept relations")
        ordering = ["source__slug", "kind", "target__slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="relation_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.slug} → {self.kind} → {self.target.slug}"

    @property
    def inverse_kind(self) -> str:
        """The relation as the target concept sees it: broader one way is narrower
        the other."""
        return {"broader": "narrower", "narrower": "broader"}.get(self.kind, self.kind)


class GlossaryVersion(models.Model):
    """A counter raised by every change to concepts or terms.

    Caches built from the glossary (the recognition automaton) compare it with the
    version they were built from, so every process and host sees an edit on its next
    request without any shared state but the database.
    """

    number = models.PositiveBigIntegerField(_("number"), default=0)
    changed = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("glossary version")
        verbose_name_plural = _("glossary versions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.number)


def glossary_stamp() -> tuple[int, object]:
    """The glossary's version number and the time of its last change.

    Caches compare the pair, not the number alone: a rolled-back transaction can leave
    the same number on a different glossary, never the same time as well.
    """
    # Raw SQL: this runs on every lookup and recognition, and the ORM's query building
    # would cost more than the query itself.
    table = GlossaryVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number, changed FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return tuple(row) if row else (0, None)


def bump_glossary_version(**kwargs) -> None:
    """Raise the version in the database; connected to the models' save and delete."""
    updated = GlossaryVersion.objects.filter(pk=1).update(
        number=F("number") + 1, changed=timezone.now()
    )
    if not updated:
        GlossaryVersion.objects.get_or_create(pk=1, defaults={"number": 1})


class RevisionOrigin(models.Model):
    """The path a recorded change came through, kept beside its revision."""

    class Via(models.TextChoices):
        ADMIN = "admin", _("admin")
        API = "api", _("API")
        IMPORT = "import", _("import")
        SEED = "seed", _("seed")
        REVERT = "revert", _("revert")
        COMMAND = "command", _("command")

    revision = models.OneToOneField(
        "reversion.Revision",
        on_delete=models.CASCADE,
        related_name="origin",
        verbose_name=_("revision"),
    )
    via = models.CharField(_("through"), max_length=10, choices=Via.choices)
    detail = models.CharField(
        _("detail"),
        max_length=500,
        blank=True,
        help_text=_("The file an import read, or the version a revert restored."),
    )

    class Meta:
        verbose_name = _("change origin")
        verbose_name_plural = _("change origins")
        ordering = ["-revision"]

    def __str__(self) -> str:
        return f"{self.get_via_display()} {self.detail}".strip()
