"""Draft, card or nothing, decided on realistic posts with the real embedder and the sample
workspace (what `rapport draft` shows; nothing stored)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from analysis.models import SENSITIVE_HEADS, TrainedHeads
from analysis.service import Analyzer
from core.models import Occasion, Platform, Workspace
from ingest import workspaces as workspace_files
from ingest.schemas import PersonCreate, PostCreate
from ingest.service import sample_workspace
from suggest import service as suggest_service
from suggest.schemas import DraftRead

pytestmark = pytest.mark.model
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _post(
    text: str, *, who: str = "Callum Boyd", hours_ago: float = 2, **extra: object
) -> PostCreate:
    handle = who.split()[0].lower() + "@mastodon.scot"
    return PostCreate.model_validate(
        {
            "platform": Platform.MASTODON,
            "external_id": f"{handle}-{hours_ago}",
            "author": PersonCreate(
                platform=Platform.MASTODON, external_id=handle, handle=handle, display_name=who
            ),
            "text": text,
            "posted_at": NOW - timedelta(hours=hours_ago),
            **extra,
        }
    )


def _drafts(
    analyzer,  # noqa: ANN001
    *posts: PostCreate,
    workspace: Workspace | None = None,
    now: datetime = NOW,
) -> list[DraftRead]:
    """What Rapport does with each of these posts, read as the queue reads them (one timeline a
    person), for the sample bakery-café unless another workspace is given."""
    return suggest_service.draft_posts(
        list(posts), workspace=workspace or sample_workspace(), analyzer=analyzer, now=now
    )


def _draft(analyzer, *posts: PostCreate) -> DraftRead:  # noqa: ANN001
    return _drafts(analyzer, *posts)[-1]


def _to_us(analyzer, text: str, *, workspace: Workspace | None = None) -> DraftRead:  # noqa: ANN001
    """What Rapport does with one post that addresses the business."""
    return _drafts(analyzer, _post(text, summons_business=True), workspace=workspace)[-1]


def _workshop() -> Workspace:
    """The drafting set's second business, a bike workshop."""
    path = Path(__file__).parents[2] / "bench/data/drafting/northside-cycles.workspace.yaml"
    return Workspace(**workspace_files.columns(workspace_files.parse(path.read_text())))


def _doubting(embedder, tmp_path: Path, reader: str) -> Analyzer:  # noqa: ANN001
    """The analysis with the shipped readers, except that one of them (`reader`: "crisis" or
    "sensitive") flags every post and the other none: what happens to a post only a trained
    reader doubts, whatever the shipped readers make of this one."""
    arrays = dict(np.load(SENSITIVE_HEADS))
    for name in ("crisis", "sensitive"):
        arrays[f"{name}_threshold"] = np.asarray(0.0 if name == reader else 1.1, np.float32)
    path = tmp_path / "doubting.npz"
    np.savez(path, **arrays)
    return Analyzer(embedder, sensitive_heads=TrainedHeads(path))


def test_a_stated_constraint_gets_the_knowledge_that_meets_it(analyzer) -> None:  # noqa: ANN001
    result = _draft(
        analyzer,
        _post(
            "Looking for somewhere good to take my gran for a coffee and cake, she can't do stairs."
        ),
    )
    assert result.occasion == Occasion.RECOMMEND
    assert result.knowledge_used == ["Step-free access"]
    assert "step-free" in (result.draft or "") and "Callum" in (result.draft or "")


def test_knowledge_that_ignores_what_they_said_matters_is_a_card_not_a_draft(
    analyzer,  # noqa: ANN001
) -> None:
    # The first-loaf recipe is for one loaf at home; nothing known speaks to a toddler group.
    result = _draft(
        analyzer,
        _post("Is there a simple no-knead bread recipe that works for my class of 7-year-olds?"),
    )
    assert result.occasion == Occasion.KNOWLEDGE_GAP and not result.draft
    assert "says nothing about what they said matters (children)" in (result.rationale or "")
    # Asked of the business itself: the clinic's times are no answer to "can my child come?"
    asked = _to_us(
        analyzer,
        "@crumbandkettle is the bread clinic ok for kids? my 10yo wants to bring her loaf",
    )
    assert asked.occasion == Occasion.KNOWLEDGE_GAP and not asked.draft
    # Who is coming along, said beside a question the knowledge answers, does not stop it.
    beside = _to_us(
        analyzer,
        "@crumbandkettle what time do you open on Sundays? bringing my 7yo for a treat",
    )
    assert beside.occasion == Occasion.ANSWER and "7:30" in (beside.draft or "")


def test_a_price_asked_is_answered_with_a_price_or_goes_to_a_person(analyzer) -> None:  # noqa: ANN001
    # The cake snippet gives the notice, not what a cake for 25 costs: the owner must quote.
    result = _to_us(
        analyzer,
        "how much would a celebration cake from @crumbandkettle be for about 25 folk? mum's "
        "70th is in march and I'm trying to budget",
    )
    assert result.occasion == Occasion.KNOWLEDGE_GAP and not result.draft
    assert "gives no price" in (result.rationale or "")
    # The clinic is free: that is the price.
    free = _draft(
        analyzer,
        _post("@crumbandkettle how much does the bread clinic cost?", summons_business=True),
    )
    assert free.occasion == Occasion.ANSWER and "free" in (free.draft or "")


def test_asking_who_could_make_a_number_of_something_is_an_order_for_a_person(
    analyzer,  # noqa: ANN001
) -> None:
    result = _draft(
        analyzer,
        _post(
            "Looking for somewhere that could do 30 mince pies for the choir's interval. Any ideas?"
        ),
    )
    assert result.occasion == Occasion.KNOWLEDGE_GAP and not result.draft
    assert "an order only you can say yes to" in (result.rationale or "")


def test_a_monthly_event_is_said_with_when_it_is_next(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@crumbandkettle when's your next bread clinic? my loaves keep spreading",
    )
    assert result.occasion == Occasion.ANSWER and result.guard_passed
    assert "The next one is on Saturday 5 December." in (result.draft or "")


def test_a_question_the_knowledge_does_not_answer_is_a_card_not_an_empty_question(
    analyzer,  # noqa: ANN001
) -> None:
    result = _draft(
        analyzer,
        _post("@crumbandkettle are your cinnamon knots vegan?", summons_business=True),
    )
    assert result.occasion == Occasion.KNOWLEDGE_GAP and not result.draft
    assert "knowledge doesn't cover" in (result.rationale or "")


def test_a_card_for_a_question_names_the_nearest_knowledge_and_why_it_was_not_used(
    analyzer,  # noqa: ANN001
) -> None:
    result = _draft(analyzer, _post("Where can I buy good dates in Leith for Ramadan?"))
    assert result.occasion == Occasion.KNOWLEDGE_GAP and not result.draft
    assert "Nearest in your knowledge: “Leith Market”, not close enough to draft from." in (
        result.rationale or ""
    )


