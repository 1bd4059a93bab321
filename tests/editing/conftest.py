import pytest
from reversion.models import Revision, Version

from glossary.models import (
    Concept,
    ConceptRelation,
    Definition,
    GlossaryVersion,
    Quote,
    SourceDocument,
    Term,
)


@pytest.fixture
def everything():
    """everything(): every row the glossary and its history hold, to compare."""

    def rows() -> dict:
        return {
            model.__name__: sorted(model.objects.values_list())
            for model in (
                Concept,
                Term,
                Definition,
                Quote,
                Quote.terms.through,
                ConceptRelation,
                SourceDocument,
                GlossaryVersion,
                Revision,
                Version,
            )
        }

    return rows
