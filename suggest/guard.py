"""The non-promotional guard: every draft passes it before it can reach the queue.

Rules (links, prices, discounts in codes or in words, calls to action, invitations to the
business nobody asked for, own products, hashtags, we/our outweighing you/your, length, banned
phrases), a grounding check (every named thing and number must come from the post, the
person's recent posts or the knowledge base, with everyday know-how allowed on the topics the
business helps with) and a check that the draft speaks to the person rather than echoing them.

Calls to action and invitations are judged in context: "check the dough" and "until it clicks"
are everyday verbs, "pop in" is fine when the post asked where or when to come. Products are
matched by lemma (suggest.grounding), so "Leith Loaves" is the product "Leith Loaf".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel

from analysis import text as text_signals
from core.models import Workspace
from suggest import grounding, recurring
from suggest.need import asks_for_a_place

LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(com|co\.uk|shop|store|io|net|org)\b", re.I)
PRICE = re.compile(
    r"[£$€]\s?\d|\b\d+(\.\d\d)?\s?(pounds|quid|dollars|euros|gbp|usd)\b|\b(a )?(fiver|tenner)\b",
    re.I,
)
PRICE_ASKED = re.compile(r"price|cost|how much|£|\$|€|expensive|cheap|dearer|set me back", re.I)
DISCOUNT = re.compile(
    r"\b\d+\s?(%|percent\b|per cent\b)\s?off\b|\bdiscount\w*|\bpromo(s|\s?codes?)?\b|"
    r"\bpromotional (offer|price|code)s?\b|\bcoupon\w*|\bvoucher\w*|"
    r"(?<!bake )(?<!boot )(?<!jumble )(?<!garage )(?<!yard )(?<!charity )\bsales?\b|"
    r"\buse (my |our |the )?code\b|\bfree (gift|delivery|shipping|sample|samples)\b|"
    r"\b(two|2|three|3) ?(for|4|-for-) ?(one|1|two|2)\b|\bfor the price of (one|1|two|2)\b|"
    r"\b2x1\b|\bbuy one,? get one\b|\bbogof?\b|"
    r"\b(second|2nd|next|another) \w+( \w+)? (is |for |goes )?free\b|\bget (one|it|a \w+) free\b|"
    r"\bfreebies?\b|\bhappy hour\b|\breduced to clear\b|\beverything('s| is)? reduced\b|"
    r"\b(half|quarter)[ -]price\b|\bhalf off\b|\b(money|[£$€]\s?\d+(\.\d\d)?) off\b|"
    r"\bon the house\b|\bknock(?:s|ed|ing)? (?:a quid|a pound|a fiver|a tenner|[£$€]?\d+\w*|"
    r"something|a bit) off\b|\b(coffee|tea|drink|cake|pastry|scone|loaf|bun|croissant|treat|slice|"
    r"cuppa|round|one|refill)s?(?:'s| is| are|'re)? on us\b|"
    r"(?<!feel )(?<!-)\bfree (\w+ ){0,3}(with|when you buy) (every|any|each|your|a|all)\b|"
    r"\bspecial offers?\b|\boffer ends\b|\b(great|best|latest|breakfast|lunch|meal|weekly|"
    r"daily|exclusive) deals?\b|\b(loyalty|stamp) card\b|"
    r"\bdescuento\w*|\bofertas?\b|\bgratis\b|\brebajas?\b|\bdesconto\w*|\bpromoç\w+|"
    r"\bgrátis\b|\bremises?\b|\bréductions?\b|\bgratuit\w*|\bsoldes\b|\brabatt\w*|\bkostenlos\b",
    re.I,
)
CODE = re.compile(r"\b[Cc]ode:?\s+[A-Z0-9]{3,}\b")
# Always a sales move, whatever the post asked.
CALL_TO_ACTION = re.compile(
    r"\b(dm|message|email|e-mail|call|ring|text) us\b|\bsend us an? (dm|message)\b|"
    r"\bbook (now|today|online|a table|a slot|a spot|yours)\b|"
    r"\bbook (a \w+|yours|your \w+) (now|today)\b|"
    r"\b(order|shop|buy) (now|today|online|yours|one|from us|through)\b|"
    r"\bcheck (out our|us out|out (the|our) (new|latest))\b|"
    r"\bsign up (now|today|here|for our)\b|\bsubscribe\b|\bfollow us\b|\blink in (our |the )?bio\b|"
    r"\bclick (here|below|through|(on )?(the|this|our|that) (link|button|banner))\b|"
    r"\b(tap|hit) the link\b|\bdon'?t miss (out|our|this|it)\b|"
    r"\bgrab (one|yours|a(?! (cuppa|friend|nap|blanket|book|seat|moment|minute|rest|breather|"
    r"jacket|coat|brolly|umbrella|pen|notebook|torch)\b))\b|"
    r"\blimited (time|spaces|places|offer|stock|edition)\b|\bwhile (stocks|supplies) last\b|"
    r"\bsee you (at|in) (ours|our|the (shop|caf[eé]|cafe|bakery|counter))\b|\bsee you soon\b|"
    r"\bwhile you'?re here\b|"
    r"\bis the place to be\b|\bstop (at|by) ours\b",
    re.I,
)
KITCHEN_THINGS = (
    r"oven|fridge|freezer|microwave|toaster|tin|pan|pot|bowl|jar|bag|box|tub|basket|dough|mix"
)
# "pop in", "come by": an invitation, unless it goes somewhere else ("come down to the market",
# "pop it in the oven", "come in handy", "a drop in temperature").
MOVE_TO_US = (
    r"\b(?<!\ba )(?<!\bthe )(come|pop|drop|swing|stop|call)\s+(in|by|round|over|along|down|into)\b"
    r"(?!\s+(handy|useful|with)\b)"
    rf"(?!\s+(the|a|an|your|it|them)\s+({KITCHEN_THINGS})\b)"
    r"(?!\s+(down\s+)?(to|into|at|on)\s+(the\s+(?!(shop|caf[eé]|bakery|counter|window)\b)"
    r"|an?\s|(?-i:[A-Z])))"
)
# Invitations to the business's place, goods, displays or events: fine when the post asked
# where or when to come (GuardContext.asked_about_us), a soft sell otherwise.
INVITATION = re.compile(
    MOVE_TO_US + r"|\bcome on in\b|"
    r"\bcome (and |to )?(try|see|visit|grab|join|say (hi|hello)|taste|meet|find)\b|"
    r"\bcome (to|visit) (us|ours|our)\b|\bvisit (us|ours|our)\b|\bpay us a visit\b|\bjoin us\b|"
    r"\bnext time you'?re (passing|in|around|nearby|near|down|over|in the area)\b|"
    r"\bwhen(ever)? you'?re (passing|next in|in the area|nearby|around|down our way)\b|"
    r"\b(we'?d|we would|we'?ll) (love|like|be happy|be glad) to (have|see|welcome|meet|host) you\b|"
    r"\b(we'?d|we would|we'?ll) (love|like|be happy|be glad) to (make|bake|do|cater|sort) "
    r"(it|that|one|them|yours)\b|"
    r"\b(love|like|hope) to see you\b|\bany ?time you'?re\b|\bdoors? (is|are) (always )?open\b|"
    r"\byou know where (we are|to find us)\b|\b(at|to) ours\b|"
    # "we're on the Shore if you need a sit", "doors open at half seven if you both need a
    # change of scene", "we do celebration cakes": what we have, offered unasked
    r"\bif you (?:both |all |ever )?(?:need|fancy|want) (?:a|an|some) (?:sit|seat|coffee|cuppa|"
    r"change of scene|treat|bite|heat|warm)\b|"
    r"\bwe (?:also )?(?:do|make|bake|sell|offer|stock) (?:(?:a|an|our|lovely|gorgeous|fresh|"
    r"proper|great) )*(?:\w+ )?(?:cakes|loaves|breads|bakes|pastries|coffees|classes|services|"
    r"repairs|bikes|sessions|tastings)\b|"
    r"\b(grab|get|pick up|buy|order)\b[^.!?]{0,30}\bfrom (us|ours)\b|"
    r"\b(have you|you should|you must|you'?ve got to|you have to|you'?d|you'?ll|why not)"
    r" (tried|try|love|taste|see|check out|come)( out)? (our|ours)\b|\btry (our|ours)\b|"
    r"\bour (own |new |fresh |latest |famous |seasonal |homemade |home-made |signature |lovely )*"
    r"(windows?|displays?|shelves|counter|cabinet|menu|specials?|range|selection|bakes|cakes?|"
    r"breads?|loaf|loaves|pastr(y|ies)|coffees?|croissants?|scones?|buns?|knots|sourdough|"
    r"events?|workshops?|class(es)?|tastings?|clinic|shop|caf[eé]|bakery|place|tables|hampers?|"
    r"box(es)?|treats|goodies|terrace)\b"
    r"|\bpása(te|os|se)\b|\bven(id|ga|gan)? a (vernos|visitarnos|probar|conocernos)\b|"
    r"\bvisíta(nos|enos)\b|\b(te|os|les) esperamos\b|\bpasse (cá|aqui|na nossa)\b|"
    r"\bvenha (nos )?(visitar|provar|conhecer)\b|\bvisite-nos\b|\bpassez nous voir\b|"
    r"\bvenez (nous voir|goûter|découvrir|déguster)\b|\bon vous attend\b|\bkomm(en sie)? vorbei\b",
    re.I,
)
LINK_ASKED = re.compile(r"\b(link|website|url|web ?page)\b", re.I)
FIRST_PERSON = re.compile(r"\b(i|i'm|i've|my|me|mine)\b", re.I)
HASHTAG = re.compile(r"(?<!\w)#\w+")
SELF = grounding.SELF
OTHER = re.compile(
    r"\b(you|you're|you've|your|yours|yourself|tú|tu|tus|te|ti|usted|ustedes|vosotros|você|vocês|"
    r"teu|tua|teus|tuas|vous|votre|vos|toi|ton|ta|tes)\b",
    re.I,
)
ECHO_WORDS = 8
# The learned classifier's bar is high on purpose (bench/replies.py): at 0.9 it held back 5.5%
# of helpful replies and caught nothing the rules missed; at 0.98 it held back none.
PROMOTIONAL_THRESHOLD = 0.98


class GuardContext(grounding.Grounds):
    """What the guard needs to know besides the draft (with grounding.Grounds' sources: the
    post, recent posts, knowledge, person names, own products, language, helps_with)."""

    banned_phrases: list[str] = []
    max_chars: int = 280
    # The knowledge sentences chosen to answer this post. When the post asked for a place or
    # a business like this one, a product they name is the answer ("anywhere I could take a
    # loaf to get someone to look at it?": the bread clinic), not a sell.
    answer_texts: list[str] = []
    # From suggest.promotional, when the caller has the embedder at hand.
    promotional_probability: float | None = None


class GuardVerdict(BaseModel):
    passed: bool
    reasons: list[str]


def check(draft: str, context: GuardContext) -> GuardVerdict:
    """Return whether the draft may be queued, and every reason it may not."""
    reasons: list[str] = []
    post = context.post_text
    if not draft.strip():
        reasons.append("empty draft")
    if len(draft) > context.max_chars:
        reasons.append(f"too long for the platform ({len(draft)} > {context.max_chars} characters)")
    if LINK.search(draft) and not (LINK.search(post) or LINK_ASKED.search(post)):
        reasons.append("contains a link nobody asked for")
    if PRICE.search(draft) and not PRICE_ASKED.search(post):
        reasons.append("mentions a price nobody asked about")
    discount = DISCOUNT.search(draft) or CODE.search(draft)
    if discount and discount.group(0).lower() not in post.lower():  # not their own words
        reasons.append(f"mentions a discount, sale or code ('{discount.group(0)}')")
    if m := CALL_TO_ACTION.search(draft):
        reasons.append(f"call to action ('{m.group(0)}')")
    if not context.asked_about_us and (m := INVITATION.search(draft)):
        reasons.append(f"invites them to the business unasked ('{m.group(0)}')")
    if HASHTAG.search(draft):
        reasons.append("contains a hashtag")
    p = context.promotional_probability
    if p is not None and p >= PROMOTIONAL_THRESHOLD:
        reasons.append(f"reads as promotional (classifier p={p:.2f})")
    language = context.language or text_signals.detect_language(draft, "en") or "en"
    for product in context.own_products:
        if (
            grounding.mentions(product, draft, language)
            and not grounding.mentions(product, post, language)
            and not _answers_with(product, context, language)
        ):
            reasons.append(f"names our own product '{product}' unasked")
    for phrase in context.banned_phrases:
        if phrase.lower() in draft.lower():
            reasons.append(f"uses the banned phrase '{phrase}'")
    selfish = len(SELF.findall(grounding.LET_US_KNOW.sub("", draft)))
    other = len(OTHER.findall(draft))
    if selfish > other and not context.asked_about_us:
        reasons.append(f"talks about us ({selfish}) more than about them ({other})")
    reasons.extend(_speaks_to_them(draft, context))
    reasons.extend(ungrounded(draft, context.model_copy(update={"language": language})))
    return GuardVerdict(passed=not reasons, reasons=reasons)


# "@crumbandkettle first time in tomorrow, what should I get?": they ask for what we make.
ASKS_WHAT_TO_HAVE = re.compile(
    r"\bwhat (should|would|do|shall|can) (i|we|you) (get|have|order|try|recommend|suggest)\b|"
    r"\bwhat('s| is| are) (good|best|your (best|favourite|bestsellers?)|worth (getting|trying))\b|"
    r"\brecommendations?\b|\bmust[- ]try\b",
    re.I,
)


def _answers_with(product: str, context: GuardContext, language: str) -> bool:
    """Is the product what answers a post that asked for a place or business like this one,
    or asked the business what to have?"""
    if not context.asked_about_us:
        return False
    return bool(ASKS_WHAT_TO_HAVE.search(context.post_text)) or any(
        grounding.mentions(product, text, language) for text in context.answer_texts
    )


def _speaks_to_them(draft: str, context: GuardContext) -> list[str]:
    reasons = []
    addressed = (
        OTHER.search(draft)
        or "?" in draft
        or any(n and re.search(rf"\b{re.escape(n)}\b", draft) for n in context.person_names)
    )
    if draft.strip() and not addressed and len(FIRST_PERSON.findall(draft)) >= 2:
        reasons.append("speaks as the person instead of to them")
    post_words = text_signals.words(context.post_text)
    draft_text = " ".join(text_signals.words(draft))
    for i in range(len(post_words) - ECHO_WORDS + 1):
        if " ".join(post_words[i : i + ECHO_WORDS]) in draft_text:
            reasons.append("repeats the post instead of replying to it")
            break
    return reasons


def ungrounded(draft: str, context: GuardContext) -> list[str]:
    """Named things and numbers in the draft that no source supports (suggest.grounding)."""
    return grounding.ungrounded(draft, context)


def names_business(text: str, names: Sequence[str]) -> bool:
    """Does the text name the business, as people type it ("Crumb & Kettle", "crumb and
    kettle", "crumb-and-kettle" alike)?"""
    said = _as_typed(text)
    return any(n and _as_typed(n) in said for n in names)


def names_business_only_to_exclude(text: str, names: Sequence[str]) -> bool:
    """Is every time the text names the business a "not" ("£4.60 for a flat white in leith now.
    not at crumb & kettle to be fair, the new place on constitution st")?"""
    said = _as_typed(text)
    found = [
        said[: m.start()].split()[-3:]
        for n in names
        if n and (typed := _as_typed(n).strip())
        for m in re.finditer(rf" {re.escape(typed)} ", said)
    ]
    return bool(found) and all("not" in before for before in found)


def names_part_of_business(text: str, names: Sequence[str]) -> bool:
    """Does the text name the business at least in part ("booked a service at Northside",
    "maybe Northside? they do second-hand ones"): a word of five letters or more of one of its
    names?"""
    said = set(_as_typed(text).split())
    return any(len(w) >= 5 and w in said for n in names for w in _as_typed(n).split())


def _as_typed(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.lower().replace("&", " and "))) + " "