def test_a_complaint_to_the_business_gets_an_apology_never_a_recipe(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@crumbandkettle the bread I bought this morning was burnt on the bottom. Not happy.",
    )
    assert result.occasion == Occasion.COMPLAINT
    assert "sorry" in (result.draft or "").lower() and not result.knowledge_used
    # said when, and what: no "Which day was it with this?"
    gears = _to_us(
        analyzer,
        "@crumbandkettle bought a bike from you 7 weeks ago and the gears already jump on "
        "every hill. Not impressed",
    )
    assert gears.occasion == Occasion.COMPLAINT and "the gears" in (gears.draft or "")
    assert "?" not in (gears.draft or "")


def test_a_question_that_turns_on_what_the_knowledge_does_not_name_is_a_card(
    analyzer,  # noqa: ANN001
) -> None:
    result = _draft(
        analyzer,
        _post(
            "Made the overnight no-knead loaf and loved it. Can I swap half the white flour for "
            "wholemeal? Does the water need to change?"
        ),
    )
    assert result.occasion == Occasion.KNOWLEDGE_GAP and not result.draft
    assert "says nothing about wholemeal" in (result.rationale or "")
    # the clinic's knowledge gives when it starts, not when it ends
    clinic = _to_us(
        analyzer,
        "@crumbandkettle how long does the bread clinic go on on Saturday? I'm on shift at 12",
    )
    assert clinic.occasion == Occasion.KNOWLEDGE_GAP and not clinic.draft
    assert "not how long it lasts" in (clinic.rationale or "")


def test_something_left_behind_is_for_someone_who_can_look(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@crumbandkettle think I left my blue scarf on your counter on Saturday? Any "
        "chance it's turned up?",
    )
    assert result.occasion == Occasion.NEEDS_PERSON and "left behind" in (result.rationale or "")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        # no phrase list reads this order: the trained person reader does
        (
            "@crumbandkettle Could I get two dozen of your cheese scones for Thursday morning? "
            "Happy to pay when I collect.",
            "only someone at the business can settle",
        ),
        (
            "@crumbandkettle could you keep a sourdough back for me tomorrow? I won't get "
            "there till 3",
            "a booking or a payment",
        ),
        (
            "@crumbandkettle we'd planned to come for lunch at 12 on Saturday but can we make "
            "it 1 instead? sorry for the faff",
            "a booking or a payment",
        ),
        (
            "@crumbandkettle my wee one left her dinosaur on the bench by your door, any sign "
            "of him?",
            "left behind",
        ),
    ],
)
def test_what_only_someone_at_the_business_can_settle_is_a_card(
    analyzer,  # noqa: ANN001
    text: str,
    why: str,
) -> None:
    result = _to_us(analyzer, text)
    assert result.occasion == Occasion.NEEDS_PERSON and not result.draft, result.rationale
    assert why in (result.rationale or "")


def test_coming_with_what_matters_to_them_is_answered_on_each(analyzer) -> None:  # noqa: ANN001
    """A long post to the business whose question turns on a scooter and a dog named only by
    breed: what the business says of its access and of dogs, however far the rest strays."""
    result = _to_us(
        analyzer,
        "@crumbandkettle Hello, my grandson keeps telling me I should come and try your "
        "cinnamon knots. I'm on a mobility scooter now and I never go anywhere without Bramble, "
        "my old Westie. Would the two of us manage to get in, or should I plan to sit outside?",
    )
    assert result.occasion == Occasion.ANSWER
    assert sorted(result.knowledge_used) == ["Dogs welcome", "Step-free access"]
    assert "step-free" in (result.draft or "") and "welcome inside" in (result.draft or "")


def test_the_day_they_ask_about_is_answered_beside_what_they_said_matters(
    analyzer,  # noqa: ANN001
) -> None:
    result = _to_us(
        analyzer,
        "@crumbandkettle is it mondays or tuesdays you're shut? I mix you up with the place "
        "up the road. want to bring my mum in for lunch on the 9th, she's in a wheelchair now "
        "so also need to know is there a step at the door and a loo she can use",
    )
    assert sorted(result.knowledge_used) == ["Opening hours", "Step-free access"]
    assert "closed on Mondays" in (result.draft or "") and "step-free" in (result.draft or "")


def test_harm_put_down_to_the_business_is_for_the_owner_never_a_drafted_apology(
    analyzer,  # noqa: ANN001
) -> None:
    for text in (
        "@crumbandkettle there was hard blue plastic baked right into a cinnamon knot. My 4 "
        "year old had it in his mouth. I'm pretty shaken.",
        "@crumbandkettle front wheel came off the day after you serviced it. 6 stitches in my "
        "chin. I want someone to phone me.",
    ):
        result = _to_us(analyzer, text)
        assert result.occasion == Occasion.NEEDS_PERSON and not result.draft, text
        assert "in person" in (result.rationale or "")
    # a name or a figure of speech is no harm
    picky = _to_us(
        analyzer,
        "@crumbandkettle call me picky but the croissants this morning were stale. Not happy.",
    )
    assert picky.occasion == Occasion.COMPLAINT


def test_another_language_addressed_to_the_business_is_a_card_naming_it(analyzer) -> None:  # noqa: ANN001
    result = _draft(
        analyzer,
        _post(
            "@crumbandkettle vocês têm pão sem glúten? A minha irmã vem visitar e é celíaca.",
            who="Sofia Costa",
            summons_business=True,
        ),
    )
    assert result.occasion == Occasion.OTHER_LANGUAGE and "Portuguese" in (result.rationale or "")


def test_a_possible_crisis_always_reaches_a_person(analyzer) -> None:  # noqa: ANN001
    result = _draft(
        analyzer, _post("I don't see the point anymore. Might just end it.", who="Rab Kerr")
    )
    assert result.occasion == Occasion.CRISIS and not result.draft
    assert "Samaritans" in (result.rationale or "")
    assert "everyday question" not in (result.rationale or "")


