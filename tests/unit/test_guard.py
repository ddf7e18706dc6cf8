import pytest

from ingest.service import sample_workspace
from suggest import guard

CONTEXT = guard.GuardContext(
    post_text="My sourdough starter smells like nail polish remover. Is it dead?",
    recent_texts=["Long run along the Water of Leith today."],
    knowledge_texts=[
        "A starter that smells like nail polish remover is hungry: feed it twice a day "
        "for two days and keep it around 24°C.",
        "We are open Tuesday to Sunday, 7:30 to 16:00.",
    ],
    person_names=["Maria", "maria@mastodon.scot"],
    own_products=["Leith Loaf"],
    banned_phrases=["limited time"],
    max_chars=280,
)


def test_a_helpful_grounded_reply_passes() -> None:
    draft = (
        "Good question, Maria! A starter that smells like nail polish remover is hungry: "
        "feed it twice a day for two days and keep it around 24°C. How is it looking now?"
    )
    verdict = guard.check(draft, CONTEXT)
    assert verdict.passed, verdict.reasons


@pytest.mark.parametrize(
    ("draft", "reason"),
    [
        ("Maria, you should visit our shop! https://crumb.example/loaves", "link"),
        ("Maria, try our Leith Loaf instead, you'll love it.", "own product"),
        ("Sorry Maria! Use code SAVE10 for 10% off your next loaf.", "discount"),
        ("Maria, DM us and we will sort you out!", "call to action"),
        ("Hope you feel better, Maria #sourdough #bakery", "hashtag"),
        ("We think our bakery and our team and our flour are the best, Maria.", "talks about us"),
        ("Maria, a loaf is only £4 with us.", "price"),
        ("Hope it's going well with the starter. Limited time to save it!", "call to action"),
        ("I fed my starter and I think mine is fine now.", "speaks as the person"),
        ("So glad! We'd love to see you at the café sometime.", "call to action"),
        ("Maria, Jenny at Rua Augusta bakery can help you.", "ungrounded"),
        ("Maria, feed it 3 times a day at 30°C and you'll be fine.", "ungrounded number"),
        ("Maria " + "you " * 80, "too long"),
    ],
)
def test_promotional_or_ungrounded_drafts_are_blocked(draft: str, reason: str) -> None:
    verdict = guard.check(draft, CONTEXT)
    assert not verdict.passed
    assert any(reason in r for r in verdict.reasons), verdict.reasons


def test_a_price_is_fine_when_the_person_asked_about_it() -> None:
    context = CONTEXT.model_copy(
        update={
            "post_text": "How much is a loaf at your place?",
            "knowledge_texts": ["A sourdough loaf costs £4.50."],
        }
    )
    verdict = guard.check("Hi Maria! A sourdough loaf costs £4.50. Hope you enjoy it!", context)
    assert verdict.passed, verdict.reasons


def test_echoing_the_post_back_is_not_a_reply() -> None:
    draft = "Maria: my sourdough starter smells like nail polish remover. Is it dead? You decide."
    verdict = guard.check(draft, CONTEXT)
    assert "repeats the post instead of replying to it" in verdict.reasons


def test_talking_about_the_business_is_fine_when_the_person_asked_about_it() -> None:
    draft = "Hi! We are open Tuesday to Sunday: we open at 7:30 and we close at 16:00."
    asked = guard.asked_about_business(
        "@crumbandkettle are you open on Sundays?", ["crumbandkettle"]
    )
    not_asked = guard.asked_about_business("Lovely walk by the sea today.", ["crumbandkettle"])
    # asking where to find a decent coffee is asking for a place like ours
    where = guard.asked_about_business(
        "where in Leith does a decent coffee and cake that she can get into?", ["crumbandkettle"]
    )
    assert asked and where and not not_asked
    context = CONTEXT.model_copy(update={"post_text": "@crumbandkettle open Sundays?"})
    assert guard.check(draft, context.model_copy(update={"asked_about_us": True})).passed
    blocked = guard.check(draft, context)
    assert any("talks about us" in r for r in blocked.reasons)


