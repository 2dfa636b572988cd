"""What a learner sees (DESIGN.md): no spoilers, a readable first view, narration not plumbing,
terms defined at first use, objectives that match the syllabus, questions in bank order, and a plain
summary a patient can read. Each rule runs on every notebook, and on a fixture that breaks it."""

from __future__ import annotations

import copy
import importlib

import nbformat
import pytest

from course_lib.glossary import Term, definition_problems, load_glossary
from course_lib.placeholder import placeholder_bundle
from course_lib.quiz import load_bank
from course_lib.syllabus import enabled_notebooks

from . import hygiene

ENABLED = enabled_notebooks()
IDS = [e.id for e in ENABLED]


def lesson(entry):
    return importlib.import_module(f"course_lib.lessons.nb{entry.number:02d}").LESSON


def read(entry):
    return nbformat.read(entry.path, as_version=4)


# ----- every course notebook ------------------------------------------------------------------

@pytest.mark.parametrize("entry", ENABLED, ids=IDS)
def test_generated_text_matches_syllabus_and_glossary(entry):
    assert hygiene.check_generated_text(read(entry), entry.id) == []


@pytest.mark.parametrize("entry", ENABLED, ids=IDS)
def test_questions_are_met_in_bank_order(entry):
    nb = read(entry)
    assert hygiene.check_question_order(nb, load_bank(entry.id).ids, lesson(entry).quiz_ids) == []


@pytest.mark.parametrize("entry", ENABLED, ids=IDS)
def test_plain_summary_reads_at_grade_8_or_below(entry):
    assert hygiene.check_plain_summary(read(entry)) == []


@pytest.mark.parametrize("entry", ENABLED, ids=IDS)
def test_every_bank_question_checks_an_objective_and_every_objective_is_checked(entry):
    bank_ids = set(load_bank(entry.id).ids)
    claimed = [qid for o in entry.objectives for qid in o.checked_by]
    assert all(o.checked_by for o in entry.objectives), "an objective of a written notebook checks nothing"
    assert set(claimed) <= bank_ids, f"unknown question ids: {set(claimed) - bank_ids}"
    assert bank_ids <= set(claimed), f"questions that check no objective: {bank_ids - set(claimed)}"


@pytest.mark.parametrize("entry", ENABLED, ids=IDS)
def test_no_lab_default_already_answers_its_predict_question(entry):
    """A lab's starting setting must not be the setting its Predict question asks about."""
    from course_lib.widgets.predictions import controls_match

    links = lesson(entry).connections
    module = importlib.import_module(f"course_lib.lessons.nb{entry.number:02d}")
    for key, link in links.items():
        if link.when is None:  # the mystery: its answer is hidden until the diagnosis is locked in
            continue
        lab = getattr(module, f"{key}_lab")()  # docs/authoring.md: a connection's key names its lab
        assert not controls_match(lab, link.when), f"{key} lab starts in the setting {link.question_id} asks about"


# ----- fixtures: each rule can fail ------------------------------------------------------------

EXPLAIN_MD = ("<details><summary><b>Explain:</b> open this after you have locked in your prediction"
              "</summary>\n\nBecause.\n\n</details>")


def _collapsed_output(text="numbers"):
    return nbformat.v4.new_output("execute_result", execution_count=4,
                                  data={"text/plain": text, "text/html": f"<details><summary>x</summary>{text}</details>"})


def _placeholder_output():
    return nbformat.v4.new_output("execute_result", execution_count=2, data=placeholder_bundle("the lab"))


@pytest.fixture
def predict_section():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from course_lib.lessons.nb02 import *", metadata={"tags": ["setup"]}),
        nbformat.v4.new_markdown_cell("## 3. Lab\n\n**Predict:** lock in first."),
        nbformat.v4.new_code_cell('question("predict_nav18_off")', metadata={"tags": ["quiz", "predict"]},
                                  outputs=[_placeholder_output()]),
        nbformat.v4.new_markdown_cell("**Run:** untick Nav1.8."),
        nbformat.v4.new_code_cell("channel_lab()", metadata={"tags": ["lab"]}, outputs=[_placeholder_output()]),
        nbformat.v4.new_code_cell('model_numbers("nav18_off")', metadata={"tags": ["explain", "nbval-check-output"]},
                                  outputs=[_collapsed_output()]),
        nbformat.v4.new_markdown_cell(EXPLAIN_MD, metadata={"tags": ["explain"]}),
    ]
    return nb


def test_good_predict_section_passes(predict_section):
    assert hygiene.check_no_spoilers(predict_section) == []
    assert hygiene.check_first_view(predict_section) == []
    assert hygiene.check_code_is_narration(predict_section) == []


def test_printed_numbers_after_a_predict_question_fail(predict_section):
    nb = copy.deepcopy(predict_section)
    nb.cells[5].outputs = [nbformat.v4.new_output("stream", name="stdout", text="Nav1.8 off: rheobase 327 pA\n")]
    assert any("prints text" in p for p in hygiene.check_no_spoilers(nb))


