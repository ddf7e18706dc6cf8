"""Reading signals straight from the words: language, questions, keyphrases, named things,
hostility, instructions aimed at the reply writer, sensitive news and possible crisis."""

from __future__ import annotations

import functools
import re

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*")

# English function words: keyphrases and names are read around them.
STOPWORDS = {
    "en": set(
        """a about above after again against all also am an and any anyone are aren't as at be
        because been before being below between both but by can can't could did didn't do does
        doesn't doing don't down during each else even ever every few for from further get gets
        got had has have having he her here hers herself him himself his how i i'd i'll i'm i've
        if in into is isn't it it's its itself just know let's like lot make me more most much
        must my myself need no nor not now of off on once only or other ought our ours ourselves
        out over own really same she should so some someone something still such than that that's
        the their theirs them themselves then there there's these they this those though through
        to too under until up very was wasn't we were what what's when where which while who why
        will with won't would you you're your yours yourself anybody actually always never
        people thing things today tomorrow tonight week day time way one two three first new
        good best great well back going go went come came see want think say said tell told
        apparently honestly literally finally already again ok okay yes yeah lol oh just""".split()
    ),
}

# "@crumbandkettle can I bring the dog?": the handles a post addresses come before its question.
ADDRESSED_TO = r"(?:@[\w.]+[\s,:]+)*"
# The words a question starts with ("Can't believe it's still dark" asks nothing).
ASKS_FIRST = (
    r"(?:any ?one|does|do|is|are|can|could|should|where|when|why|which|who|"
    # "what a lovely thing to do", "how kind is that" exclaim
    r"what(?!\s+an?\s)|how(?!\s+(?:lovely|kind|nice|sweet|good|brilliant|amazing|wonderful|"
    r"great|lucky|cool|fun|gorgeous|beautiful|generous|thoughtful)\b))\b"
    r"(?!['’]t|not\b)"
    # "Could have learned Portuguese.", "Could easily have sold me £150 of parts.": what might
    # have been, not a question
    r"(?!\s+(?:\w+ly\s+)?(?:have|'ve)\s+\w)"
)
# An emoji ends a sentence as a full stop does ("up my spine 😵 is that too much").
EMOJI_END = "\U0001f300-\U0001faff\u2600-\u27bf"
QUESTION_START = re.compile(
    r"(^|[.!?]\s+)"
    + ADDRESSED_TO
    + r"("
    + ASKS_FIRST
    + r"|any (tips|ideas|advice|recommendations)\b)"
    # after an emoji, only a question with its subject ("😵 is that too much"; "🙄 does my
    # head in" asks nothing)
    + rf"|[{EMOJI_END}]\s*(is|are|was|can|could|should|will|would|what|where|when|why|how)\s+"
    r"(i|you|it|that|this|there|he|she|they|we|anyone|anybody|someone)\b",
    re.IGNORECASE,
)

# "Bought a bag of flour today. Now what": asking for the next step without a question mark,
# at the end of what they say ("now what I really want is ..." asks nothing).
NEXT_STEP = re.compile(r"\b(now what|what now|what next|what do i do (now|next))\b(?!\s*\w)", re.I)
# A day said relative to when the post was written ("brunch tomorrow", "turn up tomorrow
# morning", "in tonight").
RELATIVE_DAY = re.compile(r"\b(today|tonight|tomorrow|this (?:morning|afternoon|evening))\b", re.I)
# Asked without a question mark: after a comma ("I need someone to look at one of these, is
# there anywhere in edinburgh that does that"), or at the very end ("… strong white and plain in
# the cupboard which one", "Edinburgh folk, where", "need a big playground … go").
UNMARKED_ASK = re.compile(
    # ("…with the laptop, is that going to annoy people")
    r"[,;]\s+is (?:that|it|this) (?:going to|gonna|ok|okay|alright|fine|normal|bad|enough|safe)\b|"
    r"[,;]\s+(?:or\s+)?(?:is there|are there|does any ?one|any ?one know|"
    r"where(?:'s| is| can| do| does)|"
    r"how (?:do|can|should|would) (?:i|we)|what (?:do|should|can) (?:i|we))\b|"
    r"\bwhich one\W*$|,\s*where\W*$|"
    # A question's own word order, wherever it is said: "so which one do I even buy, and is
    # there an idiot-proof first recipe", "am i meant to just guess how much coffee goes in"
    # (not "what do I know")
    r"\b(?:which|what|how|where)(?: \w+){0,2}? (?:do|does|did|should|can|could|shall) (?:i|we) "
    r"(?!know\b|care\b|think i\b)\w|"
    r"(?:^|[.!,;]\s+)(?:so |and |but )?am i (?:meant|supposed|allowed|expected) to\b|"
    r"\b(?:need|want|looking for)\b[^.!?]*[.!]?\s+go\W*$",
    re.I,
)
# A request said as a need, which asks when nothing else in the post does: "Ideas welcome",
# "all recs welcome", "Need a longish walk that isn't cobbles" (not "need a coffee so badly").
NEED_SAID = re.compile(
    r"\b(?:ideas|suggestions|recs|recommendations|tips|advice)(?: very| most| all)? (?:welcome|"
    r"appreciated|gratefully received)\b|"
    r"(?:^|[.!]\s+)(?:i |we )?need (?:a|an|some|somewhere)\b[^.!?]{0,60}?\b"
    r"(?:that|which|where|with|for|to)\b|"
    # "I need an actual human who knows bread to look at one of these and tell me what I'm
    # doing wrong", "please tell me I'm right and this is a crime", "good plan or nah"
    r"\b(?:i |we )?need (?:an? )?(?:actual |real )?(?:human|person|someone|somebody|expert)\b|"
    r"\btell (?:me|us) what (?:i'?m|i am|we'?re|we are) doing wrong\b|"
    r"\bplease tell me (?:i'?m|i am|we'?re|it'?s|it isn'?t|this is)\b|"
    r"\bor nah\W*$|\bgood (?:plan|idea) or (?:not|nah|no)\b|"
    # "Anywhere along there that actually works for a chair", "anything like a class round
    # north edinburgh", "somewhere flat with no cars, and ideally a loo"
    r"(?:^|[.!?]\s+)(?:anywhere|anything like) (?:\w+ ){0,4}?(?:that|which|where|near|round|"
    r"around|in|along|for)\b|(?:^|[.!?]\s+)somewhere \w+ (?:with|for|that|where)\b|"
    # "There must be a lazier way.", "I'm confused and I don't want to get it wrong."
    r"\bthere (?:must|has to|should|'s got to) be an? (?:easier|lazier|better|simpler|quicker) "
    r"way\b|\b(?:i'?m|i am) (?:so |really |a bit |totally |completely )?confused\b",
    re.I,
)

REQUEST = re.compile(
    r"\b(need|want|looking for|would love) (some |any )?(ideas|advice|help|tips|recommendations|"
    r"suggestions)\b|\bhelp!|\bsend help\b|^looking for\b|\brecommend (me )?(a|an|some)\b|"
    # "… no idea what number I'm aiming for. help", "genuinely what is going on", "absolutely
    # no clue what quantity of coffee that thing wants", "Out of ideas here"
    r"[.!,]\s+help\W*$|\b(?:no|zero) (idea|clue) (what|how|which|where|when|why)\b|"
    r"\bout of ideas\b|"
    # "… the dog gets a good sniff about. Leith folk help me out"
    r"\bhelp (?:me|us) out\W*$|"
    # "any chance i can set up at yours with the laptop", "any bike maintenance classes in
    # north edinburgh that don't cost a fortune"
    r"\bany chance (?:i|we|you|of)\b|"
    r"(?:^|[.!?]\s+|,\s+)any (?:good |decent |cheap |free )?(?:[\w-]+ ){0,2}?(?:classes|courses|"
    r"lessons|groups|clubs)\b|"
    # "genuine q tho, does it need fed every single day…", "quick question for the bakers"
    r"\b(?:genuine|serious|honest|quick|random|daft|stupid|dumb|silly|sincere) "
    r"(?:q|qn|question)\b|"
    r"(^|[.!]\s+)(genuinely|honestly|seriously|so|ok|okay|right) (what|why|how) "
    r"(is|are|am|do|does|did|went)\b|"
    + NEXT_STEP.pattern
    + "|"
    + UNMARKED_ASK.pattern
    + "|"
    + NEED_SAID.pattern,
    re.IGNORECASE,
)

