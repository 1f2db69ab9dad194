"""What a council officer knows without looking anything up: the words around a name that say it is a
place, a brand, a famous person, a professional or a family member. Folded (lower case, no accents), as
the finder's normalised words are. Pure data: no Django, no I/O.
"""

from __future__ import annotations


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


def _phrases(block: str) -> frozenset[str]:
    """One phrase a line, folded to the finder's normalised form (letters and digits, single spaces)."""
    out = set()
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            out.add(" ".join("".join(c if c.isalnum() else " " for c in line).split()))
    return frozenset(out)


# A word after a name that makes it a place, a building, an organisation or a product: "Walsh Court",
# "Leyland Trucks", "Noah's Ark", "Fleetwood Town", "Brook House".
PLACE_AFTER = _words("""
    house court road rd street st lane ln avenue ave close drive dr way crescent grove terrace place square
    gardens park walk mews rise row green parade boulevard hill hills brow fold gate gates yard wharf
    quay dock docks bridge bank embankment estate centre center hub library libraries school schools academy
    primary infants juniors college university uni nursery nurseries preschool hospital infirmary surgery
    surgeries practice clinic health medical pharmacy mosque church chapel cathedral temple gurdwara
    synagogue abbey priory hall halls arena stadium ground pavilion theatre cinema museum gallery gardens
    zoo pier tower towers beach bay sands station airport port town city village borough county fc afc
    united rovers athletic wanderers city trucks motors motor coaches buses ltd limited plc llp inc co
    company group trust foundation charity council community communities homes housing association partners
    partnership services service solutions industries manor lodge cottage cottages farm mill mills works
    ark mac coffee cafe café restaurant bar pub inn hotel shop store stores supermarket market arms retail
    outlet mall precinct leisure sports pool baths gym club youth zone office offices chambers building
    buildings block flats barracks prison court's magistrates crown tribunal studios brewery bakery north
    end palace island islands ward wards royal infirmary grammar market marina promenade prom lido
    interchange golf cricket rugby borough district festival carnival fair show
""")
# After "X Family …" these make it a venue ("Darwen Family Hub"), not a family ("the Darwen family").
FAMILY_VENUE = _words("hub centre center court group support services service information law")

# A title before a name that makes it a professional, an office holder or a cleric, not a service user.
PROFESSIONAL_TITLES = _words("""
    pc dc ds di dci dsi det supt sgt sergeant inspector insp constable officer dr doctor prof professor
    cllr councillor rev revd reverend canon father fr imam rabbi pastor vicar bishop sister nurse matron
    judge hhj dj magistrate justice lord lady sir dame coach captain capt mayor headteacher head principal
    chief superintendent commissioner minister mp prince princess king queen duke duchess earl saint st pope
""")
# A role after a name ("Joanne Brook, Children's Guardian at Cafcass", "Marta Nowak from the agency").
ROLE_WORDS = _words("""
    guardian cafcass officer worker nurse visitor teacher headteacher head senco dsl manager chair
    interpreter translator solicitor barrister counsel advocate gp doctor consultant paediatrician
    psychologist psychiatrist therapist counsellor advisor adviser coordinator co ordinator lead leader
    practitioner police constabulary detective iro lado ofsted inspector magistrate judge clerk
    commissioner councillor director chief supervisor volunteer mentor trainer speaker presenter author
    chef singer footballer actor actress player presenter comedian host minister mp principal deputy business
    receptionist administrator admin secretary caretaker midwife dentist optician pharmacist paramedic
    ambulance firefighter sergeant inspector superintendent safeguarding nqsw asye apprentice intern
    student placement assistant officer's team
""")
ORG_AFTER_FROM = _words("""
    cafcass it nhs police constabulary agency interpreting trust hospital council dwp jobcentre
    probation yot ofsted barnardos nspcc housing health visiting surgery practice gp camhs salt
    finance payroll hr legal audit procurement reception admin
""")

