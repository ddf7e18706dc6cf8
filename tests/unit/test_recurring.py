from datetime import date

from suggest.recurring import next_on, next_one, on_a_holiday, with_next_ones

CLINIC = "On the first Saturday of each month at 10:00 we run a free bread clinic."
FIX_IT = "On the last Wednesday of each month, 18:00 to 20:00, the workshop opens for you."


def test_the_next_day_of_a_monthly_event() -> None:
    assert next_on(CLINIC, date(2026, 11, 30)) == date(2026, 12, 5)
    assert next_on(CLINIC, date(2026, 12, 5)) == date(2026, 12, 5)  # today counts
    assert next_on(CLINIC, date(2026, 12, 6)) == date(2027, 1, 2)  # over the new year
    assert next_on(FIX_IT, date(2026, 11, 26)) == date(2026, 12, 30)
    assert next_on("Open Tuesday to Sunday, 7:30 to 16:00.", date(2026, 11, 30)) is None
    # every way of numbering the week it is on (a "4th" was once a KeyError)
    for nth in ("fourth", "4th"):
        quiz = f"Quiz night on the {nth} Thursday of each month."
        assert next_on(quiz, date(2026, 11, 30)) == date(2026, 12, 24)


def test_a_monthly_event_is_followed_by_when_it_is_next() -> None:
    assert with_next_ones([CLINIC, "Bring a loaf."], date(2026, 11, 30)) == [
        CLINIC,
        "The next one is on Saturday 5 December.",
        "Bring a loaf.",
    ]
    assert next_one(CLINIC, date(2026, 12, 4)) == "The next one is tomorrow."


def test_a_monthly_event_that_falls_on_a_holiday_is_named() -> None:
    # the last Wednesday of December 2030 is Christmas Day
    assert on_a_holiday([FIX_IT], date(2030, 12, 2)) == "Christmas Day (Wednesday 25 December)"
    assert on_a_holiday([FIX_IT], date(2026, 11, 30)) == ""  # Wednesday 30 December
    assert on_a_holiday([CLINIC, "Open Tuesday to Sunday."], date(2026, 12, 30)) == ""