# Something that went wrong in their hands, and what: "dropped the ENTIRE tray" ("the ENTIRE
# tray"), "burnt the lot", "set off the smoke alarm".
MISHAP = re.compile(
    r"\b(?:dropped|spilt|spilled|burnt|burned|ruined|smashed|knocked over|binned)\s+"
    r"(?:(?P<what>(?:the|my|our|a|an|his|her|their|both|all|every)\s+(?:(?!(?:on|in|at|onto|"
    r"into|off|over|all|while|when|and|of|with)\b)[\w'-]+\s*){1,3})|(?:it|them)\b)|"
    r"\b(?:caught fire|set off the smoke alarm)\b",
    re.I,
)

HOSTILE = re.compile(
    r"\b(idiots?(?![- ]proof)|clowns?|morons?|rip-?off|scam(mers)?|useless|pathetic|"
    # "shut up", not "everyone on here won't shut up about it" (praise)
    r"(?<!won't )(?<!wont )(?<!can't )(?<!cant )shut up(?! about)|"
    r"get a grip|"
    r"a joke|disgrace|f+u+c+k\w*|shite?|crap|bastards?|hate you|losers?)\b",
    re.IGNORECASE,
)

# Said of themselves or their own things, a hostile word is no hostility: "stop being useless
# with my bike", "I'm useless at this", "my crap loaf".
SELF_DIRECTED = re.compile(
    r"\b(i'?m|i am|am i|being|feel(ing|s)?|felt|my|me|myself)\b[\w\s'-]{0,12}$", re.I
)


# Words in quotation marks are someone's said words, not the poster's: "lying on the grass
# shouting 'bikes are a scam'", then "'bikes are NOT a scam'".
QUOTED = re.compile(r"[\"“][^\"“”\n]{1,160}[\"”]|(?<!\w)['‘][^'‘’\n]{1,160}['’](?!\w)")


def hostile(text: str) -> bool:
    """Hostile words aimed at someone, not at themselves, nor said by someone they quote."""
    quoted = [m.span() for m in QUOTED.finditer(text)]
    return any(
        not SELF_DIRECTED.search(text[max(0, m.start() - 30) : m.start()])
        and not any(start < m.start() < end for start, end in quoted)
        for m in HOSTILE.finditer(text)
    )


INJECTION = re.compile(
    r"(ignore|disregard|forget)\s+(all\s+|any\s+|your\s+|the\s+|previous\s+|prior\s+|above\s+)*"
    r"(instructions|rules|prompts?|guidelines)|\bsystem\s*:|\byou are now\b|"
    r"\b(act|pretend) as\b|\bnew instructions\b",
    re.IGNORECASE,
)

# Posts that must reach a person. Phrase lists are the first reading: a few hundred ways of
# saying a small number of things, read the same way every time, in several languages, and easy
# to explain to a reviewer. They miss wording nobody foresaw ("made a plan, just waiting now"),
# so analysis.service adds readers trained on the project's labelled posts (English only; see
# analysis/sensitive_training.py); a post either reading flags is flagged. CRISIS and SENSITIVE
# read lower-cased text with straight apostrophes (twice as fast as matching without case:
# together about 0.2 ms a post).