def test_an_everyday_question_only_the_trained_crisis_reader_doubts_is_answered(
    embedder,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    # The trained reader alone flags this cafetière question (the readers trained on short
    # posts alone did), which the knowledge answers and which says no word of distress: crisis
    # lines would be absurd, the answer is wanted.
    analyzer = _doubting(embedder, tmp_path, "crisis")
    text = (
        "got a cafetière for christmas and have been making coffee with it for two weeks on "
        "vibes alone. how much coffee am i actually meant to put in?? the wee scoop that came "
        "with it means nothing to me"
    )
    assert "crisis_reader_only" in analyzer.read([text])[0].flags
    coffee = _draft(analyzer, _post(text))
    assert coffee.occasion == Occasion.ANSWER and "60 g" in (coffee.draft or "")
    assert coffee.knowledge_used == ["Coffee ratio for a cafetière"]
    # The same question beside words of a crisis still reaches a person, with no draft.
    worse = _draft(
        analyzer,
        _post(
            "how much coffee am i meant to put in a cafetière? not that it matters, I don't "
            "want to be here anymore"
        ),
    )
    assert worse.occasion == Occasion.CRISIS and not worse.draft


def test_good_news_after_a_worry_is_celebrated_and_the_worry_is_not_asked_about(
    analyzer,  # noqa: ANN001
) -> None:
    worry = _post(
        "Knee replacement surgery next week. Bit scared, honestly.", who="Morag Bell", hours_ago=50
    )
    news = _post("Surgery went well. Home and bored already.", who="Morag Bell", hours_ago=1)
    results = _drafts(analyzer, worry, news)
    assert results[0].occasion is None and "overtaken" in (results[0].no_reply_because or "")
    assert results[1].occasion == Occasion.CELEBRATE_OUTCOME
    assert "Morag" in (results[1].draft or "") and "?" not in (results[1].draft or "")


def test_a_request_to_be_phoned_or_about_their_own_repair_is_for_a_person(
    analyzer,  # noqa: ANN001
) -> None:
    for text, why in (
        (
            "@crumbandkettle could someone give me a ring about bread for our wedding in "
            "August? about 120 guests. sent my number by DM",
            "phoned",
        ),
        (
            "@crumbandkettle is my cake ready for collection? you said you'd ring when it was "
            "done and I haven't heard yet",
            "check on it",
        ),
    ):
        result = _to_us(analyzer, text)
        assert result.occasion == Occasion.NEEDS_PERSON and not result.draft, text
        assert why in (result.rationale or ""), result.rationale


def test_a_thing_they_ask_whether_you_do_must_be_named_by_the_answer(
    analyzer,  # noqa: ANN001
) -> None:
    # the laptop snippet is near, but says nothing of wifi
    wifi = _to_us(
        analyzer,
        "@crumbandkettle do you have wifi? want to work on my laptop on Tuesday",
    )
    assert wifi.occasion == Occasion.KNOWLEDGE_GAP and not wifi.draft
    assert "says nothing about wifi" in (wifi.rationale or "")
    # what the knowledge names is answered
    cakes = _to_us(
        analyzer,
        "@crumbandkettle do you do birthday cakes? my daughter's 6 next month",
    )
    assert cakes.draft and "Celebration cakes" in cakes.knowledge_used


def test_a_denied_distress_word_is_no_hard_moment(analyzer) -> None:  # noqa: ANN001
    result = _draft(
        analyzer,
        _post(
            "tried the new place on the corner, honestly not disappointed at all, the scones "
            "were massive"
        ),
    )
    assert result.occasion is None and not result.draft


def test_advice_they_already_followed_to_no_avail_is_not_told_again(analyzer) -> None:  # noqa: ANN001
    result = _draft(
        analyzer,
        _post(
            "did the poke test thing everyone told me about. dent came back slowly, baked it. "
            "STILL a puddle. I need an actual human to look at one of these, is there anywhere "
            "in edinburgh that does that"
        ),
    )
    assert "press the dough" not in (result.draft or "").lower()
    assert "Flat loaves and proofing" not in result.knowledge_used
    assert result.occasion is not None  # a question in the business's field: a card at least


def test_asked_of_one_thing_the_answer_is_that_thing_s_knowledge(analyzer) -> None:  # noqa: ANN001
    market = _draft(
        analyzer,
        _post("Is Leith Market alright for dogs? Thinking of taking the pup on Saturday"),
    )
    # the walkway is dog-friendly, the market's knowledge says nothing of dogs
    assert market.occasion == Occasion.KNOWLEDGE_GAP and not market.draft
    assert "dog" in (market.rationale or "")
    walkway = _draft(
        analyzer, _post("Is the Water of Leith walkway ok for dogs? taking the pup on Saturday")
    )
    assert walkway.draft and "Water of Leith walkway" in walkway.knowledge_used


def test_a_question_from_last_night_answered_this_morning_is_no_slow_reply(
    analyzer,  # noqa: ANN001
) -> None:
    text = "@crumbandkettle is the café step-free? my gran uses a wheelchair"
    overnight = _draft(analyzer, _post(text, hours_ago=14, summons_business=True))
    assert overnight.draft and not overnight.draft.startswith("Sorry"), overnight.draft
    days = _draft(analyzer, _post(text, hours_ago=30, summons_business=True))
    assert days.draft and days.draft.startswith("Sorry"), days.draft


def test_a_complaint_only_the_trained_reader_reads_as_a_crisis_says_so_on_its_card(
    embedder,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    # (as the readers trained on short posts alone did; the shipped ones read it as a complaint)
    result = _draft(
        _doubting(embedder, tmp_path, "crisis"),
        _post(
            "@crumbandkettle Bit disappointed today. Asked for a flat white, got what was "
            "basically a cup of foam, and the lad on the till was on his phone the whole time "
            "we were ordering. It's usually so good in here.",
            summons_business=True,
        ),
    )
    # still a card for a person (a missed crisis is far worse), but the owner is told why
    assert result.occasion == Occasion.CRISIS and not result.draft
    assert "reads like a complaint to you" in (result.rationale or "")


def test_a_lost_toy_is_for_someone_who_can_look_and_another_shop_s_charge_is_no_payment(
    analyzer,  # noqa: ANN001
) -> None:
    toy = _to_us(
        analyzer,
        "@crumbandkettle think we left my wee one's knitted rabbit under the window table "
        "yesterday 😭 has anyone handed it in?",
    )
    assert toy.occasion == Occasion.NEEDS_PERSON and "left behind" in (toy.rationale or "")
    elsewhere = _to_us(
        analyzer,
        "@crumbandkettle how much is a celebration cake? last place quoted me £30 then "
        "charged £60 without a word",
    )
    assert "order, a booking or a payment" not in (elsewhere.rationale or "")


def test_coming_tomorrow_on_the_day_you_are_closed_is_not_drafted_as_if_open(
    analyzer,  # noqa: ANN001
) -> None:
    sunday = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    for text in (
        "@crumbandkettle can I pop in tomorrow morning with the laptop for a couple of hours?",
        "@crumbandkettle would it be ok to work on my laptop at yours tomorrow morning? "
        "deadline's looming and the flat's freezing",
    ):
        post = _post(text, summons_business=True).model_copy(
            update={"posted_at": sunday - timedelta(hours=1)}
        )
        result = _drafts(analyzer, post, now=sunday)[-1]
        # the day they mean to come is a closed day, from the snippet that says so, said
        # first; never the laptop rule as if open, and no luck wished with the laptop
        assert result.occasion == Occasion.ANSWER
        assert result.knowledge_used == ["Opening hours", "Laptops"]
        draft = result.draft or ""
        assert draft.index("closed on Mondays") < draft.index("laptop"), draft
        assert "luck" not in draft


def test_what_the_business_says_of_itself_makes_no_strangers_question_its_own(
    analyzer,  # noqa: ANN001
) -> None:
    # near "Dogs welcome" and "Opening hours" in meaning, but about no café: nothing, no card
    for text in (
        "Do dogs actually need winter coats or is that just marketing?",
        "Anyone know what time the Botanics open on a Sunday? Want to take my mum.",
    ):
        result = _draft(analyzer, _post(text))
        assert result.occasion is None and "outside" in (result.no_reply_because or ""), text
    # named, even without a handle, the business answers for itself
    named = _draft(analyzer, _post("Is Crumb and Kettle dog friendly? thinking of going Sunday"))
    assert named.occasion == Occasion.ANSWER and named.knowledge_used == ["Dogs welcome"]


def test_their_own_news_that_settles_their_question_needs_no_help(analyzer) -> None:  # noqa: ANN001
    question = _post(
        "Anyone know what's happening on the Water of Leith walkway? Fencing across it near "
        "Dean Village and a sign about tree works. Is there a way round?",
        who="Jonny Swan",
        hours_ago=26,
    )
    update = _post(
        "Update for anyone wondering: the walkway is open again, fencing gone, big pile of logs "
        "at the side. Back to my traffic-free run to work.",
        who="Jonny Swan",
        hours_ago=2,
    )
    results = _drafts(analyzer, question, update)
    assert results[0].occasion is None and "overtaken" in (results[0].no_reply_because or "")
    # no directions to a path they are back on; at most glad it is open, in their news' words
    assert results[1].occasion != Occasion.HELP and not results[1].knowledge_used
    assert "wondering" not in (results[1].draft or "").lower(), results[1].draft


def test_a_follow_up_that_adds_to_a_question_gets_the_question_answered(
    analyzer,  # noqa: ANN001
) -> None:
    question = _post(
        "doing bread with the kids at the weekend. which flour do I use??",
        who="Mairi Ross",
        hours_ago=20,
    )
    follow_up = _post(
        "to clarify: it's soda bread, and we've only got plain and strong white in",
        who="Mairi Ross",
        hours_ago=18,
    )
    results = _drafts(analyzer, question, follow_up)
    assert results[0].occasion is None and "overtaken" in (results[0].no_reply_because or "")
    assert results[1].knowledge_used == ["Flour for beginners"]
    assert "soda bread" in (results[1].draft or "")
    # "also …" about something else leaves the question where it was.
    aside = _post("also who decided sprouts were christmas food", who="Mairi Ross", hours_ago=18)
    results = _drafts(analyzer, question, aside)
    assert results[0].knowledge_used == ["Flour for beginners"] and results[1].occasion is None


def test_an_injury_after_your_work_or_a_job_enquiry_is_for_a_person(
    analyzer,  # noqa: ANN001
) -> None:
    injury = _to_us(
        analyzer,
        "came off on Leith Walk this morning when my front wheel came loose. bike had just "
        "been serviced by @crumbandkettle's pals on friday. broken collarbone. I'd like an "
        "explanation @crumbandkettle",
    )
    assert injury.occasion == Occasion.NEEDS_PERSON and not injury.draft
    assert "harm" in (injury.rationale or "")
    # a near miss put down to their work is for the owner too, never "sorry about the brake"
    near_miss = _to_us(
        analyzer,
        "@crumbandkettle picked my cake up from you on saturday and the box gave way on the "
        "stairs, nearly ended up under the bus at the stop trying to catch it. properly shaken",
    )
    assert near_miss.occasion == Occasion.NEEDS_PERSON and not near_miss.draft
    favour = _draft(
        analyzer,
        _post(
            "Hello! I'm on the parent council at Leith Primary and we're doing a spring fair on "
            "Saturday 28th April. Would Crumb & Kettle be willing to donate a raffle prize, or "
            "maybe some bread for the tea stall? Happy to put your name on the posters.",
        ),
    )
    assert favour.occasion == Occasion.NEEDS_PERSON and "yours to decide" in (
        favour.rationale or ""
    )
    visit = _to_us(
        analyzer,
        "Hi, I'm a teacher at Leith Primary organising Bake Week. Would anyone from the café "
        "be able to come and do a bread session in the hall one morning? Not much budget!",
    )
    assert visit.occasion == Occasion.NEEDS_PERSON
    job = _to_us(
        analyzer,
        "@crumbandkettle hiya, just finished my SVQ in professional cookery and would love to "
        "work in a proper local bakery. are you taking anyone on at all? happy to send a CV",
    )
    assert job.occasion == Occasion.NEEDS_PERSON and "work with you" in (job.rationale or "")


def test_a_lost_charger_tables_for_ten_and_a_favour_for_a_club_are_for_a_person(
    analyzer,  # noqa: ANN001
) -> None:
    charger = _to_us(
        analyzer,
        "@crumbandkettle did anybody hand in a phone charger with a green cable? pretty sure "
        "I left it on the corner table at lunch",
    )
    assert charger.occasion == Occasion.NEEDS_PERSON and "left behind" in (charger.rationale or "")
    tables = _to_us(
        analyzer,
        "@crumbandkettle hiya, it's my mum's 80th on the 12th. could we book some tables for "
        "about 10 of us around 11? a couple of them use walking frames",
    )
    assert tables.occasion == Occasion.NEEDS_PERSON and not tables.draft
    group = _drafts(
        analyzer,
        _post(
            "Hello @crumbandkettle, we run a wee baking club for teenagers at the community "
            "centre. Would you ever be willing to come and show them how to shape a loaf?",
            summons_business=True,
            who="Leith Youth Baking Club",
        ),
    )[-1]
    assert group.occasion == Occasion.NEEDS_PERSON and "yours to decide" in (group.rationale or "")


def test_praise_turned_by_but_that_ends_in_a_question_is_a_complaint_not_a_gap(
    analyzer,  # noqa: ANN001
) -> None:
    result = _to_us(
        analyzer,
        "@crumbandkettle love you lot but Saturday was chaos, waited 20 minutes for a "
        "bacon roll and it came out cold. is it always like that now?",
    )
    assert result.occasion == Occasion.COMPLAINT
    assert "sorry" in (result.draft or "")


def test_thanks_for_what_answered_an_earlier_worry_is_thanks(analyzer) -> None:  # noqa: ANN001
    asked = _post(
        "@crumbandkettle is the bread clinic on this saturday? my loaves keep tearing open "
        "down one side and I can't work out why",
        hours_ago=50,
        summons_business=True,
    )
    went = _post(
        "went to the bread clinic at @crumbandkettle this morning with my torn loaf. I wasn't "
        "scoring it deep enough! the baker was so patient with all my questions. what a kind "
        "thing to do. thank you",
        hours_ago=3,
        summons_business=True,
    )
    result = _drafts(analyzer, asked, went)[-1]
    assert result.occasion == Occasion.THANKS
    assert result.draft and "bread clinic" not in result.draft.lower()


def test_their_own_order_gone_wrong_at_the_counter_is_for_someone_who_can_check(
    analyzer,  # noqa: ANN001
) -> None:
    waiting = _to_us(
        analyzer,
        "@crumbandkettle came in at 4 like you said for the retirement cake and it's not "
        "even iced and nobody rang me. the do is at 6",
    )
    assert waiting.occasion == Occasion.NEEDS_PERSON and not waiting.draft
    cake = _to_us(
        analyzer,
        "@crumbandkettle collected the cake this morning and it's gorgeous but the name on "
        "it says Ellie and she's Elle. party's at 3, is there anything you can do??",
    )
    assert cake.occasion == Occasion.NEEDS_PERSON and not cake.draft


def test_thanks_for_something_handed_back_is_thanks_not_lost_property(
    analyzer,  # noqa: ANN001
) -> None:
    result = _to_us(
        analyzer,
        "Just want to say a massive thank you to the young lad at Crumb & Kettle who ran all "
        "the way down the Shore after my dad on Tuesday because he'd left his wallet on the "
        "table. Made his week.",
    )
    assert result.occasion == Occasion.THANKS and result.draft
    # what the owner sees: thanks for the wallet and for the lad, not a stock line
    assert "wallet" in result.draft and "he hears this" in result.draft
    assert "made the team's day" not in result.draft


def test_thanks_by_name_two_days_on_is_still_answered_and_its_news_comes_first(
    analyzer,  # noqa: ANN001
) -> None:
    # Named, not @-mentioned, and 38 hours old: a congratulation alone would be too late, but
    # everyone who speaks to the business gets a card.
    result = _draft(
        analyzer,
        _post(
            "HIGHLY COMMENDED 🥖🥖 eighteen months ago I didn't know what a banneton was. big "
            "thanks to the folk at crumb and kettle for putting up with my daft questions at the "
            "bread clinic every month",
            who="Graeme Niven",
            hours_ago=38,
        ),
    )
    # Their news told first, the thanks on the way: a congratulation that takes the thanks.
    assert result.occasion == Occasion.CONGRATULATE and result.draft
    assert result.draft.startswith("Highly commended: congratulations, Graeme!")
    assert "thank you" in result.draft


def test_thanks_first_is_thanks_and_praise_then_but_is_a_complaint(
    analyzer,  # noqa: ANN001
) -> None:
    thanks = _to_us(
        analyzer,
        "@crumbandkettle big thanks to whoever rang me yesterday before icing the cake with "
        "the wrong name. 2 minute call, no drama, the cake was perfect",
    )
    assert thanks.occasion == Occasion.THANKS and "they hear this" in (thanks.draft or "")
    complaint = _to_us(
        analyzer,
        "@crumbandkettle Genuinely love you but the music on Sunday morning was so loud my "
        "mum couldn't follow a word anyone said at her own birthday brunch.",
    )
    assert complaint.occasion == Occasion.COMPLAINT
    assert "sorry" in (complaint.draft or "") and "made the team's day" not in (
        complaint.draft or ""
    )


def test_something_still_lost_after_a_later_post_is_for_someone_who_can_look(
    analyzer,  # noqa: ANN001
) -> None:
    first = _post(
        "@crumbandkettle Hiya, we were in yesterday at the big table by the window. We think we "
        "left a small knitted rabbit, grey, one ear sewn back on. Any chance she's there??",
        who="Lauren Begbie",
        hours_ago=6,
        summons_business=True,
    )
    later = _post(
        "@crumbandkettle Checked the car twice and the buggy basket. No Mrs Flops. She's gone to "
        "sleep cuddling a tea towel",
        who="Lauren Begbie",
        hours_ago=2,
        summons_business=True,
    )
    results = _drafts(analyzer, first, later)
    assert results[-1].occasion == Occasion.NEEDS_PERSON and not results[-1].draft
    assert "left behind" in (results[-1].rationale or "")


def test_a_mishap_gets_a_kind_word_naming_it_never_a_congratulation(
    analyzer,  # noqa: ANN001
) -> None:
    result = _draft(
        analyzer,
        _post(
            "Four hours. Two batches of cheese scones for Nana's birthday tea. Dropped the ENTIRE "
            "tray on the kitchen floor on the way to the table. The dog is having the best day "
            "of his life. I'm going to lie down",
            who="Dot MacLeod",
        ),
    )
    assert result.occasion == Occasion.EMPATHISE
    assert "the entire tray" in (result.draft or "") and "Dot" in (result.draft or "")
    assert "brilliant" not in (result.draft or "").lower()


def test_a_need_said_without_a_question_mark_is_asked_and_a_place_they_have_been_is_not_told(
    analyzer,  # noqa: ANN001
) -> None:
    walk = _draft(
        analyzer,
        _post(
            "In Edinburgh for the week with a 4 year old (in the buggy once her legs give out) "
            "and a very bouncy springer. Staying down by the Shore. Need a longish walk that "
            "isn't cobbles and hills the whole way",
            who="Anna Kowalczyk",
        ),
    )
    assert walk.occasion == Occasion.RECOMMEND
    assert walk.knowledge_used == ["Water of Leith walkway"]
    asked = _post(
        "need somewhere in Leith to take my nephew tomorrow where he can run about, he's 6 and "
        "uses a walking frame so steps are a no go",
        who="Pauline Gordon",
        hours_ago=30,
    )
    went = _post(
        "update: took him to Leith Links, flat the whole way round and he did about 40 laps of "
        "the playground. sleeping like a log in the car now",
        who="Pauline Gordon",
        hours_ago=3,
    )
    results = _drafts(analyzer, asked, went)
    assert "Leith Links" not in " ".join(r.draft or "" for r in results)


def test_a_repair_of_theirs_or_praise_that_is_a_complaint_is_read_as_what_it_is(
    analyzer,  # noqa: ANN001
) -> None:
    waiting = _to_us(
        analyzer,
        "@crumbandkettle hi, my cake order's been with you since Tuesday, you phoned to say "
        "an ingredient needed ordering. any idea when it'll be ready? need it monday",
    )
    assert waiting.occasion == Occasion.NEEDS_PERSON and not waiting.draft
    shut = _draft(
        analyzer,
        _post(
            "great to walk 3 miles in the rain to look at a locked door at @crumbandkettle at "
            "15:25 on a saturday. website says open till 4. fab.",
            who="Rona Mackintosh",
            summons_business=True,
        ),
    )
    assert shut.occasion == Occasion.COMPLAINT
    assert "sorry" in (shut.draft or "") and "finding us shut" in (shut.draft or "")


def test_a_question_only_the_grief_reader_doubts_is_answered_and_the_name_typed_with_and_counts(
    analyzer,  # noqa: ANN001
    embedder,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    doubting = _doubting(embedder, tmp_path, "sensitive")
    text = (
        "meeting my pal at Crumb and Kettle on tuesday for her birthday coffee 🎂 she uses a "
        "wheelchair (power chair, it's a big one) - anyone know if it's step-free to get in and "
        "is there a loo she can actually use? don't want a repeat of last month's disaster at "
        "the other place"
    )
    assert "sensitive_reader_only" in doubting.read([text])[0].flags
    result = _draft(doubting, _post(text, who="Rhona Paterson"))
    assert result.occasion == Occasion.ANSWER and result.knowledge_used == ["Step-free access"]
    # named with "and", asked whether it has what the knowledge does not say: a card naming it
    wifi = _draft(analyzer, _post("does crumb and kettle have wifi and plug sockets?"))
    assert wifi.occasion == Occasion.KNOWLEDGE_GAP and "wifi" in (wifi.rationale or "")


def test_a_question_pointing_back_at_their_post_before_is_read_with_it(
    analyzer,  # noqa: ANN001
) -> None:
    before = _post(
        "made my first sourdough in a le creuset today and the crust could stop a bullet. nearly "
        "took the end of my thumb off with the bread knife. tastes great if you can get into it",
        who="Dougie McPherson",
        hours_ago=26,
    )
    after = _post(
        "wife reckons it's cos I left it in for an hour and ten minutes. ok fair. so how long is "
        "it actually meant to be in for, and is the lid on or off? asking for my thumb",
        who="Dougie McPherson",
        hours_ago=2,
    )
    results = _drafts(analyzer, before, after)
    assert results[-1].occasion == Occasion.ANSWER
    assert results[-1].knowledge_used == ["Thick, hard crust"] and "lid" in (
        results[-1].draft or ""
    )


def test_a_question_about_him_points_back_at_the_starter_they_named(
    analyzer,  # noqa: ANN001
) -> None:
    before = _post(
        "my sourdough starter (named Doughlas, obviously) smells EXACTLY like nail varnish "
        "remover and I'm fairly sure I've killed him. 3 weeks of work down the sink",
        who="Kirsty Baird",
        hours_ago=20,
    )
    after = _post(
        "update on doughlas: still alive-ish but the flat is baltic. he's sat on the worktop "
        "looking sorry for himself. what do I even do with him till then",
        who="Kirsty Baird",
        hours_ago=2,
    )
    results = _drafts(analyzer, before, after)
    assert "Sourdough starter smells of acetone" in results[-1].knowledge_used


def test_a_question_going_on_about_their_post_before_is_read_with_it(
    analyzer,  # noqa: ANN001
) -> None:
    # "is the prom going to be rammed?" names no route: the plan it goes on from does.
    workshop = _workshop()
    before = _post(
        "Family bike ride on Saturday! Thinking Silverknowes to Cramond along the prom, kids "
        "are 5 and 9",
        who="Ailsa Grant",
        hours_ago=26,
    )
    after = _post(
        "forecast has gone from grey to sunny for saturday 😎 is the prom going to be "
        "absolutely rammed? and are there toilets, the 5 year old cannot hold on",
        who="Ailsa Grant",
        hours_ago=2,
    )
    results = _drafts(analyzer, before, after, workspace=workshop)
    assert results[-1].occasion == Occasion.ANSWER
    assert results[-1].knowledge_used == ["Silverknowes to Cramond"]


def test_a_weekend_asked_about_finds_the_saturday_market_not_the_weekend_laptop_rule(
    analyzer,  # noqa: ANN001
) -> None:
    result = _draft(
        analyzer,
        _post(
            "new flat in leith, 4 of us, all skint, all sick of pasta. is there anywhere round "
            "here at the weekend to get decent street food and veg that isn't from the big tesco"
        ),
    )
    assert result.knowledge_used == ["Leith Market"]


def test_a_food_that_makes_them_poorly_is_a_need_not_harm_from_you(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@crumbandkettle my daughter can't have wheat, it just makes her really poorly. do "
        "you bake anything without wheat?",
    )
    assert "harm" not in (result.rationale or "")
    assert result.knowledge_used == ["Wheat-free and gluten-free"]


def test_thanks_said_for_a_wasted_trip_or_a_plea_to_be_phoned_is_read_as_meant(
    analyzer,  # noqa: ANN001
) -> None:
    wasted = _to_us(
        analyzer,
        "@crumbandkettle walked all the way from Stockbridge this morning cos Google says "
        "you're open Mondays. you're not. cheers for that 👍",
    )
    assert wasted.occasion == Occasion.COMPLAINT and "finding us shut" in (wasted.draft or "")
    phone = _to_us(
        analyzer,
        "@crumbandkettle the cake for tomorrow's wedding still isn't confirmed. someone "
        "please phone me",
    )
    assert phone.occasion == Occasion.NEEDS_PERSON and not phone.draft


def test_lost_toys_bikes_to_hold_or_box_their_own_jobs_groups_and_visits_are_for_a_person(
    analyzer,  # noqa: ANN001
) -> None:
    for text in (
        "@crumbandkettle long shot but was a wee knitted blue giraffe found on Saturday? "
        "answers to Raffy. bedtime has been a war zone since",
        "Hello Crumb & Kettle! I teach P3 in Leith. Any chance at all of bringing a small group "
        "of six children to watch bread being made one morning?",
        "@crumbandkettle just checked and his birthday is THURSDAY not next week. any chance "
        "you could do one for Thursday afternoon?",
    ):
        result = _to_us(analyzer, text)
        assert result.occasion == Occasion.NEEDS_PERSON and not result.draft, (text, result)
    workshop = _workshop()
    for text in (
        "@northsidecycles is the green step-through in your window still for sale? any way "
        "you'd hang onto it till Friday if I sent you a bit of money tonight?",
        "@northsidecycles found a frame builder in Glasgow who'll fix the crack. Could you box "
        "the bike up for me so I can courier it through? happy to pay",
        "@northsidecycles dropped my tourer this morning for the full service, got a voicemail "
        "about a part but it cut out. I need it by Thursday, is that doable?",
        "@northsidecycles sorry I missed your call about my bike, if it's the cassette then go "
        "ahead, but roughly how much?",
        "@northsidecycles bought the blue Raleigh refurb from you in August and the gears clunk "
        "now. is that covered by the adjustments thing?",
        "Hi Northside Cycles! Would it be alright if we brought around 10 cubs and their bikes "
        "to your Fix-It Night? We'd bring 3 leaders.",
        "@northsidecycles my handbike chain keeps coming off and getting to Canonmills is the "
        "problem. Any chance a mechanic could come out to me in Broughton?",
    ):
        result = _to_us(analyzer, text, workspace=workshop)
        assert result.occasion == Occasion.NEEDS_PERSON and not result.draft, (text, result)


def test_good_news_after_a_cake_that_sank_is_celebrated(analyzer) -> None:  # noqa: ANN001
    sank = _post(
        "Mum's 70th tomorrow. Made the sponge myself and it's sunk in the middle like a "
        "paddling pool. 11pm. Everything's shut. Why am I like this",
        who="Gail Ross",
        hours_ago=30,
    )
    saved = _post(
        "UPDATE: filled the crater with strawberries and cream and called it a design choice. "
        "Mum cried (good tears) and asked for the recipe",
        who="Gail Ross",
        hours_ago=4,
    )
    result = _drafts(analyzer, sank, saved)[-1]
    assert result.occasion == Occasion.CELEBRATE_OUTCOME
    assert result.draft and "strawberries" in result.draft and "update" not in result.draft.lower()


def test_a_wait_told_to_the_business_with_a_question_is_a_complaint_about_the_wait(
    analyzer,  # noqa: ANN001
) -> None:
    workshop = _workshop()
    post = _post(
        "@northsidecycles 'puncture repairs while you wait, usually 20 minutes' - waited 55 "
        "minutes on saturday, nobody said it'd be longer, missed my train. the repair itself "
        "was fine. just tell people if there's a queue?",
        summons_business=True,
    )
    result = _drafts(analyzer, post, workspace=workshop)[-1]
    assert result.occasion == Occasion.COMPLAINT and not result.knowledge_used
    assert result.draft and "sorry" in result.draft and "repair" not in result.draft


def test_another_place_of_the_same_name_is_not_the_one_the_knowledge_knows(
    analyzer,  # noqa: ANN001
) -> None:
    result = _draft(
        analyzer,
        _post(
            "does anyone know if Leith Library is open on Saturdays again? need to print a "
            "boarding pass and my printer has chosen this week to die"
        ),
    )
    assert "Leith Market" not in result.knowledge_used and not result.draft


def test_a_reminder_only_the_intent_reader_calls_a_milestone_is_not_congratulated(
    analyzer,  # noqa: ANN001
) -> None:
    result = _draft(
        analyzer,
        _post(
            "reminder that the council consultation on the Ferry Road lane closes on Friday. "
            "takes 6 minutes. if you've ever been close passed by a bus, fill it in"
        ),
    )
    assert result.occasion != Occasion.CONGRATULATE and not result.draft


def test_what_they_say_is_no_complaint_gets_no_apology(analyzer) -> None:  # noqa: ANN001
    result = _draft(
        analyzer,
        _post(
            "Hi Crumb & Kettle, Graham here from the Leith community fridge. The bread hasn't "
            "come the last two evenings. No complaint at all, you've been brilliant, just want "
            "to know if something's changed so we can plan. Cheers",
            who="Graham Laidlaw",
        ),
    )
    assert result.occasion == Occasion.NEEDS_PERSON and not result.draft
    # "no complaints there. but…": a complaint, about what comes after
    icing = _to_us(
        analyzer,
        "@crumbandkettle collected my birthday cake yesterday. sponge was lovely, no "
        "complaints there. but the icing said 'Happy Birthday Dob'. not impressed",
    )
    assert "not a complaint" not in (icing.rationale or "")
    saddle = _to_us(
        analyzer,
        "@northsidecycles picked my bike up from its service tuesday. brakes and gears are "
        "lovely, no complaints there. but the saddle's been raised 3cm and there's grease all "
        "over my new bar tape. not impressed",
        workspace=_workshop(),
    )
    assert saddle.occasion == Occasion.COMPLAINT and "saddle" in (saddle.draft or "")
    assert "brakes" not in (saddle.draft or "")


def test_a_problem_with_the_bikes_age_in_it_is_not_congratulated(analyzer) -> None:  # noqa: ANN001
    result = _drafts(
        analyzer,
        _post(
            "Chain keeps slipping when I stand up on the pedals going up Inverleith Row, nearly "
            "put me into the top tube twice this week. Bike's about 4 years old and I've never "
            "changed anything on it apart from the tyres.",
            who="Struan Hay",
        ),
        workspace=_workshop(),
    )[-1]
    assert result.occasion != Occasion.CONGRATULATE
    assert "brilliant" not in (result.draft or "")


def test_a_monthly_event_on_christmas_day_is_for_a_person(analyzer) -> None:  # noqa: ANN001
    result = _drafts(
        analyzer,
        _post(
            "@northsidecycles is Fix-It Night still on in December? My boy wants to fix up his "
            "old bike himself over the holidays",
            who="Dave Lindsay",
            summons_business=True,
        ),
        workspace=_workshop(),
        now=datetime(2030, 12, 2, 8, 0, tzinfo=UTC),
    )[-1]
    assert result.occasion == Occasion.KNOWLEDGE_GAP and not result.draft
    assert "Christmas Day (Wednesday 25 December)" in (result.rationale or "")


COUNTER_ONLY = (
    "@crumbandkettle is it possible to put aside 2 Leith Loaves and a dozen cinnamon knots for "
    "Christmas Eve? we've got 14 coming",
    "@crumbandkettle long shot but did anyone find a wee knitted mitten this afternoon? Red with "
    "a white reindeer. Think it came off in the buggy.",
    "Hi Crumb & Kettle, I volunteer with the Tuesday food pantry at the church hall. Someone said "
    "you give your leftover bread away. Is there any way we could be included?",
    "@crumbandkettle think I left my prescription sunglasses on the windowsill by the window table "
    "today, black case with a puffin sticker. Any chance they've turned up?",
    "@crumbandkettle hi! could you do a wheat-free sponge for my son's 6th on saturday? around 20 "
    "kids. how do I order and what do you need from me",
    "Good morning Crumb & Kettle. I run the Thursday food larder at the church hall. A friend "
    "mentioned you pass unsold bread on. Would there be any chance of us getting some?",
    "@crumbandkettle that lemon cake in the window on Saturday, is it still there? I get paid "
    "Friday",
)


@pytest.mark.parametrize("text", COUNTER_ONLY)
def test_what_only_the_counter_can_settle_is_for_a_person(analyzer, text: str) -> None:  # noqa: ANN001
    """A thing put aside, a thing lost, an order, a favour, a thing in the window."""
    result = _to_us(analyzer, text)
    assert result.occasion == Occasion.NEEDS_PERSON and not result.draft


def test_a_diagnosis_of_what_they_cannot_eat_gets_the_answer(analyzer) -> None:  # noqa: ANN001
    result = _draft(
        analyzer,
        _post(
            "My partner got diagnosed coeliac last month and is mourning bread like a lost "
            "relative. Is there anywhere in Leith baking proper gluten free loaves?"
        ),
    )
    assert result.draft and "coeliac" in result.draft
    assert result.knowledge_used == ["Wheat-free and gluten-free"]


def test_a_complaint_that_asks_is_owned_and_answered_in_one_reply(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@crumbandkettle tried to come in with Hamish on Sunday (very small, very polite "
        "terrier) and the lad at the till said dogs had to wait outside. In the rain. Thought "
        "you were dog friendly?? bit gutted tbh",
    )
    assert result.occasion == Occasion.COMPLAINT
    assert result.knowledge_used == ["Dogs welcome"]
    draft = result.draft or ""
    assert "sorry" in draft and "welcome inside" in draft
    assert draft.index("sorry") < draft.index("welcome inside")
    # disappointment in themselves is no complaint about the business
    missed = _to_us(analyzer, "@crumbandkettle gutted I missed the bread clinic! When's the next?")
    assert missed.occasion != Occasion.COMPLAINT


def test_thanks_said_last_is_thanks_whatever_the_story_before_it(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@crumbandkettle the lad with the beard who chased me halfway down the Shore in the rain "
        "with my bank card this morning — absolute hero. I'd not have noticed till I got to the "
        "till at Tesco. Thank you!!",
    )
    assert result.occasion == Occasion.THANKS
    assert "sorry" not in (result.draft or "").lower()


def test_a_pass_told_with_old_nerves_is_congratulated(analyzer) -> None:  # noqa: ANN001
    result = _drafts(
        analyzer,
        _post(
            "Passed my cycle instructor assessment this afternoon 🥳 From September I'll be "
            "taking P6s out on actual roads round Broughton. Four years ago I was too scared to "
            "ride past a parked car. Not sure who's more nervous, me or the parents.",
            who="Moira Grant",
        ),
        workspace=_workshop(),
    )[-1]
    assert result.occasion == Occasion.CONGRATULATE
    assert "sounds hard" not in (result.draft or "")


def test_a_place_to_sit_with_the_dog_is_not_answered_with_a_walk(analyzer) -> None:  # noqa: ANN001
    result = _draft(
        analyzer,
        _post(
            "Landlord's sending the gas folk round on Wednesday and they've said 'sometime between "
            "8 and 4', so I'm being evicted from my own flat for the day. Need somewhere down the "
            "Shore where I can plug the laptop in and sit for a good few hours, and Pippa (elderly "
            "lurcher, sheds like it's a competitive sport) will have to come too. Leaving her in "
            "the flat with strangers and a boiler is not happening.",
            who="Morven Kilpatrick",
        ),
    )
    # the café's laptop rule with the dog-friendly walkway beside it answers another question
    assert "Water of Leith walkway" not in result.knowledge_used


def test_a_repair_gone_wrong_told_to_the_workshop_is_a_complaint(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@northsidecycles dropped my bike at 9.30 Tuesday like I was told for a basic service, "
        "phoned at 5 to check, told it 'wasn't looked at yet'. Nobody called me. Had to get two "
        "buses home. Not impressed.",
        workspace=_workshop(),
    )
    assert result.occasion == Occasion.COMPLAINT and "sorry" in (result.draft or "")
    # a bill bigger than the booking is still for a person: only someone can go through it
    bill = _to_us(
        analyzer,
        "Booked in a basic service for today, £45 on the website. Got a bill for £138 when I "
        "picked it up. Nobody phoned me. Not impressed.",
        workspace=_workshop(),
    )
    assert bill.occasion == Occasion.NEEDS_PERSON


def test_praise_said_with_a_sneer_is_not_congratulated(analyzer) -> None:  # noqa: ANN001
    result = _drafts(
        analyzer,
        _post(
            "Three years of roadworks on Leith Walk and the shiny new cycle lane ends, and I "
            "cannot stress this enough, directly in a bus stop. Someone got an award for this. "
            "A masterpiece.",
            who="Dougal Reid",
        ),
        workspace=_workshop(),
    )[-1]
    assert result.occasion != Occasion.CONGRATULATE and not result.draft


def test_news_told_after_a_long_first_sentence_is_named(analyzer) -> None:  # noqa: ANN001
    result = _drafts(
        analyzer,
        _post(
            "I'm 61 and until this February I had never ridden a bike. My grandson has been "
            "teaching me in Inverleith Park. Today I rode the whole Warriston path to Trinity and "
            "back without stopping or falling off once. I could have cried",
            who="Irene Shaw",
        ),
        workspace=_workshop(),
    )[-1]
    assert result.occasion == Occasion.CONGRATULATE
    assert "Warriston path" in (result.draft or "") and "had never!" not in (result.draft or "")


def test_a_place_they_have_had_enough_of_is_not_suggested(analyzer) -> None:  # noqa: ANN001
    result = _draft(
        analyzer,
        _post(
            "mum and dad up from Carlisle for Easter with the spaniel. dad's knees are shot so "
            "nothing with hills or steps, and I am NOT doing another lap of the Links, we've done "
            "the Links to death. somewhere we can actually walk for an hour and the dog gets a "
            "good sniff about. Leith folk help me out",
            who="Shona Kerr",
        ),
    )
    assert "Leith Links" not in result.knowledge_used
    assert result.knowledge_used == ["Water of Leith walkway"]


def test_what_a_route_question_turns_on_must_be_in_the_answer(analyzer) -> None:  # noqa: ANN001
    result = _draft(
        analyzer,
        _post(
            "thinking of taking the kids (8 and 10) on their bikes from the Shore along the Water "
            "of Leith path to Dean Village on Sunday. everyone says it's lovely and flat for "
            "walking but is it actually ok to cycle on??",
            who="Leanne Moir",
        ),
    )
    # the walkway snippet says flat and buggy-friendly, nothing of bikes: a person answers
    assert result.occasion == Occasion.KNOWLEDGE_GAP and not result.draft
    assert "says nothing about cycle, which their question turns on" in (result.rationale or "")
    asked_outright = _draft(
        analyzer,
        _post(
            "Can you cycle the Water of Leith walkway from the Shore with a bike trailer? I know "
            "it's flat, I've pushed the buggy along it loads.",
            who="David Laing",
        ),
    )
    assert asked_outright.occasion == Occasion.KNOWLEDGE_GAP and not asked_outright.draft
