"""The cleaner's layout rules on excerpts of real NewsWCL50 pages: titles that end in a full stop, the front
matter between the title and the dateline, lines repeating a paragraph's opening, escaped paragraph breaks."""

from __future__ import annotations

from claimcmp.stages.clean import BoilerplateCleaner
from claimcmp.stages.segment import SentenceSegmenter


def _removed(text: str) -> list[tuple[str, str]]:
    return [(r.reason, text[r.start:r.end]) for r in BoilerplateCleaner().clean(text).removed]


def _sentences(text: str) -> list[str]:
    res = BoilerplateCleaner().clean(text)
    return [text[s.start:s.end] for s in SentenceSegmenter().segment(text, res.kept)]


# NYT, NewsWCL50 9_9_L: a title with a full stop, a caption, then the dateline that opens the story.
TITLE = "Israel's claims on Iran divide Europe and U.S. on merits of nuclear deal."
CAPTION = ("Prime Minister Benjamin Netanyahu of Israel, left, and Secretary of State Mike Pompeo on Sunday in Tel "
           "Aviv. The prime minister briefed Mr. Pompeo about the details of his presentation during the visit.")
LEAD = ("The Trump administration on Tuesday embraced Israel's claims that Iran entered a nuclear deal with the "
        "world's major powers under false pretenses, a stark divergence from its European allies.")
NEXT = ("The administration echoed the claims made by Prime Minister Benjamin Netanyahu on Monday in a dramatic "
        "PowerPoint presentation, suggesting he had coordinated it with the White House.")
THIRD = ("Mr. Trump has threatened to scrap the deal as soon as May 12, if Britain, France and Germany do not agree "
         "to wholesale changes.")


def test_a_title_ending_in_a_full_stop_and_the_front_matter_above_the_dateline_are_removed() -> None:
    text = f"{TITLE}\n\n{CAPTION}\n\nWASHINGTON — {LEAD}\n\n{NEXT}\n\n{THIRD}"
    assert _removed(text) == [("heading", TITLE), ("front_matter", CAPTION), ("dateline", "WASHINGTON —")]
    assert _sentences(text) == [LEAD, NEXT, THIRD]


def test_without_a_dateline_below_it_the_second_line_stays() -> None:
    # HuffPost 5_5_LL: the sub-headline has no dateline below it, so nothing marks it off from a lead
    title = "Donald Trump's UK visit on 13 July confirmed as mass protests planned"
    dek = "The US President will ' definitely be coming to London '."
    lead = ("Donald Trump will visit London in July despite the threat of protests, the US ambassador to the UK "
            "has insisted.")
    text = f"{title}\n\n{dek}\n\n{lead}\n\n{NEXT}\n\n{THIRD}"
    assert _removed(text) == [("heading", title)]
    assert _sentences(text)[:2] == [dek, lead]


def test_a_first_line_that_is_the_lead_is_kept() -> None:
    # Fox 4_4_R's lead, with no title above it: too long for a title, and a lead says when
    lead = ("President Trump warned Iran's leaders Tuesday that if Iran \" threatens \" the U.S. \" they will pay a "
            "price like no country has ever paid. \"")
    more = ("He also stood by his criticism of the Obama - era nuclear pact as visiting French President Emmanuel "
            "Macron lobbied him to preserve it.")
    text = f"{lead}\n\n{more}\n\n{THIRD}"
    assert _removed(text) == []
    assert _sentences(text) == [lead, more, THIRD]


def test_wire_style_leads_one_sentence_per_paragraph_are_kept() -> None:
    # NeuS val leads laid out one sentence per paragraph (wire style): a short undated lead shares some of
    # its words with the story below it, but far fewer than a headline does
    china = [  # neus0062_left
        "China has hit back at President Donald Trump by imposing new trade tariffs on $60bn of American goods.",
        "It comes after the US slapped duties on $200bn of Chinese imports on Monday, escalating its trade war with "
        "Beijing.",
        "China will target American goods such as liquefied natural gas, which are produced in states loyal to the "
        "US president.",
    ]
    quote = [  # neus0000_left
        '"In 30-plus years of politics, I’ve never seen this level of doom," said one prominent centrist Democrat.',
        "Moderate Democrats watched in horror as Bernie Sanders soared to a landslide victory in Nevada.",
        "The performance sent already worried Democrats into a full-blown panic.",
    ]
    for paras in (china, quote):
        text = "\n\n".join(paras)
        assert _removed(text) == []
        assert _sentences(text) == paras


