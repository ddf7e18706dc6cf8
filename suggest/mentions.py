"""What a post that speaks to the business asks of it: an answer, thanks taken, a complaint
owned, or something only a person can settle (an order, a lost thing, a favour, a phone call).

Everyone who addresses the business gets a draft or a card; `occasion` says which.
"""

from __future__ import annotations

import re

from analysis import text as text_signals
from analysis.text import FOR_A_PERSON
from core.models import Occasion
from suggest.schemas import Candidate

THANKS = re.compile(
    r"\b(thank\w*|cheers|ta|grateful|shout ?out|kudos|love (your|the|this)|"
    r"best (\w+ )?(in|ever)|made my (day|week)|delicious|amazing|unreal|gorgeous|legends?|"
    r"hero(es)?|lifesavers?)\b|❤|😍|🥰|🙏",
    re.I,
)
THANKS_FIRST = re.compile(
    r"^\W*(?:@[\w.@-]+[\s,:]+)*(?:just )?(?:(?:want|wanted) to say )?(?:a )?"
    r"(?:big |huge |massive |special |many )?"
    r"(?:thanks|thank you|cheers|shout ?-?outs? to|kudos to|props to|big up)\b"
    r"(?! for nothing| a lot)",
    re.I,
)
# "… chased me halfway down the Shore with my bank card — absolute hero. Thank you!!": thanks
# said last is what the post is for.
THANKS_LAST = re.compile(r"\b(?:thank you|thanks|cheers|ta)(?: so much| again| all)?\W*$", re.I)
PRAISE_BUT = re.compile(
    r"\b(?:love|adore|usually|normally|always)\b[^.!?]{0,40}\bbut\b(?! (?:hey|still|worth))", re.I
)
# Praise that is a complaint: "great to cycle 3 miles … to look at a locked shutter … fab.",
# "love paying for two flat whites, waiting 25 minutes … living the dream".
SARCASM = re.compile(
    r"^\W*(?:great|love|nice|brilliant|fab|fantastic|wonderful|perfect|cheers|thanks|amazing)\b"
    r"[^.!?]{0,80}\b(?:locked|shut|closed|wait(?:ed|ing)?|cold|lukewarm|stale|late|broken|"
    r"wobbly|no ?one|nobody|missed|ignored|queue(?:d|ing)?|forgot|wrong)\b|"
    r"\b(?:living the dream|cheers for nothing|thanks for nothing|thanks a lot)\b|"
    # "… says you're open Mondays. you're not. cheers for that 👍"
    r"\b(?:you'?re not|you weren'?t|you aren'?t|nobody|no one|never)\b[^?]{0,40}?"
    r"\b(?:cheers|thanks|ta)(?: for that| a lot| very much| then)?\W*$|"
    r"[.!]\s+(?:a\s+|pure\s+|absolute\s+)?(?:fab|great|brilliant|lovely|marvellous|cracking|"
    r"masterpiece|genius|stellar|inspired|top work|nice one|well done(?: all| everyone)?)\W*$",
    re.I,
)
# What went wrong on a visit, told to the business: "waited 55 minutes on saturday, nobody
# said it'd be longer, missed my train… just tell people if there's a queue?" is a complaint,
# whatever it ends by asking.
GRIEVANCE = re.compile(
    r"\bwaited\s+(?:over\s+|nearly\s+|almost\s+)?(?:\d+|an?)\s*(?:min\w*|hours?|hrs?)\b|"
    r"\bmissed my (?:train|bus|flight|appointment|connection)\b|"
    r"\bnobody (?:said|told|mentioned|warned)\b|\bnot impressed\b|\bnot good enough\b|"
    # "bit gutted tbh", "Bit disappointed.", "Not the welcome I expected", "do you actually want
    # customers or"
    r"\b(?:a |a wee |bit |a bit |very |really |so |quite |pretty |massively )"
    r"(?:disappointed|gutted|let down)\b(?!\s+(?:i|we|to|that)\b)|"
    r"^\W*(?:@[\w.@-]+\s+)*(?:disappointed|gutted)\b(?!\s+(?:i|we|to|that)\b)|"
    # "Felt like we were in the way. Used to love coming here on a Sunday."
    r"\bfelt (?:like )?(?:we|i) (?:were|was) (?:in the way|a nuisance|a bother)\b|"
    r"\bfelt (?:so |really |very )?(?:rushed|unwelcome|ignored)\b|"
    r"\bused to love (?:coming|going|it|this|the|your)\b|"
    # "google said you were open, got there and it was shutters down. 'closed mondays' would
    # be nice to know BEFORE the 5km."
    r"\bwould (?:be|have been) (?:nice|good|helpful) to (?:know|have known|be told)\b|"
    r"\bgot there and (?:it was|you were|it's|they were) (?:shut|closed|shutters? down|locked)\b|"
    r"\bnot the (?:welcome|service|experience) I\b|\b(?:do|does) (?:you|they) (?:actually|even) "
    r"want (?:customers|business)\b|"
    # "felt a right numpty standing by the counter", "bit mortifying being asked to…", "not
    # really what i expected for the money"
    r"\bfelt (?:like )?(?:a )?(?:right |complete |total |proper )?(?:numpty|idiot|fool|muppet|"
    r"eejit|plonker)\b|\b(?:bit |so |really |quite |pretty )mortifying\b|"
    r"\b(?:not|isn'?t|wasn'?t) (?:really |quite )?what (?:i|we) (?:expected|paid for)\b",
    re.I,
)
# Came and found the business shut: "got there and it was shutters down", "a locked shutter",
# "you're open Mondays. you're not" (not "closed on Sundays", said of the hours).
FOUND_SHUT = re.compile(
    r"\b(?:locked|shut|closed)\b(?! (?:on|at|by) (?:sundays?|mondays?))|\bshutters? down\b|"
    r"\byou'?re open \w+\W+you'?re not\b|\b(?:wasn'?t|weren'?t|not) open\b",
    re.I,
)
# A particular order, booking or payment: only a person can look it up and settle it.
DECISION = re.compile(
    r"\b(my|our|the|an?) (order|booking|reservation|pick ?-?up|collection|delivery)\b|"
    # "you charged me twice", not "the last place … charged £140"
    r"\border'?s under\b|\bordered\b|"
    r"\b(?:you|you've|you have|was|were|been|got|get) (?:over)?charged\b|"
    r"\bcharged (?:me|us)\b|\brefund|\bmoney back|\bhold (it|one|this|them)\b|"
    r"\bput (it|one) aside|\b(?:put|set) (?:\w+ ){0,4}?aside\b|\btable for \d+|"
    # "could you keep a sourdough back for me?", "put one by for me"
    r"\b(?:keep|put|hold) (?:\w+ ){0,3}?(?:back|by) for (?:me|us)\b|"
    # a booking moved: "could I switch thursday's service to friday?", "can we make it 1
    # instead?"
    r"\b(?:switch|move|change|swap|push) (?:my |our |the |\w+'s )(?:service|booking|table|"
    r"appointment|slot|collection|reservation)\b|\bcan (?:we|i) make it (?:\d|\w+day)[^?]{0,20}"
    r"instead\b|"
    # "any way you'd hang onto it if I sent you a bit of money tonight?"
    r"\bhang on ?to (?:it|one|this|them|that)\b|"
    # an order for a day of theirs: "any chance you could do one for Thursday afternoon?"
    r"\b(?:(?:could|can|would) you|you (?:could|can|would)) (?:do|make|bake) (?:one|it|that|a \w+)"
    r"(?: \w+){0,2}? (?:for|by) "
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow)\b|"
    r"\bbook (?:a |some |\w+ )?tables?\b|\bhow (?:do|can|would) (?:i|we) (?:order|book)\b|"
    r"\b(?:could|can|would) you (?:do|make|bake) (?:an? |one )(?:[\w-]+ ){0,3}?for "
    r"(?:my|our|a|the) (?:[\w']+ ){0,3}?on "
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
    r"\bfor \d+ (people )?on the\b|\bdeposit\b|\binvoice|"
    r"\bwholesale|\bcatering|\bcollab\w*|\bbooked\b|"
    # "Would you ever supply a few loaves every morning?" for their guests
    r"\b(?:would|could|do|can) you (?:\w+ )?supply\b",
    re.I,
)
# Something left behind: only someone at the counter can look ("think I left my helmet on
# your counter", "has a blue scarf been handed in?").
LOST_PROPERTY = re.compile(
    r"\b(?:left|lost|forgot|dropped)\s+(?:my|our|a|her|his)\s+(?:[\w'’]+\s+){0,4}?"
    r"(?:at|in|on|under)\s+(?:yours|your\s+\w+|the\s+(?:caf[eé]|shop|counter|table|workshop|"
    r"bakery|window(?:\s+table)?))\b|\bhanded\s+(?:it\s+|them\s+)?in\b|\blost\s+property\b|"
    # "did anyone hand in a pair of reading glasses? think I left them on the window table"
    r"\b(?:any\s?(?:one|body)|someone|somebody)\s+hand\s+in\b|"
    # "did anyone find a wee knitted mitten this afternoon?"
    r"\b(?:did|has)\s+(?:any\s?(?:one|body)|someone|somebody|you)\s+(?:find|found|pick(?:ed)?\s+up|"
    r"come\s+across)\s+(?:a|an|my|our|her|his)\b|"
    r"\bleft\s+(?:it|them)\s+(?:at|in|on|under)\s+the\s+(?:caf[eé]|shop|counter|(?:\w+\s+)?table|"
    r"workshop|bakery|window)\b|"
    # "we think we left a small knitted rabbit … any chance she's there??", "think I left my
    # front light on one of the stands", "any chance they've turned up?"
    r"\b(?:(?:we|i) )?think (?:we|i|she|he) (?:left|dropped)\b|"
    r"\bany chance (?:they'?ve|it'?s|they have|it has) turned up\b|"
    # "…on the bench by your door yesterday, any sign of him?"
    r"\bany sign of (?:him|her|them)\b|"
    r"\bany chance (?:she|he|it|they)(?:'s| is|'re| are) (?:still )?(?:there|behind the counter)\b|"
    # "was a wee knitted blue giraffe found on Sunday morning?"
    r"\b(?:was|were) (?:a|an|my|our|her|his)\s+(?:[\w'’-]+\s+){0,5}?found\b",
    re.I,
)
# Asking for a job or a placement ("are you taking anyone on? happy to send a CV"): the owner
# answers, even when the words read like self-promotion.
JOB_ENQUIRY = re.compile(
    r"\b(?:taking (?:anyone|anybody|people) on|tak\w* on (?:staff|anyone|anybody)|hiring|"
    r"vacanc\w+|any (?:jobs|openings|positions)|cv|apprentice\w*|work experience|trial shift|"
    r"looking for (?:a )?(?:job|work))\b",
    re.I,
)
# Harm they put down to the business (an injury, something in the food, a reaction, a word of
# a lawyer): never a drafted apology, the owner answers in person. (A wish to be phoned is
# CALL_ME's, after it.)
HARM_REPORTED = re.compile(
    # ("the hospital said an intolerance" is no harm done by anyone)
    r"\b(stitch(es)?|a ?& ?e\b|(?:in|to|into|at) (?:the )?hospital|injur\w*|fractur\w*|"
    r"broke my|concussion|bleeding|"
    r"chok\w*|allergic reaction|anaphyla\w*|epipen|food poisoning|been sick|vomit\w*|"
    # "She came up in hives within the hour and we spent Friday night at the Sick Kids"
    r"(?:came|come|comes|broke|breaks) (?:up|out) in (?:hives|a rash)|sick kids|"
    # "a piece of hard blue plastic, about the size of a fingernail, baked into the middle"
    r"(plastic|glass|metal|wire|a hair|a screw|a bolt)\b[^.]{0,50}\b(in|into|inside)\b|"
    r"solicitor|lawyer|"
    # "been really unwell since", "made us all ill" (not "wheat makes her really poorly")
    r"\b(?:been|was|were|got|am) (?:really |very |violently |so )?(?:unwell|ill|poorly)\b|"
    r"(?:unwell|ill|poorly|sick) (?:ever )?(?:since|after)\b|"
    r"\bmade (?:me|us|him|her|them|my \w+)(?: all)? (?:really |very |so )?"
    r"(?:unwell|ill|poorly|sick)\b|"
    # "broken collarbone", "cracked my wrist", "cracked a molar", "hit my head", "went over the
    # bars"
    r"(?:broken|broke|fractured|cracked|chipped|sprained|dislocated)(?: (?:my|his|her|their|a))? "
    r"(?:collarbone|wrist|arm|leg|ankle|elbow|finger|toe|rib|nose|jaw|tooth|teeth|molar|filling|"
    r"hip|shoulder|knee|thumb)s?\b|"
    r"hit (?:my|his|her|their) head\b|over the (?:handle)?bars\b|"
    # a near miss: "nearly ended up under a van", "could have been killed"
    r"(?:nearly|almost) (?:ended up|went|got|been|came off) (?:under|into|hit|knocked|killed)\b|"
    r"could(?:'ve| have) been (?:killed|hurt|seriously)\b|"
    r"legal action|sue (you|them|the)\b|insurance claim)",
    re.I,
)
# A disability named in what went wrong ("My son is autistic and takes a while to order. The
# young lad at the till sighed…"): no drafted apology can answer how they were treated.
DISABILITY = re.compile(
    r"\b(?:autis\w+|disab\w+|wheelchair|blind|deaf|dementia|learning difficult\w*|"
    r"special needs|additional (?:support )?needs|adhd|guide dog)\b(?! as a bat)",
    re.I,
)
# They ask the business for a favour: to donate, sponsor, or come and do something for them
# ("Would you be willing to donate a raffle prize?", "Would you ever come to the school?").
FAVOUR = re.compile(
    r"\b(?:sponsor (?:us|our|the)|raffle prize|prize for (?:our|the) raffle)\b|"
    r"\b(?:would|could) (?:you|\w+)(?: [\w&]+){0,3}? (?:ever |be willing to |"
    r"consider |be able to |be up for |possibly |maybe )+(?:come|coming|visit\w*|give|giving|run|"
    r"put(?:ting)? (?:\w+ ){0,2}up|hang(?:ing)?|display\w*|"
    r"running|host\w*|talk\w*|donat\w+|look (?:them|it|at them) over)\b|"
    # "Could you box the bike up for me so I can courier it through?"
    r"\b(?:could|can|would) you (?:\w+ )?(?:box|pack|post|ship|courier)\b|"
    # a group to host ("bringing a small group (6 children and 2 adults) to watch bread being
    # made", "brought around 10 cubs to your Fix-It Night") or a visit out ("could come out
    # to me in Broughton?")
    r"\b(?:bring|bringing|brought)\s+(?:a\s+|our\s+|my\s+)?(?:small\s+|wee\s+)?(?:group|class|"
    r"pack|troop|team|(?:around|about)\s+\d+)\b|"
    r"\bcome\s+(?:out\s+)?to\s+(?:me|us|mine|my\s+(?:house|flat|home|place))\b|\bhome\s+visits?\b|"
    # to be let into what the business does for others: "any way we could be included?"
    r"\b(?:(?:could|can|might)\s+(?:we|i)|(?:we|i)\s+(?:could|can|might))\s+be\s+"
    r"(?:included|added|put\s+on)\b|"
    r"\b(?:join|add(?:ing)?\s+(?:us|me|them)\s+to)\s+(?:the|your)\s+rota\b|\bany\s+chance\s+of\s+(?:us|me)\s+(?:getting|having)\b|"
    r"\b(?:part|one)\s+of\s+(?:the|your)\s+rota\b|"
    # something offered to the business: "Would you take them off my hands for your refurbs?"
    # ("Where would you take them for a first proper ride?" asks for a place)
    r"(?<!where\s)(?<!how\s)\b(?:would|could|will)\s+you\s+(?:\w+\s+)?(?:take|accept|want|have)\s+"
    r"(?:them|it|these|"
    r"those)\s+(?:off|for|as)\b|"
    # who to speak to: "Who would be the best person to speak to?"
    r"\bwho\s+(?:would|should|could|do|can|is)\s+(?:be\s+)?(?:i\s+|we\s+)?(?:the\s+)?"
    r"(?:best\s+|right\s+)?(?:person\s+)?(?:to\s+)?(?:speak|talk|get\s+in\s+touch|contact)\b",
    re.I,
)
# They ask to be phoned ("could someone give me a ring about bread for our wedding?"): only
# someone who can talk it through can answer.
CALL_ME = re.compile(
    r"\b(?:give|gie) (?:me|us) a (?:ring|call|bell)\b|"
    r"\b(?:ring|call|phone) (?:me|us)\W*$|"
    r"\b(?:ring|call|phone) (?:me|us) (?:back|today|tomorrow|asap|please|on|at|about|when)\b|"
    r"\b(?:could|can|would|will) (?:you|someone|somebody|anyone)\b[^.?!]{0,20}"
    r"\b(?:ring|call|phone) (?:me|us)\b|"
    r"\b(?:sent|left|dm'?d|messaged) (?:you )?my number\b|\bnumber'?s in your inbox\b",
    re.I,
)
# Their own bike, order or repair with the business ("is my bike ready?", "you said you'd
# ring"): only someone who can look can say.
THEIRS_WITH_US = re.compile(
    r"\b(?:is|are) (?:my|our) (?:[\w-]+ ){1,2}?(?:ready|done|fixed|finished|back)\b|"
    r"\byou said you'?d\b|\bheard nothing\b|\bstill waiting (?:on|for)\b|"
    # "my bike's been with you since Tuesday … any idea when it'll be ready?"
    r"\bbeen with you (?:since|for)\b|"
    # "my bike's been ready for collection since tuesday… is it ok to leave it with you"
    r"\bbeen ready (?:for (?:collection|pick ?-?up) )?since\b|"
    r"\b(?:leave|keep) (?:it|her|him|the bike) (?:with you|there) (?:till|until|for)\b|"
    # "dropped the cargo bike this morning for the full service … got a voicemail", "missed
    # your call about my bike"
    r"\b(?:dropped|left|brought) (?:the|my|our) (?:[\w-]+ ){0,2}?(?:bike|order|cake|wheel|frame)"
    r"(?: off| in)? (?:with you )?(?:this morning|yesterday|today|on \w+day|for (?:the|a|its) "
    r"(?:\w+ )?service)\b|\bgot (?:a|your) voicemail\b|\bmissed your (?:call|message)\b|"
    r"\byou (?:phoned|rang|called|texted|emailed) (?:me|us|to say)\b|"
    r"\bwhen (?:it'?ll|will it|it will|they'?ll|will they) be (?:ready|done|fixed|back)\b|"
    r"\bwhere'?s (?:my|our) (?:order|bike|cake|repair)\b|"
    # one thing they saw with you: "that green Raleigh in the window… is it still there?"
    r"\b(?:is|are) (?:it|that|they|those) still (?:there|available|for sale|in)\b|"
    # "here at half 5 and the bike's in bits … nobody phoned me"; "picked the cake up this
    # morning … BUT it says ISLA"
    r"\b(?:nobody|no one|no-one) (?:phoned|rang|called|told|texted|emailed) (?:me|us)\b|"
    r"\b(?:picked|collected) (?:the|my|our) (?:\w+ )?(?:cake|order|bike|repair|wheel|loaf|bread|"
    r"box|tray|pastries|scones|buns)\b[^.!?]{0,60}\bbut\b",
    re.I,
)
# "No complaint at all, you've been brilliant", "not a complaint, just curious" (not "brakes
# are lovely, no complaints there. but the saddle…")
NOT_A_COMPLAINT = re.compile(
    r"\b(?:no|not a|this isn'?t a|this is not a) complaints?(?: at all| here)?\b(?! there)", re.I
)
# Whether they may come, and bring someone or something: what the knowledge says is the answer
# ("Any chance we could come in for breakfast with him?" and the dogs welcome).
MAY_WE = re.compile(
    r"\b(?:can|could|may) (?:i|we) (?:come|bring|pop|sit|work|use)\b|"
    r"\bany chance (?:i|we) (?:could|can) (?:come|bring|pop|sit|work)\b|"
    r"\b(?:is it|would it be) ok(?:ay)? (?:to|if)\b|"
    r"\bare (?:dogs|kids|children|prams|buggies|laptops|wheelchairs) (?:ok|allowed|welcome)\b",
    re.I,
)
# Something they bought from the business ("bought the red Dawes refurb from you in July"): asked
# about, only someone who can look it up can say what is covered (told as a complaint, it is one).
BOUGHT_FROM_YOU = re.compile(
    r"\bbought (?:the|a|my|our|this) (?:[\w-]+ ){0,3}?(?:from|off) you\b", re.I
)