# Possible self-harm or suicidal thoughts, however indirect. Hyperbole is left out where the
# words say so: "end it with a pint", "killing myself laughing", "disappear to a cabin".
CRISIS = re.compile(
    "|".join(
        [
            # Said outright.
            r"(?<!career\s)(?<!social\s)(?<!political\s)(?<!fashion\s)\bsuicid(?:e|al|ality)\b"
            r"(?!\s+(?:squad|doors?|drills?|sprints?|wings|burrito|mission|run))",
            r"\bkill(?:ing)?\s+myself\b(?!\s+(?:laughing|with\s+laughter))",
            r"\b(?:gonna|going\s+to|wanna|want\s+to|about\s+to|i'?ll|i\s+will)\s+kms\b",
            r"\bunalive\s+(?:myself|me)\b",
            r"\bself[- ]?harm\w*",
            r"\b(?:want|wanted|wanna|urges?|going|tempted)\s+(?:to\s+)?(?:hurt|harm|cut|burn)\s+"
            r"myself\b(?!\s+(?:a|an|some|the|another|on|shaving|chopping)\b)",
            r"\b(?:cutting|cut|harming|hurting|burning)\s+myself\s+again\b"
            r"(?!\s+(?:on|with|shaving|chopping|peeling|while)\b)",
            r"\b(?:end(?:ing)?|take|taking|took)\s+my\s+(?:own\s+)?life\b"
            r"(?!\s+(?:savings|in\s+my\s+hands|back)\b)",
            r"\bend(?:ing)?\s+it\s+all\b",
            r"\b(?:took|take|taken|taking|swallowed)\s+(?:too\s+many|all\s+(?:my|the|of\s+my))\s+"
            r"(?:pills|tablets|meds)\b",
            # Wanting to be gone.
            r"\b(?:want|wanna|wanted|ready)\s+(?:to\s+)?die\b"
            r"(?!\s+(?:of|from|laughing|in\s+(?:a|my)\s+(?:cottage|sleep\s+at)))",
            r"\bwish\s+i\s+(?:was|were|could\s+be)\s+dead\b|\bbetter\s+off\s+dead\b",
            r"\bwish\s+i\s+(?:had\s+never|'d\s+never|was\s+never|wasn't|hadn't\s+been|"
            r"were\s+never)\s+(?:been\s+)?born\b",
            r"\b(?:want|wanna|wish\s+i\s+could|need)\s+(?:to\s+)?(?:just\s+)?"
            r"(?:disappear|vanish)\b(?!\s+(?:to|for|under|into|off|on|with|from)\b)",
            r"\b(?:want\s+to|wanna|wish\s+i\s+could|just)\s+(?:stop\s+existing|not\s+exist)\b",
            r"\b(?:don'?t|do\s+not|didn'?t)\s+want\s+to\s+(?:be\s+alive|live|exist|be\s+here)\s*"
            r"(?:any\s?more|like\s+this)\b",
            r"\b(?:don'?t|do\s+not)\s+want\s+to\s+(?:be\s+alive|live|exist)\b(?=\s*(?:[.!…,;]|$))",
            r"\bwant\s+to\s+be\s+(?:here|alive|around)\s+any\s?more\b",
            r"\b(?:hope|wish)\s+i\s+(?:don'?t|didn'?t|won'?t|wouldn'?t|never)\s+wake\s+up\b",
            r"\b(?:don'?t|do\s+not)\s+want\s+to\s+wake\s+up\b"
            r"(?=\s*(?:[.!…,;]|$|again|any\s?more|ever))",
            r"\b(?:about|of)\s+not\s+(?:waking\s+up|being\s+(?:here|alive|around))\b",
            r"\bif\s+i\s+(?:just\s+)?(?:didn'?t|did\s+not|never)\s+wake\s+up\b",
            r"\bgoodbye\s+(?:everyone|all|world)\b(?!.{0,60}\b(?:moving|leaving|see\s+you|over\s+"
            r"(?:on|at)|switching|find\s+me|new\s+account|bluesky|mastodon|twitter|threads)\b)|\bthis\s+is\s+my\s+(?:last|final)\s+(?:post|message)\b|"
            r"\bwon'?t\s+be\s+(?:here|around)\s+(?:tomorrow|much\s+longer|for\s+long)\b|"
            r"\b(?:jump|jumping|step|stepping)\s+off\s+(?:the|a)\s+(?:bridge|roof|edge|cliff|ledge)\b",
            # "keep thinking about riding out to the Forth bridge and not riding back"
            r"\b(?:bridge|cliffs?|edge|ledge|tracks|railway\s+line|sea|loch|river)\b.{0,40}?"
            r"\b(?:and|then)\s+(?:just\s+)?not\s+(?:\w+ing\s+|come\s+|go\s+|ride\s+|walk\s+|"
            r"swim\s+)?back\b(?=\s*(?:[.!…,;]|$|again|ever))",
            r"\b(?:stood|standing|sat|sitting)\s+on\s+(?:the|a)\s+(?:bridge|edge|ledge|cliff)\b"
            r".{0,80}\b(?:came\s+back|long\s+time|jump|step\s+off)",
            r"\b(?:tired\s+of|done\s+with)\s+(?:living|being\s+alive|life)\b"
            r"(?!\s+(?:in|with|on|at|next|near|above|below|out|off)\b)",
            r"\b(?:life|living)\s+(?:isn'?t|is\s+not|ain'?t|not)\s+worth\s+(?:it|living)\b",
            r"\bnothing\s+(?:left\s+)?to\s+live\s+for\b",
            r"\bwant\s+(?:it\s+all|everything)\s+to\s+(?:stop|end)\b|\bmake\s+it\s+all\s+stop\b",
            # A burden; the world better without them.
            r"\bbetter\s+off\s+without\s+me\b",
            r"\b(?:would|'d)\s+be\s+(?:happier|better(?:\s+off)?|easier)\s+(?:without\s+me|"
            r"if\s+i\s+(?:wasn'?t|weren'?t|was\s+(?:gone|not\s+here|dead)|were\s+(?:gone|dead)|"
            r"didn'?t\s+exist))\b",
            r"\b(?:no\s*one|nobody|no-one)\s+would\s+(?:even\s+)?(?:miss|notice|care|mind)\b.{0,25}"
            r"\bif\s+i\s+(?:died|disappeared|vanished|(?:was|were)\s+(?:gone|dead|not\s+here)|"
            r"wasn'?t\s+(?:here|around|alive))\b",
            r"\b(?:no\s*one|nobody)\s+would\s+(?:even\s+)?miss\s+me\b",
            r"\b(?:i'?m|i\s+am|feel(?:ing)?\s+like|being)\s+(?:such\s+|just\s+|only\s+|"
            r"nothing\s+but\s+)?a\s+burden\b",
            # No point, no way out, can't go on ("the point of sourdough" is not).
            r"\b(?:don'?t|do\s+not|can'?t|cannot)\s+see\s+(?:the|any)\s+point\b(?=\s*(?:[.!…,;]|$|"
            r"any\s?more|(?:in|of)\s+(?:anything|living|life|it\s+all|going\s+on|carrying\s+on|"
            r"any\s+of\s+(?:it|this))|(?:in|of)\s+trying\s*(?:[.!…,;]|$|any\s?more)))",
            r"\bwhat'?s\s+the\s+point\s+(?:any\s?more|of\s+(?:anything|living|life|it\s+all|"
            r"going\s+on)|in\s+(?:anything|living|going\s+on))\b",
            r"\bno\s+(?:reason|point)\s+(?:to|in)\s+(?:keep\s+going|keeping\s+going|going\s+on|"
            r"carry(?:ing)?\s+on|liv(?:e|ing)|be(?:ing)?\s+(?:here|alive)|get(?:ting)?\s+up|"
            r"wak(?:e|ing)\s+up|tr(?:y|ying)\s+any\s?more)\b"
            r"(?!\s+(?:early|at|for|before|till|until|in|with|near)\b)",
            r"\b(?:can'?t|cannot|can\s+not|don'?t\s+know\s+how\s+(?:much\s+longer\s+)?i\s+can)\s+"
            r"(?:go\s+on|keep\s+going|carry\s+on)\b"
            r"(?=\s*(?:[.!…,;?]|$|like\s+this|any\s?more|much\s+longer))",
            r"\b(?:can'?t|cannot|can\s+not)\s+(?:(?:do|take|handle|cope\s+with|bear|face)\s+"
            r"(?:this|it|life|any\s+of\s+(?:it|this))|cope)\s*(?:any\s?more|much\s+longer)\b",
            r"\b(?:can'?t|cannot|don'?t)\s+see\s+(?:a|any)\s+way\s+out\b",
            # Thinking of ending it ("end it with a pint", "end it there" and "ending things
            # with him" are not).
            r"\b(?:might|may|could|should|gonna|going\s+to|want\s+to|wanna|will|i'?ll|about\s+to|"
            r"thinking\s+(?:about|of)|think\s+about)\s+(?:just\s+)?end(?:ing)?\s+"
            r"(?:it|things|everything)\b(?!\s+(?:with|on|at|there|here|early|for|after|before|by|"
            r"in|when|now|off|between)\b)",
            # The plainest phrases in the other languages Rapport reads (es, pt, fr, de).
            r"\b(?:me\s+)?quiero\s+(?:morir(?:me)?|matarme)\b|\bmatarme\b|\bsuicid(?:io|arme|ar)\b|"
            r"\bno\s+quiero\s+(?:seguir\s+)?vivir\b|\bacabar\s+con\s+mi\s+vida\b",
            r"\bquero\s+morrer\b|\bme\s+matar\b|\bsuic[ií]dio\b|\bn[ãa]o\s+quero\s+(?:mais\s+)?"
            r"viver\b|\bacabar\s+com\s+a\s+minha\s+vida\b",
            r"\b(?:envie\s+de|veux)\s+mourir\b|\bme\s+(?:suicider|tuer)\b|"
            r"\ben\s+finir\s+avec\s+la\s+vie\b",
            r"\bwill\s+nicht\s+mehr\s+leben\b|\bwill\s+sterben\b|\bmich\s+umbringen\b|"
            r"\bselbstmord\w*|\bsuizid\w*",
        ]
    ),
)

