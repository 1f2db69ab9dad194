"""English words and places that are also people's names: on their own they are not a name (issue: "Hope",
"May", "Rose" or "Preston" as ordinary words or places must not be flagged)."""

from __future__ import annotations

_COMMON = """
    hope may rose faith grace joy will mark bill bob sue pat jack frank summer april june july august
    autumn winter spring dawn holly ivy lily daisy poppy ruby amber pearl jade crystal sky rain river
    brook sandy rob drew guy dean chase hunter carter mason cook baker smith white green brown black
    young king hill wood wells banks lane field fields preston chester lancaster chorley blackburn burnley
    kendal lincoln york london paris florence sydney victoria jordan georgia india china derby hull
    skye iris heather hazel willow violet scarlett sunny star storm angel honey melody harmony
    liberty justice patience prudence constance charity mercy trinity destiny serenity unity
    bear fox wolf jay robin wren finch swift crane drake hawk lark martin
    art ray rich rusty sonny buster happy sunday monday tuesday wednesday thursday friday saturday
    don dale glen glenn clay cliff cole colin rocky stone marsh moss reed rush shaw ward west north
    south east booth page price rice bell hall house church chapel bishop dean vicar priest parson
    nurse porter butler mayo lee long short little small large best good gay hardy noble new old
    coach dick nick sterling penny bonnie bunny honor honour hunter piper taylor tyler archer fisher
    miller walker turner harper cooper gardener shepherd singer mason slater thatcher weaver
    carol carole dolly dot fay kay neil nell rosa rosie lucky major miles ryder rider woods waters
    hart heath holmes kitchen marshall rivers rose rowe sharp sweet toll tucker wade wild wise
"""
COMMON_WORDS: frozenset[str] = frozenset(_COMMON.split())

# Words near a single given name that make it about a pupil (issue: "a school nearby").
_SCHOOL = (
    "school academy primary nursery college pupil pupils class teacher senco headteacher reception year tutor"
)
SCHOOL_WORDS: frozenset[str] = frozenset(_SCHOOL.split())
