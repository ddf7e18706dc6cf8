"""Posts that must reach a person: possible crisis (self-harm, suicidal thoughts) and grief or
serious illness, read from the words, and the everyday posts that only sound like them."""

import pytest

from analysis import text

CRISIS = [
    "I don't see the point… might just end it",
    "Honestly everyone would be better off without me.",
    "I can't do this anymore.",
    "Some days I just want to disappear.",
    "There's no reason to keep going.",
    "Been thinking about ending it. Don't know who to tell.",
    "I want to kill myself and I don't know why I'm posting this",
    "Relapsed on self-harm after two years clean",
    "Feeling suicidal again tonight",
    "Nobody would even notice if I was gone",
    "I'm just a burden to everyone around me",
    "Wish I was dead tbh",
    "i dont want to be alive anymore",
    "Can't see a way out of this.",
    "What's the point of anything anymore",
    "I hope I don't wake up tomorrow",
    "Sat on the bridge for an hour tonight. Might just end it all.",
    "Tired of living like this",
    "No point in going on.",
    "Can't go on like this.",
    "I took too many pills, I'm scared",
    "The urge to hurt myself is really bad tonight",
    "Honestly gonna kms",
    "Don't know how much longer I can keep going",
    "I don't want to live anymore. Sorry.",
    "Life isn't worth living without her",
    "Ya no quiero vivir, estoy agotada",
    "Às vezes quero morrer",
    "Ich will nicht mehr leben.",
    # the warning signs told without a crisis word: giving away, a farewell, a sudden calm
    "Gave Dough Jones (the starter) to the girl downstairs today and the cat's going to my "
    "sister's. Wrote everyone a wee note. Feels like the first time in months I've been calm "
    "about anything.",
    "Gave the dog to my brother and put my affairs in order. Strangely calm.",
    # going somewhere high or deep, and not coming back
    "lost the job, lost the flat, she's gone. keep thinking about riding out to the Forth "
    "bridge and not riding back.",
    "giving away all my bike stuff, pump, stand, the lot, and the bike itself. thanks for "
    "all the wee chats at the counter over the years @northsidecycles",
]
NOT_CRISIS = [
    "Gave my old bike to my nephew today. He was thrilled.",
    "Thanks for all the chats over the years, see you at the reunion!",
    "Wrote everyone a wee note in their Christmas cards. Finally calm now the shopping's done.",
    "Moving to Glasgow: the cat's going to my mum's for a month. Wrote the landlord a letter.",
    "Might just end it with a pint at the Shore.",
    "Rode out to the Forth bridge and then not back till 9, legs wrecked.",
    "This traffic is killing me.",
    "I could die for a croissant right now",
    "Dead tired after the night shift.",
    "I don't see the point of sourdough when the bakery does it better",
    "Killing myself laughing at this dog video",
    "My legs are killing me after that hill",
    "Let's end it there, great session everyone",
    "Can't do this commute anymore, moving closer to town",
    "I want to disappear to a cabin in the Highlands for a week",
    "Finished the Suicide Squad rewatch, still rubbish",
    "Going to end it on a high: last day of term!",
    "Ending things with the gym. Cancelled my membership.",
    "That bridge walk was stunning tonight",
    "My phone is dying, brb",
    "Worth every penny, these pastries are to die for",
    "Nearly died of embarrassment at choir",
    "What's the point of a sandwich with no butter",
    "Career suicide to wear the Hibs scarf to the office",
    "Can't take the heat anymore, come back autumn",
    "I'm so done with this rain",
    "The burden of proof is on you, Steve",
    "The pills from the vet seem to be working, she's eating again",
    "Ran myself into the ground at parkrun, worth it",
    "Drowning in marking this weekend",
    "Ending the week with a cheeky bun",
    "Thinking about ending it with my boyfriend, he never texts back",
    "I want to die in a cottage by the sea aged 95",
    "Going to cut myself a big slice of that carrot cake",
    "Apparently the 22 bus does not exist on Sundays",
    "Tired of living in a flat with no storage",
    "I'm going to die if I eat another mince pie",
    "Took my life in my hands crossing Leith Walk",
    "No reason to get up early tomorrow, day off!",
    "The cake is going to disappear fast at this rate",
    "Nobody would notice if I wasn't wearing matching socks",
]
SENSITIVE = [
    "Made Dad's shortbread today… the kitchen smelled like him.",
    "First Christmas without her. Going to be a quiet one.",
    "It would have been mum's 70th birthday today.",
    "Would have been Mum's 70th. Lit a candle.",
    "Miss him every day.",
    "Lost my gran last night. She taught me to bake.",
    "Two years today since we lost Dad.",
    "It's the anniversary of her death on Friday and I'm dreading it.",
    "My dad passed away on Sunday.",
    "Mum was diagnosed with breast cancer this week",
    "Still mourning my grandad, it comes in waves",
    "Sitting in the hospital car park waiting for news",
    "Funeral is on Thursday at Warriston",
    "We had a miscarriage at 10 weeks. Still processing.",
    "Dad's moved to the hospice. Taking it day by day.",
    "Our old boy crossed the rainbow bridge this morning",
    "We had to let Rua go this morning. Fourteen years. She was the collie on every doorstep",
    "Grandad died in his sleep last night, 94 years old",
    "Starting chemo on Monday, wish me luck",
    "Still miss my nana so much",
    "Grief is a strange thing, you never know what'll set it off",
    "My late husband loved this walk",
    "Three years since Mum died and it doesn't get easier",
    "First Father's Day without my dad",
    "Gran's got dementia and didn't recognise me today",
    "My sister's in intensive care after the crash",
    "RIP Grandad, you were the best",
    "Had to put our dog to sleep yesterday",
    "Rest in peace, Maggie. The street won't be the same.",
    "Mi abuelo falleció ayer",
    "Meine Oma ist letzte Woche verstorben",
]
NOT_SENSITIVE = [
    "We had to let two of the team go this week, sales are down",
    "I had to let it go, not worth the argument",
    "My phone died halfway through the podcast",
    "Third dead plant this year, I give up",
    "Died laughing at the panto last night",
    "Killed it at the gig tonight!!",
    "Anniversary dinner booked for Saturday",
    "Going to miss the bus again",
    "Our 10th wedding anniversary, still the best decision",
    "The battery in the car died again",
    "My sister passed her driving test!",
    "Dad passed on the message, see you at 7",
    "Lost my phone in the park, anyone seen a black iPhone?",
    "Lost my dad's old watch on the beach, gutted",
    "Good grief, the queue at the post office",
    "It's Cancer season, be nice to yourselves",
    "Landed at Terminal 2, coffee first",
    "Working at the hospital all weekend, send snacks",
    "Had a stroke of luck at the raffle!",
    "I nearly had a heart attack when I saw the bill",
    "Rushed to work, forgot my lunch",
    "RIP my phone screen",
    "Miss the sunshine already",
    "Wish you were here, Portobello is glorious",
    "The bakery's sourdough smells like heaven",
    "My car is dying a slow death",
    "Death by chocolate cake for my birthday!",
    "Would have been nice to get some sun today",
    "Admitted to uni! Starting in September",
    "Lost my voice after the match",
    "She died her hair purple and it looks amazing",
    "Mum's visiting for the weekend, can't wait",
    "We lost them in the final, 2-1, gutted",
    "Mum said the battery died again",
    "It would have been pretty today if the sun had come out",
    "RIP MY DIET",
    "My partner got diagnosed coeliac last month and is mourning bread like a lost relative",
    "Still mourning summer, it's dark at half three",
    "Newly dairy-free (doctor's orders) and mourning my flat whites. Do you do oat milk?",
]