def achievement_at(text: str) -> int | None:
    """Where the post first tells an achievement in words (not only "!!"), if it does."""
    if text_signals.SETBACK.search(text):
        return None
    found = (m for m in text_signals.MILESTONE.finditer(text) if m.group(0) != "!!")
    return next((m.start() for m in found), None)


# Words that speak to someone: "you", "your", "ur", "yous" (a post that tags the business but
# speaks only of it, "…the best cinnamon knots in Edinburgh at Crumb & Kettle!", does not).
SPOKEN_TO = re.compile(
    r"@\w|\b(?:you|your|yours|you'?re|you'?ve|you'?ll|you'?d|u|ur|yous|ye)\b", re.I
)


def in_passing(post: Candidate, *, asking: bool) -> bool:
    """Named in a post about something else, not spoken to: no word to the business (a tag in
    a listing or a photo post is not one), no question, no thanks, nothing wrong ("Picked up my
    bike from Northside Cycles after its service and rode straight out to Portobello for
    chips", "JUST LISTED… moments from the best cinnamon knots in Edinburgh at Crumb &
    Kettle!")."""
    return not (
        (post.summons_business and SPOKEN_TO.search(post.text))
        or asking
        or THANKS.search(post.text)
        or GRIEVANCE.search(post.text)
        or SARCASM.search(post.text)
        or DECISION.search(post.text)
        or post.intent == "complaint"
        or post.sentiment == "negative"
        or {"hostile", FOR_A_PERSON} & set(post.flags)
    )