# Words near a first name that tie it to one child: school and class, family, the case itself.
SCHOOL_CUES = _words("""
    school academy primary nursery college pupil pupils class teacher senco headteacher year yr
    y1 y2 y3 y4 y5 y6 y7 y8 y9 y10 y11 y12 y13 tutor dsl pep ta infants juniors
""")
KIN_WORDS = _words("""
    mum mummy mam mom mother dad daddy father stepdad stepmum stepfather stepmother brother brothers sister
    sisters sibling siblings twin twins nan nana nanna gran granny grandma grandmother grandad grandpa
    grandfather aunt auntie aunty uncle cousin son daughter baby carer carers partner boyfriend girlfriend
    husband wife ex
""")
FAMILY_NOUNS = _words("family families boys girls kids children twins siblings household brothers sisters")
CASE_CUES = _words("""
    plan cp cin lac cla pep ehcp review conference strategy s47 referral assessment placement placed
    contact visit visited missing episode rhi absent absence absences attendance exclusion excluded hospital
    medical bruise bruises bruising injury injuries disclosed disclosure allegation concern concerns
    safeguarding court hearing order leaver pathway appt appointment hv camhs salt upset unsettled hungry
    hit teased poorly asthma eczema diagnosis collected collect pick picked taxi escort transport
    statement bundle chronology file case allocated risk dash mash notification incident arrested
    police hurt crying scared frightened angry worried behaviour behavior self harm overdose
    pregnant birth born dob custody foster fostering kinship adoption adopted respite sgo
""")
# A short word a first name is often written beside that is a day or month, not a person: "Thu 4pm".
DAYS_AND_MONTHS = _words("""
    mon tue tues wed weds thu thur thurs fri sat sun jan feb mar apr may jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday january february march april june july august
    september october november december
""")
VALEDICTIONS = _phrases("""
    thanks
    thank you
    many thanks
    thanks again
    kind regards
    regards
    best regards
    warm regards
    best wishes
    best
    cheers
    ta
    thx
    yours sincerely
    yours faithfully
    yours
    with thanks
    all the best
    speak soon
""")

# Mail domains of professionals and public bodies: an address there is a worker's, not a family's.
PROFESSIONAL_DOMAINS = (
    ".gov.uk",
    "nhs.net",
    ".nhs.uk",
    ".police.uk",
    ".sch.uk",
    ".ac.uk",
    ".org.uk",
    ".cjsm.net",
    "council.example",
)
# Abbreviations of the trade: never a person's initials.
ACRONYMS = _words("""
    nhs cin cp pep sw hv dob dsl lac cla iro gp mash fyi asap tbc tbd camhs sen send ehcp ehc sgo fgc
    cse cce dv da dash marac mappa lado ofsted dfe dwp hmrc yot pcso dc pc ds di sgt cps ig igo foi sar
    gdpr dpa uk gb eu usa am pm ok re fw fwd cc bcc ps nb hr it ict csc fsw tm sm hos pa rhi nfa ooh edt
    hq asd adhd pe re ict ta hlta sendco senco head cpd asye nqsw bia rag ceo mp mbe obe uk ltd plc vat
""")
# Names written in examples and templates, never a real person.
PLACEHOLDER_NAMES = _phrases("""
    joe bloggs
    jo bloggs
    joanne bloggs
    fred bloggs
    john smith
    jane smith
    john doe
    jane doe
    a n other
    joe public
    john q public
    mr example
    any street
    anytown
    any town
    firstname surname
    first name surname
    forename surname
""")
EXAMPLE_CUES = _phrases("""
    e g
    eg
    for example
    for instance
    example
    examples
    such as
    looks like
    look like
    looks something like
    format
    formatted
    in the form
    like this
    dummy
    test number
    test numbers
    test patient
    test record
    test data
    fictitious
    made up
    placeholder
    sample
    template
    not a real
    not real
    training system
    do not use
""")
# Role mailboxes and placeholders: an address like these is nobody's own.
ROLE_MAILBOXES = _words("""
    info enquiries enquiry admin office reception team duty safeguarding referrals referral mash hr
    finance accounts payroll it helpdesk support help contact contactus hello bookings booking training
    noreply no reply donotreply postmaster webmaster sales service services customer customerservices
    admissions attendance schooloffice head headteacher senco dsl clerk governors secretary
    firstname surname first last name yourname your forename example test sample
""")
# Cues that a number or address belongs to an organisation: "the duty desk on 01772 …", "dial in".
ORG_CONTACT_CUES = _words("""
    helpline line desk team teams office offices reception switchboard duty surgery practice school academy
    nursery centre center hub library hospital ward clinic service services department dept unit
    freephone ext extension main enquiries admissions police agency company council authority dial
    conference pin bridge meeting teams zoom webex booking book bookings whatsapp trust charity
    organisation organization gp pharmacy dentist hotline advice text
""")
# Cues that a phone number or e-mail address is a person's own: "her new mobile", "mum's number".
OWN_CONTACT_CUES = _words("""
    mobile mob number phone tel telephone email e mail contact contacted reached reachable reach ring call text texted
    whatsapp own personal new changed
""")
OWNER_WORDS = _words("his her hers their theirs own personal he she him they them") | KIN_WORDS
NON_CASE_REF_CUES = _words("""
    contract po purchase order invoice inv supplier room unit lot tender framework job ticket route form
    version item model part serial bus flight vehicle reg batch account acct policy claim course code
    module payroll employee staff booking
""")