RELATIVE = (
    r"(?:mum|mom|mam|mammy|mummy|mother|dad|daddy|da|father|gran|granny|grandma|grandmother|"
    r"nan|nana|nanna|nonna|grandad|granddad|grandpa|grandfather|papa|grampa|wife|husband|"
    r"partner|son|daughter|baby|brother|sister|uncle|aunt|auntie|aunty|cousin|niece|nephew|"
    r"friend|best\s+friend|pal|fiancée?|boyfriend|girlfriend|godmother|godfather|stepdad|stepmum|"
    r"father-in-law|mother-in-law|colleague|neighbour|neighbor|teacher)"
)
PET = r"(?:dog|cat|pup|puppy|kitty|pony|horse|rabbit|bunny|old\s+(?:boy|girl)|boy|girl)"
# Whose loss: a relation ("Dad", "my gran") or a pet ("our old boy").
WHOSE = (
    rf"(?:(?:my|our|his|her|their)\s+(?:(?:wee|little|late|beloved|dear|darling|lovely|old|"
    rf"oldest|youngest|big|baby)\s+)?(?:{RELATIVE}|{PET})|{RELATIVE})"
)
POSSESSIVE = r"(?:\w+'s|his|her|their|our|my\s+\w+'s)"
# What follows "died" when it is not a death: "died laughing", "died her hair".
NOT_A_DEATH = (
    r"(?!\s+(?:laughing|of\s+(?:laughter|embarrassment|shame|boredom|cringe)|inside|a\s+little|"
    r"on\s+stage|(?:his|her|their|the|a|an|my|our|your|its|it|every|all|with|out|first)\b))"
)
# What follows "passed" or "we lost him" when it is a death ("passed on Sunday", "lost him last
# year"), not a test ("passed her test!") nor a match ("we lost them in the final").
PASSED_WHEN = (
    r"(?=\s*(?:[.…,;]|$|away|peacefully|suddenly|last|yesterday|today|earlier|at\s+home|"
    r"this\s+(?:morning|afternoon|evening|week|year)|in\s+(?:her|his|their)\s+sleep|"
    r"on\s+(?:\w+day|the\s+\d+)|in\s+(?:\d+|january|february|march|april|may|june|july|august|"
    r"september|october|november|december)))"
)