def test_the_learned_classifier_is_a_second_opinion_above_its_threshold() -> None:
    draft = "Good question, Maria! How is the starter looking today?"
    sure = CONTEXT.model_copy(update={"promotional_probability": 0.99})
    unsure = CONTEXT.model_copy(update={"promotional_probability": 0.6})
    assert "reads as promotional (classifier p=0.99)" in guard.check(draft, sure).reasons
    assert guard.check(draft, unsure).passed


# --- precise both ways: what the product owner measured ---------------------------------------

BAKERY = guard.GuardContext(
    post_text="My dough is really sticky and I can't shape it. Help!",
    knowledge_texts=[
        "We are open Tuesday to Sunday, 7:30 to 16:00, and closed on Mondays.",
        "Flat loaves are usually over-proofed or loosely shaped. The poke test: press the "
        "dough 1 cm deep; if the dent springs back slowly, it is ready to bake.",
        "For bread, use strong white bread flour with 12 to 13% protein.",
        "Leith Market runs on Saturdays from 10:00 to 16:00 at Dock Place.",
        "A good first loaf: 500 g strong flour, 375 g water, 7 g dried yeast and 10 g salt.",
    ],
    person_names=["Jamie Rae", "@jamierae"],
    own_products=["Leith Loaf", "Kettle Blend", "Crumb & Kettle"],
    helps_with=["baking bread at home, sourdough starters, flour and proofing"],
    business_names=["Crumb & Kettle", "crumb-and-kettle"],
    max_chars=500,
)


def _reasons(draft: str, **update: object) -> list[str]:
    return guard.check(draft, BAKERY.model_copy(update=update)).reasons


@pytest.mark.parametrize(
    ("draft", "update"),
    [
        ("Morning Jamie! Sticky dough is no fun. What flour are you using?", {}),
        ("Ah Jamie, that's the worst. How wet is the dough?", {}),
        ("Well done, Jamie! Where will you drive first?", {}),
        ("Ah Sam, that's the worst. How wet is the dough?", {"person_names": []}),
        (
            "¡Hola Ana! Qué bien que te animas. ¿Qué harina usas?",
            {"person_names": ["Ana"], "post_text": "¡Mi primer pan!", "language": "es"},
        ),
        (
            "Bom dia Joana! Que alegria. Que farinha usou?",
            {"person_names": ["Joana"], "post_text": "Primeira fornada!", "language": "pt"},
        ),
        # the person's own words are grounded
        ("Doughlene sounds like a character! How old is she?", {"post_text": "Doughlene is 3."}),
        # the writer is no name, even after a greeting
        ("Hi Jamie, I'll check with the team and come back to you.", {}),
    ],
)
def test_greetings_names_and_their_own_words_are_grounded(
    draft: str, update: dict[str, object]
) -> None:
    assert _reasons(draft, **update) == []


def test_a_greeting_with_a_name_that_is_not_theirs_is_ungrounded() -> None:
    assert "ungrounded name 'Dave'" in _reasons("Morning Dave! How is the dough?")


def test_spanish_capitals_are_not_names_but_clear_name_patterns_are() -> None:
    spanish = {"person_names": ["Ana"], "post_text": "¿Qué harina uso?", "language": "es"}
    assert _reasons("¡Hola Ana! ¿Qué tal? Prueba con harina de fuerza.", **spanish) == []
    invented = _reasons("Prueba la harina que usan en Panadería Ruiz.", **spanish)
    assert "ungrounded name 'Panadería Ruiz'" in invented


@pytest.mark.parametrize(
    "draft",
    [
        "Leith Market is on Saturday from 10:00 at Dock Place. Is that a day that suits you?",
        "Leith Market runs Sat 10:00 to 16:00 at Dock Place. Are you after anything?",
        "Leith Market on Saturday's a good shout for you. What are you after?",
        "Have a lovely Wednesday, and let us know how the dough behaves!",
    ],
)
def test_days_match_whatever_their_form(draft: str) -> None:
    assert _reasons(draft, post_text="Anything on in Leith this weekend?") == []


