"""Static material for the demo store: people, companies, titles, links, mail text.

All companies and people are fictional. Phone numbers use ranges set aside for
fiction where a country has one (US/Canada 555-01xx, UK 020 7946 0xxx,
Australia 02 5550 xxxx).
"""

from __future__ import annotations

from typing import NamedTuple


class Company(NamedTuple):
    name: str
    domain: str
    region: str  # key into REGIONS


class Region(NamedTuple):
    zones: tuple[str, ...]
    names: str  # key into FIRST_NAMES / LAST_NAMES
    phone: str  # format with {a} {b}: random digits


REGIONS: dict[str, Region] = {
    "us": Region(
        (
            "America/New_York",
            "America/Chicago",
            "America/Denver",
            "America/Los_Angeles",
            "America/New_York",
            "America/Chicago",
        ),
        "en",
        "+1 {area} 555 01{b2}",
    ),
    "ca": Region(("America/Toronto", "America/Vancouver"), "en", "+1 {area} 555 01{b2}"),
    "uk": Region(("Europe/London",), "en", "+44 20 7946 0{b3}"),
    "ie": Region(("Europe/Dublin",), "en", "+353 1 {a3} {b4}"),
    "de": Region(("Europe/Berlin",), "de", "+49 30 {a4}{b3}"),
    "fr": Region(("Europe/Paris",), "fr", "+33 1 {a2} {b2} {c2} {d2}"),
    "nl": Region(("Europe/Amsterdam",), "nl", "+31 20 {a3} {b4}"),
    "se": Region(("Europe/Stockholm",), "se", "+46 8 {a3} {b3}"),
    "es": Region(("Europe/Madrid",), "es", "+34 91 {a3} {b2} {c2}"),
    "jp": Region(("Asia/Tokyo",), "jp", "+81 3 {a4} {b4}"),
    "sg": Region(("Asia/Singapore",), "en", "+65 6{a3} {b4}"),
    "in": Region(("Asia/Kolkata",), "in", "+91 80 {a4} {b4}"),
    "au": Region(("Australia/Sydney", "Australia/Melbourne"), "en", "+61 2 5550 {b4}"),
    "nz": Region(("Pacific/Auckland",), "en", "+64 9 {a3} {b4}"),
}

US_AREAS = ("212", "312", "415", "617", "646", "303", "512", "206", "404", "213", "720", "919")
CA_AREAS = ("416", "604", "647")

