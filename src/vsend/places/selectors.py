"""Scoped reads for place planning: a child's placement facts, the child already opened
through the access policy by the caller."""

from vsend.children.models import Child
from vsend.places.models import Placement


def placement_of(child: Child) -> Placement | None:
    """The child's placement facts (home area, awaiting a place, home tuition), if recorded."""
    return Placement.objects.filter(child=child).first()