def test_a_day_is_grounded_only_by_what_is_known_of_it() -> None:
    asked = {"post_text": "@crumbandkettle open midweek?", "asked_about_us": True}
    assert _reasons("Yes, we're open on Wednesdays, 7:30 to 16:00.", **asked) == []
    assert _reasons("We're open every day except Monday, from 7:30.", **asked) == []
    assert _reasons("Leith Market is on Saturdays; we're open Sunday too.", **asked) == []
    assert "ungrounded name 'Sundays'" in _reasons("Leith Market runs on Sundays too.")
    contradicted = _reasons("Yes, we're open on Mondays from 7:30!", **asked)
    assert "ungrounded claim about the business ('open' on monday)" in contradicted


@pytest.mark.parametrize(
    "draft",
    [
        "Sticky dough often just needs time: rest it 30 minutes, then wet your hands. Better?",
        "Check the dough after 30 minutes; once it's doubled, shape it gently. How warm is it?",
        "Keep folding every 30 minutes until it clicks. What hydration are you at?",
        "Pop it in the fridge for 1 hour and it will be easier to shape. Does that help?",
        "Try 70% hydration and bake at 230°C. What flour are you using?",
    ],
)
def test_everyday_know_how_and_everyday_verbs_pass(draft: str) -> None:
    assert _reasons(draft) == []


@pytest.mark.parametrize(
    ("draft", "post", "reason"),
    [
        # know-how numbers outside what the business helps with
        ("Run 5 km three times a week at 150 bpm.", "Training for a 10k!", "ungrounded number"),
        ("Take 2 tablets every 4 hours.", "Knee surgery tomorrow.", "ungrounded number '2'"),
        # precise-looking invented figures, statistics
        ("Proof it for 37 minutes at 27°C.", "My dough is sticky.", "ungrounded number '37"),
        ("87% of bakers rest their dough.", "My dough is sticky.", "ungrounded number '87%'"),
        # a number that contradicts the knowledge
        ("Strong flour has 18% protein, so use it.", "Which flour?", "ungrounded number '18%'"),
        # a number about the business must be in its knowledge
        ("Rest it 30 minutes; we open at 8 if you want help.", "Sticky dough!", "number '8'"),
        ("Our loaves prove for 30 minutes. Yours?", "Sticky dough!", "number '30 minutes'"),
        # a figure is grounded with its unit, not by any matching digits
        ("Sorry! That happens with ovens older than 10 years.", "Burnt bread.", "'10 years'"),
        ("Wrap it and keep it for up to three weeks.", "Bread tips?", "'three weeks'"),
        # a product or a person nobody mentioned
        ("We bake a rhubarb tart every Saturday. Fancy it?", "Rhubarb?", "claim about the"),
        ("Ask for Fiona, she's brilliant with dough. Does that help?", "Dough?", "'Fiona'"),
    ],
)
def test_invented_facts_are_ungrounded(draft: str, post: str, reason: str) -> None:
    reasons = _reasons(draft, post_text=post)
    assert any(reason in r for r in reasons), reasons


@pytest.mark.parametrize(
    "draft",
    [
        "Well done! If you want more ideas, click the link in our profile.",
        "Lovely! Check out our new sourdough range, you'll love it.",
        "So glad! Pop in and see us, Jamie.",
        "Come by for a coffee some time, Jamie!",
        "Next time you're passing, our window is worth a look, Jamie.",
        "Welcome, Jamie! We'd love to have you, drop in any time.",
        "Sounds fun, Jamie! You should try our sourdough next.",
        "Leith Loaves never go flat, Jamie, just saying.",
        "A cup of KETTLE BLEND would sort you right out, Jamie.",
        "Come find us on the Shore, Jamie.",
        "Leith Links is flat. Grab your bread from us on the way, Jamie.",
        "¡Enhorabuena! Pásate por la panadería, te encantará.",
    ],
)
def test_calls_to_action_and_soft_sells_are_blocked_when_nobody_asked(draft: str) -> None:
    assert not guard.check(draft, BAKERY).passed


