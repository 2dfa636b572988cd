"""The course map is the single source of the README table, Binder links and notebook list."""

import re
import urllib.parse

import pytest

from course_lib import syllabus
from course_lib.syllabus import COURSE, REPO_ROOT, binder_url, entry, markdown_table, nbgitpuller_url, render_readme_map


def test_map_plans_the_whole_course_in_order():
    assert [e.number for e in COURSE] == list(range(len(COURSE)))  # numbered 0, 1, 2 ... in order
    assert len({e.id for e in COURSE}) == len(COURSE)
    assert all(e.minutes > 0 and e.objectives for e in COURSE)
    assert COURSE[0].id == "00_start_here" and COURSE[0].enabled


def test_titles_are_sentence_case_with_no_trailing_period():
    for e in COURSE:
        words = e.title.replace(":", "").split()
        assert e.title[0].isupper() and not e.title.endswith("."), e.title
        # sentence case: apart from the first word, only acronyms/proper names are capitalised
        assert all(not w[0].isupper() or w.isupper() or w in {"IASP"} for w in words[1:]), e.title


def test_readme_course_map_matches_the_syllabus():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert render_readme_map(readme) == readme, "README course map is stale: run `make readme`"


def test_readme_has_one_binder_link_per_enabled_notebook():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for e in COURSE:
        assert (binder_url(e) in readme) == e.enabled, e.id


def test_readme_without_markers_gives_a_clear_error():
    with pytest.raises(ValueError, match="course-map"):
        render_readme_map("# A README with no map")


def test_binder_url_opens_the_notebook_in_lab():
    url = binder_url(entry("00_start_here"), repository="someone/course")
    assert url == "https://mybinder.org/v2/gh/someone/course/HEAD?urlpath=lab/tree/notebooks/00_start_here.ipynb"


def test_nbgitpuller_url_round_trips():
    url = nbgitpuller_url("hub.example.edu", entry("00_start_here"), repository="someone/course")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    assert url.startswith("https://hub.example.edu/hub/user-redirect/git-pull?")
    assert query == {
        "repo": ["https://github.com/someone/course"],
        "branch": ["main"],
        "urlpath": ["lab/tree/course/notebooks/00_start_here.ipynb"],
    }


def test_unknown_notebook_names_the_known_ones():
    with pytest.raises(KeyError, match="00_start_here"):
        entry("99_nothing")


def test_markdown_table_marks_planned_notebooks():
    table = markdown_table()
    assert len(re.findall(r"coming soon", table)) == sum(not e.enabled for e in COURSE)
    assert syllabus.total_minutes() == sum(e.minutes for e in COURSE if e.enabled)


def test_objectives_are_you_can_statements_with_question_ids_for_written_notebooks():
    from course_lib.quiz import load_bank

    for e in COURSE:
        for objective in e.objectives:
            assert objective.text[0].islower() and not objective.text.endswith("."), objective.text
        if e.enabled:
            ids = set(load_bank(e.id).ids)
            assert all(o.checked_by and set(o.checked_by) <= ids for o in e.objectives), e.id


def test_objectives_block_lists_every_objective():
    from course_lib.syllabus import objectives_block

    block = objectives_block("03_acute_vs_chronic")
    for objective in entry("03_acute_vs_chronic").objectives:
        assert f"- {objective.text}" in block
    assert block.count("\n- ") == len(entry("03_acute_vs_chronic").objectives)


def test_the_explore_edition_is_linked_from_the_course_map_beside_binder():
    from course_lib import site
    from course_lib.syllabus import enabled_notebooks, explore_url

    first = enabled_notebooks()[0]
    assert explore_url(first).endswith("/" + site.page_name(first.id))
    assert explore_url(repository="Owner/course") == "https://owner.github.io/course/"
    table = markdown_table()
    assert all(f"({explore_url(e)})" in table for e in enabled_notebooks())


def test_notebook_00_points_to_the_explore_edition():
    import json

    from course_lib.syllabus import course_map_html, explore_url

    assert f"href='{explore_url()}'" in course_map_html()
    start = json.loads((REPO_ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"))
    assert explore_url() in json.dumps(start), "re-run notebook 00 (tools/execute_notebooks.py)"