COMPANIES: tuple[Company, ...] = (
    Company("Acme Logistics", "acmelogistics.com", "us"),
    Company("Brightwater Health", "brightwaterhealth.com", "us"),
    Company("Cobalt Freight", "cobaltfreight.com", "us"),
    Company("Driftwood Analytics", "driftwoodanalytics.io", "us"),
    Company("Evergreen Dental Group", "evergreendental.com", "us"),
    Company("Foxglove Insurance", "foxgloveins.com", "us"),
    Company("Granite Peak Capital", "granitepeak.com", "us"),
    Company("Harborview Hotels", "harborviewhotels.com", "us"),
    Company("Ironclad Manufacturing", "ironcladmfg.com", "us"),
    Company("Juniper Ridge Foods", "juniperridgefoods.com", "us"),
    Company("Keystone Title & Escrow", "keystonetitle.com", "us"),
    Company("Lumen Solar", "lumensolar.com", "us"),
    Company("Meridian Staffing", "meridianstaffing.com", "us"),
    Company("Northwind Traders", "northwindtraders.com", "us"),
    Company("Oakline Construction", "oaklinebuild.com", "us"),
    Company("Pinnacle Legal Partners", "pinnaclelegal.com", "us"),
    Company("Quarry Lane Software", "quarrylane.io", "us"),
    Company("Redwood Property Management", "redwoodpm.com", "us"),
    Company("Summit Ridge Credit Union", "summitridgecu.org", "us"),
    Company("Tidewater Marine Supply", "tidewatermarine.com", "us"),
    Company("Union Square Media", "unionsquaremedia.com", "us"),
    Company("Vantage Point Security", "vantagepointsec.com", "us"),
    Company("Westbrook Pharmacy", "westbrookrx.com", "us"),
    Company("Yellowstone Outfitters", "yellowstoneoutfitters.com", "us"),
    Company("Zephyr Aerospace", "zephyraero.com", "us"),
    Company("Bluebird Childcare", "bluebirdcare.com", "us"),
    Company("Cedar & Vine Wines", "cedarandvine.com", "us"),
    Company("Hollis Veterinary", "hollisvet.com", "us"),
    Company("Maple Leaf Distribution", "mapleleafdist.ca", "ca"),
    Company("Northern Lights Energy", "northernlightsenergy.ca", "ca"),
    Company("Thistle & Crown Insurance", "thistlecrown.co.uk", "uk"),
    Company("Kingsbridge Architects", "kingsbridge-arch.co.uk", "uk"),
    Company("Albion Recruitment", "albionrecruit.co.uk", "uk"),
    Company("Mersey Freight Forwarding", "merseyfreight.co.uk", "uk"),
    Company("Fenwick Accountancy", "fenwickaccountancy.co.uk", "uk"),
    Company("Shamrock Medtech", "shamrockmedtech.ie", "ie"),
    Company("Liffey Payments", "liffeypay.ie", "ie"),
    Company("Rheinland Maschinenbau", "rheinland-mb.de", "de"),
    Company("Spreewald Logistik", "spreewald-logistik.de", "de"),
    Company("Isar Software", "isarsoftware.de", "de"),
    Company("Hanse Versicherung", "hanse-vers.de", "de"),
    Company("Lumière Cosmétiques", "lumiere-cosmetiques.fr", "fr"),
    Company("Groupe Belleville", "groupebelleville.fr", "fr"),
    Company("Seine Conseil", "seineconseil.fr", "fr"),
    Company("Grachten Data", "grachtendata.nl", "nl"),
    Company("Delta Havenbedrijf", "deltahaven.nl", "nl"),
    Company("Fjällbacka Outdoor", "fjallbacka.se", "se"),
    Company("Norrsken Fintech", "norrskenfintech.se", "se"),
    Company("Iberia Renovables", "iberiarenovables.es", "es"),
    Company("Castellana Retail", "castellanaretail.es", "es"),
    Company("Sakura Robotics", "sakura-robotics.jp", "jp"),
    Company("Hikari Trading", "hikaritrading.jp", "jp"),
    Company("Marina Bay Analytics", "marinabayanalytics.sg", "sg"),
    Company("Lion City Logistics", "lioncitylogistics.sg", "sg"),
    Company("Bengaluru Cloudworks", "blrcloudworks.in", "in"),
    Company("Deccan Pharma", "deccanpharma.in", "in"),
    Company("Kookaburra Health", "kookaburrahealth.com.au", "au"),
    Company("Southern Cross Mining", "southerncrossmining.com.au", "au"),
    Company("Harbour City Legal", "harbourcitylegal.com.au", "au"),
    Company("Tasman Agritech", "tasmanagritech.co.nz", "nz"),
    Company("Kauri Software", "kaurisoftware.co.nz", "nz"),
    Company("Silverline Telecom", "silverlinetelecom.com", "us"),
    Company("Copperleaf Utilities", "copperleafutil.com", "us"),
    Company("Prairie Wind Farms", "prairiewindfarms.com", "us"),
)