# Grief, bereavement and serious illness, including the indirect kind: "the kitchen smelled like
# him", "first Christmas without her", "would have been mum's 70th". Left out: "my phone died",
# "died laughing", "anniversary dinner", "miss the bus", "Cancer season", "good grief".
SENSITIVE = re.compile(
    "|".join(
        [
            # Someone died.
            r"\bpassed\s+away\b|\bpassed\s+(?:peacefully|suddenly)\b",
            rf"\b(?:{WHOSE}|he|she)\s+(?:[\w',]+\s+){{0,2}}?died\b{NOT_A_DEATH}",
            rf"\b(?:{WHOSE}|he|she)\s+(?:[\w',]+\s+){{0,2}}?passed\b{PASSED_WHEN}",
            rf"\b(?:{WHOSE}|he|she)\s+(?:was\s+killed|lost\s+(?:his|her|their)\s+"
            rf"(?:fight|battle))\b",
            # "the spot on Ferry Road where Calum was killed two weeks ago… a white bike for him"
            r"\b(?:where|when|after|since)\s+\w+\s+was\s+killed\b|\b(?:white|ghost)\s+bike\s+for\b",
            # "Our flat… burned out last night… Everything else is gone"
            r"\b(?:flat|house|home|building)\b[^.!?]{0,40}\b(?:burned|burnt)\s+(?:out|down)\b|"
            r"\bhouse\s+fire\b|\blost\s+everything\b|\beverything\s+(?:else\s+)?(?:is|'s)\s+gone\b",
            rf"\b(?:lost|losing)\s+(?:my|our)\s+(?:(?:wee|little|beloved|dear|lovely|big)\s+)?"
            rf"{RELATIVE}\b(?!'s|\s+(?:in|at)\s+the\b|\s+(?:tooth|teeth|weight|blanket|monitor|"
            rf"shoes?|socks?)\b)",
            r"\blost\s+(?:the|our|my)\s+(?:baby|pregnancy)\b"
            r"(?!\s+(?:weight|tooth|teeth|blanket|monitor))",
            rf"\b(?:we|i)\s+lost\s+(?:him|her|them|{RELATIVE})\b(?:{PASSED_WHEN}|"
            rf"(?=\s+to\s+(?:cancer|covid|suicide|dementia|a\s|an\s|\w+\s+disease)))",
            rf"\bmy\s+late\s+{RELATIVE}\b",
            r"\b(?:since|after|before)\s+(?:my\s+|our\s+)?\w+'s\s+(?:death|passing)\b|"
            r"\b(?:since|after)\s+(?:his|her|their)\s+(?:death|passing)\b|"
            r"\b(?:death|passing)\s+of\s+(?:my|our|his|her)\b",
            r"\brest\s+in\s+peace\b|\brip\s+(?:mum|dad|gran|granny|grandad|grandpa|nana|nan)\b",
            r"\b(?:funerals?|memorial\s+service|celebration\s+of\s+(?:his|her|their)\s+life|"
            r"condolences|bereave\w*|(?<!good\s)grie(?:f|ving|ve|ved)|"
            # ("mourning bread like a lost relative" since a coeliac diagnosis is a joke)
            r"mourn(?:ing|s)?(?!\s+(?:\w+\s+)?(?:bread|toast|loaves|cake|pastr\w*|croissants?|"
            r"pizza|pasta|beer|cheese|coffee|summer|holidays?|the\s+end\s+of|flat\s+whites?|"
            r"lattes?|cappuccinos?|milk|chocolate|biscuits?|bike|chain|ride|commute|"
            r"(?:my|the|our)\s+(?:\w+\s+)?(?:loaf|loaves|flat\s+whites?|lattes?|coffees?|"
            r"cakes?|bikes?|wheels?|saddle|frame|bagels?|sandwich\w*|pastr\w*|croissants?)))|"
            r"widow(?:ed|er)?|orphaned)\b",
            r"\b(?:crossed|over)\s+the\s+rainbow\s+bridge\b|\b(?:final|last)\s+goodbye\b|"
            r"\bhad\s+to\s+say\s+goodbye\s+to\s+(?:my|our)\b",
            # "We had to let Rua go this morning. Fourteen years."
            r"\b(?:we|i)\s+had\s+to\s+let\s+\w+\s+go\b[^?]{0,40}?\b(?:years?|old\s+(?:girl|boy))\b",
            rf"\b(?:said|saying)\s+goodbye\s+to\s+(?:my|our)\s+(?:\w+\s+){{0,2}}?{PET}\b",
            rf"\b(?:put|have|had)\s+(?:my|our)\s+(?:(?:wee|little|old|beloved|lovely)\s+)?{PET}\s+"
            rf"(?:down|to\s+sleep)\b",
            r"\bno\s+longer\s+with\s+us\b|\bin\s+(?:loving\s+)?memory\s+of\b",
            # The loss that lasts: anniversaries, firsts without them, absence felt.
            rf"\bfirst\s+(?:christmas|xmas|birthday|mother'?s\s+day|father'?s\s+day|easter|"
            rf"hogmanay|new\s+year|summer|holiday|anniversary|\w+day)\s+(?:\w+\s+){{0,2}}?without\s+"
            rf"(?:him|her|{WHOSE})\b",
            r"\b(?:went|slipped\s+away|gone|died)\s+peacefully\b",
            # Said of someone who died, in the words people use the day after.
            r"\b(?:can'?t|cannot|still\s+can'?t)\s+believe\s+(?:he|she|they)(?:'s|\s+is|'re|\s+are)"
            r"\s+(?:really\s+)?gone\b|\b(?:he|she)(?:'s|\s+is)\s+gone\s*(?:[.!…]|$)|"
            r"\bgone\s+too\s+soon\b|\brest\s+easy\b|\bfly\s+high\b|"
            r"\b(?:his|her|their|mum'?s|dad'?s|gran'?s)\s+ashes\b|\bscatter(?:ed|ing)\s+the\s+ashes\b|"
            r"\b(?:at|by|visited|visiting)\s+(?:his|her|their|mum'?s|dad'?s|gran'?s)\s+grave\b|"
            r"\b(?:last|final)\s+days\b.{0,40}\b(?:hospital|hospice|with\s+(?:him|her|mum|dad))\b",
            r"\bcan'?t\s+bring\s+myself\s+to\s+(?:move|clear|sort|throw|give|touch|change|"
            r"empty|sell)\b",
            # "Dad's bike is still in the hall three months on… can't even bring myself to pump
            # them up": their things, left as they were
            rf"\b(?:{RELATIVE})'s\b[^?]{{0,200}}\bcan'?t\s+(?:even\s+)?bring\s+myself\s+to\b",
            r"\b(?:set|laid|lay)\s+a\s+place\s+(?:at\s+the\s+table\s+)?for\s+(?:him|her)\b",
            rf"\b(?:would|should)(?:'ve|\s+have)\s+been\s+{POSSESSIVE}\s+"
            rf"(?:\d+(?:st|nd|rd|th)|\w+(?:ieth|th))\b",
            rf"\b(?:would|should)(?:'ve|\s+have)\s+been\s+(?:{POSSESSIVE}\s+)?"
            rf"(?:(?:\d+(?:st|nd|rd|th)?|\w+(?:ieth|th))\s+)?(?:birthday|anniversary)\b",
            r"\b(?:would|should)(?:'ve|\s+have)\s+(?:been|turned)\s+(?:\d+|(?:twen|thir|for|fif|six|"
            r"seven|eigh|nine)ty(?:-\w+)?|a\s+hundred)\s+(?:today|this\s+week|tomorrow)\b",
            r"\b(?:years?|months?|weeks?)\s+(?:today\s+)?(?:since|ago\s+today)\s+(?:we|i)\s+lost\b",
            r"\b(?:years?|months?|weeks?)\s+(?:today\s+)?since\s+(?:\w+\s+){0,2}"
            r"(?:died|passed|left\s+us)\b",
            r"\banniversary\s+of\s+(?:(?:his|her|their|my\s+\w+'s|our\s+\w+'s|\w+'s)\s+)?"
            r"(?:death|passing|funeral|loss|diagnosis)\b|\banniversary\s+of\s+(?:losing|"
            r"the\s+day\s+(?:\w+\s+){1,3}(?:died|passed))\b|\b(?:death|passing)\s+anniversary\b|"
            r"\bangelversary\b",
            rf"\b(?:still\s+)?miss(?:ing)?\s+(?:him|her|them|you|(?:my|our)\s+{RELATIVE})\s+"
            rf"(?:every\s+(?:single\s+)?day|each\s+day|so\s+much\s+it\s+hurts|"
            rf"more\s+(?:and\s+more\s+)?(?:every|each)\s+day)\b",
            rf"\bstill\s+miss\s+(?:him|her|them|(?:my|our)\s+{RELATIVE}|(?:my|our)\s+{PET})\b",
            rf"\bsmel(?:l|ls|led|t)\s+(?:just\s+)?(?:like|of)\s+(?:him|her|{WHOSE})\b"
            rf"(?=\s*(?:[.!…,;]|$|again|still|used|did|does|always|in\s+here))",
            r"\bwish\s+(?:he|she|they)\s+(?:was|were|could\s+have\s+been|could'?ve\s+been)\s+"
            r"(?:still\s+)?(?:here|around|alive)\b",
            r"\bwish\s+(?:\w+\s+)?(?:mum|dad|gran|granny|grandad|grandpa|nana|nan)\s+"
            r"(?:could(?:'ve|\s+have)\s+seen|was\s+(?:still\s+)?here|were\s+(?:still\s+)?here)\b",
            # Serious illness ("Cancer season" is astrology, "Terminal 2" an airport, a coffee
            # morning for the hospice is not news about anyone, and "got diagnosed coeliac" asks
            # where to find bread).
            r"\bcancer\b(?!\s+(?:season|sun|moon|rising|szn|energy|research|charity))|"
            r"\boncolog\w+|\bchemo(?:therapy)?\b|\bradiotherapy\b|\btumou?rs?\b|"
            r"\bleuk(?:a)?emia\b|\blymphoma\b|\bbiopsy\b|\bsepsis\b|\bfound\s+a\s+lump\b",
            r"\bdiagnos(?:is|ed|es)\b(?!\s+(?:the|my\s+(?:bike|car|laptop|boiler)|what))"
            r"(?!\s+(?:\w+\s+){0,2}?(?:coeliac|celiac|ibs|lactose|gluten|intoleran\w*|allerg\w*))|"
            r"\bterminal(?:ly)?\s+(?:ill|illness|cancer|diagnosis)\b|\bpalliative\b|"
            r"(?<!for\s)(?<!for\sthe\s)(?<!for\sour\s)\bhospice\b"
            r"(?!\s+(?:shop|charity|fun\s*run|fundraiser|appeal))|"
            r"\bend[- ]of[- ]life\s+care\b|\blife\s+support\b",
            r"\bdementia\b|\balzheimer'?s\b|\bparkinson'?s\b|\bmotor\s+neurone\b|\bmiscarri\w+|"
            r"\bstill\s?(?:born|birth)\b|\bbaby\s+loss\b|\bneonatal\s+unit\b",
            r"(?<!nearly\s)(?<!almost\s)(?<!near\s)\b(?:had|suffered|survived)\s+a\s+(?:\w+\s+)?"
            r"(?:stroke(?!\s+of\b)|heart\s+attack|seizure)\b",
            # The plainest words in the other languages Rapport reads (es, pt, fr, de).
            r"\bfalleci\w*|\bfaleceu\b|\bfalecimento\b|\bd[ée]c[ée]d[ée]e?\b|\bd[ée]c[eè]s\b|"
            r"\bverstorben\b|\bgestorben\b|\bfun[ée]railles\b|\bobs[èe]ques\b|\bbeerdigung\b|"
            r"\bc[áâ]ncer\b|\bcancro\b|\bkrebs\b|\bluto\b|\bdeuil\b|\btrauer\w*",
        ]
    ),
)
# "RIP Grandad" but not "RIP my phone", "RIP Gordon the sourdough starter" (nor "rip the tape":
# capitals only).
RIP = re.compile(
    r"\bRIP\b(?!\s+(?i:my|to|the|this|that|these|those|our|your|off)\b)"
    r"(?!\s+[A-Z]\w+,?\s+(?i:the|my|our)\s+(?:\w+\s+)?(?i:starter|plant|phone|laptop|bike|car|"
    r"kettle|toaster|sofa|cactus|basil|sourdough|oven|van|telly|tv)\b)"
)
# Hospital news is sensitive unless it is a birth ("home from hospital with our baby girl").
HOSPITAL = re.compile(
    r"(?<!work\s)(?<!working\s)(?<!shift\s)(?<!nurse\s)(?<!job\s)"
    r"\b(?:in|into|to|from|out\s+of)\s+(?:the\s+)?hospital\b|"
    r"\bhospital\s+(?:bed|ward|stay|car\s+park)\b|\bA&E\b|\bintensive\s+care\b|\bICU\b|"
    r"\bhigh\s+dependency\b",
    re.IGNORECASE,
)
BIRTH = re.compile(
    r"\b(?:born|newborn|new\s+baby|baby\s+(?:boy|girl)|welcomed?|gave\s+birth|arrived)\b",
    re.IGNORECASE,
)

