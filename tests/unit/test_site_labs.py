"""The Explore edition's labs (issue 21, item 2; course_lib/site_labs.py), without a browser.

Every lab cell of every notebook has an explorable or a stated reason to stay a link; every lab of the
registry is behind one; each lab's states are bounded in number; a sample of states matches a freshly
built lab set to the same controls (same readout, same traces within rounding); a setting that answers
a Predict question is marked so the page keeps it hidden until the prediction is locked in; and each
lab's JSON size and each page's own transfer (HTML + its labs' JSON) are reported, the page within 1 MB.
The browser side is tests/browser/test_site_labs_in_browser.py.
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from course_lib import site, site_labs
from course_lib.lab_registry import LABS

PAGE_BUDGET_BYTES = 1_000_000


@pytest.fixture(scope="module")
def cells():
    return site_labs.lab_cells()


@pytest.fixture(scope="module")
def explorables(cells):
    return {cell.name: (cell, site_labs.explorable(cell)) for cell in cells if cell.reason is None}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    site.build(folder)
    return folder


def test_every_lab_cell_is_an_explorable_or_says_why(cells):
    assert len(cells) >= 25  # the lab cells of notebooks 00 to 06
    for cell in cells:
        if cell.reason is not None:
            assert (cell.notebook, cell.function) in site_labs.STATIC_REASONS, (
                f"{cell.notebook}: {cell.source!r} has no explorable and no reason in STATIC_REASONS")
        else:
            assert (cell.notebook, cell.function) in site_labs.SPECS


def test_every_registered_lab_is_behind_an_explorable(explorables):
    shown = {data["lab_class"] for _cell, data in explorables.values()}
    static = {"CarePlanLab"}  # STATIC_REASONS: the care plan is the learner's own, printed
    missing = {entry.name for entry in LABS} - shown - static
    assert missing == set(), f"labs of the registry with no explorable on the site: {sorted(missing)}"


def test_state_counts_are_bounded_and_complete(explorables):
    for name, (cell, data) in explorables.items():
        states = data["states"]
        assert 1 <= len(states) <= site_labs.MAX_STATES, f"{name}: {len(states)} states"
        assert data["default"] in states, name
        for preset in data["presets"]:
            assert preset["key"] in states, f"{name}: preset {preset['label']!r} has no state"
        for control in data["controls"]:
            assert len(control["values"]) == len(control["labels"]) >= 2, f"{name}: {control['name']}"
            assert len(control["values"]) <= max(site_labs.MAX_SLIDER_VALUES + 8, 20), f"{name}: {control['name']}"
        if data["controls"]:
            assert len(states) > len(data["controls"]), f"{name}: too few states to explore"
        assert not any(state.get("e") for state in states.values()), f"{name}: a state ended in an error"


def test_each_control_walks_every_step_from_the_start(explorables):
    """From the starting setting, each visible control reaches each of its values (the 1-D walks)."""
    for name, (_cell, data) in explorables.items():
        start = data["default"].split(",") if data["default"] else []
        hidden = set(data["states"][data["default"]].get("h", []))
        for i, control in enumerate(data["controls"]):
            if control["disabled"] or i in hidden:
                continue
            for j in range(len(control["values"])):
                key = ",".join(start[:i] + [str(j)] + start[i + 1:])
                moved = data["moves"].get(f"{data['default']}|{i}|{j}")
                if control["kind"] == "range" and key not in data["states"] and moved is None:
                    continue  # a value only a coupled control reaches (the distance of a named site)
                assert key in data["states"] or moved in data["states"], (
                    f"{name}: {control['name']} = {control['values'][j]} is missing")


def test_coupled_controls_move_together_as_in_the_notebook(explorables):
    """The regrowth lab's injury site sets its distance: moving the site on the page goes to the state
    the lab reaches (the knee at 450 mm), not to the knee at the wrist's distance."""
    for name, (_cell, data) in explorables.items():
        for asked, reached in data["moves"].items():
            assert reached in data["states"], f"{name}: {asked} -> {reached} has no state"
    _cell, data = explorables["04-regrowth_lab"]
    names = [c["name"] for c in data["controls"]]
    site, distance = data["controls"][names.index("site")], data["controls"][names.index("distance_mm")]
    knee = next(j for j, v in enumerate(site["values"]) if v.startswith("knee"))
    target = data["moves"][f"{data['default']}|{names.index('site')}|{knee}"].split(",")
    assert distance["values"][int(target[names.index("distance_mm")])] == 450