# Extra companies for large stores: prefix x suffix, regions cycled.
COMPANY_PREFIXES = (
    "Alder",
    "Amberly",
    "Ashford",
    "Beacon",
    "Birchwood",
    "Blackstone",
    "Bluefin",
    "Bramble",
    "Canyon",
    "Carrow",
    "Clearwater",
    "Crescent",
    "Crystal",
    "Dunmore",
    "Eastgate",
    "Elm Street",
    "Fairhaven",
    "Falcon",
    "Fieldstone",
    "Glacier",
    "Goldcrest",
    "Greystone",
    "Hawthorne",
    "Highland",
    "Horizon",
    "Indigo",
    "Kestrel",
    "Lakeshore",
    "Larkspur",
    "Lighthouse",
    "Magnolia",
    "Marlow",
    "Millbrook",
    "Moonstone",
    "Osprey",
    "Palisade",
    "Quill",
    "Riverbend",
    "Rosewood",
    "Saffron",
    "Sandpiper",
    "Sequoia",
    "Stonebridge",
    "Sunridge",
    "Thornbury",
    "Trident",
    "Valley Forge",
    "Whitfield",
    "Willow Creek",
    "Wrenfield",
)
COMPANY_SUFFIXES = (
    "Logistics",
    "Health",
    "Analytics",
    "Foods",
    "Capital",
    "Labs",
    "Systems",
    "Freight",
    "Energy",
    "Robotics",
    "Dental",
    "Insurance",
    "Legal",
    "Hotels",
    "Builders",
    "Pharma",
    "Media",
    "Retail",
    "Security",
    "Software",
    "Partners",
    "Manufacturing",
    "Telecom",
    "Clinics",
    "Consulting",
)
REGION_CYCLE = (
    "us",
    "us",
    "us",
    "us",
    "uk",
    "de",
    "ca",
    "au",
    "us",
    "fr",
    "nl",
    "sg",
    "us",
    "in",
    "se",
    "es",
    "jp",
    "ie",
    "nz",
    "us",
)

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Olivia",
        "Liam",
        "Emma",
        "Noah",
        "Ava",
        "James",
        "Sophia",
        "Benjamin",
        "Mia",
        "Lucas",
        "Charlotte",
        "Henry",
        "Amelia",
        "Alexander",
        "Harper",
        "Daniel",
        "Evelyn",
        "Michael",
        "Abigail",
        "Ethan",
        "Emily",
        "Jacob",
        "Ella",
        "Logan",
        "Grace",
        "Jackson",
        "Chloe",
        "Sebastian",
        "Priya",
        "Marcus",
        "Jordan",
        "Taylor",
        "Morgan",
        "Aisha",
        "Kevin",
        "Rachel",
        "Carlos",
        "Maria",
        "Wei",
        "Hannah",
        "David",
        "Sarah",
        "Tom",
        "Nina",
        "Omar",
        "Lauren",
        "Derek",
        "Megan",
        "Ryan",
        "Jasmine",
        "Tyler",
        "Natalie",
        "Andre",
        "Keisha",
        "Brian",
        "Fiona",
        "Gavin",
        "Holly",
        "Isaac",
    ),
    "de": (
        "Lukas",
        "Anna",
        "Jonas",
        "Lena",
        "Felix",
        "Marie",
        "Maximilian",
        "Sophie",
        "Paul",
        "Laura",
        "Tobias",
        "Katrin",
        "Stefan",
        "Julia",
        "Matthias",
        "Sabine",
        "Florian",
        "Claudia",
        "Jan",
        "Miriam",
    ),
    "fr": (
        "Camille",
        "Louis",
        "Chloé",
        "Hugo",
        "Manon",
        "Julien",
        "Léa",
        "Antoine",
        "Inès",
        "Mathieu",
        "Élodie",
        "Nicolas",
        "Sandrine",
        "Thomas",
        "Aurélie",
        "Pierre",
    ),
    "nl": (
        "Daan",
        "Sanne",
        "Bram",
        "Lotte",
        "Sem",
        "Fleur",
        "Ruben",
        "Anouk",
        "Thijs",
        "Eva",
        "Jeroen",
        "Marieke",
    ),
    "se": (
        "Erik",
        "Astrid",
        "Oskar",
        "Linnea",
        "Anders",
        "Maja",
        "Johan",
        "Elsa",
        "Nils",
        "Ingrid",
        "Gustav",
        "Sara",
    ),
    "es": (
        "Lucía",
        "Javier",
        "Sofía",
        "Alejandro",
        "Carmen",
        "Diego",
        "Elena",
        "Pablo",
        "Marta",
        "Sergio",
        "Laura",
        "Álvaro",
    ),
    "jp": (
        "Haruto",
        "Yui",
        "Sota",
        "Aoi",
        "Ren",
        "Hina",
        "Takumi",
        "Sakura",
        "Kenji",
        "Yuki",
        "Daiki",
        "Mei",
    ),
    "in": (
        "Aarav",
        "Ananya",
        "Vivaan",
        "Diya",
        "Arjun",
        "Isha",
        "Rohan",
        "Kavya",
        "Vikram",
        "Neha",
        "Sanjay",
        "Pooja",
        "Rahul",
        "Meera",
    ),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Smith",
        "Johnson",
        "Williams",
        "Brown",
        "Jones",
        "Garcia",
        "Miller",
        "Davis",
        "Rodriguez",
        "Martinez",
        "Hernandez",
        "Lopez",
        "Wilson",
        "Anderson",
        "Thomas",
        "Moore",
        "Jackson",
        "Martin",
        "Lee",
        "Thompson",
        "White",
        "Harris",
        "Clark",
        "Lewis",
        "Robinson",
        "Walker",
        "Young",
        "Allen",
        "King",
        "Wright",
        "Scott",
        "Nguyen",
        "Hill",
        "Flores",
        "Green",
        "Adams",
        "Nelson",
        "Baker",
        "Hall",
        "Rivera",
        "Campbell",
        "Mitchell",
        "Carter",
        "Roberts",
        "Patel",
        "Chen",
        "Okafor",
        "Murphy",
        "O'Brien",
        "Kowalski",
        "Sullivan",
        "Bennett",
        "Hughes",
        "Foster",
        "Price",
        "Bryant",
        "Russell",
        "Griffin",
        "Hayes",
    ),
    "de": (
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Koch",
        "Richter",
        "Klein",
        "Wolf",
        "Neumann",
        "Braun",
    ),
    "fr": (
        "Martin",
        "Bernard",
        "Dubois",
        "Thomas",
        "Robert",
        "Richard",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
        "Simon",
        "Laurent",
        "Lefèvre",
        "Girard",
    ),
    "nl": (
        "de Jong",
        "Jansen",
        "de Vries",
        "van den Berg",
        "Bakker",
        "Visser",
        "Smit",
        "Meijer",
        "de Boer",
        "Mulder",
        "Bos",
        "Vos",
    ),
    "se": (
        "Andersson",
        "Johansson",
        "Karlsson",
        "Nilsson",
        "Eriksson",
        "Larsson",
        "Olsson",
        "Persson",
        "Svensson",
        "Gustafsson",
        "Lindberg",
        "Holm",
    ),
    "es": (
        "García",
        "Fernández",
        "González",
        "Rodríguez",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Ruiz",
        "Díaz",
        "Moreno",
    ),
    "jp": (
        "Sato",
        "Suzuki",
        "Takahashi",
        "Tanaka",
        "Watanabe",
        "Ito",
        "Yamamoto",
        "Nakamura",
        "Kobayashi",
        "Kato",
        "Yoshida",
        "Yamada",
    ),
    "in": (
        "Sharma",
        "Verma",
        "Gupta",
        "Iyer",
        "Reddy",
        "Nair",
        "Mehta",
        "Rao",
        "Kapoor",
        "Joshi",
        "Menon",
        "Desai",
    ),
}