SPAMMY = re.compile(
    r"(link in (my |our )?bio|dm me|"
    # an award to pay for: "confirm your place by paying the £295 admin fee"
    r"\badmin fee\b|\bconfirm your (?:place|spot|award)\b|"
    r"click (here|the link)|\d+% off|use (my )?code|giveaway|"
    r"passive income|guaranteed (?:results|income|returns|followers|\d)|follow (me|for)|shop now|"
    r"free (iphone|followers)|🚀|💰|🔥|"
    # a page "reported" and to be "disabled" unless the owner "verifies": phishing
    r"verify your (?:account|page|identity)|copyright infringement|"
    r"(?:will be|has been) permanently (?:disabled|deleted|suspended)|"
    # a pitch to the business: "Want more bookings? … Trusted by 3,000+ bike shops. Reply YES
    # for a free demo"
    r"free demo|reply yes\b|trusted by \d|want more (?:bookings|customers|clients|followers|sales|"
    r"reviews|leads)\b|\bgrow your (?:business|audience|following)|"
    r"\d[\d,]*\+ (?:businesses|shops|brands|customers)\b|"
    # selling their own: "📣 ORDERS OPEN 📣 … DM to order"
    r"\bdm (?:me )?(?:to|for) (?:order|orders|prices|bookings)\b|"
    r"(?<!are )(?<!is )\borders (?:are )?(?:now )?open\b(?!\?)|"
    # a trader's offer to the business: "Wholesale bicycle parts direct from factory!! …
    # LOWEST PRICE guaranteed 💯 MOQ 50 pcs. WhatsApp us for catalogue"
    r"\bdirect from (?:the )?factory\b|\bfactory direct\b|\b(?:lowest )?prices? guaranteed\b|"
    r"\bmoq\b|\bwhatsapp (?:us|me)\b|"
    # a shop's new stock: "Our winter range has landed! 'Shore Morning' smells like…"
    r"\b(?:our|the) (?:new |winter |summer |autumn |spring |christmas |festive )?"
    r"(?:range|collection) (?:has|have|is|just) (?:landed|arrived|here|live|dropped)\b|"
    # a private sale: "FOR SALE: Specialized Sirrus hybrid, medium frame, £220 ono"
    # a plaque to pay for: "Secure your Winner's Plaque… for just £199. DM us to confirm"
    r"\bdm us\b|\bfor (?:just|only) [£$€]\d|"
    r"^\W*for sale\b|\d\s*(?:ono|o\.n\.o\.?|ovno)(?!\w))",
    re.IGNORECASE,
)

# Who says they are proud of someone's news: "Proud teacher klaxon", "Proudest coach in Scotland".
PROUD_ONES = r"(?:teacher|mum|mam|dad|parent|auntie|aunt|uncle|gran|granny|grandad|coach)"
# A headline that says it is proud news without telling it ("Proud teacher klaxon.").
PROUD_HEADLINE = rf"proud {PROUD_ONES} (?:moment|klaxon|alert|post)"

MILESTONE = re.compile(
    # ("close passed by a bus" is a near miss, not a test passed; "the bike's about 4 years old"
    # an age, not 40 years of marriage)
    # (nor "passed the same pigeon three times")
    r"\b((?<!close )(?<!close-)passed(?! away| by\b| the same\b| (?:it|him|her|them)\b)|"
    r"got the job|got engaged|engaged|finished|"
    r"graduat\w*|born|"
    r"turned (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|\w+ty)|"
    r"first ever|for the first time|my first|first \w+ (without|done)|promot\w*|anniversary|"
    # ("retired", not "the pace of a retired postman")
    r"birthday|(?<!a )(?<!the )retired|"
    r"opened(?! (?:the|a|my) (?:fridge|door|oven|tin|jar|box|bag|window|lid|packet|letter))|"
    r"new job|handed in|did it|we did|done!|pb|"
    r"personal best|"
    r"(?<!about )(?<!around )(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|"
    r"forty|fifty) years(?! old| ago)|qualified|got the keys|"
    # (a habit kept up, not one remembered: "he rode it … every single day until March")
    r"every single day(?! until\b| till\b)|"
    # "second place in the bread category", "rode the whole path without stopping"
    r"(?:first|second|third|1st|2nd|3rd) place|runner[- ]up|highly commended|"
    # "My sourdough got FIRST in the bread class"
    r"(?:got|came|won|took) (?:first|second|third|1st|2nd|3rd)\b(?! time| go| try| attempt)|"
    r"without (?:stopping|a single stop|falling off|getting off|walking)|"
    # "Yesterday I rode to WORK. All the way… didn't get off once."
    r"didn'?t (?:get off|stop|put a foot down) once|never (?:stopped|got off) once|"
    r"(?:rode|cycled|ran|walked|swam) (?:all the way|the whole way)|"
    r"\d+\s?(?:miles|km)|"
    r"(?:got|earned|won|awarded) (?:my|a|the|her|his|their) (?:\w+ ){0,2}?"
    r"(?:badge|medal|certificate|award|diploma|degree|licence|license|black belt)|"
    r"officially (?:a|an|the|my|our)|"
    # "Proudest coach in Scotland 🏆", "we won the cup"
    rf"proudest {PROUD_ONES}|"
    r"(?:won|win|lifted) (?:the|our|their) (?:cup|league|final|trophy|title|shield)|"
    # "it's been picked for the new poetry wall", "Proud teacher klaxon"
    r"(?:been|got|was|were) (?:picked|chosen|selected|shortlisted)(?! (?:up|off|out|on|at|apart))|"
    + PROUD_HEADLINE
    + r"|"
    r"finally (?:a|an|got|passed|did)|sold out|raised [£$€]?\d[\d,.]*)\b|!!",
    re.IGNORECASE,
)

# Words quoted from someone else ("with the words 'you could make your own bread in this!!'"):
# their excitement, not the poster's news.
QUOTED = re.compile(r"(?<![\w'’])['‘\"“][^'’\"”\n]{3,120}['’\"”](?![\w])")

# Sport watched, not done: "that stage today. 40km solo on the final climb. I am unwell.
# #TDF", "SCOTLAND!!! Beat France at Murrayfield". Nobody congratulates a fan on the result.
SPECTATING = re.compile(
    r"#(?:tdf|giro|vuelta|sixnations|worldcup)\b|\btour de france\b|\bthe (?:\d{4} )?tour route\b|"
    r"\b(?:that|today's|the) stage\b|\bstage \d+\b|\bpeloton\b|\bskinsuit\b|\bmurrayfield\b|"
    r"\bhampden\b|\bsix nations\b|\bworld cup\b|"
    r"\bbeat (?:france|england|wales|ireland|italy|scotland|spain|germany|the all blacks)\b",
    re.IGNORECASE,
)

# What they lost or missed is no achievement, however many years it took ("lost my Strava
# crown after 3 years to someone called Dave", "missed my PB by two seconds").
SETBACK = re.compile(
    r"\b(?:lost|missed|failed)\s+(?:my|our|the)\b|\b(?:didn'?t|did not|never) (?:get|pass|make)\b"
    r"(?! off\b)",
    re.IGNORECASE,
)

STARTERS = set(
    """hi hey hello congratulations congrats thanks thank sorry good great happy huge oh yes
    try visit welcome ha ooh sounds bold lovely amazing brilliant wow nice dear""".split()
)

MENTION = re.compile(r"@[\w.]+(?:@[\w.-]+)?")
HASHTAG = re.compile(r"#\w+")
NUMBER = re.compile(r"[£$€]?\d[\d,.:]*\s?(?:%|km|k|kg|g|am|pm|°C|minutes|hours|years)?")
CAPITALISED = re.compile(r"\b([A-Z][\w’'&-]+(?:\s+(?:of|the|de|&)?\s*[A-Z][\w’'&-]+)*)")


def words(text: str) -> list[str]:
    return [w.lower().strip("'’-") for w in WORD.findall(text)]