def test_coming_by_is_fine_when_they_asked_where_or_when_to_come() -> None:
    draft = "Of course! Come by any time from 7:30, Jamie."
    asked = BAKERY.model_copy(
        update={"post_text": "@crumbandkettle can I pop in on Saturday?", "asked_about_us": True}
    )
    assert guard.check(draft, asked).passed, guard.check(draft, asked).reasons
    assert not guard.check(draft, BAKERY).passed


@pytest.mark.parametrize(
    "draft",
    [
        "It's two for one on scones this week, Jamie!",
        "2 for 1 on loaves today, Jamie.",
        "Free coffee with any loaf, Jamie!",
        "Show this for 10 percent off, Jamie.",
        "Everything's half price after 2pm, Jamie.",
        "Buy one get one on croissants, Jamie!",
        "Your first cake is on the house, Jamie.",
        "Your second coffee is free, Jamie.",
        "Come back on a weekday, and your first coffee's on us, Jamie.",
    ],
)
def test_discounts_in_plain_words_are_blocked(draft: str) -> None:
    reasons = guard.check(draft, BAKERY).reasons
    assert any("discount" in r for r in reasons), reasons


def test_a_bake_sale_and_their_own_words_are_not_discounts() -> None:
    sale = BAKERY.model_copy(update={"post_text": "Running a school bake sale, tips?"})
    draft = "For a bake sale, traybakes travel well. How many are you baking for?"
    assert guard.check(draft, sale).passed, guard.check(draft, sale).reasons


def test_context_for_carries_the_workspace_topics_names_and_language() -> None:
    from core.models import Workspace

    workspace = Workspace(
        name="crumb-and-kettle",
        display_name="Crumb & Kettle",
        knowledge=[{"title": "t", "text": "We are open Tuesday to Sunday."}],
        own_products=["Leith Loaf"],
        banned_phrases=[],
        helps_with=["baking bread at home"],
    )
    context = guard.context_for(workspace, post_text="Hola", language="es")
    assert context.helps_with == ["baking bread at home"]
    assert context.language == "es"
    assert "Crumb & Kettle" in context.business_names


DOGS = BAKERY.model_copy(
    update={
        "post_text": "@crumbandkettle can I bring my spaniel in with me?",
        "asked_about_us": True,
        "knowledge_texts": [
            "Dogs are welcome inside; there is a water bowl by the door and nobody minds "
            "muddy paws.",
            "The café is on the ground floor with step-free access and an accessible toilet.",
        ],
    }
)


@pytest.mark.parametrize(
    "draft",
    [
        "Of course! Dogs are welcome inside, and we keep dog treats behind the counter for them.",
        "Yes, dogs are welcome, and there's a shaded garden out the back for him.",
        "Dogs are welcome inside, and there's plenty of free parking right outside the café.",
        "Yes, step-free too, and the staff are trained to help with transfers.",
        "Dogs are welcome! No butter or eggs in the dog biscuits either.",
    ],
)
def test_a_fact_about_the_business_in_plain_words_must_be_known(draft: str) -> None:
    reasons = guard.check(draft, DOGS).reasons
    assert any(r.startswith("ungrounded fact") for r in reasons), reasons


@pytest.mark.parametrize(
    "draft",
    [
        "Of course! Dogs are welcome inside, and there's a water bowl by the door.",
        "Bring him along: nobody minds muddy paws, and the café is step-free too.",
        "Sorry for the slow reply! Dogs are welcome inside, muddy paws and all.",
        "That's so kind, thank you! The team will be chuffed to hear it.",
        "Not sure about the garden, I'll check with the team and come back to you.",
        "There's no need to ask first: dogs are welcome inside.",
    ],
)
def test_known_facts_courtesies_and_the_writers_own_words_pass(draft: str) -> None:
    assert guard.check(draft, DOGS).passed, guard.check(draft, DOGS).reasons


