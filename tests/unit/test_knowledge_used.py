"""What a draft is said to use is what it says: a snippet cut for length is not 'used'."""

from suggest.knowledge import Match, Snippet
from suggest.service import _used_in


def _match(title: str, text: str) -> Match:
    return Match(Snippet(title, text, about_us=False, sentences=(text,)), 0.6, (text,))


def test_a_snippet_cut_for_length_is_not_counted_as_used() -> None:
    prices = _match("Service prices", "A basic service is £45: brakes and gears adjusted.")
    bills = _match("No surprise bills", "We never do more than £20 of work without phoning you.")
    draft = "Morning Stevie! A basic service is £45: brakes and gears adjusted."
    assert _used_in(draft, [prices, bills]) == ["Service prices"]
    both = f"{draft} We never do more than £20 of work without phoning you."
    assert _used_in(both, [prices, bills]) == ["Service prices", "No surprise bills"]
    # turned to the person ("Your laptop's welcome"): three words in a row still tell
    laptops = _match("Laptops", "Laptops are welcome on weekdays.")
    assert _used_in("Your laptop's welcome on weekdays.", [laptops]) == ["Laptops"]