# The languages the detector chooses among. Every close relative added makes short posts easier
# to misread (with Danish, Norwegian, Romanian or Welsh in the set, "Kids want a dog. I want a
# nap." stops being English), so the Latin-script set is the languages people around a UK
# business are likely to post in (lingua has no Scottish Gaelic). Languages with their own script
# cost nothing on Latin text (lingua narrows by alphabet first and loads a language's models only
# when a post needs them) and keep a Russian or Japanese post from being forced into a Latin one.
DETECTED_LANGUAGES = (
    Language.ENGLISH,
    Language.SPANISH,
    Language.PORTUGUESE,
    Language.FRENCH,
    Language.GERMAN,
    Language.ITALIAN,
    Language.DUTCH,
    Language.POLISH,
    Language.UKRAINIAN,
    Language.RUSSIAN,
    Language.GREEK,
    Language.ARABIC,
    Language.HEBREW,
    Language.HINDI,
    Language.THAI,
    Language.CHINESE,
    Language.JAPANESE,
    Language.KOREAN,
)
DETECTED_CODES = frozenset(lang.iso_code_639_1.name.lower() for lang in DETECTED_LANGUAGES)
# A detection overrules the platform's tag (or English, without a tag) only when lingua gives it
# at least this confidence (values sum to 1 over the set, and right answers on short English posts
# go as low as 0.3) and at least twice the tag's. Chosen on the 375 sample posts plus 70 short
# posts in eight languages: with each post's right tag none changes language; with a wrong tag
# ("en" on the others, "es" on English) 6 of 445 keep it, mostly two-word or very short posts;
# without a tag 1 is misread. The stopword counts this replaces: 6, 39 and 27.
MIN_CONFIDENCE = 0.35
MAX_TAG_SHARE = 0.5
# A tag the detector cannot weigh (Swedish, Welsh, Turkish...) is kept unless lingua is all but
# certain: such posts otherwise come out as the nearest language in the set (Turkish as German).
UNKNOWN_TAG_CONFIDENCE = 0.9
# One or two words are too few to contradict the platform's tag.
MIN_WORDS_TO_OVERRIDE_TAG = 3
LETTERS = re.compile(r"[^\W\d_]+")
# Scripts written without spaces: two characters count as a word.
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
NOT_LANGUAGE = re.compile(r"https?://\S+|www\.\S+|@[\w.]+(?:@[\w.-]+)?|#")


@functools.cache
def language_detector() -> LanguageDetector:
    """The lingua detector, built on first use and shared (its models load lazily, ~220 MB)."""
    # High-accuracy mode, about 0.3 ms a post: low-accuracy mode is 4x faster but put the wrong
    # language first on 8 of the 375 sample posts (high accuracy: none), mostly short English.
    return LanguageDetectorBuilder.from_languages(*DETECTED_LANGUAGES).build()