def occasion(
    post: Candidate, *, asking: bool, answered: bool, before: str = ""
) -> tuple[Occasion, str]:
    """Everyone who addresses the business gets a draft or a card: which, and a note.

    What only a person can settle counts from the posts this one overtook too ("we think we
    left a knitted rabbit… any chance she's there??", then "Checked the car twice. No Mrs
    Flops."): the rabbit is still lost."""
    said = f"{before} {post.text}".strip()
    # "Genuinely love you but the music was so loud…": what comes after the "but" is the point
    praise_but = bool(PRAISE_BUT.search(post.text))
    grievance = bool(GRIEVANCE.search(post.text))
    if "hostile" in post.flags:
        return Occasion.NEEDS_PERSON, "Hostile: better answered personally, calmly, or left."
    if JOB_ENQUIRY.search(said):
        return Occasion.NEEDS_PERSON, (
            "Asks about work with you (a job, a placement): yours to answer, even if only to "
            "say you are not taking anyone on."
        )
    if DECISION.search(said):
        return Occasion.NEEDS_PERSON, "About an order, a booking or a payment: a person decides."
    if FAVOUR.search(said):
        return Occasion.NEEDS_PERSON, (
            "Asks the business to give or do something for them (a prize, a visit, a talk): "
            "yours to decide, yes or no."
        )
    # "…ran after my dad because he'd left his wallet on the table. Made his week.": thanks
    # for something found, not something to look for.
    if LOST_PROPERTY.search(said) and not (THANKS.search(post.text) and not asking):
        return Occasion.NEEDS_PERSON, "Something left behind: only someone there can look for it."
    # What went wrong with their repair, told and not asked ("dropped my bike at 9.30 … told it
    # 'wasn't looked at yet' … Nobody called me … not impressed"), is a complaint: below.
    told = grievance and not asking
    if (THEIRS_WITH_US.search(said) and not told) or (asking and BOUGHT_FROM_YOU.search(said)):
        return Occasion.NEEDS_PERSON, (
            "About their own order or repair with you: only someone who can check on it can answer."
        )
    if HARM_REPORTED.search(said) and (post.intent == "complaint" or post.sentiment == "negative"):
        return Occasion.NEEDS_PERSON, (
            "Reports harm they put down to you (an injury, something in the food): serious. "
            "Reply yourself, today: take it seriously without arguing the facts, and offer to "
            "talk by phone or in person; no drafted apology."
        )
    if DISABILITY.search(post.text) and grievance and not asking and not THANKS.search(post.text):
        return Occasion.NEEDS_PERSON, (
            "About how someone with a disability, or their child, was treated: reply yourself, "
            "personally, once you know what happened; offer to talk."
        )
    if CALL_ME.search(said):
        return Occasion.NEEDS_PERSON, "They ask to be phoned: ring them, or say when you can."
    # What the phrases above did not foresee, the trained person reader may have found ("could
    # we order about 40 cinnamon knots to collect this Friday at 8am?", "could you keep it for
    # me till Saturday morning?").
    if FOR_A_PERSON in post.flags and not told and not (answered and MAY_WE.search(post.text)):
        return Occasion.NEEDS_PERSON, (
            "Asks for something only someone at the business can settle (an order, a booking, "
            "something to keep or look for): reply yourself."
        )
    if NOT_A_COMPLAINT.search(post.text) and not grievance:
        # "The bread hasn't come the last two evenings… No complaint at all, just want to know
        # if something's changed": a question only someone who knows can answer, no apology
        return Occasion.NEEDS_PERSON, (
            "They say it is not a complaint: they want to know what has changed. Tell them."
        )
    if asking and ((not answered and praise_but) or grievance):
        # "love the place but Sunday was rough … Sundays need another pair of hands?": a
        # complaint that ends in a question is answered as a complaint, not as a gap in the
        # knowledge, nor with the snippet it complains of
        return Occasion.COMPLAINT, ""
    if asking:
        return (Occasion.ANSWER if answered else Occasion.KNOWLEDGE_GAP), ""
    if SARCASM.search(post.text):
        return Occasion.COMPLAINT, ""
    # "Bit disappointed today… chairs going up round us at half three": what went wrong, told
    # to the business, is a complaint however calmly it is put (the sentiment reader may not
    # hear it), unless thanks is what it opens or ends on.
    thanks_framed = bool(THANKS_FIRST.match(post.text) or THANKS_LAST.search(post.text))
    if grievance and not thanks_framed:
        return Occasion.COMPLAINT, ""
    # "My sourdough got FIRST at the village show!! Huge thanks to the folk at Crumb & Kettle
    # whose bread clinic…": their achievement told first, the thanks on the way, not what the
    # post opens or ends on; the congratulation is the reply.
    thanked = THANKS.search(post.text)
    achieved = achievement_at(post.text)
    if thanked and achieved is not None and achieved < thanked.start() and not thanks_framed:
        return Occasion.CONGRATULATE, ""
    # "big thanks to whoever rang me before swapping the bent hanger": thanks first is thanks,
    # whatever the intent reader made of the bent hanger
    if thanked and (post.intent != "complaint" or thanks_framed):
        return Occasion.THANKS, ""
    # "I'm 52 and until March I had never ridden a bike… Yesterday I rode to WORK… didn't get
    # off once. Absolutely buzzing.": an achievement, whatever the sentiment reader hears.
    if achieved is not None and post.intent != "complaint" and not praise_but:
        return Occasion.CONGRATULATE, ""
    if post.intent == "complaint" or post.sentiment == "negative" or praise_but:
        return Occasion.COMPLAINT, ""
    if post.sentiment == "positive":
        return Occasion.THANKS, ""
    return Occasion.NEEDS_PERSON, "Mentions you without a question: a person may say hello."