def test_a_product_that_answers_a_request_for_a_place_is_not_a_sell() -> None:
    clinic = "On the first Saturday at 10:00 we run a free bread clinic: bring a loaf."
    context = BAKERY.model_copy(
        update={
            "post_text": "Loaves keep tearing. Anywhere I could take one to get it looked at?",
            "knowledge_texts": [clinic],
            "own_products": ["bread clinic"],
            "asked_about_us": True,
        }
    )
    draft = "On the first Saturday at 10:00 we run a free bread clinic: bring a loaf."
    assert guard.check(draft, context.model_copy(update={"answer_texts": [clinic]})).passed
    # Asking for a class is asking for a session like the business's.
    assert guard.asked_about_business("Any classes in Edinburgh for learning to bake bread?", [])
    # Not what answers the post (nor asked for a place like us): still named unasked.
    for unasked in (
        context,
        context.model_copy(update={"answer_texts": [clinic], "asked_about_us": False}),
    ):
        assert any("own product" in r for r in guard.check(draft, unasked).reasons)


def test_knowledge_said_again_in_other_words_is_grounded_but_not_turned_round() -> None:
    context = CONTEXT.model_copy(
        update={
            "post_text": "@crumbandkettle can I sit with my laptop at yours on a saturday?",
            "asked_about_us": True,
            "knowledge_texts": [
                "Laptops are welcome on weekdays; at weekends between 10:00 and 14:00 we keep "
                "tables free for people eating.",
                "Our kitchen handles wheat flour all day, so it's not safe for people with "
                "coeliac disease.",
            ],
        }
    )
    # "folk" for "people", and "after 2" for 14:00
    said_again = (
        "On Saturdays we keep tables free for folk eating between 10:00 and 14:00, so before 10 "
        "or after 2 works well."
    )
    assert guard.check(said_again, context).passed
    # the same words the other way round are an invented fact
    turned = "Our kitchen is completely safe for coeliacs, with a separate wheat-free corner."
    assert any("ungrounded" in r for r in guard.check(turned, context).reasons)
    # a time nobody gave is still caught
    invented = guard.check("Come after 3, we keep tables free for folk eating.", context)
    assert "ungrounded number '3'" in invented.reasons


def test_an_offer_to_make_it_unasked_is_a_sell_and_their_own_week_is_no_invented_day() -> None:
    news = CONTEXT.model_copy(update={"post_text": "WE GOT ENGAGED LAST NIGHT"})
    offer = "Congratulations! When you're planning the cake, we'd love to make it for you."
    assert any("invites them" in r for r in guard.check(offer, news).reasons)
    baker = CONTEXT.model_copy(
        update={"post_text": "i only bake on sundays, feeding daily is a pain"}
    )
    routine = "Feed it once a week and twice the day before you bake, so Saturdays are feeding day."
    assert guard.check(routine, baker).passed


def test_their_own_names_and_days_leave_a_day_of_their_week_ungrounded_by_nothing() -> None:
    baker = CONTEXT.model_copy(
        update={
            "post_text": "Baking once a week on Sundays now. Does Crumbledore need feeding daily?",
            "knowledge_texts": [
                "Keep the starter in the fridge and feed it once a week; take it out and feed it "
                "twice in the 24 hours before you bake."
            ],
        }
    )
    routine = (
        "Not if you bake weekly! Feed Crumbledore twice in the 24 hours before your Sunday bake, "
        "say Saturday morning and Saturday evening."
    )
    assert guard.check(routine, baker).passed, guard.check(routine, baker).reasons


def test_hours_in_words_and_a_business_that_does_it_asked_for() -> None:
    monday = CONTEXT.model_copy(
        update={
            "post_text": "@crumbandkettle are you open on Mondays? Want to bring my mum",
            "asked_about_us": True,
            "knowledge_texts": ["We are open Tuesday to Sunday, 7:30 to 16:00."],
        }
    )
    hours = "We're open Tuesday to Sunday, half seven till four, if another day works for her."
    assert guard.check(hours, monday).passed, guard.check(hours, monday).reasons
    assert guard.asked_about_business("Need a wheat-free cake. Anyone in Leith do one?", [])
    assert not guard.asked_about_business("Anyone else do this every morning? Just me?", [])