def asked_about_business(post: str, names: list[str]) -> bool:
    """Did the post address the business, or ask for a place or business like it?"""
    if names_business(post, names):
        return True
    if NEED_A_PLACE.search(post):
        return True  # "need somewhere in Leith to sit with a laptop", without a question mark
    if TO_THE_BUSINESS.search(post):
        return True  # "can i work from yours on a saturday?", "is your gluten free loaf safe?"
    return text_signals.has_question(post) and bool(
        ABOUT_PLACES.search(post) or asks_for_a_place(post)
    )


# Said to the business in the second person, in a comment or a reply to it.
TO_THE_BUSINESS = re.compile(
    r"\b(?:from|at|to|in|get to) yours\b|\byour (?:loaf|loaves|bread|café|cafe|shop|place|"
    r"kitchen|coffee|cakes?|clinic|staff|team|opening|hours|workshop|menu|gluten|wheat|"
    r"buckwheat|bakers?)\b|\b(?:do|can|will) you (?:do|sell|have|make|bake|open|take|fix)\b|"
    r"\bare you open\b",
    re.I,
)
NEED_A_PLACE = re.compile(
    r"\b(need|looking for|want|after) (a |some )?(somewhere|anywhere|spot|place|café|cafe)\b", re.I
)


ABOUT_PLACES = re.compile(
    r"\b(bakery|bakeries|baker|café|cafe|cafés|cafes|shop|coffee shop|anywhere|somewhere|"
    r"looking for|recommend\w*|"
    r"place|places|where can|open|opening)\b",
    re.I,
)