TITLES: tuple[tuple[str, int], ...] = (
    ("VP of Sales", 3),
    ("Head of Operations", 5),
    ("IT Director", 5),
    ("CFO", 2),
    ("Procurement Manager", 6),
    ("RevOps Manager", 4),
    ("Director of Engineering", 3),
    ("CTO", 2),
    ("Office Manager", 4),
    ("Customer Success Lead", 3),
    ("COO", 2),
    ("Operations Manager", 6),
    ("Finance Director", 3),
    ("IT Manager", 6),
    ("Head of Marketing", 3),
    ("Practice Manager", 2),
    ("Purchasing Lead", 3),
    ("Systems Administrator", 4),
    ("General Manager", 3),
    ("CEO", 2),
    ("Controller", 2),
    ("Product Manager", 3),
    ("Logistics Coordinator", 3),
    ("HR Director", 2),
)

WALKTHROUGH_FIRST, WALKTHROUGH_LAST = "Dana", "Reyes"
"""The contact README.md's walkthrough ("A day with callqueue") calls: `contact show dana`
must find one contact, so no other demo name has a word starting with either part (the
lists above leave both out; tests/demo check it)."""
WALKTHROUGH_MESSAGE_ID = 2031
"""The message README.md's walkthrough clears (`callqueue clear 2031`): an uncleared
customer email from another contact, at this id whatever the demo's size."""
WALKTHROUGH_CALL_ID = 12
"""The call README.md's walkthrough documents (`callqueue call edit 12 --note ...`): the
demo's connected call without notes, which the end-of-day check names, at this id
whatever the demo's size or the time it is built (tester report 1, item 28: id 12 was a
documented call of another contact, whose notes the walkthrough overwrote)."""

REP_NAME = "Sam Carter"
REP_EMAIL = "sam.carter@brightline.io"
REP_DOMAIN = "brightline.io"

