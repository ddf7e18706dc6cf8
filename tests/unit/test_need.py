"""What a post asks, and what its author already said matters."""

from analysis import text as text_signals
from suggest.need import read_need


def test_constraints_said_alongside_the_question() -> None:
    need = read_need(
        "Looking for somewhere good to take my gran for coffee and cake, she can't do stairs."
    )
    assert need.constraints == ["step-free"] and need.asks_for_place
    need = read_need("@cafe what time do you open on Sundays? Need a spot to work before a flight.")
    assert "laptop" in need.constraints and need.asks_when and need.days == ["sunday"]
    assert need.question == "@cafe what time do you open on Sundays?"


def test_the_subject_of_a_question_is_not_a_constraint() -> None:
    # "Do dogs need coats" asks about dogs; "with the dog" says the dog is coming along.
    assert read_need("Do dogs actually need winter coats?").constraints == []
    assert read_need("Any café that's fine with the dog?").constraints == ["dog"]


def test_no_question_no_question_sentence() -> None:
    need = read_need("Lovely walk on the beach today.")
    assert need.question is None and not need.constraints and not need.asks_for_place


def test_two_things_asked_in_one_sentence_are_read_as_two() -> None:
    need = read_need("@northsidecycles what does a service cost and do I need to book? ta")
    assert need.asks == ["@northsidecycles what does a service cost", "do I need to book?"]
    assert read_need("Where can I park? And is it busy on Saturdays?").asks == [
        "Where can I park?",
        "And is it busy on Saturdays?",
    ]
    # One question with an "and" inside it is one question.
    assert read_need("Is the path flat and quiet in the evening?").asks == []
    # Two ways out of one problem are one question ("… or do I just buy half loaves").
    assert read_need("Is there a trick to this or do I just buy half loaves").asks == []


def test_what_the_post_says_is_fine_does_not_steer_retrieval() -> None:
    need = read_need(
        "Why does my rye go stale so fast? The crust is fine when it's fresh, it's the crumb "
        "that dries out."
    )
    assert need.ruled_out == ["The crust is fine when it's fresh"]
    assert "crust" not in need.query.lower() and "crumb that dries out" in need.query
    # A part that goes on, a question, or everything they said is never set aside.
    assert read_need("Everything is fine except the crust, why so thick?").ruled_out == []
    assert read_need("Is the crust ok if it's this dark?").ruled_out == []
    lone = read_need("The starter is fine.")
    assert lone.ruled_out == [] and lone.focus == "The starter is fine."
    assert read_need("My starter isn't the problem, the oven is.").ruled_out == [
        "My starter isn't the problem"
    ]


def test_now_what_asks_for_the_next_step() -> None:
    need = read_need("Got a sourdough starter from a friend today. Now what 😅")
    # (naming nothing of its own, it goes with what they said before it)
    assert need.question == "Got a sourdough starter from a friend today. Now what 😅"
    assert read_need("Now what I really need is a nap.").question is None


def test_a_beginner_s_now_what_is_read_in_the_knowledge_s_words() -> None:
    # "Never made ... now what" asks for what beginners start with.
    need = read_need("Never made pastry in my life, just bought the butter. Now what")
    assert need.query.endswith("first beginners")
    # "Now what" after a problem asks what to do next, not for a first step.
    assert "beginners" not in read_need("Starter smells of nail varnish. Now what").query


def test_where_to_take_something_to_be_looked_at_is_read_in_the_knowledge_s_words() -> None:
    need = read_need("Chain keeps slipping. Anywhere near Leith I can take it to get it checked?")
    assert need.asks_for_place and need.query.endswith("bring drop")
    # Taking something along is not asking where to take it.
    assert "bring" not in read_need("Can I take the dog on the Water of Leith path?").query
    assert "bring" not in read_need("Anywhere I can take my dog to swim near Leith?").query


def test_what_the_question_asks_of_an_answer_is_told_apart_from_what_is_said_beside_it() -> None:
    # "is the clinic ok for kids?" asks whether children can come: the answer must say so
    asked = read_need("is the bread clinic ok for kids? my 10yo wants to bring her loaf")
    assert asked.constraints == ["children"] and asked.asked_constraint_words
    # "me + my 7yo" is who is coming: it matters, but the question is about the route
    beside = read_need("is there a traffic-free way to Newhaven? me + my 7yo on his first bike")
    assert beside.constraints == ["children", "no traffic"]
    # (the traffic-free way is what the question asks for)
    assert beside.asked_constraint_words == ["traffic"]