def test_a_caption_repeating_a_paragraph_opening_is_removed_and_the_paragraph_kept() -> None:
    # NYT 4_4_L: the caption is the opening of a later paragraph, word for word
    caption = ("For the first official state visit of his presidency, Mr. Trump hosted a traditional arrival "
               "ceremony on the South Lawn.")
    para = ("For the first official state visit of his presidency, Mr. Trump hosted a traditional arrival ceremony "
            "on the South Lawn, complete with military bands, color guards, a fife - and - drum corps and a 21 - "
            "gun salute.")
    text = f"{LEAD}\n\n{caption}\n\n{NEXT}\n\n{para}"
    assert _removed(text) == [("repeated", caption)]
    assert para in _sentences(text)


def test_the_dated_lead_is_never_the_repeat() -> None:
    # Reuters via HuffPost 7_7_LL: two video captions restate the lead; the lead opens with the dateline
    lead = ("President Donald Trump has postponed the imposition of steel and aluminum tariffs on Canada, the "
            "European Union and Mexico until June 1, and has reached agreements for permanent exemptions for "
            "Argentina, Australia and Brazil, the White House said on Monday.")
    cap1 = ("President Donald Trump has postponed the imposition of steel and aluminum tariffs on Canada, the "
            "European Union.")
    cap2 = ("President Donald Trump has postponed the imposition of steel and aluminum tariffs on Canada, the "
            "European Union and Mexico until June 1. The decisions came just hours before temporary exemptions from "
            "the tariffs on these countries were set to expire at 12:01 a.m.")
    text = f"WASHINGTON, April 30 (Reuters) - {lead}\n\n{NEXT}\n\n{cap1}\n\n{cap2}\n\n{THIRD}"
    assert _removed(text) == [("dateline", "WASHINGTON, April 30 (Reuters) -"), ("repeated", cap1),
                              ("repeated", cap2)]
    assert _sentences(text)[0] == lead


def test_a_paragraph_printed_twice_is_left_alone() -> None:
    # Fox 2_2_R prints a paragraph twice (a pull quote): neither copy tells which is the story's
    para = ("Before we start singing “Give Peace a Chance” and celebrating a victory by the Trump administration for "
            "forcing Kim to back down, let's pause.")
    text = f"{LEAD}\n\n{para}\n\n{NEXT}\n\n{para}\n\n{THIRD}"
    assert _removed(text) == []


def test_an_escaped_paragraph_break_ends_a_line() -> None:
    # USA Today 8_8_M: a video caption, then "\n" written out, then the dateline that opens the story
    title = "Robert Mueller provides list of questions to Trump's lawyers, ' NYT ' reports."
    caption = ("In an interview with USA TODAY, James Comey warned that should the president fire special counsel "
               "Robert Mueller, it would be \" an attack on the rule of law that we have not seen in our lifetime. \"")
    lead = ("Special counsel Robert Mueller has given a list of almost four dozen questions to lawyers for President "
            "Trump as part of his investigation into Russian meddling in the 2016 election.")
    more = ("The Times obtained a list of the questions, which range from Trump's motivations for firing FBI "
            "Director James Comey a year ago to contacts Trump's campaign had with Russians.")
    text = f"{title}\n\n{caption} \xa0\\n WASHINGTON – {lead}\n\n{more}\n\n{THIRD}"
    # the escape goes with the line it closes, so every character still lies in a kept or removed span
    assert _removed(text) == [("heading", title), ("front_matter", caption + " \xa0\\n"),
                              ("dateline", "WASHINGTON –")]
    assert _sentences(text) == [lead, more, THIRD]