# Famous and fictional people, bands, brands, clubs and sayings that are also people's names: a match
# inside one of these is the famous name, unless the same person's own details are nearby.
FAMOUS = _phrases("""
    # sport
    wayne rooney
    coleen rooney
    cristiano ronaldo
    ronaldo
    ronaldinho
    diego costa
    douglas costa
    muhammad ali
    mohammed ali
    mohamed ali
    harry kane
    marcus rashford
    david beckham
    victoria beckham
    brooklyn beckham
    romeo beckham
    mo salah
    mohamed salah
    mo farah
    lionel messi
    messi
    pele
    kylian mbappe
    erling haaland
    jack grealish
    bukayo saka
    jude bellingham
    phil foden
    raheem sterling
    steven gerrard
    frank lampard
    alan shearer
    gary lineker
    gary neville
    ryan giggs
    paul scholes
    bobby charlton
    stanley matthews
    tom finney
    kelly holmes
    jessica ennis
    andy murray
    emma raducanu
    serena williams
    lewis hamilton
    tyson fury
    anthony joshua
    amir khan
    freddie flintoff
    andrew flintoff
    james anderson
    jimmy anderson
    ben stokes
    tom daley
    usain bolt
    park ji sung
    son heung min
    # music and screen
    jim morrison
    james morrison
    the doors
    charlotte church
    tommy lee
    bruce lee
    stan lee
    spike lee
    christopher lee
    harper lee
    brenda lee
    sade
    adele
    stormzy
    dave
    oasis
    noel gallagher
    liam gallagher
    noel edmonds
    noel coward
    noel fielding
    ed sheeran
    harry styles
    one direction
    little mix
    spice girls
    take that
    robbie williams
    gary barlow
    elton john
    paul mccartney
    john lennon
    ringo starr
    george harrison
    the beatles
    fleetwood mac
    mick fleetwood
    michael bolton
    kate bush
    kim wilde
    kim kardashian
    kim jong un
    kim jong il
    lily allen
    amy winehouse
    dua lipa
    taylor swift
    beyonce
    rihanna
    madonna
    shakira
    drake
    eminem
    kylie
    kylie minogue
    cher
    sting
    bono
    prince
    bob dylan
    dylan thomas
    bob marley
    river phoenix
    joaquin phoenix
    grace kelly
    grace jones
    faith hill
    holly willoughby
    holly valance
    ruby wax
    ruby rose
    amber heard
    amber rudd
    jade goody
    jade thirlwall
    crystal palace
    kelly brook
    kelly clarkson
    kelly osbourne
    sharon osbourne
    ozzy osbourne
    sharon stone
    dawn french
    bradley walsh
    louis walsh
    jamie oliver
    gordon ramsay
    mary berry
    nigella lawson
    ted baker
    james bond
    burt lancaster
    stuart hall
    jerry hall
    annie hall
    royal albert hall
    albert hall
    anne frank
    will smith
    tom hanks
    tom cruise
    brad pitt
    emma watson
    daniel radcliffe
    rupert grint
    theresa may
    brian may
    boris johnson
    keir starmer
    rishi sunak
    nicola sturgeon
    jeremy corbyn
    tony blair
    margaret thatcher
    winston churchill
    queen elizabeth
    king charles
    prince harry
    prince william
    prince edward
    prince george
    princess charlotte
    princess diana
    meghan markle
    kate middleton
    martin luther king
    nelson mandela
    greta thunberg
    malala
    malala yousafzai
    david attenborough
    marcus aurelius
    # fiction and children's television
    harry potter
    hermione granger
    ron weasley
    lord voldemort
    peppa pig
    george pig
    paddington
    paddington bear
    winnie the pooh
    thomas the tank engine
    bob the builder
    postman pat
    fireman sam
    peter rabbit
    peter pan
    mary poppins
    noddy
    mr bean
    sherlock holmes
    harry hill
    homer simpson
    bart simpson
    spiderman
    spider man
    batman
    superman
    wonder woman
    elsa
    olaf
    moana
    shrek
    buzz lightyear
    woody
    bluey
    bingo
    hey duggee
    gruffalo
    the gruffalo
    noah's ark
    noahs ark
    # brands, shops, clubs and places named like people
    marks and spencer
    marks spencer
    m and s
    costa
    costa coffee
    morrisons
    sainsburys
    sainsbury
    tesco
    asda
    aldi
    lidl
    boots
    greggs
    primark
    next
    river island
    ted baker
    tommy hilfiger
    ralph lauren
    calvin klein
    jack wills
    hugo boss
    ben and jerry
    ben jerry
    taco bell
    toby carvery
    harvey nichols
    john lewis
    leyland trucks
    leyland daf
    chelsea
    chelsea fc
    everton
    preston north end
    accrington stanley
    stanley park
    fleetwood town
    blackburn rovers
    burnley fc
    bolton wanderers
    blackpool fc
    morecambe fc
    lancaster city
    chorley fc
    kirkham grammar
    jesus christ
    jesus
    jesus college
    holy spirit
    virgin mary
    st mary
    father christmas
    santa
    jack frost
    jack the ripper
""")
# Sayings: a name-word inside one is the word ("grace period", "hope for the best").
SAYINGS = _phrases("""
    grace period
    saving grace
    hope for the best
    faith in
    time is precious
    a blessing in disguise
    count your blessings
    counting our blessings
    patience is a virtue
    may day
    may half term
    summer term
    summer holidays
    summer holiday
    summer school
    summer edition
    summer bulletin
    summer fair
    river ribble
    river wyre
    river lune
    river thames
    crystal clear
    ruby wedding
    amber warning
    amber band
    amber rating
    rag amber
    red amber green
    english lessons
    english language
    plain english
    park and ride
    car park
    holly and ivy
    boughs of holly
""")