def test_where_does_a_decent_coffee_asks_for_a_place_and_its_day_counts() -> None:
    need = read_need(
        "right, where in Leith does a decent coffee and cake that she can get into? Sunday morning"
    )
    assert need.asks_for_place and need.day_words == "sunday"
    # a baking question that says where it went wrong is no request for a place
    assert not read_need("where did my cake go wrong? it sank in the middle").asks_for_place


def test_a_book_is_not_a_booking() -> None:
    assert read_need("Do I need to book for the clinic?").constraints == ["booking"]
    assert read_need("Can I book a table for six?").constraints == ["booking"]
    assert read_need("Best book you read this year?").constraints == []
    assert read_need(
        "Quiet spot to read?", context=["Book club picked a 700-page novel."]
    ).constraints == ["quiet"]


def test_everyday_words_that_are_no_constraint_or_place() -> None:
    # a question after the handle it is addressed to; a dog with adjectives before it
    dog = read_need("@crumbandkettle can I bring a very wet, very sandy spaniel in for a coffee")
    assert dog.question and dog.constraints == ["dog"]
    # a bike gone quiet is no wish for a quiet place; "where did I go wrong" asks for no place
    assert read_need("lovely and quiet for two days, now it's worse??").constraints == []
    assert read_need("Anyone know a quiet spot to read?").constraints == ["quiet"]
    assert not read_need("it's a frisbee. where did I go wrong").asks_for_place
    # "at close" asks no hours; a day they say of themselves is not the day they ask about
    pantry = read_need(
        "Do any Leith bakeries pass on their leftover bread at close? We're out by Thursday"
    )
    assert not pantry.asks_when and pantry.asks_for_place and pantry.day_words == ""


def test_a_dietary_need_asked_of_a_product_is_a_constraint_of_its_own() -> None:
    need = read_need("is the friday buckwheat loaf dairy free? my wee one can't have wheat")
    assert need.constraints == ["wheat-free", "other dietary needs"]
    assert len(need.asked_constraint_words) == 1 and "dairy" in need.asked_constraint_words[0]


def test_a_further_question_without_its_question_mark_is_asked_all_the_same() -> None:
    need = read_need(
        "@crumbandkettle hiya, I use a wheelchair, can I get in ok and is there a loo I can use? "
        "Also are you open Sundays, it's the only day my sister can take me out"
    )
    assert need.question and need.question.startswith("Also are you open Sundays")
    assert any("Sundays" in ask for ask in need.asks) and len(need.asks) >= 2
    # "Would love to set something up" says what they hope for; it asks nothing
    hope = read_need("Do local bakeries donate unsold bread? Would love to set something up.")
    assert hope.question == "Do local bakeries donate unsold bread?"
    # "can't find a hole anywhere" says what they tried; it asks nothing
    tried = read_need("is it normal for tyres to go soft?? pumped them up. can't find a hole")
    assert tried.question == "is it normal for tyres to go soft??" and not tried.asks


def test_a_price_asked_is_told_from_an_amount_to_use() -> None:
    assert read_need("how much would a celebration cake be for 25 folk?").asks_price
    assert read_need("what do you charge to service an e-bike?").asks_price
    assert not read_need("how much coffee am I meant to put in a cafetière?").asks_price


def test_who_does_it_and_someone_to_look_at_it_ask_for_a_place_like_the_business() -> None:
    need = read_need(
        "Fifth flat loaf. What I need is a human to look at the thing in person. Does anyone in "
        "Edinburgh do that?"
    )
    assert need.asks_for_place and need.query.endswith("bring drop")
    assert not read_need("Anyone else do this every morning?").asks_for_place


def test_a_sentence_that_only_starts_like_a_question_asks_nothing() -> None:
    assert read_need("Can't believe it's still pitch dark at 8am. Roll on spring.").question is None


