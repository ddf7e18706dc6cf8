"""What a post asks, and what its author already said matters."""

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