@pytest.mark.parametrize("post", CRISIS)
def test_a_possible_crisis_is_flagged_for_a_person(post: str) -> None:
    flags = text.flags(post)
    assert "crisis" in flags
    assert "sensitive" in flags  # so that it becomes a card, never a draft


@pytest.mark.parametrize("post", NOT_CRISIS)
def test_everyday_hyperbole_is_not_a_crisis(post: str) -> None:
    assert "crisis" not in text.flags(post)


@pytest.mark.parametrize("post", SENSITIVE)
def test_grief_and_serious_illness_are_sensitive(post: str) -> None:
    flags = text.flags(post)
    assert "sensitive" in flags
    assert "milestone_cue" not in flags


@pytest.mark.parametrize("post", NOT_SENSITIVE)
def test_posts_that_only_sound_like_loss_are_not_sensitive(post: str) -> None:
    assert "sensitive" not in text.flags(post)


@pytest.mark.parametrize(
    "post",
    [
        "It would have been mum's 70th birthday today.",
        "Our first anniversary without him.",
        "Would have been Dad's birthday. Baked his favourite cake!!",
    ],
)
def test_a_birthday_or_anniversary_of_someone_gone_is_not_a_milestone(post: str) -> None:
    assert "milestone_cue" not in text.flags(post)
    assert "sensitive" in text.flags(post)