def language_tag(tag: str | None) -> str | None:
    """The ISO 639-1 code in a platform's language tag ("en-GB" → "en"; X's "qme" → None)."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if len(primary) == 2 and primary.isalpha() else None


def detect_language(text: str, default: str | None = None) -> str:
    """The post's language as an ISO 639-1 code; the platform's tag (else "en") when unsure.

    `default` is the platform's tag. Tags are often the author's interface language, so a
    confident detection on a post of several words wins over the tag; a post without words, or
    one lingua is unsure of, keeps the tag.
    """
    tag = language_tag(default)
    prior = tag or "en"
    body = NOT_LANGUAGE.sub(" ", text)
    n_words = len(LETTERS.findall(body)) + len(UNSPACED.findall(body)) // 2
    if n_words == 0 or (tag is not None and n_words < MIN_WORDS_TO_OVERRIDE_TAG):
        return prior
    confidences = {
        value.language.iso_code_639_1.name.lower(): value.value
        for value in language_detector().compute_language_confidence_values(body)
    }
    best = max(confidences, key=lambda code: confidences[code])
    confidence = confidences[best]
    if best == prior or confidence < MIN_CONFIDENCE:
        return prior
    if prior not in DETECTED_CODES:
        return best if confidence >= UNKNOWN_TAG_CONFIDENCE else prior
    return best if confidences[prior] <= confidence * MAX_TAG_SHARE else prior


# A question nobody is meant to answer: "How is it that my starter lives and every houseplant
# dies? Asking the void.", "why does every single café in Leith close on a Monday", "it's sunk
# like a paddling pool. Why am I like this".
RHETORICAL = re.compile(
    r"^\W*(?:how|why) is it that\b|\basking the void\b|\bis there a secret\b|"
    r"\bwhy am i like this\b|"
    # "£4.60 for a flat white… what are we doing as a society"
    r"\bwhat are we (?:even )?doing as a (?:society|species|nation)\b|"
    r"\bwhat is the world coming to\b|\byou (?:have|'ve) no idea how\b|"
    # "…lineup just dropped and I need a lie down. How am I meant to afford rent AND all of this"
    r"\bhow (?:am i|are we|is anyone) (?:meant|supposed|expected) to (?:afford|choose|cope)\b|"
    r"^\W*why (?:does|do|is|are|must) (?:every(?: single)?|all the|nobody|no one|no-one)\b",
    re.I,
)


DOUBTED_ASIDE = re.compile(r"\(\s*[A-Za-z][\w'’-]*(?:\s+[\w'’-]+)?\?[^()?]{0,60}\)")


# A question put to a crowd by name, without a question mark: "coffee people, what am I doing
# wrong 😭", "bike folk: why does my chain keep slipping".
VOCATIVE_ASK = re.compile(
    r"\b(?:people|folks?|friends|peeps|pals|everyone|hive ?mind|lot|experts|nerds|geeks|bakers|"
    r"cyclists|riders|commuters|parents|twitter|"
    r"bluesky|mastodon|fedi|internet)\s*[,:]\s+(?:what|why|how|where|which|who|is|are|does|do|"
    r"can|could|should)\s+(?:am|are|is|do|does|did|should|can|i|my|it|you|this|that|the)\b",
    re.IGNORECASE,
)


def has_question(text: str) -> bool:
    """A direct question or an explicit request for help, ideas or advice (a rhetorical one
    aside)."""
    # "Your mechanic (Dave? sorry if that's wrong!) sorted the refurb": a word doubted in an
    # aside asks nothing.
    text = DOUBTED_ASIDE.sub(" ", text)
    # (a question mark as Chinese, Japanese or Arabic write it: "请问需要预约吗？")
    text = text.replace("？", "?").replace("؟", "?")
    asked = " ".join(s for s in re.split(r"(?<=[.!?])\s+", text) if not RHETORICAL.search(s))
    return "?" in asked or bool(
        QUESTION_START.search(asked) or REQUEST.search(asked) or VOCATIVE_ASK.search(asked)
    )


def keyphrases(text: str, *, limit: int = 5) -> list[str]:
    """Runs of up to three content words, longest first ('sourdough starter')."""
    stops = STOPWORDS["en"]
    runs: list[list[str]] = []
    current: list[str] = []
    for token in re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*|[^\sA-Za-zÀ-ÿ]", text):
        word = token.lower().strip("'’-")
        if word.isalpha() or "-" in word:
            if word in stops or len(word) < 3 or "'" in word or "’" in word:
                if current:
                    runs.append(current)
                current = []
            else:
                current.append(word)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    phrases: list[str] = []
    for run in runs:
        phrase = " ".join(run[-3:])
        if phrase not in phrases:
            phrases.append(phrase)
    phrases.sort(key=lambda p: (-len(p.split()), -len(p)))
    return phrases[:limit]


def entities(text: str) -> list[dict[str, str]]:
    """Named things a reply must not invent: mentions, hashtags, names, numbers."""
    found: list[dict[str, str]] = []
    for m in MENTION.finditer(text):
        found.append({"kind": "mention", "text": m.group()})
    for m in HASHTAG.finditer(text):
        found.append({"kind": "hashtag", "text": m.group()})
    for m in CAPITALISED.finditer(text):
        start = m.start()
        sentence_start = start == 0 or text[:start].rstrip()[-1:] in ".!?\n"
        name = m.group(1)
        if sentence_start:
            # A common first word is capitalised by position, not because it names something.
            first, *rest = name.split(" ")
            if not rest:
                continue
            if first.lower() not in STOPWORDS["en"] and first.lower() not in STARTERS:
                found.append({"kind": "name", "text": name})  # "Lothian Buses gives..."
                continue
            while rest and rest[0] in ("of", "the", "de", "&"):
                rest = rest[1:]
            if not rest:
                continue
            name = " ".join(rest)
        if name.lower() in STOPWORDS["en"] or name in ("I", "I'm", "I've"):
            continue
        found.append({"kind": "name", "text": name})
    for m in NUMBER.finditer(text):
        found.append({"kind": "number", "text": m.group().strip().rstrip(",.:")})
    return found


# The flags of a possible crisis, and of grief or illness, that only a trained reader saw (see
# `flags`).
CRISIS_READER_ONLY = "crisis_reader_only"
SENSITIVE_READER_ONLY = "sensitive_reader_only"
# What the trained person reader finds: said to the business, something only someone there can
# settle (an order, a booking moved, a lost thing, a bike held till payday). It is only read so
# for posts that address the business (suggest.mentions).
FOR_A_PERSON = "for_a_person"


def reads_as_crisis(text: str) -> bool:
    """Words that may mean self-harm or suicidal thoughts, said outright or not, or the
    warning signs told without them."""
    body = _lowered(text)
    return bool(CRISIS.search(body)) or warning_signs(body)


# The warning signs crisis services list, told in everyday words: giving away what one loves
# or putting affairs in order, with goodbye notes or a sudden calm. One alone is ordinary
# ("gave my old bike to my nephew"); together they are for a person to read.
GIVING_AWAY = re.compile(
    r"\b(?:gave|giving|given|give)\s+(?:away\s+)?(?:my|our|the|all\s+my)\s+(?:\w+\s+){0,3}?"
    r"(?:cat|dog|starter|guitar|bike|things|stuff|books|plants|records|belongings|"
    r"possessions|tools|money|keys?)\b|"
    r"\bgiving\s+(?:my|all\s+my)\s+(?:stuff|things|belongings)\s+away\b|"
    r"\b(?:the\s+|my\s+)?(?:cat|dog|rabbit|budgie)(?:'s|\s+is)\s+going\s+to\s+(?:my|a|live)\b|"
    r"\brehom(?:ed|ing)\s+(?:my|the|our)\b|"
    r"\b(?:putting|got|getting|have)\s+(?:all\s+)?my\s+affairs\s+in\s+order\b|"
    r"\b(?:made|wrote|updated|sorted)\s+(?:out\s+)?my\s+will\b|"
    # "selling it this week, won't be needing it where I'm going"
    r"\bwon'?t\s+be\s+needing\s+(?:it|them|any\s+of\s+(?:it|them)|my\s+\w+)\s+where\s+i'?m\s+going\b"
)
FAREWELL = re.compile(
    r"\b(?:wrote|written|writing|left|leaving)\s+(?:everyone|each\s+of\s+(?:you|them)|"
    r"all\s+of\s+(?:you|them)|(?:my|the)\s+(?:family|kids|mum|dad|wife|husband|partner|"
    r"sister|brother))\s+(?:a\s+)?(?:wee\s+|little\s+|short\s+)?(?:note|letter)s?\b|"
    r"\bgoodbye\s+(?:notes?|letters?)\b|"
    r"\b(?:first\s+time\s+in\s+(?:months|years|ages|weeks)|finally|at\s+last)\b[^.!?]{0,40}"
    r"\b(?:calm|at\s+peace|peaceful)\b|\b(?:feel|feeling|felt)\s+(?:so\s+|strangely\s+)?"
    r"(?:at\s+peace|calm\s+about\s+(?:it\s+all|everything))\b|"
    r"\b(?:weirdly|strangely|oddly)\s+(?:calm|peaceful)\b|"
    r"\bwon'?t\s+be\s+(?:needing|using|riding|wearing)\s+(?:it|them|any\s+of\s+(?:it|them))\b|"
    r"\bwon'?t\s+be\s+(?:needing|using|riding|wearing)\b[^.!?]{0,20}\b(?:again|any\s?more)\b|"
    r"\b(?:nearly|almost)\s+ready\s*(?:[.!…]|$)|"
    # "sorry to everyone I've let down"
    r"\bsorry\s+(?:to\s+(?:everyone|all\s+of\s+you|you\s+all|anyone)\s+i'?(?:ve|\s+have)?\s+"
    r"let\s+down|for\s+(?:letting\s+(?:everyone|you\s+all|you)\s+down|everything))\b|"
    # "thanks for all the bread chats over the years", beside giving everything away
    r"\bthanks?\s+(?:you\s+)?for\s+(?:all\s+)?(?:the|everything|your)\b[^.!?]{0,30}?"
    r"\bover\s+the\s+years\b"
)


def warning_signs(body: str) -> bool:
    """Giving things away or putting affairs in order, and a farewell or a sudden calm."""
    given = GIVING_AWAY.search(body)
    # (two signs, not one phrase read as both: "won't be needing it where I'm going")
    return bool(given and FAREWELL.search(body[: given.start()] + " " + body[given.end() :]))


def reads_as_sensitive(text: str) -> bool:
    """News of a death, a loss that still hurts, or a serious illness."""
    body = _lowered(text)
    return bool(
        SENSITIVE.search(body)
        or RIP.search(text)
        or (HOSPITAL.search(body) and not BIRTH.search(body))
    )


def _lowered(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


def flags(
    text: str, *, crisis: bool = False, sensitive: bool = False, person: bool = False
) -> list[str]:
    """Signals that change what we may do with a post.

    "crisis" (possible self-harm or suicidal thoughts) always comes with "sensitive" (grief,
    bereavement, serious illness): downstream a sensitive post becomes a card for a person and
    never a draft, so a crisis needs no rule of its own to reach one. `crisis` and `sensitive`
    are what another reader found (the trained readers in analysis.service); the phrase lists
    here add theirs. Such posts are never "hostile" or "spammy" ("I'm useless, everyone
    would be better off without me", "cancer is shite", "please dm me") since those flags mean
    "no reply", and never a "milestone_cue": "would have been mum's 70th birthday" is not a
    birthday to congratulate. `person` is what the trained person reader found (FOR_A_PERSON).
    """
    # Only the trained crisis reader found it: no phrase of a crisis or a loss, and the grief
    # reader silent. It still reaches a person, unless it asks an everyday question the
    # business's knowledge answers (suggest.selection decides, knowing the knowledge).
    said = reads_as_crisis(text) or reads_as_sensitive(text)
    reader_only = crisis and not sensitive and not said
    # likewise grief or illness only the trained grief reader found
    grief_reader_only = sensitive and not crisis and not said
    crisis = crisis or reads_as_crisis(text)
    sensitive = crisis or sensitive or reads_as_sensitive(text)
    result = []
    if hostile(text) and not sensitive:
        result.append("hostile")
    if INJECTION.search(text):
        result.append("instructs_writer")
    if crisis:
        result.append("crisis")
    if reader_only:
        result.append(CRISIS_READER_ONLY)
    if sensitive:
        result.append("sensitive")
    if grief_reader_only:
        result.append(SENSITIVE_READER_ONLY)
    if SPAMMY.search(text) and not sensitive:
        result.append("spammy")
    if (
        MILESTONE.search(QUOTED.sub(" ", text))
        and not sensitive
        and not SETBACK.search(text)
        and not SPECTATING.search(text)
    ):
        result.append("milestone_cue")
    if person and not sensitive:
        result.append(FOR_A_PERSON)
    return result