def test_an_hour_of_the_day_is_grounded_by_a_time_not_by_the_same_number_as_a_price() -> None:
    laptops = CONTEXT.model_copy(
        update={
            "post_text": "@crumbandkettle can I work from yours on a Saturday with my laptop?",
            "asked_about_us": True,
            "knowledge_texts": [
                "Laptops are welcome on weekdays; at weekends between 10:00 and 14:00 we keep "
                "tables free for people eating.",
                "Puncture repairs cost £12.",
            ],
        }
    )
    assert guard.check("Laptops are welcome at weekends after 2, Maria.", laptops).passed
    invented = guard.check("Laptops are fine at weekends after 12, Maria.", laptops)
    assert any("'12'" in r for r in invented.reasons), invented.reasons


def test_a_price_is_grounded_by_a_price_and_a_closing_time_is_no_closed_day() -> None:
    clinic = CONTEXT.model_copy(
        update={
            "post_text": "@crumbandkettle does the bread clinic cost anything?",
            "asked_about_us": True,
            "knowledge_texts": [
                "The walkway is about 5 km one way.",
                "The next bread clinic is on Saturday 5 December.",
            ],
        }
    )
    invented = guard.check("Hi Maria, it's £5 on the door, no booking needed.", clinic)
    assert any("ungrounded number" in r for r in invented.reasons), invented.reasons
    saturday = CONTEXT.model_copy(
        update={
            "post_text": "@crumbandkettle how late are you open on saturdays? train at 4:30",
            "asked_about_us": True,
            "knowledge_texts": [
                "We are open Tuesday to Sunday, 7:30 to 16:00, and closed on Mondays."
            ],
        }
    )
    closing = "Hi Maria, we close at 4 on Saturdays, so you'll make the 4:30 comfortably."
    assert guard.check(closing, saturday).passed, guard.check(closing, saturday).reasons
    monday = guard.check("Hi Maria, we close at 4 on Mondays.", saturday)
    assert any("'open' on monday" in r for r in monday.reasons), monday.reasons


def test_a_day_they_named_is_not_grounded_when_the_knowledge_gives_that_thing_other_days() -> None:
    market = CONTEXT.model_copy(
        update={
            "post_text": "is leith market on sundays too? only day I'm free",
            "knowledge_texts": [
                "Leith Market runs on Saturdays from 10:00 to 16:00 at Dock Place.",
                "On Fridays we bake a buckwheat and rice loaf with no wheat.",
            ],
        }
    )
    wrong = guard.check("Maria, yes, it runs Saturday and Sunday at Dock Place.", market)
    assert any("Sunday" in r for r in wrong.reasons), wrong.reasons
    right = "Sorry Maria, it's not on Sundays: Saturdays only, at Dock Place."
    assert guard.check(right, market).passed, guard.check(right, market).reasons
    loaf = guard.check("Maria, the buckwheat and rice loaf comes out on Thursdays.", market)
    assert any("Thursdays" in r for r in loaf.reasons), loaf.reasons
    assert guard.check("Maria, the buckwheat and rice loaf is baked on Fridays.", market).passed
    two_for_one = "Bring a friend: it's two loaves for the price of one on clinic days, Maria."
    assert any("discount" in r for r in guard.check(two_for_one, market).reasons)


def test_the_business_description_holidays_and_more_greetings_name_nothing_new() -> None:
    context = guard.context_for(
        sample_workspace(),
        post_text="@crumbandkettle are you open on Boxing Day? family in from Canada",
        summons_business=True,
        person_names=["Tomasz"],
    )
    for reply in (
        "Cześć Tomasz! I don't have the Christmas hours yet, so I'll find out and let you know.",
        "Tomasz, I'll check which Edinburgh bakeries open on Boxing Day and let you know.",
    ):
        assert guard.check(reply, context).passed, (reply, guard.check(reply, context).reasons)
    scones = guard.context_for(
        sample_workspace(), post_text="Scones with the kids. What temp? last lot were pale"
    )
    fan = "A hot oven is the trick: about 220°C (200 fan) for 10 to 12 minutes."
    assert guard.check(fan, scones).passed, guard.check(fan, scones).reasons