def test_milestones_still_read_as_milestones() -> None:
    assert "milestone_cue" in text.flags("Mum's 70th birthday today, cake at ours!!")
    assert "milestone_cue" in text.flags("Passed my driving test!")


def test_swearing_or_self_blame_in_a_crisis_does_not_make_it_hostile() -> None:
    # "hostile" and "spammy" mean "no reply": these posts must reach a person instead.
    flags = text.flags("I'm useless. Everyone would be better off without me.")
    assert "crisis" in flags and "hostile" not in flags
    flags = text.flags("Cancer is shite. Mum starts chemo on Monday.")
    assert "sensitive" in flags and "hostile" not in flags
    flags = text.flags("Please dm me, I can't do this anymore")
    assert "crisis" in flags and "spammy" not in flags


def test_hostility_without_loss_is_still_hostile() -> None:
    assert "hostile" in text.flags("You're all a bunch of clowns, absolute rip-off merchants.")


def test_another_readers_crisis_finding_brings_the_same_flags() -> None:
    flags = text.flags("Made a plan. Just waiting now.", crisis=True)
    assert flags == ["crisis", "crisis_reader_only", "sensitive"]
    # Found by the phrase lists too, or with the grief reader: not the trained reader's alone.
    assert "crisis_reader_only" not in text.flags("I can't do this anymore.", crisis=True)
    assert "crisis_reader_only" not in text.flags("Made a plan.", crisis=True, sensitive=True)
    # The grief reader's finding alone is marked likewise; with the words of a loss it is not.
    assert text.flags("Quiet one today.", sensitive=True) == ["sensitive", "sensitive_reader_only"]
    assert "sensitive_reader_only" not in text.flags("Dad passed away on Sunday.", sensitive=True)
    assert text.flags("Made a plan for the weekend: sleep, bake, repeat") == []


def test_curly_apostrophes_read_like_straight_ones() -> None:
    assert "crisis" in text.flags("I can’t do this anymore.")
    assert "sensitive" in text.flags("It would’ve been Mum’s 70th today.")


def test_a_birth_in_hospital_is_not_sensitive_news() -> None:
    assert "sensitive" not in text.flags("Home from hospital with our baby girl, 7lb 2oz")
    assert "sensitive" in text.flags("Home from hospital after the op, sore but OK")


def test_the_words_of_the_day_after_a_death_reach_a_person() -> None:
    from analysis.text import flags

    for post in (
        "Can't believe she's gone. Rest easy Gran.",
        "scattered Dad's ashes at Cramond today",
        "Visited her grave for the first time since the funeral.",
    ):
        assert "sensitive" in flags(post), post
    for post in ("She's gone to the shops, back soon", "Last days in the office before Christmas"):
        assert "sensitive" not in flags(post), post


def test_a_goodbye_is_a_possible_crisis_unless_they_are_moving_platform() -> None:
    from analysis.text import flags

    assert "crisis" in flags("goodbye everyone. thanks for everything")
    assert "crisis" not in flags("Goodbye everyone, I'm moving over to Bluesky, find me there")


def test_no_longer_needing_things_and_sorry_to_all_is_a_possible_crisis_but_a_holiday_is_not() -> (
    None
):
    from analysis.text import flags

    assert "crisis" in flags(
        "thanks for all the flat whites over the years. putting the guitar up for sale, won't "
        "be needing it where I'm going. sorry to everyone I've let down"
    )
    # one phrase is not two signs, and a holiday is no farewell
    assert "crisis" not in flags(
        "selling my winter coat, won't be needing it where I'm going! Lanzarote here I come"
    )
    assert "crisis" not in flags("sorry for everything I said at the pub quiz lol")


@pytest.mark.parametrize(
    "post",
    [
        "new year's resolution was to stop being useless with my bike. anywhere that'll show me?",
        "I'm useless at shaping, every loaf spreads. Any tips?",
        "my crap loaf strikes again. what am I doing wrong",
    ],
)
def test_a_hostile_word_said_of_themselves_is_no_hostility(post: str) -> None:
    assert "hostile" not in text.flags(post)
    # aimed at someone, it still is
    assert "hostile" in text.flags("Your staff are useless and the bread was crap.")
