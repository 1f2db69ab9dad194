"""Context rules on hard cases written for them (not from the free-written corpus): places, brands, famous
names, professionals and staff that share a service user's name are not flagged; a first name tied to one
child, a short form, a spelling variant and a family's own contacts are."""

from __future__ import annotations

import json

import pytest

from discretion.detect import StaffMember, Subject, SubjectIndex, scan

from .conftest import DATA

FREE = DATA / "freewritten"
P, C = True, False
CASES = [
    (C, "The Walsh Court minibus is booked for Friday's trip to Blackpool Zoo."),
    (C, "Reminder: Preston North End are offering free tickets to care leavers this Saturday."),
    (C, "Can someone cover the Fleetwood drop-in on Tuesday? Hannah is off sick."),
    (C, "Bradley Walsh is hosting the charity quiz night in aid of the toy appeal."),
    (C, "Michael Bolton tribute act booked for the Christmas party - sorry in advance."),
    (C, "PC Kirkham from the Chorley neighbourhood team will attend the community meeting."),
    (C, "DS Rooney (Lancashire Police, PPU) has asked for the strategy meeting dial-in details."),
    (C, "Dr Patience Adebayo, consultant paediatrician, will chair the peer review on Thursday."),
    (
        C,
        "Books for the reading corner: Harry Potter and the Philosopher's Stone, The Gruffalo and Peppa Pig annuals.",
    ),
    (C, "Quote of the week: 'Float like a butterfly, sting like a bee' - Muhammad Ali."),
    (C, "Jamie Oliver's school dinners campaign is a good resource for the healthy eating session."),
    (C, "Thanks to Ted Baker for donating coats again this winter."),
    (C, "Costa on the ground floor is closed for refurbishment until Monday."),
    (C, "Our Crystal Palace fan in IT says the printer is fixed."),
    (C, "Example referral: Joe Bloggs, DOB 01/02/2016, 1 Any Street, Anytown AN1 1AA, NHS 999 123 4567."),
    (C, "Use this format for emails: firstname.surname@nhs.net"),
    (C, "Rota w/c 8 July: Mon Sarah, Tue Priya, Wed Claire, Thu Imran, Fri Tom."),
    (C, "Leave: Grace Lomax 12-16 Aug; Will Atherton 19-23 Aug; Dawn Fletcher 26 Aug."),
    (C, "Holly and ivy decorations are in the store cupboard at Bolton Street."),
    (C, "The River Ribble walk for staff wellbeing is on Wednesday lunchtime."),
    (C, "Summer fair at Moor Park Family Centre - volunteers needed for the tombola."),
    (C, "May half term dates: 27-31 May. Please book leave early."),
    (C, "Please ring the Leyland office on 01772 535000 if you are running late."),
    (C, "Joanne Whitfield from Cafcass will be at the MASH on Wednesday."),
    (C, "New starter: Tyler Grant joins the Skelmersdale team as a family support worker."),
    (C, "Aisha from payroll says overtime claims are due by the 20th."),
    (C, "Lancaster Family Centre car park is closed; use the Dalton Square spaces."),
    (C, "Kelly Brook's new show was filmed in Blackpool - fun fact for the newsletter."),
    (C, "Please call the Fostering Team on 01772 536300 or email fostering.recruitment@council.example."),
    (C, "Conference ID 555 123 456 - dial 0333 300 1720 and enter the PIN when prompted."),
    (C, "Thu 12 Sept: team day at Hall Lane Training Centre. Fri 13 Sept: office closed."),
    (C, "NI numbers should look like QQ 12 34 56 C in the training system."),
    (C, "Invoice C240199 for the Brook House refurbishment has been paid."),
    (C, "Precious little time left to submit your timesheets!"),
    (C, "The Noah's Ark soft play in Clitheroe has a staff discount this month."),
    (C, "Sister Ruby Shaw from Blackpool Victoria will run the safeguarding training."),
    (P, "Kayden (Y5) was upset at drop-off again - mum says things are hard at home."),
    (P, "Can you chase the PEP for Riley R (10)? Carer says school haven't sent it."),
    (P, "Re: WALSH Kayden Lee - strategy discussion notes attached."),
    (P, "File: kayden-walsh-cin-plan.pdf"),
    (P, "Grace and Faith (the twins) missed their dental appointment."),
    (P, "Emeka's mum rang - she has a new mobile: 07700 900111."),
    (P, "Blessing's email is blessing.moyo11@example.com if you need to send the form."),
    (P, "Home visit to no. 5, FY1 6DG tomorrow - please take the interpreter."),
    (P, "The Okafor children are now at 20 Briercliffe Road with their aunt."),
    (P, "Jakub N (Year 5) told his teacher he has not eaten since yesterday."),
    (P, "Mohamad Hussain's school report is attached; his sister Aisha is in Year 4."),
    (P, "Ayesha Rahmann (Y6) has been absent for two weeks."),
    (P, "Can you check on Xiaoling? Mum Mei says she stopped eating."),
    (P, "Ji Woo Park was collected late again by mum Soo-jin."),
    (P, "Thu rang to say Minh Anh has chickenpox and won't be at nursery."),
    (P, "Harry Potter (DOB 19/02/2013) - school place request attached."),
    (P, "Noel Bell says Holly can go to her nan's at Christmas if the plan allows."),
    (P, "P300341 - please update the address on file."),
    (P, "NHS no 630 364 2888 - can you confirm GP registration?"),
    (P, "Tendai's NI number is TM 27 50 11 D."),
    (P, "Ronaldo Costa, 12, was seen by the school nurse today."),
    (P, "Dean Stanley has been arrested; Ava is with her nan."),
    (P, "R. Marsh (7) - medical booked."),
    (P, "Chelsea S has moved to Flat 6, 118 Friargate."),
    (P, "Evie M (Year 4, St Anne's) - dad James is asking for overnights."),
    (P, "Pádraig O'Connor has asked for contact with Cian and Siobhán."),
    (P, "Stefan Popescu's nursery says he has bruises on his arms."),
    (P, "Callum's placement with his nan has broken down; he is 14 and in Leyland."),
    (C, "Thanks everyone for coming to Darwen on Friday - the venue was great."),
    (C, "Reminder to all: the Chorley office fire drill is at 11."),
    (C, "Grace, can you send me the rota? Thanks, Priya"),
    (C, "Hi Faith, the chair's report template is attached. Regards, Hannah"),
    (C, "Sarah's covering duty today, Claire tomorrow."),
    (C, "Mark Hall and Rebecca Marsh will present the audit findings."),
    (C, "Kirkham Grammar School has asked for a speaker on online safety."),
    (C, "Our new IRO, Patricia Okonjo, starts on Monday."),
    (C, "Tommy Lee from Motley Crue is apparently playing Lytham Festival."),
    (C, "Are you going to Stanley's leaving do? (Stanley from finance)"),
    (C, "Bell Lane Surgery has changed its opening hours."),
    (C, "Lee from the Fylde team will cover the duty phone."),
    (C, "Film night: Paddington 2 at Fleetwood Family Hub, 6pm."),
    (C, "Jesus Christ Superstar is the school play this term - tickets from the office."),
    (C, "Any Park and Ride tickets left for the conference?"),
    (C, "Bishop Rawstorne Academy have asked about the EHCP training."),
    (C, "Brooklyn Nine-Nine quiz round was a hit at the social."),
    (C, "Our figures: 14 children in Preston, 9 in Chorley and 3 in Leyland were placed out of area."),
    (C, "Ms English (Head of Maths) has asked for the attendance data."),
    (C, "Mrs Potter from the school office says the forms are in the post."),
    (C, "The Kim's Game activity went down well at youth club."),
    (C, "Riley's Snooker Hall on Church Street is hosting the fundraiser."),
    (P, "Spoke to Mrs Bolton - Tyler has been missing since Sunday night."),
    (P, "Mia Fleetwood's nan called: Mia was sick at school."),
    (P, "The Moyo girls are back at school after half term."),
    (P, "Dylan and Mason's dad (Lee) wants a contact review."),
    (P, "Tracey Oliver has asked for Jamie's PEP to be moved."),
    (P, "Chelsea (care leaver, 18) needs a housing reference."),
    (P, "Please add Temitope to the holiday club list - Year 8, St Kentigern's."),
    (P, "amber english dob 27/03/2014"),
    (P, "Can u chase Harry L's medical? (8, Lancaster)"),
    (P, "Gintare K has not been in school all week."),
    (P, "Note to file: Andrei (12) reports his brother Stefan was hit by dad."),
    (P, "Arjun Sharma - Y4 - EHCP review 14/10."),
    (P, "Re: Kazlauskaite, Gintare - CME referral."),
    (P, "Contact centre booking for Rose & Will Brook with Pat, Sat 10am."),
    (P, "Subject: Popescu children - strategy"),
    (P, "Please send the letter to Mrs Shaw, 44 Caunce Street."),
    (P, "Lily Chen (Y4) has been referred to CAMHS."),
    (P, "zofia nowak, 6, Preston - new referral from school nurse"),
    (P, "The Whiteside/Lancaster contact arrangements for Harry are attached."),
    (P, "Nasreen Bibi has moved to a refuge with the children."),
    (P, "DK (12, Kirkham) - missing from home overnight."),
    (P, "K.L.W. (DOB 08/11/2014) seen at school today."),
    (C, "The DK team meets at 2."),
    (C, "AS level results are out."),
    (C, "Jack Walsh, who is the practice manager at Moorside Surgery, will sort the keys."),
    (C, "Tommy Lee Jones was great in that film."),
    (C, "From: Jack Walsh <jack.walsh@nhs.net>\nSubject: keys\nThe keys are at reception."),
    (C, "Dear [Parent name], your child's DOB 01/01/2015 must be on the form."),
    (C, "Payroll P204417 - overtime approved."),
    (C, "Mrs Bolton from school rang about parents' evening."),
    (P, "Surname: WALSH\nForename: Kayden"),
    (P, "Hope's teacher says she came in hungry again."),
    (P, "The 7-year-old, Summer, was collected late."),
    (P, "Files attached: kaydenwalsh_referral.pdf"),
    (P, "Kayden James Walsh has moved school."),
    (P, "Hope and her brother were seen at home."),
    (P, "Jack (who is in Year 7) was excluded on Friday."),
    (P, "Attached: KWalsh_cp_plan_v2.docx"),
    (C, "Interpreter: Marta Nowak (Polish)."),
    (C, "Practice manager - Jack Walsh, Moorside Surgery"),
    (C, "Jack Walsh from Moorside Surgery called about the flu clinic."),
    (C, "Jack Walsh | Practice Manager | Moorside Surgery"),
    (C, "Please thank the interpreter Marta Nowak for her help."),
    (C, "Health visitor Dawn Walsh will run the drop-in."),
    (C, "Jack Walsh (Moorside Surgery) sent the flu clinic dates."),
    (C, "Thanks for this.\n\nRegards\nJack Walsh\nMoorside Surgery"),
    (C, "How to fill in the form.\nExample:\nName: Joe Bloggs\nDOB: 03/04/2015"),
    (C, "Grace, Faith and Hope are the themes of this year's carol service."),
    (C, "Use case number C123456 on the practice system."),
    (P, "Rose and Will are settling in well with their nan."),
    (P, "Contact number 07700 900888 (mum)."),
    (P, "Walsh K, Walsh J - both seen."),
    (P, "You can reach Kerry on 07700 900964 after 3."),
    (P, "We hope Summer settles into nursery."),
    (C, "Her English is improving at school."),
    (C, "The hall was booked in May for the review."),
    (C, "SUMMER ATTENDANCE CAMPAIGN - schools please share."),
    (P, "Grace has been unsettled at school since her dad left."),
    (P, "Will is settling in well with his nan."),
    (C, "Faith said she will chair the CP conference."),
    (C, "Summer is coming and the holidays are long; she says hi."),
    (P, "Jim Morrison called again asking to see his daughter. E. Morrison file updated, Year 4."),
]


@pytest.fixture(scope="module")
def council_index() -> SubjectIndex:
    council = json.loads((FREE / "council.json").read_text())
    return SubjectIndex(
        [Subject.from_json(o) for o in json.loads((FREE / "subjects.json").read_text())],
        [StaffMember.from_json(o) for o in json.loads((FREE / "staff.json").read_text())],
        allow_list=council["phones"] + council["emails"],
        council_addresses=council["addresses"],
    )


@pytest.mark.parametrize(
    ("personal", "text"), CASES, ids=[f"{'personal' if p else 'clean'}-{n}" for n, (p, _) in enumerate(CASES)]
)
def test_context_decides_whether_a_name_is_a_service_user(
    council_index: SubjectIndex, personal: bool, text: str
) -> None:
    result = scan(text, council_index)
    found = [(text[f.start : f.end], str(f.label), f.why) for f in result.findings]
    assert result.contains_personal_data is personal, found
    assert all(f.why for f in result.findings)