def test_a_question_that_names_nothing_goes_with_the_sentence_before_it() -> None:
    pies = read_need("Looking for somewhere that could do 30 mince pies for the choir. Any ideas?")
    assert pies.question and "mince pies" in pies.question and pies.asks_for_place
    ebike = read_need("what do you charge to service an e-bike? same as a normal bike or more?")
    assert ebike.asks_price and ebike.question and ebike.question.startswith("what do you charge")


def test_a_day_said_before_a_request_for_a_place_is_not_the_day_asked_about() -> None:
    before = read_need(
        "down for the long weekend with the dog. looking for a long walk, then somewhere for a "
        "coffee that won't glare at a wet dog. recs?"
    )
    assert before.asks_for_place and before.day_words == ""


def test_what_a_question_chooses_between_or_turns_on_is_read() -> None:
    assert read_need("Outgrown his 20 inch. do we go 24 inch or straight to 26?").specifics == [
        "24",
        "26",
    ]
    swap = "can i swap half the white flour for wholemeal? does the water need to change?"
    assert read_need(swap).specifics == ["wholemeal"]
    legal = "Is a flashing front light actually legal? Mine does steady and flashing."
    assert read_need(legal).specifics == ["flashing", "front", "light"]
    # a plain question turns on nothing of that kind
    assert read_need("What flour should I use for bread?").specifics == []
    assert read_need("Is it ok to bring the dog?").specifics == []
    # "instead of" a thing used, not of something done
    assert read_need("what could I bind it with instead of eggs?").specifics == ["eggs"]
    taught = "Anywhere that actually teaches you instead of just taking the bike off you?"
    assert read_need(taught).specifics == []
    # whether one may do a thing there, whether there are things on it, whether anyone hires
    cycle = "everyone says it's lovely and flat for walking but is it actually ok to cycle on??"
    assert read_need(cycle).specifics == ["cycle"]
    gates = "are there any of those awful chicane barriers or narrow gates on it?"
    assert read_need(gates).specifics == ["barriers"]
    assert read_need("Does anyone hire bikes out around Canonmills?").specifics == ["hire"]


def test_asking_how_long_something_lasts_or_when_it_ends_is_read() -> None:
    assert read_need(
        "@crumbandkettle how long does the bread clinic go on on Saturday?"
    ).asks_how_long
    assert read_need("How long is it actually good for in the freezer?").asks_how_long
    assert read_need("what time does the market finish?").asks_how_long
    assert not read_need("How long do I bake it for?").asks_how_long
    assert not read_need("What time does the clinic start?").asks_how_long


def test_a_holiday_named_beside_whether_it_is_open_or_on_is_what_it_turns_on() -> None:
    assert read_need("@crumbandkettle are you open on Boxing Day?").specifics == ["boxing day"]
    fix_it = (
        "is fix-it night still on this month? last wednesday's the 29th, between christmas and "
        "new year, so wasn't sure if you'd be shut"
    )
    assert read_need(fix_it).specifics == ["christmas", "new year"]
    assert read_need("Merry Christmas all! Anyone know a good cafetière ratio?").specifics == []


def test_a_question_asked_without_its_mark_at_the_end_or_after_a_comma_is_read() -> None:
    for text, asked in (
        (
            "did the poke test thing. STILL a puddle. I need an actual human to look at one of "
            "these, is there anywhere in edinburgh that does that",
            "is there anywhere in edinburgh",
        ),
        ("soda bread tomorrow. we've got strong white and plain which one", "which one"),
        ("Somewhere flat with a loo at the far end 😂 Edinburgh folk, where", "Edinburgh folk"),
    ):
        assert text_signals.has_question(text), text
        assert asked in (read_need(text).question or ""), text
    # a statement that starts with "did", and "which one of you" mid-sentence, ask nothing
    assert (
        read_need("did the washing, fed the cat, which one of you ate the cheese").question is None
    )


def test_what_they_tried_to_no_avail_and_what_a_price_is_for_are_read() -> None:
    assert read_need("did the poke test thing, dent came back slowly. STILL a puddle").tried == [
        "poke test"
    ]
    assert read_need("did the bread clinic last month, loved it. when's the next?").tried == []
    assert "tandem" in read_need("is the £45 basic service the same price for a tandem?").specifics


