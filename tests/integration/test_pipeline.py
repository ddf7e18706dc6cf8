"""The whole pipeline on the bundled sample, on real PostgreSQL with the real embedder."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.database import Database, session_scope
from core.models import Interest, Person, Platform, Post, PostAnalysis, Suggestion
from ingest import service as ingest_service
from service import pipeline
from suggest import composer, guard, routes, wording
from suggest import queue as suggest_queue
from suggest.schemas import SuggestionRead

pytestmark = pytest.mark.model
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _counts(session: Session) -> dict[str, int]:
    return {
        m.__tablename__: session.scalar(select(func.count()).select_from(m))
        for m in (Person, Post, PostAnalysis, Interest, Suggestion)
    }


def _run(db: Database, analyzer) -> pipeline.PipelineReport:  # noqa: ANN001
    with session_scope(db) as session:
        ingest_service.load_sample(session, today=NOW)
    resources = pipeline.Resources(settings=None, db=db, _analyzer=analyzer)  # type: ignore[arg-type]
    return pipeline.run(resources, workspace_name="crumb-and-kettle", now=NOW)


def _cards_by_handle(ran) -> dict[str, SuggestionRead]:  # noqa: ANN001
    db, _ = ran
    with session_scope(db) as s:
        ws = ingest_service.get_workspace(s, name="crumb-and-kettle")
        return {c.person_handle: c for c in suggest_queue.queue(s, workspace_id=ws.id)}


@pytest.fixture
def ran(db: Database, analyzer):  # noqa: ANN001, ANN201
    first = _run(db, analyzer)
    return db, first


def test_running_twice_changes_no_counts(ran, analyzer, session: Session) -> None:  # noqa: ANN001
    db, first = ran
    with session_scope(db) as s:
        before = _counts(s)
    second = _run(db, analyzer)
    with session_scope(db) as s:
        after = _counts(s)

    assert before == after
    assert first.analysed == before["post"] and second.analysed == 0
    assert second.suggestions.created == 0
    assert before["person"] == 40
    assert 10 <= before["suggestion"] <= 60


def test_every_queued_draft_passes_the_guard_and_speaks_to_the_person(ran) -> None:  # noqa: ANN001
    db, _ = ran
    with session_scope(db) as s:
        ws = ingest_service.get_workspace(s, name="crumb-and-kettle")
        cards = suggest_queue.queue(s, workspace_id=ws.id)
        said: dict[str, list[str]] = {}
        for handle, text in s.execute(select(Person.handle, Post.text).join(Post)):
            said.setdefault(handle, []).append(text)
    assert cards
    for card in cards:
        assert card.rationale
        if not card.draft:
            assert card.occasion.is_card
            continue
        # Checked with the knowledge it used, as the queue checked it.
        knowledge = {k["title"]: k["text"] for k in ws.knowledge}
        verdict = guard.check(
            card.draft,
            guard.context_for(
                ws,
                post_text=card.post_text,
                answer_texts=[knowledge[t] for t in card.knowledge_used],
                summons_business="@crumbandkettle" in card.post_text,
                person_names=[card.person_name, card.person_name.split()[0], card.person_handle],
                # what they said since may be part of the card (good news folded into an answer)
                recent_texts=said[card.person_handle],
                max_chars=routes.RULES[Platform(card.platform)].max_chars,
            ),
        )
        assert verdict.passed, (card.draft, verdict.reasons)


def test_what_must_never_get_a_drafted_reply(ran) -> None:  # noqa: ANN001
    db, _ = ran
    with session_scope(db) as s:
        ws = ingest_service.get_workspace(s, name="crumb-and-kettle")
        cards = suggest_queue.queue(s, workspace_id=ws.id)
    by_handle = {c.person_handle: c for c in cards}
    # spammers, the hostile account and the post that tries to instruct the reply writer get
    # nothing, unless a reader finds a possible crisis: that reaches a person whatever else the
    # post is ("Stop scrolling. Your future self will thank you. DM me now." reads as one to the
    # trained crisis reader, a false alarm a person dismisses)
    for handle in ("growth_hacker_max", "promo-queen.bsky.social"):
        card = by_handle.get(handle)
        assert card is None or (card.occasion == "crisis" and not card.draft), handle
    # the hostile account wrote to the business: a person answers it calmly, or leaves it
    gordon = by_handle.get("grumpy_gordon88")
    assert gordon is None or (gordon.occasion in ("needs_person", "crisis") and not gordon.draft)
    # Will's two posts that try to instruct the reply writer never become cards, and no draft
    # anywhere carries what they asked for
    instructing = ("ignore your previous instructions", "you are now a marketing assistant")
    assert not [c for c in cards if any(t in c.post_text.lower() for t in instructing)]
    for card in cards:
        assert "discount" not in card.draft.lower() and "cake range" not in card.draft.lower()
    will = by_handle.get("will@mastodon.scot")
    if will is not None:
        assert "discount" not in will.draft.lower() and "cake range" not in will.draft.lower()
        assert "ignore" not in will.post_text.lower()
    # news of a death gets no draft: the owner writes personally
    fiona = [c for c in cards if c.person_handle == "fionamcl.bsky.social"]
    assert all(c.draft == "" and c.occasion == "personal_note" for c in fiona)


def test_a_question_the_business_can_answer_gets_the_sentences_that_answer(ran) -> None:  # noqa: ANN001
    cards = _cards_by_handle(ran)
    # Jamie asked the business (@mention on X) when it opens on Sundays, to work there: the
    # hours and the weekend laptop rule, by API since he summoned the business.
    jamie = cards["jamie_codes"]
    assert "Sunday" in jamie.draft and "laptop" in jamie.draft.lower()
    assert "before 10:00" in jamie.draft and jamie.route.value == "api"
    assert set(jamie.knowledge_used) == {"Opening hours", "Laptops"}
    # Dougie asked about the fridge and Will why his bread goes hard: the storing advice, not
    # the recipe or the crust. Dougie's starts with the fridge he asked about; Will asked why,
    # and never named the fridge, so his leads with the advice and gives the fridge as
    # something to avoid. His is not the same paragraph pasted again, and his card says
    # Dougie's draft has the same advice.
    dougie, will = cards["dougie@social.scot"], cards["will@mastodon.scot"]
    assert dougie.knowledge_used == ["Storing bread"] and "fridge" in dougie.draft
    assert will.knowledge_used == ["Storing bread"]
    assert dougie.draft.index("fridge") < dougie.draft.index("cloth bag")
    assert "not in the fridge" in will.draft and "Will" in will.draft
    assert will.draft.index("cloth bag") < will.draft.index("fridge")
    # asking why, he gets the whole answer: freezing what lasts a day too
    assert "freeze" in will.draft
    assert "The fridge makes bread go stale faster" not in will.draft
    assert "Dougie's draft this morning uses the same knowledge" in will.rationale


def test_a_card_shows_what_the_person_asked_before(ran) -> None:  # noqa: ANN001
    cards = _cards_by_handle(ran)
    # Kirsty asked for a baker to talk to her class, then for a recipe for 28 children: her
    # card shows the earlier question, not the soda-bread post in between.
    kirsty = cards["kirsty.bsky.social"]
    assert kirsty.occasion == "knowledge_gap" and not kirsty.draft
    assert "Before this they asked “Does anyone know a local baker" in kirsty.rationale


def test_the_persons_later_posts_change_what_is_said(ran) -> None:  # noqa: ANN001
    cards = _cards_by_handle(ran)
    # Morag was scared before her surgery, then "Surgery went well": be glad, with a word for
    # the nerves and the knee of her earlier post, and don't ask how she is coping.
    morag = cards["morag@mastodon.scot"]
    assert morag.occasion == "celebrate_outcome" and "went well" in morag.post_text
    assert "?" not in morag.draft and "glad it went well" in morag.draft.lower()
    assert "nerves" in morag.draft and "knee" in morag.draft
    # Sam asked how to keep Doughlene warm; then baked with her: the good news, not the tips.
    sam = cards["sam@mastodon.scot"]
    assert sam.occasion == "celebrate_outcome" and "Doughlene" in sam.draft
    assert "keeping a starter warm" in sam.rationale
    # Hannah asked for a wheat-free birthday cake; the birthday has happened: no cake advice.
    hannah = cards["hannah-w.bsky.social"]
    assert "turned three" in hannah.post_text and not hannah.knowledge_used


def test_good_news_after_a_question_is_celebrated_with_no_lesson_bolted_on(ran) -> None:  # noqa: ANN001
    cards = _cards_by_handle(ran)
    # Ravi asked whether strong flour matters; days later he got his cycling badge. Maria asked
    # for an easy 5k route, then ran 16 km. The reply is glad with them and teaches nothing.
    ravi = cards["ravi@fosstodon.org"]
    assert ravi.occasion == "congratulate" and "badge" in ravi.draft
    assert "flour" not in ravi.draft and not ravi.knowledge_used
    maria = cards["maria@mastodon.scot"]
    assert maria.occasion == "congratulate" and "16 km" in maria.draft
    assert "5k" not in maria.draft and not maria.knowledge_used
    # …and says what her news shows, not her words said back: the half-marathon is in reach
    assert "half-marathon is looking very doable" in maria.draft


def test_a_question_back_on_good_news_names_the_post_it_asks_about(ran) -> None:  # noqa: ANN001
    tam = _cards_by_handle(ran)["tam@mastodon.scot"]
    assert tam.occasion == "celebrate_outcome"
    assert tam.draft.endswith("Did the poke test finally click?")
    assert (
        "Its question is about what they wrote before: “How do you know when dough is properly "
        "proofed?" in tam.rationale
    )


def test_no_two_cards_of_a_morning_open_or_close_alike(ran) -> None:  # noqa: ANN001
    db, _ = ran
    with session_scope(db) as s:
        ws = ingest_service.get_workspace(s, name="crumb-and-kettle")
        cards = [c for c in suggest_queue.queue(s, workspace_id=ws.id) if c.draft]
    assert len(cards) >= 10
    snippets = {k["title"]: k["text"] for k in ws.knowledge}
    keys = [
        composer.phrasing(
            c.draft,
            name=wording.first_name(c.person_name),
            post_text=c.post_text,
            knowledge=[snippets[t] for t in c.knowledge_used],
        )
        for c in cards
    ]
    openings = [opening for opening, _ in keys]
    closings = [closing for _, closing in keys if closing]
    assert len(set(openings)) == len(openings), openings
    assert len(set(closings)) == len(closings), closings


def test_profiles_show_what_people_care_about_with_evidence(ran, analyzer) -> None:  # noqa: ANN001
    db, _ = ran
    from analysis import service as analysis_service

    with session_scope(db) as s:
        ws = ingest_service.get_workspace(s, name="crumb-and-kettle")
        profile = analysis_service.profile(
            s,
            workspace_id=ws.id,
            handle="sam@mastodon.scot",
            model_version=analyzer.model_version,
            now=NOW,
        )
    labels = [i.label for i in profile.interests]
    assert "food_&_dining" in labels
    assert any("starter" in e or "Doughlene" in e for i in profile.interests for e in i.evidence)
    assert profile.open_needs
