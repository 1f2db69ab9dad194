"""Writes the labelled outbound corpus for the personal-data finder (synthetic people only).

Run: .venv/bin/python tests/data/detect_make_corpus.py   (deterministic; re-run after editing templates)
Outputs outbound_subjects.json, outbound_staff.json, outbound_corpus.jsonl beside this file. Spans are
computed while each message is assembled, so offsets are exact by construction; tests re-check them.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

HERE = Path(__file__).parent
rng = random.Random(20240403)

GIVEN = [
    "Kayden",
    "Tilly",
    "Jaxon",
    "Esmae",
    "Brody",
    "Maisie",
    "Rhys",
    "Lacey",
    "Alfie",
    "Ellis",
    "Harley",
    "Kenzie",
    "Oakley",
    "Isla",
    "Tyler",
    "Darcie",
    "Reggie",
    "Bonnie",
    "Frankie",
    "Mylo",
    "Hope",
    "May",
    "Rose",
    "Codie",
    "Skylar",
    "Lexi",
    "Jenson",
    "Paisley",
    "Ronnie",
    "Tiana",
]
FAMILY = [
    "Walsh",
    "Ashworth",
    "Pemberton",
    "Thornbury",
    "Holcroft",
    "Entwistle",
    "Brindle",
    "Catterall",
    "Fazakerley",
    "Haworth",
    "Livesey",
    "Openshaw",
    "Rawcliffe",
    "Sowerbutts",
    "Tattersall",
    "Whittle",
    "Aspinall",
    "Duxbury",
    "Greenhalgh",
    "Kenyon",
    "Barraclough",
    "Fenwick",
    "Preston",
    "Ormerod",
    "Pilkington",
    "Standen",
    "Hesketh",
    "Mawdsley",
    "Nuttall",
    "Parkinson",
]
STREETS = [
    "Mill Lane",
    "Cotton Street",
    "Weavers Close",
    "Bleach Works Row",
    "Lark Hill Road",
    "Canal Side",
    "Bobbin Court",
    "Shuttle Way",
    "Loom Street",
    "Tannery Drive",
]
TOWNS = ["Chorley", "Leyland", "Darwen", "Accrington", "Ormskirk"]


def nhs_number(valid: bool = True) -> str:
    while True:
        digits = [rng.randint(4, 7)] + [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check == 10:
            continue
        last = check if valid else (check + rng.randint(1, 9)) % 10
        s = "".join(map(str, [*digits, last]))
        return f"{s[:3]} {s[3:6]} {s[6:]}"


def postcode() -> str:
    area = rng.choice(["PR7", "PR25", "BB3", "BB5", "L39"])
    return (
        f"{area} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    )


subjects = []
for i, (given, family) in enumerate(zip(GIVEN, FAMILY, strict=True)):
    middle = rng.choice(["Lee", "Jay", "Marie", "Grace", "James", ""]) if i % 3 == 0 else ""
    dob = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 14))
    subjects.append(
        {
            "ref": f"P{100100 + i:06d}",
            "given_names": f"{given} {middle}".strip(),
            "family_name": family,
            "aliases": [f"{given[:3]}{'ie' if i % 2 else 'z'} {family}"] if i % 4 == 0 else [],
            "dob": dob.isoformat(),
            "addresses": [
                {
                    "line1": f"{rng.randint(1, 120)} {STREETS[i % len(STREETS)]}",
                    "town": TOWNS[i % 5],
                    "postcode": postcode(),
                }
            ],
            "nhs_number": nhs_number(),
        }
    )
STAFF = [
    {
        "given_names": "Sarah",
        "family_name": "Hughes",
        "email": "sarah.hughes@council.example",
        "phone": "01772 123456",
    },
    {
        "given_names": "Tom",
        "family_name": "Okafor",
        "email": "tom.okafor@council.example",
        "phone": "01772 123499",
    },
    {
        "given_names": "Priya",
        "family_name": "Nair",
        "email": "priya.nair@council.example",
        "phone": "07700 900555",
    },
    {
        "given_names": "Gareth",
        "family_name": "Lowe",
        "email": "gareth.lowe@council.example",
        "phone": "01772 123470",
    },
]
COUNCIL = {
    "council_addresses": [
        "County Hall, Fishergate, Preston PR1 8XJ",
        "Civic Centre, West Paddock, Leyland PR25 1DH",
    ],
    "allow_list": ["@council.example", "0300 123 6701", "01772 254868"],
}


class Msg:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[dict[str, object]] = []
        self.length = 0

    def t(self, text: str) -> Msg:
        self.parts.append(text)
        self.length += len(text)
        return self

    def pd(self, text: str, label: str) -> Msg:
        self.spans.append({"start": self.length, "end": self.length + len(text), "label": label})
        return self.t(text)

    def text(self) -> str:
        return "".join(self.parts)


def sig(staff: dict[str, str], m: Msg) -> None:
    m.t(
        f"\n\nKind regards\n\n{staff['given_names']} {staff['family_name']}\n"
        "Social Worker, Children's Services\n"
    )
    m.t(f"Tel: {staff['phone']} | {staff['email']}\nCounty Hall, Fishergate, Preston PR1 8XJ\n")


def dob_forms(iso: str) -> list[tuple[str, str]]:
    d = dt.date.fromisoformat(iso)
    suffix = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    return [
        ("DOB ", f"{d.day}/{d.month}/{d.year % 100:02d}"),
        ("d.o.b. ", f"{d.day:02d}.{d.month:02d}.{d.year}"),
        ("born ", f"{d.day}{suffix} {d.strftime('%B')} {d.year}"),
        ("date of birth: ", f"{d.day:02d}/{d.month:02d}/{d.year}"),
        ("DOB: ", d.isoformat()),
    ]


def full(s: dict) -> str:
    return f"{s['given_names']} {s['family_name']}"


def first(s: dict) -> str:
    return s["given_names"].split()[0]


messages: list[tuple[Msg, bool]] = []

# --- Positive: case updates to schools and GPs, court notes, invitations -------------------------------
for n in range(100):
    s = subjects[n % len(subjects)]
    staff = STAFF[n % len(STAFF)]
    m = Msg()
    kind = n % 10
    cue, dob = dob_forms(s["dob"])[n % 5]
    addr = s["addresses"][0]
    if kind == 0:
        m.t("Dear Mr Blackledge,\n\nI am writing about ").pd(full(s), "PERSON").t(" (").t(cue).pd(dob, "DOB")
        m.t(") in Year 4. ").pd(first(s), "PERSON").t(
            "'s attendance has improved since half-term and we would like to keep the current plan in place."
        )
    elif kind == 1:
        m.t("Dr Yusuf,\n\nRe: ").pd(full(s), "PERSON").t(", NHS number ").pd(s["nhs_number"], "NHS_NUMBER")
        m.t(", of ").pd(addr["line1"], "ADDRESS").t(", ").t(addr["town"]).t(" ")
        m.pd(addr["postcode"].replace(" ", "") if n % 20 == 1 else addr["postcode"], "POSTCODE")
        m.t(".\nPlease could you share the immunisation history before the review health assessment.")
    elif kind == 2:
        m.t("Hi all,\n\nInvitation: initial child protection conference for ")
        m.pd(full(s).lower(), "PERSON").t(" on Thursday at 10:00, County Hall, Fishergate, Preston PR1 8XJ. ")
        m.t("Reports to the chair by Tuesday please.")
    elif kind == 3:
        m.t("Cover note for the court bundle.\n\nChild: ").pd(full(s), "PERSON").t("\nOur person ref: ")
        m.pd(s["ref"], "CASE_REF").t("   Case: ").pd(f"C{200300 + n:06d}", "CASE_REF").t("\n").t(cue).pd(
            dob, "DOB"
        )
        m.t("\nStatement of the allocated social worker is enclosed.")
    elif kind == 4:
        m.t("Thanks for your call this morning. I spoke to ").pd(f"{first(s)}\n{s['family_name']}", "PERSON")
        m.t("'s teacher about the new arrangements; ")
        m.pd(first(s), "PERSON").t(" will be collected by grandma from now on.")
    elif kind == 5:
        m.t("Mum's mobile is ").pd(f"07700 9{rng.randint(10000, 99999)}", "PHONE").t(" and her email is ")
        m.pd(f"{rng.choice(['jlm', 'kaz', 'tina'])}{rng.randint(70, 99)}@mailbox.example", "EMAIL")
        m.t(" if you need to rearrange the home visit.")
    elif kind == 6:
        m.t("For the benefits referral: father's NI number is ")
        m.pd(
            rng.choice(["JK", "AB", "NP", "SW"]) + f" {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)} " + rng.choice("ABCD"),
            "NI_NUMBER",
        )
        m.t(" and the child is ").pd(full(s), "PERSON").t(".")
    elif kind == 7:
        m.t("Hello,\n").pd(f"{first(s)} {s['family_name']}".lower(), "PERSON")
        m.t(" was very quiet today. ").t(cue).pd(dob, "DOB").t(". Could the school nurse see them this week?")
    elif kind == 8:
        m.t("Please note the new address for ").pd(full(s), "PERSON").t(" is ").pd(addr["line1"], "ADDRESS")
        m.t(", ").t(addr["town"]).t(" ").pd(addr["postcode"].replace(" ", ""), "POSTCODE").t(" from Monday.")
    else:
        m.t("Update for the core group: ").pd(first(s), "PERSON").t(" (").pd(s["ref"], "CASE_REF")
        m.t(") has started at the new school and is settling well.")
    if n % 3 == 0:
        sig(staff, m)
    messages.append((m, True))

# Possessive and distinctive single names.
for s in subjects[:12]:
    if first(s).lower() in {"hope", "may", "rose"}:
        continue
    m = Msg().t("Quick note: ").pd(first(s), "PERSON").t("'s PE kit is still at the academy office.")
    messages.append((m, True))

# --- Negative: newsletters, aggregates, near misses ----------------------------------------------------
NEGATIVE = [
    "Dear colleagues,\n\nWe hope you all have a restful May half-term. The Preston office will be closed on "
    "Friday for the building works.",
    "Newsletter: Foster carer training resumes after the May bank holiday. Sessions run at County Hall, "
    "Fishergate, Preston PR1 8XJ. Call 0300 123 6701 to book.",
    "In the second quarter we received 412 contacts, 131 referrals and 37 Section 47 enquiries. 22 children "
    "became subject to a child protection plan.",
    "Thanks for the FOI request. The numbers of looked-after children by age band are: 0-4: 58, 5-9: 71, "
    "10-15: 133, 16+: 49. Figures under 5 are suppressed.",
    "Reminder: the Rose Room is booked for the team meeting on 12/05/2025 at 14:00.",
    "I hope the grace period for returning forms can be extended to the end of May.",
    "Will you be at the Preston North End community day? We will have a stall about fostering.",
    "The reference you quoted, 401 234 5678, does not match our records; please check the letter.",
    "Meeting moved to 3rd June 2025 in the Civic Centre, West Paddock, Leyland PR25 1DH.",
    "Our duty line is 01772 254868, staffed 9 to 5, Monday to Friday.",
    "Please remember mark books and the summer reading list go home in July.",
    "Autumn term dates: school returns on 4 September 2025.",
    "Rose, hope and may are all words that appear in this sentence without naming anyone.",
    "The Children's Services annual report is attached. Key messages: timeliness improved, caseloads fell.",
    "Could you confirm the room booking for the rose garden event in May?",
]
for n in range(60):
    staff = STAFF[n % len(STAFF)]
    m = Msg().t(NEGATIVE[n % len(NEGATIVE)])
    if n % 2 == 0:
        sig(staff, m)
    if n % 5 == 1:
        m.t(f"\nThe number {nhs_number(valid=False)} is not an NHS number.")
    messages.append((m, False))
# Staff named in the body.
for n in range(10):
    a, b = STAFF[n % 4], STAFF[(n + 1) % 4]
    m = Msg().t(
        f"{a['given_names']} {a['family_name']} will cover for {b['given_names']} {b['family_name']} "
        f"next week; call {a['phone']} or e-mail {a['email']}."
    )
    messages.append((m, False))

with (HERE / "outbound_corpus.jsonl").open("w", encoding="utf-8") as out:
    for i, (m, positive) in enumerate(messages):
        row = {"id": f"m{i:03d}", "text": m.text(), "contains_personal_data": positive, "spans": m.spans}
        out.write(json.dumps(row) + "\n")
(HERE / "outbound_subjects.json").write_text(json.dumps(subjects, indent=1) + "\n", encoding="utf-8")
(HERE / "outbound_staff.json").write_text(json.dumps(STAFF, indent=1) + "\n", encoding="utf-8")
(HERE / "detect_council.json").write_text(json.dumps(COUNCIL, indent=1) + "\n", encoding="utf-8")
print(len(messages), "messages")