def test_what_they_asked_for_and_what_the_writer_will_do_invent_nothing() -> None:
    workspace = sample_workspace()
    first_time = guard.context_for(
        workspace,
        post_text="@crumbandkettle first time coming in tomorrow, what should I get?",
        summons_business=True,
        person_names=["Hamish"],
    )
    products = "Welcome, Hamish. If you've a sweet tooth, try a cinnamon knot."
    assert guard.check(products, first_time).passed, guard.check(products, first_time).reasons
    unasked = guard.context_for(
        workspace, post_text="first time in Leith tomorrow, any tips?", person_names=["Hamish"]
    )
    assert not guard.check(products, unasked).passed
    stale = guard.context_for(
        workspace,
        post_text="@crumbandkettle bought a cinnamon knot yesterday and it was stale.",
        summons_business=True,
        person_names=["Craig"],
    )
    passed_on = (
        "Sorry, Craig, a stale knot isn't what you should get from us. I'll pass this straight "
        "to the bakers so they can find out what went wrong that morning."
    )
    assert guard.check(passed_on, stale).passed, guard.check(passed_on, stale).reasons
    away = guard.context_for(
        workspace,
        post_text="back from a fortnight away and the starter smells like nail varnish. rip?",
        person_names=["Shona"],
    )
    starving = "Not rip at all, Shona: it's just starving after two weeks on its own."
    assert guard.check(starving, away).passed, guard.check(starving, away).reasons
    shaping = guard.context_for(
        workspace,
        post_text="@crumbandkettle how do you even shape cinnamon knots?? mine look like worms",
        summons_business=True,
        person_names=["Isla"],
    )
    how = (
        "Isla, roll the dough into strips, twist each one, tie it loosely and tuck the ends under."
    )
    assert guard.check(how, shaping).passed, guard.check(how, shaping).reasons


def test_saying_it_honestly_is_no_fact_about_the_business() -> None:
    coeliac = guard.context_for(
        sample_workspace(),
        post_text="I'm coeliac and visiting Edinburgh next week. Are there any safe bakeries in "
        "Leith?",
        person_names=["Chloe"],
    )
    reply = (
        "Hi Chloe, honest answer from us: our buckwheat and rice loaf has no wheat in it, but "
        "our kitchen handles wheat flour all day, so it isn't safe for coeliacs."
    )
    assert not any("honest answer" in r for r in guard.check(reply, coeliac).reasons)
    # and nothing else in it is invented: it goes out as written
    assert guard.check(reply, coeliac).passed, guard.check(reply, coeliac).reasons


def test_a_method_verb_says_nothing_of_the_business_but_getting_there_or_buying_does() -> None:
    buggy = guard.context_for(
        sample_workspace(),
        post_text="@crumbandkettle any tips for visiting with a buggy?",
        summons_business=True,
        person_names=["Ana"],
    )
    for invented in (
        "Add a coffee for a pound more, Ana.",
        "Cut through the garden at the back, Ana: there's a side door for buggies.",
    ):
        assert not guard.check(invented, buggy).passed, invented


def test_their_name_is_no_unknown_fact_and_the_best_of_us_is_not_the_business() -> None:
    asked = {"post_text": "@crumbandkettle are you open weds?", "asked_about_us": True}
    assert not _reasons("We are, Jamie: Wednesday's a normal day, 7:30 to 16:00.", **asked)
    thanks = {
        "post_text": "@crumbandkettle staff were so kind during my wee one's meltdown",
        "asked_about_us": True,
    }
    assert not _reasons(
        "That's kind of you to say, Jamie. Meltdowns happen to the best of us.", **thanks
    )