def test_a_title_case_question_line_is_a_heading_and_a_question_sentence_is_not() -> None:
    # NYT 6_6_L embeds a video titled in title case; Fox 2_2_R asks its readers a question
    video = "Where Does Trump's Border Wall Stand Today?"
    question = "So what does this all mean?"
    text = f"{LEAD}\n\n{video}\n\n{NEXT}\n\n{question}\n\n{THIRD}"
    assert _removed(text) == [("heading", video)]
    assert question in _sentences(text)


def test_headings_kept_keep_the_front_matter_too() -> None:
    text = f"{TITLE}\n\n{CAPTION}\n\nWASHINGTON — {LEAD}\n\n{NEXT}\n\n{THIRD}"
    res = BoilerplateCleaner(remove_headings=False).clean(text)
    assert [r.reason for r in res.removed] == ["dateline"]


def test_questions_heading_the_sections_of_an_explainer_are_headings() -> None:
    # Fox 8_8_R is laid out in sections, each headed by a question; one question alone is the writer's own
    qs = ["Why is Mueller overseeing the Russia investigation?", "Has anyone been charged?",
          "Has Trump been questioned?"]
    paras = ["The Department of Justice announced the appointment of Mueller to oversee the federal investigation "
             "into Russia's alleged meddling in the 2016 election in May 2017.",
             "In his leading role, Mueller took over an ongoing investigation into Paul Manafort's financial "
             "dealings in Ukraine.",
             "The president has not been questioned by Mueller or his team yet."]
    text = "\n\n".join([LEAD] + [x for q, p in zip(qs, paras) for x in (q, p)])
    assert _removed(text) == [("heading", q) for q in qs]
    assert _sentences(text) == [LEAD, *paras]
    one = f"{LEAD}\n\nSo what does this all mean?\n\n{paras[0]}\n\n{paras[1]}"
    assert _removed(one) == []


def test_a_caption_in_the_agency_template_is_removed_and_a_dated_sentence_kept() -> None:
    # AP caption in Fox 6_6_R; the NYT 3_3_L sentence and the NeuS lead end on a date in another form or place
    caption = ("Migrants walk to the place where they will be meeting with immigration lawyers, seeking to enter "
               "the United States from Tijuana, Mexico, Friday, April 27, 2018.")
    dated = ("The timing of that earlier filing came just before a one - year statute of limitations for privacy "
             "invasion lawsuits was about to expire; WikiLeaks published the first archives of stolen Democratic "
             "National Committee emails on July 22, 2016.")
    later = ("Frances Haugen is a former Facebook employee who revealed herself as the whistleblower who provided "
             "private research documents to The Wall Street Journal for its Facebook Files project. Haugen was a "
             "product manager at Facebook until May 2021 and has worked for several major tech and social media "
             "companies during her 15-year career. Haugen revealed her identity during an interview with CBS’ 60 "
             "Minutes on Sunday, October 3, 2021.")
    text = f"{LEAD}\n\n{caption}\n\n{dated}\n\n{later}\n\n{NEXT}"
    assert _removed(text) == [("photo_caption", caption)]
    assert dated in _sentences(text)


def test_escaped_breaks_keep_every_character_in_one_span() -> None:
    for text in ("a  \\n b. \\n \\n c \\n", "  \\n Text here. \\n More text follows here.",
                 f"{TITLE} \\n WASHINGTON — {LEAD} \\n {NEXT}"):
        for headings in (True, False):
            res = BoilerplateCleaner(remove_headings=headings).clean(text)
            owner = [0] * len(text)
            for start, end in [(k.start, k.end) for k in res.kept] + [(r.start, r.end) for r in res.removed]:
                assert text[start:end] == text[start:end].strip()
                for i in range(start, end):
                    owner[i] += 1
            assert all(ch.isspace() or owner[i] == 1 for i, ch in enumerate(text))
            assert res.kept