def _figure(data, key):
    diff = {k: v for k, v in data["states"][key].items() if k in ("t", "l")}
    return site_labs.decode(site_labs.apply_diff(data["base"], diff), data["pool"])


def _close(stored, fresh, where: str) -> None:
    if isinstance(stored, dict) and isinstance(fresh, dict):
        assert stored.keys() == fresh.keys(), f"{where}: keys {sorted(stored)} != {sorted(fresh)}"
        for key in stored:
            _close(stored[key], fresh[key], f"{where}.{key}")
    elif isinstance(stored, list) and isinstance(fresh, list) and stored and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in stored + fresh):
        a, b = np.asarray(stored, dtype=float), np.asarray(fresh, dtype=float)
        assert a.shape == b.shape, f"{where}: {a.shape} != {b.shape}"
        span = float(np.ptp(b)) or float(np.max(np.abs(b))) or 1.0
        assert np.allclose(a, b, rtol=0, atol=span * 2e-3), f"{where}: differs by {np.max(np.abs(a - b))}"
    elif isinstance(stored, list) and isinstance(fresh, list):
        assert len(stored) == len(fresh), f"{where}: {len(stored)} != {len(fresh)} items"
        for k, (s, f) in enumerate(zip(stored, fresh)):
            _close(s, f, f"{where}[{k}]")
    elif isinstance(stored, float) or isinstance(fresh, float):
        assert stored == pytest.approx(fresh, rel=1e-3, abs=1e-6), f"{where}: {stored} != {fresh}"
    else:
        assert stored == fresh, f"{where}: {stored!r} != {fresh!r}"


def test_sampled_states_match_a_freshly_built_lab(explorables):
    """For the starting setting, each question's setting and two more states per lab: a new lab, built as
    its notebook builds it and set to the state's controls, shows the same readout, the same figure
    description and (within rounding) the same traces."""
    chooser = random.Random(21)
    for name, (cell, data) in explorables.items():
        keys = list(data["states"])
        sample = {data["default"]}
        sample.update(p["key"] for p in data["presets"] if p.get("question"))
        sample.update(chooser.sample(keys, min(2, len(keys))))
        for key in sorted(sample):
            lab = cell.build()
            if data["controls"]:
                indices = [int(j) for j in key.split(",")]
                values = {c["name"]: c["values"][j] for c, j in zip(data["controls"], indices) if not c["disabled"]}
                if cell.spec.history:
                    start = [int(j) for j in data["default"].split(",")]
                    lab.set_values(**{c["name"]: c["values"][j] for c, j in zip(data["controls"], start)
                                      if not c["disabled"]})
                lab.set_values(**values)
                state = data["states"][key]
                assert state["r"] == lab.readout.value, f"{name} at {values}: readout differs"
                assert state["d"] == site_labs._inner_description(lab.description.value), f"{name}: description"
            fresh = site_labs.decode(site_labs.figure_json(lab.figure, cell.spec.max_points))
            _close(_figure(data, key), fresh, f"{name}[{key}]")


def test_settings_that_answer_a_predict_question_are_locked(explorables):
    for name, (cell, data) in explorables.items():
        link = cell.connection()
        start = data["states"][data["default"]]
        assert not start.get("q"), f"{name}: the starting setting already answers {start.get('q')}"
        if link is None or not link.when:
            assert not any(s.get("q") for s in data["states"].values()), name
            continue
        locked = [key for key, s in data["states"].items() if s.get("q") == link.question_id]
        assert locked, f"{name}: no state is the setting of {link.question_id}"
        tied = [p for p in data["presets"] if p.get("question") == link.question_id]
        assert tied and all(p["key"] in locked for p in tied), f"{name}: no locked preset for {link.question_id}"
        assert link.question_id in data["questions"], name
        observed = [s["o"] for s in data["states"].values() if "o" in s]
        assert observed and all(isinstance(o[0], (int, float, str)) for o in observed), (
            f"{name}: no result for quiz.js to compare with the prediction")


