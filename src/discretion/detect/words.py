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
# The most frequent English words (function words, everyday verbs, nouns and adjectives, month and
# unit abbreviations): a nickname or surname that is also one of these ("How", "Max", "Jan", "Con",
# "Gray", "Kent") is a name only with something else pointing at the person.
_ENGLISH = """
    a about above after again against all also am an and any are as at back be because been before
    being below between both but by can could did do does doing done down during each even every few
    for from further get gets getting give go going gone got had has have having he her here hers
    herself him himself his how however i if in into is it its itself just know last less let like
    made make many me might more most much must my myself need never next no nor not now of off often
    on once one only or other our ours ourselves out over own per please put said same see seen shall
    she should since so some still such take than that the their theirs them themselves then there
    these they this those though through thus to too under until up upon us very was we well were
    what when where whether which while who whom whose why with within without would yes yet you your
    yours yourself yourselves
    able add ago ask away bad big call came care case child children come day days dear done early end
    ever far feel find fine first four free full gave given great hand head help high home hour hours
    idea just keep kind late later least left life line live look lot love man meet men met mind miss
    money month more morning move name near new news night note number office open order page part
    past people place plan play point power read ready real report rest right room round run school
    set seven side six soon start state stay still stop such sure talk team tell ten term test thank
    thanks thing things think three time today told took top town tried true try turn two type used
    view visit wait walk want watch water way week weeks went while whole word words work world write
    year years
    jan feb mar apr jun jul aug sep sept oct nov dec max min con pro via etc inc ltd
    gray grey kent blake ashton grant bright cross dart frost gold golden lord lamb love bliss
    blessing blessings precious english church park potter noel bishop mo chelsea costa stanley
    thu thur thurs tues weds sun
"""
COMMON_WORDS: frozenset[str] = frozenset(_COMMON.split()) | frozenset(_ENGLISH.split())

# Words near a single given name that make it about a pupil (issue: "a school nearby").
_SCHOOL = (
    "school academy primary nursery college pupil pupils class teacher senco headteacher reception year tutor"
)
SCHOOL_WORDS: frozenset[str] = frozenset(_SCHOOL.split())
