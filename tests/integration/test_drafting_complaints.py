"""Complaints to the business, with the real embedder: harm and how a disabled child was
treated reach a person, praise told as a "shout out" is thanks, a complaint about something the
business covers gets its remedy, and a congratulation is never made of a sad post or of someone
else's words."""

import pytest

from core.models import Occasion
from tests.integration.test_drafting_decisions import _draft, _post, _to_us, _workshop

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    "text",
    [
        "@crumbandkettle chipped a tooth on a stone or something in the fruit loaf from you on "
        "Friday. dentist on Monday. really not happy",
        "@crumbandkettle very disappointed. my daughter is in a wheelchair and the girl at the "
        "counter told us to wait by the door 'out of the way' while everyone else sat down",
    ],
)
def test_harm_or_how_a_disabled_person_was_treated_reaches_a_person(
    analyzer,  # noqa: ANN001
    text: str,
) -> None:
    result = _to_us(analyzer, text)
    assert result.occasion == Occasion.NEEDS_PERSON and not result.draft


def test_a_shout_out_is_thanks_not_a_complaint(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "shout out to @northsidecycles who phoned before fitting a new chain instead of just "
        "doing it and landing me with a bill. never happens. bike is flying",
        workspace=_workshop(),
    )
    assert result.occasion == Occasion.THANKS
    assert result.draft and "sorry" not in result.draft.lower()


def test_a_complaint_about_what_the_business_covers_gets_the_remedy(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@northsidecycles got one of your refurbs a month ago and the brakes are already "
        "rubbing on every ride. not impressed",
        workspace=_workshop(),
    )
    assert result.occasion == Occasion.COMPLAINT and result.draft
    assert result.knowledge_used == ["Refurbished bikes"]
    assert "free adjustments" in result.draft and "sorry" in result.draft
    # said of what they bought, not as the sales line it is in the knowledge
    assert "We sell" not in result.draft and "Your refurbished bike comes with" in result.draft
    # …but the promise that failed them is not told back as if it were a remedy
    late = _to_us(
        analyzer,
        "@northsidecycles left my bike at half 9 for a service, told it'd be ready at 5, "
        "came at 5 and it hadn't been touched. nobody rang. not impressed",
        workspace=_workshop(),
    )
    assert late.occasion == Occasion.COMPLAINT and late.draft
    assert "17:00" not in late.draft


def test_a_relatives_things_left_as_they_were_reach_a_person_not_a_congratulation(
    analyzer,  # noqa: ANN001
) -> None:
    result = _draft(
        analyzer,
        _post(
            "Mum's sewing machine is still on the kitchen table six weeks on. I can't even bring "
            "myself to put the cover on it. She made every birthday cake I ever had on that table."
        ),
    )
    assert result.occasion == Occasion.PERSONAL_NOTE and not result.draft


def test_someone_elses_quoted_excitement_is_no_news_to_congratulate(analyzer) -> None:  # noqa: ANN001
    result = _draft(
        analyzer,
        _post(
            "my brother gave me a bread book for my birthday with a note saying 'your turn to "
            "bake!!' and honestly I've no idea where to start. I've never even used yeast"
        ),
    )
    assert result.occasion != Occasion.CONGRATULATE
    assert not result.draft or "congratulations" not in result.draft.lower()


def test_a_visit_to_the_dentist_is_no_harm_done_by_the_business(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@crumbandkettle just back from the dentist and my whole face is numb, not great. is "
        "there anything soft you'd do for lunch?",
    )
    assert result.occasion != Occasion.NEEDS_PERSON or "harm" not in (result.rationale or "")