def test_the_mystery_neuron_hands_its_hidden_change_to_its_question(explorables):
    cell, data = explorables["02-mystery_neuron"]
    assert data["observed"]["question"] == "mystery_diagnosis"
    assert data["observed"]["value"] == cell.build().hidden_key


def test_the_balance_map_stays_locked_until_the_prediction(explorables):
    _cell, data = explorables["02-balance_lab"]
    names = [c["name"] for c in data["controls"]]
    with_map = [key for key in data["states"] if key.split(",")[names.index("show_map")] == "1"]
    assert with_map and all(data["states"][key].get("q") == "predict_balance_tip" for key in with_map)


def test_page_budgets_and_sizes_are_reported(built, explorables, capsys):
    lines, over = [], []
    for page in sorted(built.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        labs = [built / src for src in __import__("re").findall(r"data-lab='([^']+)'", text)]
        assert all(p.is_file() for p in labs), page.name
        own = page.stat().st_size + sum(p.stat().st_size for p in labs)
        lines.append(f"{page.name}: {own / 1e3:.0f} kB (HTML {page.stat().st_size / 1e3:.0f} kB + "
                     f"{len(labs)} lab files)")
        if own > PAGE_BUDGET_BYTES:
            over.append(f"{page.name}: {own} bytes")
    lines += site_labs.report(built)
    total = sum(p.stat().st_size for p in built.rglob("*") if p.is_file())
    lines.append(f"whole site: {total / 1e6:.1f} MB")
    with capsys.disabled():
        print("\nExplore edition sizes:\n  " + "\n  ".join(lines))
    assert over == [], f"pages over the {PAGE_BUDGET_BYTES} byte budget: {over}"


def test_pages_load_plotly_and_explore_only_where_there_are_labs(built):
    for page in built.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        has_labs = "class='explore'" in text
        assert ("plotly-cartesian.min.js" in text) == has_labs, page.name
        assert ("explore.js" in text) == has_labs, page.name
        assert "cdn" not in text.lower() and "https://cdn" not in text, page.name
    assert (built / site_labs.VENDOR_DIR / site_labs.PLOTLY_JS).is_file()
    assert (built / site_labs.VENDOR_DIR / "LICENSE.plotly.txt").is_file()


def test_lab_json_is_plain_local_data(built):
    for path in (built / site_labs.LAB_DIR).glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert "http://" not in path.read_text(encoding="utf-8").replace("http://www.w3.org", ""), path.name
        assert {"controls", "states", "base", "default", "pool"} <= data.keys(), path.name
        assert all(len(key.split(",")) == len(data["controls"]) for key in data["states"] if key), path.name


def test_a_missing_plotly_bundle_names_the_command(tmp_path, monkeypatch):
    monkeypatch.setattr(site_labs, "plotly_bundle", lambda: tmp_path / "nothing" / site_labs.PLOTLY_JS)
    with pytest.raises(FileNotFoundError, match="tools/fetch_plotly_js.py"):
        site_labs.write_assets(tmp_path)


def test_fetch_script_refuses_a_changed_download():
    import importlib.util

    from course_lib.syllabus import REPO_ROOT

    spec = importlib.util.spec_from_file_location("fetch_plotly_js", REPO_ROOT / "tools" / "fetch_plotly_js.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(ValueError, match="integrity mismatch"):
        module.verify(b"not the tarball")
    assert module.INTEGRITY.startswith("sha512-") and module.VERSION == "4.1.1"


def test_delta_encoding_round_trips():
    values = np.array([-66.53, -66.5, 40.1, -80.0, -66.2, 0.0, 12.25, 3.0, 2.0])
    encoded = site_labs._round_array(values)
    decoded = site_labs.decode(encoded)
    assert np.allclose(decoded, values, atol=0.125)
    pool: list = []
    pooled = site_labs._pooled({"a": encoded, "b": [encoded]}, pool, {})
    assert len(pool) == 1 and site_labs.decode(pooled, pool) == {"a": decoded, "b": [decoded]}