LINKS: tuple[tuple[str, str], ...] = (
    ("Pricing PDF", "https://brightline.io/files/brightline-pricing-2025.pdf"),
    ("Case study: Acme Logistics", "https://brightline.io/customers/acme-logistics"),
    ("Demo booking page", "https://brightline.io/book-a-demo"),
    ("ROI calculator", "https://brightline.io/roi-calculator"),
    ("Product overview video", "https://brightline.io/videos/overview"),
    ("Security whitepaper", "https://brightline.io/files/security-whitepaper.pdf"),
    ("Integration guide", "https://docs.brightline.io/integrations"),
    ("Customer webinar replay", "https://brightline.io/webinars/q3-customer-roundtable"),
)

OUTBOUND_TOPICS: tuple[tuple[str, str], ...] = (
    (
        "Quick question about {company}'s dispatch workflow",
        "Hi {first}, I noticed {company} is hiring ops coordinators. Teams like yours use "
        "Brightline to cut manual scheduling by a third. Worth a 15 minute look?",
    ),
    (
        "Pricing for {company}",
        "Hi {first}, as promised, here is our pricing for a team of your size, with the "
        "annual discount. Happy to walk through it.",
    ),
    (
        "How Acme Logistics cut onboarding time by 40%",
        "Hi {first}, thought this case study might be relevant given what you said about "
        "onboarding new drivers.",
    ),
    (
        "Following up on our call",
        "Thanks for your time today, {first}. Recap: pilot with two depots, security review "
        "first, decision by end of quarter.",
    ),
    (
        "Agenda for Thursday",
        "Hi {first}, proposed agenda: 1) current process 2) live demo 3) pricing and next "
        "steps. Let me know if I should add anyone.",
    ),
    (
        "Your ROI estimate",
        "Hi {first}, I plugged your numbers into our ROI calculator: payback in about five "
        "months. The link lets you adjust the assumptions.",
    ),
    (
        "Security questionnaire for {company}",
        "Hi {first}, attached is our completed security questionnaire and the SOC 2 report "
        "summary your IT team asked for.",
    ),
    (
        "Checking in",
        "Hi {first}, any update on the budget review? If timing has moved I can adjust the "
        "proposal.",
    ),
    (
        "Integration with your ERP",
        "Hi {first}, our integration guide covers the NetSuite and SAP connectors we discussed.",
    ),
    (
        "Invitation: customer roundtable replay",
        "Hi {first}, the replay of last week's customer roundtable is up; the Q&A at minute "
        "22 covers your question about multi-site rollouts.",
    ),
)
LINK_FOR_TOPIC = (2, 0, 1, 3, 2, 3, 5, 4, 6, 7)  # index into LINKS per topic

INBOUND_REPLIES: tuple[str, ...] = (
    "Thanks {rep_first}. Can you send pricing for 25 seats and the annual option?",
    "Looks interesting. Can we do Tuesday at 10 instead?",
    "Forwarding to our IT lead, {other}, who will have questions on SSO.",
    "We're in budget freeze until next quarter; please check back in a few weeks.",
    "Got it, thanks. Legal wants to see the DPA before we go further.",
    "Can you include onboarding and training in the quote?",
    "Quick question: does the pilot include the mobile app?",
    "Sounds good. Send the contract over and I'll get it signed this week.",
    "We went with another vendor for now, but keep me posted on the roadmap.",
    "Thanks, the case study was helpful. Let's set up a call with my team.",
)
INBOUND_FIRST: tuple[tuple[str, str], ...] = (
    (
        "Question about our renewal",
        "Hi Sam, our renewal is coming up; can we discuss adding the analytics module?",
    ),
    ("Invoice INV-{n}", "Hi, our AP team can't match invoice INV-{n} to a PO. Can you help?"),
    ("Can we move our call?", "Something came up, can we push our call to tomorrow afternoon?"),
    ("Demo follow-up", "Hi Sam, my CFO watched the recording and has a few questions on pricing."),
    (
        "Users locked out",
        "Three of our dispatchers can't log in since this morning, is something down?",
    ),
    (
        "Referral",
        "Hi Sam, a colleague at another firm is looking for exactly what you do. Can I intro you?",
    ),
    ("Quote request", "Please send a quote for 40 licences with premium support."),
)
VOICEMAILS: tuple[str, ...] = (
    "Voicemail (0:42): Hi Sam, it's {first} from {company}, call me back about the quote "
    "when you get a sec.",
    "Voicemail (0:18): {first} here. Got your email, I have questions on the pilot, call me.",
    "Voicemail (1:05): Hi, {first} at {company}. We're reviewing vendors this week, would "
    "like to talk pricing.",
)
TEXTS: tuple[str, ...] = (
    "Running 5 min late for our call, sorry!",
    "Can you call me? Have 10 minutes now.",
    "Saw the pricing, let's talk today if you can.",
)
AUTO_REPLY = (
    "Automatic reply: {subject}",
    "I am out of the office until {until} with limited access to email. For urgent "
    "matters please contact {other}.",
)
BOUNCE = (
    "Undeliverable: {subject}",
    "Delivery has failed to these recipients: {address}. 550 5.1.1 The email account "
    "that you tried to reach does not exist.",
)
NEWSLETTERS: tuple[tuple[str, str, str], ...] = (
    (
        "news@saastr.com",
        "SaaStr Weekly: 9 lessons from scaling to $100M ARR",
        "This week: pricing page teardown, the new SDR math, and more.",
    ),
    (
        "digest@gartner.com",
        "Gartner Insights: Supply chain tech trends",
        "Your weekly digest of research picked for you.",
    ),
    (
        "noreply@linkedin.com",
        "You appeared in 14 searches this week",
        "See who's looking at your profile.",
    ),
    (
        "events@salesforce.com",
        "Join us at Dreamforce World Tour",
        "Register now for sessions on AI for sales teams.",
    ),
    (
        "newsletter@hubspot.com",
        "The Sales Blog: 30 cold email templates",
        "Fresh ideas for your outreach this week.",
    ),
)