# Towns and cities (the council's own area first): a surname that is also a place is a place after
# "in", "at", "to", "from", "near" or before a postcode.
PLACES = _phrases("""
    preston
    lancaster
    blackburn
    blackpool
    burnley
    chorley
    leyland
    darwen
    accrington
    fleetwood
    kirkham
    morecambe
    skelmersdale
    ormskirk
    clitheroe
    colne
    nelson
    padiham
    rawtenstall
    haslingden
    bacup
    whalley
    longridge
    garstang
    poulton
    thornton
    cleveleys
    lytham
    st annes
    ansdell
    fulwood
    penwortham
    bamber bridge
    walton le dale
    carnforth
    heysham
    bolton
    wigan
    chester
    manchester
    salford
    stockport
    oldham
    rochdale
    bury
    liverpool
    southport
    st helens
    warrington
    kendal
    carlisle
    lancashire
    cumbria
    merseyside
    yorkshire
    leeds
    bradford
    york
    sheffield
    london
    birmingham
    bristol
    newcastle
    derby
    nottingham
    leicester
    coventry
    hull
    stanley
    chelsea
    kensington
    brooklyn
    paris
    sydney
    victoria
    florence
    jordan
    georgia
    india
    china
    lincoln
    kent
    devon
    cornwall
    scotland
    wales
    ireland
    england
    britain
    spain
    poland
    lithuania
    romania
    nigeria
    zimbabwe
    vietnam
    korea
    pakistan
    bangladesh
""")
