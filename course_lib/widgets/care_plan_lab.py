"""Care-plan builder (notebook 05): pick goals and parts of care, preview and download a plan.

Goals and parts of care are Checkboxes; under each part of care the lab shows what it does and
how strong its evidence is, in the words of ``course_lib/careplan.yaml``. The figure shows
which chosen parts serve which chosen goals. Below it, a preview of the one-page plan and two
download links (HTML and Markdown) regenerated on every change.

Downloads are ``<a download="care-plan.html" href="data:text/html;base64,...">`` links inside
an ipywidgets HTML widget: the file is built in the kernel and carried in the link itself, so
nothing is written to disk and nothing leaves the learner's machine. No names are asked for:
the optional "own goal" box says not to type one.

The plan says it is not medical advice, lists questions to ask a clinician and always lists
the red flags that need prompt care (``careplan.build_plan`` includes them all).
"""

from __future__ import annotations

import base64
import html
import re

import ipywidgets as widgets

from .. import careplan as cp
from ..figures.care import build_care_figure, describe_care_figure, update_care_figure
from .base import Lab

HTML_FILE_NAME = "care-plan.html"
MARKDOWN_FILE_NAME = "care-plan.md"
OWN_GOAL_MAX_CHARS = 200
# long labels ("Interdisciplinary pain management programme") are cut at ipywidgets' default width
def _full_line() -> widgets.Layout:
    return widgets.Layout(width="100%", max_width="480px")



_BODY = re.compile(r"<body>\n?(.*)</body>", re.S)


def goal_control(goal_id: str) -> str:
    return f"goal_{goal_id}"


def component_control(component_id: str) -> str:
    return f"component_{component_id}"


def data_link(text: str, mime: str, file_name: str, label: str) -> str:
    """An <a download> link that carries ``text`` (UTF-8) as a base64 data URL."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (f'<a download="{html.escape(file_name)}" href="data:{mime};charset=utf-8;base64,'
            f'{payload}" style="margin-right:1.5em">{html.escape(label)}</a>')


_HEADING = re.compile(r"<(/?)h([1-4])\b")
PREVIEW_HEADING_SHIFT = 2      # the plan's h1 becomes h3 inside the notebook


def plan_body(plan_page: str) -> str:
    """The <body> of the plan page for the in-notebook preview, headings demoted two levels.

    The page's own <style> sets the whole page's body font and width, so it must not be
    injected into JupyterLab; and a second <h1> would break the notebook's heading outline.
    """
    match = _BODY.search(plan_page)
    body = match.group(1) if match else plan_page
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + PREVIEW_HEADING_SHIFT}", body)


def plan_readout(plan: cp.Plan) -> str:
    if not plan.goals and not plan.components:
        return ("Your plan is empty so far: tick a goal or two, then the parts of care that could "
                "serve them. The red flags and questions are always included.")
    unserved = plan.unserved_goals()
    text = (f"Your plan has {len(plan.goals)} goal{'s' if len(plan.goals) != 1 else ''} and "
            f"{len(plan.components)} part{'s' if len(plan.components) != 1 else ''} of care.")
    if unserved:
        text += (" Not yet served by a chosen part of care: "
                 f"{', '.join(g.label.lower() for g in unserved)}: worth asking about.")
    elif plan.goals and plan.components:
        text += " Every chosen goal is served by at least one chosen part of care."
    return text + " This is a starting point for a conversation with a clinician, not advice."


class CarePlanLab(Lab):
    """Goals and parts of multidisciplinary care -> a one-page plan to preview and download."""

    title = "Care-plan builder: goals and the parts of care that serve them (not medical advice)"

    def __init__(self, data: cp.CarePlanData | None = None) -> None:
        self.data = data or cp.load_careplan()
        self.preview = widgets.HTML()
        self.preview.add_class("course-care-plan-preview")
        self.downloads = widgets.HTML()
        self.downloads.add_class("course-care-plan-downloads")
        self.plan: cp.Plan | None = None
        self.plan_html = ""
        self.plan_markdown = ""
        super().__init__()

    # ----- controls ----------------------------------------------------------------------------
    def _build_controls(self) -> dict[str, widgets.Widget]:
        controls: dict[str, widgets.Widget] = {}
        for goal in self.data.goals:
            controls[goal_control(goal.id)] = widgets.Checkbox(
                value=False, description=goal.label, indent=False, tooltip=goal.description,
                style={"description_width": "initial"}, layout=_full_line())
        for component in self.data.components:
            controls[component_control(component.id)] = widgets.Checkbox(
                value=False, description=component.label, indent=False,
                style={"description_width": "initial"}, layout=_full_line())
        controls["own_goal"] = widgets.Text(
            value="", description="My own goal, optional; please no names",
            placeholder="e.g. walk the dog round the park", continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", max_width="480px"))
        return controls

    def _layout_controls(self) -> widgets.Widget:
        goals = widgets.VBox([widgets.HTML("<b>1. Your goals</b> (tick any)"),
                              *(self.controls[goal_control(g.id)] for g in self.data.goals),
                              self.controls["own_goal"]])
        parts = [widgets.HTML("<b>2. Parts of care</b> (tick any; what each does and how strong "
                              "its evidence is, in words)")]
        for c in self.data.components:
            info = widgets.HTML(
                f"<div style='margin:0 0 0.6em 1.6em;font-size:0.9em'>{html.escape(c.what_it_does)}"
                f"<br><i>Evidence:</i> {html.escape(c.evidence)} <i>({html.escape(c.source)})</i></div>")
            parts += [self.controls[component_control(c.id)], info]
        return widgets.VBox([goals, widgets.VBox(parts)])

    def _build_view(self) -> widgets.Widget:
        view = super()._build_view()
        heading = widgets.HTML("<b>3. Your one-page plan</b> (preview, then download)")
        # a new box, so it needs the lab class again: the keyboard helper, the course CSS and the
        # browser tests find a lab by it
        plan_view = widgets.VBox([*view.children, heading, self.downloads, self.preview])
        plan_view.add_class("course-lab")
        return plan_view

    # ----- plan ----------------------------------------------------------------------------------
    def chosen_goals(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.data.goals if self.value(goal_control(g.id)))

    def chosen_components(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.data.components if self.value(component_control(c.id)))

    def _build_figure(self):
        return build_care_figure(self.data)

    def _update(self) -> None:
        own_goal = str(self.value("own_goal"))[:OWN_GOAL_MAX_CHARS]
        plan = cp.build_plan(self.chosen_goals(), self.chosen_components(), own_goal=own_goal,
                             data=self.data)
        page = cp.plan_html(plan)
        markdown = cp.plan_markdown(plan)
        update_care_figure(self.figure, plan)
        self.plan, self.plan_html, self.plan_markdown = plan, page, markdown
        self.downloads.value = (
            data_link(page, "text/html", HTML_FILE_NAME, "Download the plan (HTML)")
            + data_link(markdown, "text/markdown", MARKDOWN_FILE_NAME, "Download the plan (Markdown)"))
        self.preview.value = (
            "<div role='region' tabindex='0' aria-label='Preview of your care plan' style='border:1px solid "
            "var(--jp-border-color1, #999);padding:0 1em;max-height:32em;overflow:auto'>"
            f"{plan_body(page)}</div>")
        self.result = {"plan": plan, "html": page, "markdown": markdown}
        sentence = plan_readout(plan)
        self.set_readout(sentence)
        self.set_description(describe_care_figure(plan))
        self._publish(len(plan.components), sentence)


__all__ = ["CarePlanLab", "component_control", "data_link", "goal_control", "plan_body",
           "plan_readout"]