def test_flat_is_level_ground_not_a_tyre_or_a_home() -> None:
    assert "flat" in read_need("looking for somewhere flat to walk with my dad?").constraints
    for text in (
        "back tyre went flat on the way home. can I just walk it in tomorrow?",
        "my flat is freezing, where can I walk to warm up?",
    ):
        assert "flat" not in read_need(text).constraints, text


def test_an_ask_word_said_last_asks_what_was_said_before_it() -> None:
    need = read_need(
        "Grandad wants a run out on Sunday. Somewhere flat, no cars, and a loo at the far end 😂 "
        "Edinburgh folk, where"
    )
    assert need.question is not None and need.question.startswith("Somewhere flat")


def test_is_that_something_asks_about_what_was_said_before() -> None:
    need = read_need("my e-bike motor keeps cutting out on hills. Is that something you'd look at?")
    assert need.question is not None and "motor" in need.question


def test_a_bill_bigger_than_the_quote_or_cash_only_is_said_beside_the_question() -> None:
    need = read_need(
        "@northsidecycles how much is a basic service? last shop quoted me £60 and handed me a "
        "bill for £175 at collection. only got cash on me too"
    )
    assert {"no surprise bills", "paying in cash"} <= set(need.constraints)
    # a second snippet may speak to them; the first answers the price asked
    assert need.leading_words == []
    assert "surprise" not in need.query and "contactless" not in need.query
    assert read_need("any café that's fine with the dog?").leading_words == ["dogs"]


def test_a_question_asked_after_a_comma_without_its_question_mark_is_asked() -> None:
    need = read_need(
        "bike nicked outside the tesco. cable lock cut clean through. getting a cheap one off "
        "marketplace this week, how do I stop this happening again because I cannot afford it"
    )
    assert need.question is not None and "how do I stop this happening" in need.question
    # Telling what they did is no question.
    assert read_need("got home, how I made it up the hill I'll never know.").question is None


def test_a_question_of_two_words_goes_with_the_question_before_it() -> None:
    # "northside maybe?" names only who might do it; the question is the one before.
    need = read_need(
        "my e-bike battery is dying after 10 miles. anyone know somewhere in north edinburgh "
        "that fixes or tests batteries? northside maybe?"
    )
    assert need.question is not None and "fixes or tests batteries" in need.question
    assert need.asks_for_place


def test_a_need_said_as_a_sigh_or_as_confusion_asks() -> None:
    lazier = read_need(
        "Six weeks into sourdough and I've adopted a pet that demands breakfast every morning, "
        "and I only bake on a Saturday. There must be a lazier way."
    )
    assert lazier.question is not None and "lazier way" in lazier.question
    confused = read_need(
        "Her mum says 20 inch but the website says 24 inch for 7-9. I'm confused and I don't "
        "want to get it wrong."
    )
    assert confused.question is not None
    # "need somewhere" said after "I" asks too
    assert read_need("I need somewhere flat near the Shore for the long runs.").question


def test_a_short_question_about_a_day_stays_its_own_question() -> None:
    # joined to the sentence before, it would ask for a place ("order a cake from …")
    need = read_need(
        "I meant to order a cake from crumb and kettle three weeks ago. is it too late for "
        "saturday??"
    )
    assert need.question == "is it too late for saturday??" and not need.asks_for_place


def test_the_days_a_question_names_are_read_apart_from_days_of_their_own_week() -> None:
    need = read_need(
        "We're out of loaves by Thursday every week. Is it mondays or tuesdays you're shut?"
    )
    assert need.asked_days == "monday tuesday"
    assert "thursday" in need.days and "thursday" not in need.asked_days
    assert read_need("Out of bread by Thursday. Anyone pass on their leftovers?").asked_days == ""


def test_a_choice_of_what_to_do_with_it_is_what_the_answer_turns_on() -> None:
    asked = "grey layer on top of the starter again. Pour it off or stir it back in??"
    assert read_need(asked).specifics == ["pour", "stir"]
    # (whether it does something is no choice of theirs)
    assert read_need("can you freeze it or does it go all weird?").specifics == []


def test_a_smell_said_to_be_fine_is_ruled_out() -> None:
    need = read_need("Grey layer on the starter, doesn't smell of anything weird. Stir it in?")
    assert need.ruled_out == ["doesn't smell of anything weird."]
