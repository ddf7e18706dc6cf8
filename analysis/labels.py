"""The label sets the analysis uses, each with example posts written by the project.

A label's examples define it: the classifier compares a post with them in embedding space.
"""

from __future__ import annotations

INTENTS: dict[str, list[str]] = {
    "question": [
        "Does anyone know what time the library opens on Sundays?",
        "How long do you boil an egg for a runny yolk?",
        "Is it normal for a new kitten to sleep all day?",
        "What's the difference between baking soda and baking powder?",
        "How often should I water a cactus?",
        "Why does my rice always come out sticky?",
        "Is it worth getting winter tyres in Scotland?",
        "Can you freeze cooked pasta?",
    ],
    "help": [
        "My laptop won't turn on and I have a deadline tomorrow, any help?",
        "Help! The cake sank in the middle again, what am I doing wrong?",
        "I keep getting blisters on long walks, how do I stop it?",
        "My tomato plants have yellow leaves and I don't know how to save them.",
        "Struggling to get my toddler to sleep, any advice would be welcome.",
        "Any tips for getting back into exercise after a long break?",
        "Can't get my bike gears to stop slipping, what should I try?",
        "Need advice: my dog pulls so hard on the lead.",
    ],
    "recommendation": [
        "Can anyone recommend a good dentist in Glasgow?",
        "Looking for a quiet pub with good food near the station. Ideas?",
        "Best podcast you've listened to this year? Need recommendations.",
        "Where's the best place for brunch in town on a Sunday?",
        "Any recommendations for a beginner's running shoe?",
        "Need a good book for a long flight, what should I read?",
        "Where can I buy decent coffee beans around here?",
        "Any suggestions for a kid-friendly restaurant for a birthday?",
    ],
    "complaint": [
        "Waited an hour for my delivery and it arrived cold. Really disappointed.",
        "Terrible customer service, nobody answered my emails for two weeks.",
        "The train was cancelled again and nobody told us anything.",
        "Paid for next-day delivery and it's been five days. Not happy.",
        "The new update broke everything, so frustrating.",
        "My order was wrong for the second time this month.",
        "Overcharged at the till and the manager didn't care.",
        "This shop's prices are ridiculous now.",
    ],
    "milestone": [
        "I passed my exams! So proud of myself.",
        "We just got engaged!!!",
        "Today is my first day at my new job!",
        "Finished my first marathon today!",
        "Our baby girl was born this morning.",
        "Ten years sober today.",
        "Finally bought our first house!",
        "Celebrating our 25th wedding anniversary today.",
    ],
    "experience": [
        "Went for a long walk by the sea this morning, it was lovely.",
        "Made lasagne tonight and the whole family loved it.",
        "Spent the afternoon repotting plants.",
        "Had a lazy Sunday reading in bed.",
        "Took the kids to the zoo, they loved the penguins.",
        "Cycled to work in the rain again today.",
        "My cat knocked everything off the table this morning.",
        "Cooked dinner for friends, it was a great night.",
    ],
    "opinion": [
        "Hot take: pineapple belongs on pizza.",
        "Honestly I think winter is the best season.",
        "Tea is better than coffee, fight me.",
        "In my opinion the book was better than the film.",
        "Unpopular opinion: brunch is overrated.",
        "Cities should have more bike lanes, simple as that.",
        "I think remote work is here to stay.",
        "The best chips are from the chippy, not the oven.",
    ],
    "spam": [
        "Make $5000 a week from home! DM me to find out how!",
        "Click the link in my bio for free followers 🚀🚀",
        "Huge sale! 70% off everything, use code SAVE70, shop now!",
        "Crypto signals group, guaranteed profits, join now, link in bio.",
        "Win a free iPhone! Just click here and enter your details.",
        "Follow me and I'll follow back! Giveaway at 10k followers!",
        "Grow your business with my course, 90% off today only!",
        "Earn passive income with this one trick, message me now.",
    ],
    "other": [
        "Good morning everyone.",
        "lol",
        "Thank you all so much for the birthday wishes.",
        "Happy Friday!",
        "Back online after a break.",
        "Reminder: the meeting moved to Thursday.",
    ],
}

INTENT_DESCRIPTIONS = {
    "question": "asks a question",
    "help": "asks for help with a problem",
    "recommendation": "asks for a recommendation",
    "complaint": "complains about something",
    "milestone": "shares a milestone or celebration",
    "experience": "shares an everyday experience",
    "opinion": "shares an opinion",
    "spam": "self-promotion or spam",
    "other": "something else",
}