OUTCOME_NOTES: dict[str, tuple[str, ...]] = {
    "connected": (
        "Walked through pricing; wants a quote for two depots.",
        "Discussed rollout timeline; decision after board meeting.",
        "Interested in the analytics module; send case study.",
        "Reviewed security questions; IT lead joins next call.",
        "Renewal talk: happy so far, wants volume discount.",
        "Champion confirmed budget; procurement next.",
    ),
    "left-voicemail": (
        "Left voicemail re: pricing.",
        "Left voicemail, will email too.",
        "VM: asked for a call back about the pilot.",
    ),
    "no-answer": ("No answer.", "Rang out, no voicemail box.", ""),
    "meeting-booked": (
        "Booked demo for next week with their ops team.",
        "Meeting booked: pricing review with CFO.",
    ),
    "not-interested": ("Not a priority this year; revisit in Q3.", "Happy with current vendor."),
    "wrong-number": ("Number belongs to front desk; asked for direct line.",),
    "do-not-call": ("Asked not to be called; email only.",),
}
OUTCOME_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("connected", 26),
    ("left-voicemail", 30),
    ("no-answer", 28),
    ("meeting-booked", 8),
    ("not-interested", 5),
    ("wrong-number", 3),
)

CONTACT_NOTES: tuple[str, ...] = (
    "Met at SaaStr Annual; prefers morning calls.",
    "Two kids, coaches youth soccer on weekends.",
    "Decision maker for ops software; reports to the COO.",
    "Prefers email first, then a call.",
    "Previously used a competitor; churned over support.",
    "Marathon runner; ask about the Chicago race.",
    "Gatekeeper is the EA, Jo; be friendly.",
    "Budget cycle starts in October.",
)

LEAD_SOURCES = (
    "Website demo request",
    "Webinar signup",
    "G2 inquiry",
    "Referral",
    "Trade show badge scan",
    "Pricing page chat",
)

HUMAN_AGENTS: tuple[str, ...] = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.6478.71 Mobile Safari/537.36",
)
HUMAN_NETS = (
    "73.162",
    "98.207",
    "24.15",
    "81.101",
    "86.134",
    "92.40",
    "203.0",
    "110.33",
    "49.36",
    "122.167",
)


class Scanner(NamedTuple):
    vendor: str
    user_agent: str
    net: str


SCANNERS: tuple[Scanner, ...] = (
    Scanner(
        "Proofpoint URL Defense",
        "Mozilla/5.0 (compatible; Proofpoint URL Defense; +https://proofpoint.com)",
        "148.163",
    ),
    Scanner("Mimecast URL Protect", "Mimecast-URL-Protect/3.1", "205.139"),
    Scanner(
        "Microsoft Defender Safe Links",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Microsoft-SafeLinks/1.0",
        "40.94",
    ),
    Scanner("Barracuda Link Protection", "BarracudaCentral LinkProtect/2.0", "64.235"),
)
APPLE_PREFETCH_UA = "Mozilla/5.0"
APPLE_NET = "17.58"