def test_open_explanation_after_the_lab_fails(predict_section):
    nb = copy.deepcopy(predict_section)
    nb.cells[6] = nbformat.v4.new_markdown_cell("**Explain:** without Nav1.8 it fires once.")
    assert any("must be tagged 'explain'" in p for p in hygiene.check_no_spoilers(nb))
    nb.cells[6].metadata["tags"] = ["explain"]
    assert any("closed <details>" in p for p in hygiene.check_no_spoilers(nb))
    nb.cells[6].source = EXPLAIN_MD.replace("<details>", "<details open>", 1)
    assert any("closed <details>" in p for p in hygiene.check_no_spoilers(nb))


def test_explain_summary_must_say_when_to_open(predict_section):
    nb = copy.deepcopy(predict_section)
    nb.cells[6].source = "<details><summary>More</summary>\n\nBecause.\n\n</details>"
    assert any("locked in" in p for p in hygiene.check_no_spoilers(nb))


def test_untagged_code_after_a_predict_question_fails(predict_section):
    nb = copy.deepcopy(predict_section)
    nb.cells.insert(5, nbformat.v4.new_code_cell("print(drg.rheobase(drg.HEALTHY))"))
    assert any("must be its lab or tagged 'explain'" in p for p in hygiene.check_no_spoilers(nb))


def test_an_open_numbers_table_fails(predict_section):
    nb = copy.deepcopy(predict_section)
    nb.cells[5].outputs = [nbformat.v4.new_output("execute_result", execution_count=4,
                                                  data={"text/plain": "327 pA", "text/html": "<ul><li>327 pA</li></ul>"})]
    assert any("not a closed <details>" in p for p in hygiene.check_no_spoilers(nb))


def test_a_stored_widget_view_or_bare_repr_fails_the_first_view(predict_section):
    nb = copy.deepcopy(predict_section)
    nb.cells[4].outputs = [nbformat.v4.new_output(
        "display_data", data={"text/plain": "VBox(children=(HTML(value='<b>Channel lab</b>'),))",
                              hygiene.WIDGET_VIEW_MIME: {"model_id": "abc", "version_major": 2, "version_minor": 0}})]
    problems = hygiene.check_first_view(nb)
    assert any("stores a widget view" in p for p in problems)
    assert any("bare widget repr" in p for p in problems)
    assert any("without a 'Run this cell' placeholder" in p for p in problems)


def test_plumbing_in_a_visible_cell_fails(predict_section):
    nb = copy.deepcopy(predict_section)
    nb.cells[4].source = ("channels = ChannelLab()\nconnect_prediction(channels, 'predict_nav18_off', "
                          "value_of=lambda lab: lab.result['n_spikes'])\nchannels")
    problems = hygiene.check_code_is_narration(nb)
    assert any("3 visible code lines" in p for p in problems) and any("lambda" in p for p in problems)
    nb.cells[0].source = "from course_lib.models import drg\nfrom course_lib.lessons.nb02 import *"
    assert any("one setup cell" in p for p in hygiene.check_code_is_narration(nb))


def test_collapsed_wiring_is_allowed(predict_section):
    nb = copy.deepcopy(predict_section)
    nb.cells[4].source = "lab = ChannelLab()\nlab"
    nb.cells[4].metadata["jupyter"] = {"source_hidden": True}
    assert hygiene.check_code_is_narration(nb) == []


def test_question_order_must_follow_the_bank():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('question("b")'), nbformat.v4.new_code_cell('question("a")'),
                nbformat.v4.new_code_cell("quiz()")]
    assert hygiene.check_question_order(nb, ["b", "a", "c"], ("c",)) == []
    assert hygiene.check_question_order(nb, ["a", "b", "c"], ("c",)) != []


def test_a_hard_summary_fails_the_readability_rule():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(
        "## In plain words\n\nPersistent neuropathic nociceptive hypersensitivity necessitates multidisciplinary "
        "pharmacological and psychological interventions targeting maladaptive neuroplasticity.",
        metadata={"tags": ["plain-summary"]})]
    assert any("grade" in p for p in hygiene.check_plain_summary(nb))
    nb.cells[0].source = "## In plain words\n\nNerves can heal. Pain can ease. Ask your team what helps."
    assert hygiene.check_plain_summary(nb) == []


# ----- glossary rules on fixtures ---------------------------------------------------------------

def test_a_term_the_glossary_does_not_hold_fails():
    problems = definition_problems(['The <abbr title="A made-up channel.">Nav9.9</abbr> channel.'])
    assert any("glossary does not hold" in p for p in problems)


def test_first_use_without_definition_fails_and_defined_first_use_passes():
    term = next(t for t in load_glossary() if t.term == "rheobase")
    assert any("first use of 'rheobase'" in p for p in definition_problems(["The rheobase is low."], (term,)))
    assert definition_problems([f"The {term.abbr('rheobase')} is low. Later, rheobase again."], (term,)) == []
    # a definition that comes only after the first use does not count
    late = ["The rheobase is low.", f"Its {term.abbr('rheobase')}."]
    assert any("first use" in p for p in definition_problems(late, (term,)))


def test_a_stale_definition_fails():
    term = Term("rheobase", "The smallest steady current that makes a nerve cell fire.")
    stale = '<abbr title="An old definition.">rheobase</abbr>'
    assert any("differs from the glossary" in p for p in definition_problems([stale], (term,)))
