"""Mystery neuron: seeded hidden change, probing, and the quiz hooks."""

from __future__ import annotations

import pytest

from course_lib.widgets.mystery_neuron import DEFAULTS, MYSTERIES, MysteryNeuronLab


@pytest.fixture(scope="module")
def lab():
    return MysteryNeuronLab(seed=7)


def test_exactly_one_choice_is_correct_and_the_seed_fixes_it():
    a, b = MysteryNeuronLab(seed=3), MysteryNeuronLab(seed=3)
    correct = [c for c in a.answer_choices() if a.is_correct(c)]
    assert len(correct) == 1
    assert [b.is_correct(c) for c in b.answer_choices()] == \
        [a.is_correct(c) for c in a.answer_choices()]
    assert not a.is_correct("something else")


def test_new_mystery_draws_from_the_whole_list():
    lab_ = MysteryNeuronLab(seed=11)
    seen = set()
    for _ in range(30):
        seen.add(lab_._mystery_key)
        lab_.new_mystery()
    assert seen == set(MYSTERIES)


def test_the_answer_is_not_in_the_readout_or_description(lab):
    for text, _ in MYSTERIES.values():
        assert text not in lab.readout.value
        assert text not in lab.description.value


@pytest.mark.parametrize("key", sorted(MYSTERIES))
def test_each_mystery_differs_from_healthy_somewhere(key):
    lab_ = MysteryNeuronLab(seed=0)
    lab_._mystery_key = key
    lab_.probes = {}
    differences = 0
    for amplitude in (50.0, 150.0, 400.0):
        lab_.controls["amplitude"].value = amplitude
        r = lab_.result
        differences += (r["n_spikes_mystery"] != r["n_spikes_healthy"]
                        or abs(r["mystery"].v_mV.max() - r["healthy"].v_mV.max()) > 5.0)
    assert differences >= 1


def test_probes_accumulate_and_reset_clears_them(lab):
    lab.reset()
    for amplitude in (20.0, 80.0, 200.0):
        lab.controls["amplitude"].value = amplitude
    assert set(lab.probes) >= {20.0, 80.0, 200.0}
    assert len(lab.figure.data[3].x) == len(lab.probes)
    lab.reset()
    assert list(lab.probes) == [DEFAULTS["amplitude_pA"]]


def test_compare_checkbox_hides_the_healthy_trace(lab):
    lab.reset()
    assert len(lab.figure.data[0].y) > 0
    lab.controls["compare"].value = False
    assert len(lab.figure.data[0].y) == 0
    assert "healthy" not in lab.readout.value


def test_hidden_key_names_one_of_the_answers_and_matches_is_correct():
    from course_lib.widgets.mystery_neuron import MYSTERIES, MysteryNeuronLab

    for seed in range(6):
        lab = MysteryNeuronLab(seed=seed)
        assert lab.hidden_key in MYSTERIES
        assert lab.is_correct(MYSTERIES[lab.hidden_key][0])


def test_classroom_seeds_hide_different_changes():
    from course_lib.widgets.mystery_neuron import CLASSROOM_SEEDS, MysteryNeuronLab

    hidden = {MysteryNeuronLab(seed=seed).hidden_key for seed in CLASSROOM_SEEDS}
    assert len(hidden) == len(CLASSROOM_SEEDS)


def test_instructors_pick_a_groups_mystery_from_the_dropdown():
    from course_lib.widgets.mystery_neuron import CLASSROOM_SEEDS, MysteryNeuronLab

    lab = MysteryNeuronLab()
    hidden = []
    for seed in CLASSROOM_SEEDS:
        lab.group_choice.value = seed
        hidden.append(lab.hidden_key)
        assert lab.hidden_key == MysteryNeuronLab(seed=seed).hidden_key  # same as the seeded lab
    assert len(set(hidden)) == len(CLASSROOM_SEEDS)  # every group gets its own change
    lab.probes[10.0] = (0, 0)
    lab.reset()
    assert lab.group_choice.value == CLASSROOM_SEEDS[-1], "Reset must not change the group's mystery"


def test_the_group_menu_shows_a_choice_from_the_start_and_can_go_back_to_my_own():
    # a Dropdown reads the value None as "nothing chosen": the menu used to start empty, and going
    # back to "my own random mystery" was impossible with the keyboard
    from course_lib.widgets.mystery_neuron import CLASSROOM_SEEDS, MysteryNeuronLab

    lab = MysteryNeuronLab()
    assert lab.group_choice.index == 0 and lab.group_choice.label == "my own random mystery"
    lab.group_choice.value = CLASSROOM_SEEDS[0]
    seeded = lab.hidden_key
    lab.group_choice.index = 0
    assert lab.group_choice.label == "my own random mystery"
    assert lab.last_error is None
    assert MysteryNeuronLab(seed=CLASSROOM_SEEDS[0]).group_choice.value == CLASSROOM_SEEDS[0]
    assert seeded == MysteryNeuronLab(seed=CLASSROOM_SEEDS[0]).hidden_key


def test_new_mystery_button_clears_the_probes():
    from course_lib.widgets.mystery_neuron import MysteryNeuronLab

    lab = MysteryNeuronLab(seed=1)
    lab.controls["amplitude"].value = 100.0
    assert 100.0 in lab.probes
    lab.new_button.click()
    assert list(lab.probes) == [lab.value("amplitude")]  # only the fresh probe of the new mystery