SENTIMENTS: dict[str, list[str]] = {
    "positive": [
        "This is the best day ever, so happy!",
        "Loved every minute of it.",
        "So proud of my team today.",
        "What a beautiful morning, feeling great.",
        "Thank you, this made my week!",
        "Brilliant news, can't stop smiling.",
    ],
    "neutral": [
        "The meeting is at 3pm on Thursday.",
        "Does anyone know when the shop opens?",
        "I'm taking the bus to work today.",
        "Reading a book about the history of trains.",
        "The shop moved to the other side of the street.",
        "What's a good recipe for soup?",
    ],
    "negative": [
        "Worst service I've ever had, never again.",
        "Feeling really low today.",
        "So frustrated, nothing is working.",
        "This is a disaster, I'm so annoyed.",
        "Really disappointed with how it turned out.",
        "I'm exhausted and everything hurts.",
    ],
}

# TweetTopic's 19 categories, each with a few example posts.
TOPICS: dict[str, list[str]] = {
    "arts_&_culture": [
        "Loved the new exhibition at the gallery.",
        "Reading a great novel.",
        "Theatre tickets booked for Saturday.",
        "Learning to paint watercolours.",
    ],
    "business_&_entrepreneurs": [
        "Opened my own shop today.",
        "Running a small business is hard.",
        "Our startup just raised funding.",
        "Quiet week for sales.",
    ],
    "celebrity_&_pop_culture": [
        "Did you see what that celebrity posted?",
        "The royal wedding was all over the news.",
        "Her new interview is everywhere.",
        "Award show outfits tonight.",
    ],
    "diaries_&_daily_life": [
        "Rainy Monday, coffee and emails.",
        "Tidied the flat today.",
        "Slept in, lazy morning.",
        "Waiting for the bus in the cold again.",
    ],
    "family": [
        "My kids made me breakfast.",
        "Visiting my mum this weekend.",
        "Grandad turned 90 today.",
        "Family dinner with my sister and her kids.",
    ],
    "fashion_&_style": [
        "New winter coat, love it.",
        "What shoes go with this dress?",
        "Trying a new haircut.",
        "Vintage jumper find at the charity shop.",
    ],
    "film_tv_&_video": [
        "That series finale was amazing.",
        "Movie night with popcorn.",
        "What should I watch on Netflix?",
        "The film's soundtrack was great.",
    ],
    "fitness_&_health": [
        "Went for a 10k run this morning.",
        "Gym session done, legs are dead.",
        "Training for a half marathon.",
        "Back pain again, physio tomorrow.",
    ],
    "food_&_dining": [
        "Baked sourdough bread today.",
        "Best brunch spot in town?",
        "Made soup with leftover vegetables.",
        "This coffee and cake is perfect.",
        "My cake recipe needs more flour.",
    ],
    "gaming": [
        "Stayed up playing the new Zelda.",
        "Anyone on for a round of Fortnite?",
        "New console arrived.",
        "That boss fight took me three hours.",
    ],
    "learning_&_educational": [
        "Learning Spanish every day.",
        "Took an online course in coding.",
        "Teaching my class about volcanoes.",
        "How do I learn to bake?",
    ],
    "music": [
        "Concert last night was unreal.",
        "This album is on repeat.",
        "Choir practice tonight.",
        "Learning guitar chords.",
    ],
    "news_&_social_concern": [
        "The council cut the library budget.",
        "Food bank use is rising.",
        "Prices keep going up everywhere.",
        "Volunteering for a charity.",
    ],
    "other_hobbies": [
        "Spent the day on the allotment.",
        "Knitting a scarf.",
        "Fixed up my old bike.",
        "Started a pottery class.",
    ],
    "relationships": [
        "We got engaged!",
        "Date night with my partner.",
        "Our wedding is next month.",
        "Ten years together today.",
    ],
    "science_&_technology": [
        "New phone update broke my apps.",
        "Coding all day.",
        "Reading about black holes.",
        "Our team shipped a software release.",
    ],
    "sports": [
        "What a football match!",
        "Hibs won 2-0.",
        "Season ticket renewed.",
        "Rugby at the pub tonight.",
    ],
    "travel_&_adventure": [
        "Landed in Tokyo!",
        "Hiking in the Highlands.",
        "First time visiting Scotland.",
        "Road trip along the coast.",
    ],
    "youth_&_student_life": [
        "Exams next week, living in the library.",
        "Handed in my dissertation.",
        "Graduation day!",
        "Student flat life.",
    ],
}


# The label order of the trained heads (analysis/training.py); TOPICS keeps TweetTopic's order.
SENTIMENT_LABELS = ["negative", "neutral", "positive"]
EMOTION_LABELS = ["anger", "joy", "optimism", "sadness"]
TOPIC_LABELS = list(TOPICS)


def label_name(label: str) -> str:
    """A label as people read it: "food_&_dining" -> "food & dining"."""
    return label.replace("_&_", " & ").replace("_", " ")