def context_for(
    workspace: Workspace,
    *,
    post_text: str,
    summons_business: bool = False,
    person_names: Sequence[str] = (),
    recent_texts: Sequence[str] = (),
    extra_knowledge: Sequence[str] = (),
    answer_texts: Sequence[str] = (),
    max_chars: int = 280,
    language: str | None = None,
    today: date | None = None,
) -> GuardContext:
    """What the guard knows about a reply to `post_text` written for `workspace` (on `today`,
    by default the workspace's today: when its monthly events are next is known too)."""
    business_names = [n for n in (workspace.display_name, workspace.name) if n]
    known = [k["text"] for k in workspace.knowledge or []]
    today = today or recurring.today_in(workspace.timezone)
    return GuardContext(
        post_text=post_text,
        recent_texts=list(recent_texts),
        # What the business says it is ("a bakery-café on the Shore in Leith, Edinburgh") is
        # known too.
        knowledge_texts=[
            *known,
            *recurring.next_ones(known, today),
            *extra_knowledge,
            *([workspace.description] if workspace.description else []),
        ],
        person_names=[n for n in person_names if n],
        asked_about_us=summons_business or asked_about_business(post_text, business_names),
        own_products=list(workspace.own_products or []),
        banned_phrases=list(workspace.banned_phrases or []),
        answer_texts=list(answer_texts),
        max_chars=max_chars,
        language=language,
        helps_with=list(workspace.helps_with or []),
        business_names=[*business_names, *(n.replace("-", " ") for n in business_names)],
    )