def test_a_figure_the_knowledge_gives_otherwise_is_caught() -> None:
    post = {"post_text": "total beginner, simplest loaf recipe?"}
    wrong = _reasons(
        "Start with 500 g strong flour, 300 g water, 7 g dried yeast, 10 g salt.", **post
    )
    assert any("300 g" in r for r in wrong)
    # another recipe's water is its own; the end of an everyday range is everyday too
    assert not _reasons("For soda bread: 500 g plain flour and about 400 ml buttermilk.", **post)
    assert not _reasons("Leave the no-knead dough 12 to 14 hours, then bake.", **post)


def test_a_monthly_day_an_hour_or_a_yes_nobody_gave_is_caught() -> None:
    clinic = {
        "post_text": "is the bread clinic this saturday or next?",
        "knowledge_texts": ["The bread clinic runs on the first Saturday of each month at 10:00."],
    }
    assert any(
        "second saturday" in r for r in _reasons("It's the second Saturday, Jamie.", **clinic)
    )
    assert not _reasons("It's the first Saturday of the month, Jamie.", **clinic)
    assert any(
        "'12'" in r
        for r in _reasons(
            "Fine at weekends, Jamie: we only ask for tables back between 12 and 2.",
            post_text="@crumbandkettle laptop ok on sunday?",
            asked_about_us=True,
        )
    )
    wifi = _reasons(
        "We do, Jamie: the password's by the till.",
        post_text="@crumbandkettle do you have wifi?",
        asked_about_us=True,
    )
    assert any("wifi" in r for r in wifi)


@pytest.mark.parametrize(
    "draft",
    [
        "Payday can't come soon enough. Mention this post and we'll knock a quid off.",
        "Have a lovely day, Jamie. We're on the Shore if you need a sit and a coffee after.",
        "One step at a time, Jamie. If you'd rather not bake, we do celebration cakes.",
    ],
)
def test_soft_sells_in_other_words_are_caught(draft: str) -> None:
    assert _reasons(draft, post_text="going to leith market saturday, skint til payday")


def test_a_post_said_to_the_business_may_be_answered_about_it_and_courtesies_state_nothing() -> (
    None
):
    assert guard.asked_about_business("can i work from yours on a saturday?", ["Crumb & Kettle"])
    assert guard.asked_about_business("is your gluten free loaf safe for her?", [])
    assert not guard.asked_about_business("my loaf is flat again, any tips?", [])
    clinic = {
        "post_text": "do you need to book for the bread clinic? coming through from Fife",
        "knowledge_texts": ["The bread clinic is free, no booking needed."],
    }
    assert not _reasons("No booking needed, Jamie. Safe trip over the bridge.", **clinic)
    thanks = {"post_text": "thank you whoever bakes the Leith Loaf 🙏", "asked_about_us": True}
    assert not _reasons("That's lovely to hear, and we'll pass it on to the bakers.", **thanks)


def test_the_business_is_named_however_people_type_it() -> None:
    names = ["Crumb & Kettle", "crumb-and-kettle"]
    for post in (
        "meeting my pal at Crumb and Kettle on tuesday",
        "crumb & kettle does the best scones",
        "Crumb&Kettle again this morning",
    ):
        assert guard.names_business(post, names), post
        assert guard.asked_about_business(post, names), post
    assert not guard.names_business("a crumb on the kettle", names)


def test_the_business_named_in_part_is_named_in_part() -> None:
    names = ["Northside Cycles", "northside-cycles"]
    assert guard.names_part_of_business("Booked a service at Northside for Thursday", names)
    assert guard.names_part_of_business("maybe northside? they do second-hand ones", names)
    assert not guard.names_business("Booked a service at Northside for Thursday", names)
    # a word of the name under five letters, or a word merely like it, is not the name
    assert not guard.names_part_of_business("the north side of the Links", ["Nor Side Cafe"])
    assert not guard.names_part_of_business("cycling up the Mound", names)
