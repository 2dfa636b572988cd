// The quiz's live region: an ARIA status element that exists from the first display and whose
// HTML is replaced in place, so a screen reader announces each new verdict (course_lib.quiz.render).
function render({ model, el }) {
  const region = document.createElement("div");
  region.className = "course-quiz-live";
  region.setAttribute("role", "status");
  region.setAttribute("aria-live", "polite");
  region.setAttribute("aria-atomic", "true");
  el.appendChild(region);
  const update = () => { region.innerHTML = model.get("value"); };
  update();
  model.on("change:value", update);
  return () => model.off("change:value", update);
}
export default { render };
