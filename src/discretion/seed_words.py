"""The synthetic council's sizes and words: places, streets, team and case kinds, schools and note templates.

All invented or generic (Lancashire-like places); the seed picks from them with its own random
generator, so the same seed gives the same council.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    children: int
    entries_per_case: int
    teams: int


SIZES = {
    "small": Size(children=200, entries_per_case=10, teams=4),
    "medium": Size(children=20_000, entries_per_case=25, teams=40),
    # About 1,000,000 people and 10,000,000 entries, built in committed chunks (seed_bulk).
    "large": Size(children=570_000, entries_per_case=18, teams=400),
}

TOWNS = [
    ("Preston", "PR1"),
    ("Preston", "PR2"),
    ("Chorley", "PR7"),
    ("Leyland", "PR25"),
    ("Blackburn", "BB1"),
    ("Blackburn", "BB2"),
    ("Burnley", "BB11"),
    ("Burnley", "BB12"),
    ("Accrington", "BB5"),
    ("Lancaster", "LA1"),
    ("Morecambe", "LA4"),
    ("Skelmersdale", "WN8"),
    ("Ormskirk", "L39"),
    ("Nelson", "BB9"),
    ("Colne", "BB8"),
    ("Fleetwood", "FY7"),
    ("Clitheroe", "BB7"),
    ("Darwen", "BB3"),
    ("Garstang", "PR3"),
    ("Longridge", "PR3"),
]
STREETS = [
    "Mill Lane",
    "Church Street",
    "Victoria Road",
    "Station Road",
    "Park Avenue",
    "Queen Street",
    "Moor Lane",
    "Brook Street",
    "Canal Side",
    "Albert Terrace",
    "Bank Top",
    "Cotton Court",
    "Weavers Way",
    "Ribble Drive",
    "Pendle View",
    "Fell Road",
    "Market Street",
    "School Lane",
    "Chapel Street",
    "Hollins Road",
]
TEAM_KINDS = [
    "Safeguarding",
    "Children in Need",
    "Child Protection",
    "Children Looked After",
    "Leaving Care",
    "Early Help",
    "Disabled Children",
    "Assessment",
]
CASE_KINDS = [
    "Child in need",
    "Child protection",
    "Child looked after",
    "Care leaver",
    "Early help",
    "Assessment",
    "Disabled children",
]
ETHNICITIES = ["White British"] * 14 + [
    "Pakistani",
    "Indian",
    "Mixed White and Black Caribbean",
    "Bangladeshi",
    "White Irish",
    "Gypsy/Roma",
    "Black African",
    "Polish",
]
SCHOOLS = [
    "St Mary's Primary",
    "Moor Park Academy",
    "Ribblesdale High",
    "Brookfield Primary",
    "Pendle Vale College",
    "Hillside Primary",
    "Queen's Park Academy",
    "Fellside Community School",
]

NOTES = [
    "Home visit to {child}. {child_first} was at home with {parent}. The house was tidy and there was food "
    "in "
    "the fridge. {child_first} showed me their bedroom and said they were happy at {school}.",
    "Telephone call with {parent} about {child_first}'s attendance at {school}. {parent_first} said "
    "{child_first} had been unwell. I explained the school's concerns and agreed to visit next week.",
    "Strategy discussion with police and health. Concerns raised by {school} about bruising to "
    "{child_first}'s arm. Agreed that a Section 47 enquiry is needed.",
    "{child_first} spoke to me alone. They said {other_adult} sometimes stays at the house and shouts at "
    "{parent_first}. {child_first} said they feel safe with their grandmother.",
    "Core group meeting. Present: {parent}, the school nurse and the family support worker. Plan reviewed; "
    "{child_first}'s attendance has improved to 92%.",
    "Letter received from {school} about {child_first}'s behaviour in class. Shared with {parent_first} "
    "at the visit on {date}.",
]
THIRD_PARTY_NOTES = [
    "Neighbour {other_adult} of {street} told me that {parent_first} has a new partner who has a conviction "
    "for assault. This is third-party information and has not been verified.",
    "{parent}'s sister {other_adult} said she is worried about {parent_first}'s drinking and that "
    "{child_first} is often left with {sibling_first}.",
]
CONFIDENTIAL_NOTES = [
    "Anonymous referral received by telephone. The referrer, a neighbour who asked not to be named, reported "
    "that {child_first} was seen outside late at night without a coat. The referrer's identity must not be "
    "disclosed.",
    "Referral from a member of the public who asked for anonymity: they heard shouting from the house on "
    "{street} and a child crying. Referrer details held separately and confidential.",
]
SPECIAL_NOTES = [
    "Health assessment: {child_first} has asthma and was referred to CAMHS for low mood. GP is aware.",
    "{parent_first} disclosed a mental health diagnosis and is receiving support from the community team.",
]
