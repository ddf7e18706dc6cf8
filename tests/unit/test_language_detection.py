"""The language of a post, read by lingua: right on short posts, and the platform's tag kept when
the words cannot say."""

import subprocess
import sys

import pytest

from analysis import text


@pytest.mark.parametrize(
    ("post", "language"),
    [
        ("Primer mes en Leith y ya tengo cafetería favorita.", "es"),
        ("¿Alguien sabe dónde comprar harina para pan en Leith?", "es"),
        ("Echo de menos el pan de mi abuela.", "es"),
        ("Mañana empiezo trabajo nuevo, qué nervios.", "es"),
        ("Llueve otra vez. Típico escocés.", "es"),
        ("Vocês têm pão sem glúten? A minha irmã é celíaca", "pt"),
        ("Fui ao mercado de Leith no sábado, adorei.", "pt"),
        ("Saudades do pão de queijo da minha mãe", "pt"),
        ("Alguém conhece um bom dentista aqui perto?", "pt"),
        ("Não aguento mais esta chuva", "pt"),
        ("Quelqu'un connaît une bonne boulangerie à Leith ?", "fr"),
        ("Il pleut encore, quelle surprise.", "fr"),
        ("Premier jour au nouveau boulot, je suis stressée", "fr"),
        ("Vous avez des croissants sans beurre ?", "fr"),
        ("Kennt jemand ein gutes Roggenbrot? Ich vermisse es so.", "de"),
        ("Spaziergang am Water of Leith, wunderschön im Herbst.", "de"),
        ("Schon wieder Regen. Ich gebe auf.", "de"),
        ("Hat jemand Tipps für einen guten Zahnarzt?", "de"),
        ("Qualcuno sa dove trovare il pane toscano a Edimburgo?", "it"),
        ("Weet iemand waar ik hier goed brood kan kopen?", "nl"),
        ("Pierwszy dzień w nowej pracy, trzymajcie kciuki", "pl"),
        ("Where can I buy good flour for bread?", "en"),
        ("Half marathon done. Legs are jelly.", "en"),
    ],
)
def test_short_posts_are_read_in_their_language(post: str, language: str) -> None:
    assert text.detect_language(post) == language
    assert text.detect_language(post, "en") == language  # a tag in another language is overruled


@pytest.mark.parametrize(
    "post",
    [
        "Best croissant in Edinburgh, no contest. Merci Leith!",
        "Had the most amazing paella at the market today, gracias Leith",
        "My abuela would have loved this tortilla",
        "Finally found decent pão de queijo in Edinburgh",
        "Ordered a cortado and a pastel de nata, living the dream",
        "Bonjour Monday, I am not ready for you",
        "Tapas night with the girls, salud!",
        "Anyone know where to get proper Brezeln in town?",
        "Pure dreich the day, need a fly cup",
        "Déjà vu: stuck on the same bus as yesterday",
    ],
)
def test_english_posts_with_a_foreign_word_stay_english(post: str) -> None:
    assert text.detect_language(post, "en") == "en"
    assert text.detect_language(post) == "en"


@pytest.mark.parametrize("post", ["🎉🎉🎉", "😭", "", "   ", "123 456", "@tam #", "https://x.co/a"])
def test_a_post_without_words_keeps_the_platform_tag_or_english(post: str) -> None:
    assert text.detect_language(post, "pt") == "pt"
    assert text.detect_language(post) == "en"


def test_a_confident_detection_overrules_the_interface_language_tag() -> None:
    # A Spanish speaker whose app is in English, and an English post from a German interface.
    assert text.detect_language("Hoy hace un frío que pela en Edimburgo.", "en") == "es"
    assert text.detect_language("Anyone fancy a bagel run this morning?", "de") == "en"


def test_one_or_two_words_do_not_contradict_the_tag() -> None:
    assert text.detect_language("Endlich Wochenende.", "en") == "en"
    assert text.detect_language("Gracias!", "en") == "en"


def test_a_tag_the_detector_cannot_weigh_is_kept_unless_the_words_are_clear() -> None:
    # Swedish and Turkish are not in the detector's set: their posts keep their tags.
    assert text.detect_language("Vi var på marknaden i Leith idag, jättetrevligt", "sv") == "sv"
    assert text.detect_language("Bugün hava çok soğuk, kahve lazım", "tr") == "tr"
    # An unmistakably Spanish post is Spanish, whatever the tag.
    assert text.detect_language("¿Alguien sabe dónde comprar harina para pan en Leith?", "sv") == (
        "es"
    )


@pytest.mark.parametrize(
    ("tag", "code"), [("en-GB", "en"), ("pt_BR", "pt"), ("ES", "es"), ("qme", None), ("", None)]
)
def test_platform_tags_become_iso_codes(tag: str, code: str | None) -> None:
    assert text.language_tag(tag) == code


def test_a_region_tag_is_returned_as_its_language() -> None:
    assert text.detect_language("🎉", "en-GB") == "en"
    assert text.detect_language("🎉", "qme") == "en"  # X's "media only" is no language


def test_other_scripts_are_not_forced_into_a_latin_language() -> None:
    assert text.detect_language("Привет, как дела? Хорошая погода сегодня", "en") == "ru"
    assert text.detect_language("おはようございます、今日はいい天気ですね", "en") == "ja"


def test_mentions_links_and_hashtags_do_not_change_the_language() -> None:
    post = "@jo_bakes Vocês têm pão sem glúten? https://example.com/menu #Leith"
    assert text.detect_language(post, "en") == "pt"


def test_the_detector_is_built_once_and_only_when_first_needed() -> None:
    script = "import analysis.text as t; print(t.language_detector.cache_info())"
    importing = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "currsize=0" in importing.stdout  # importing the module builds nothing
    assert text.language_detector() is text.language_detector()
