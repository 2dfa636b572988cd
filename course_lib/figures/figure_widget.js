// The course's figure widget in the browser: a thin wrapper around plotly's own FigureWidget code.
//
// plotly ships its widget (model + view + plotly.js, about 5 MB) as one ES module. A stock
// FigureWidget carries that module in its `_esm` trait, so every figure sends it again. Here each
// figure's `_esm` is this small file instead; plotly's module arrives once per kernel as the bytes
// of a separate, invisible `PlotlyBundle` widget (see figure_widget.py), is imported once per page
// (cached on globalThis by the bundle's content hash) and every figure delegates to it.
//
// On top of plotly's view it adds what the course needs in the browser:
// - the figure is drawn only once its output area has a width, then follows that width
//   (ResizeObserver): no fixed 700 px fallback, no clipping when the sidebar opens;
// - an accessible name (the title) and aria-describedby pointing at the figure's text description;
// - modebar buttons get aria-labels (plotly only sets a tooltip).
// Theme colours live in figure_widget.css (JupyterLab CSS variables), not here.

const CACHE_KEY = Symbol.for("course_lib.figures.plotly_bundle");
const RESIZE_DELAY_MS = 80;
const RESIZE_RETRIES = 3;
const LOADER_LOOKUP_TRIES = 40;
const INITIALIZE_PATIENCE_MS = 1500;
// How long to wait for each request of plotly's bytes before asking again (about 3 minutes in all).
const BUNDLE_REQUEST_WAITS_MS = [5000, 10000, 20000, 40000, 60000, 60000];

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// The bundle widget is referenced as "IPY_MODEL_<id>". Its comm opens before any figure's, but
// the widget manager may still be registering it, so look it up a few times before giving up.
async function bundleModel(model) {
  const id = String(model.get("_plotly_bundle")).replace(/^IPY_MODEL_/, "");
  let lastError;
  for (let attempt = 0; attempt < LOADER_LOOKUP_TRIES; attempt++) {
    try {
      return await model.widget_manager.get_model(id);
    } catch (error) {
      lastError = error;
      await sleep(25);
    }
  }
  throw new Error(`course figure: plotly bundle widget ${id} not found (${lastError})`);
}

// Ask the kernel for the bundle's bytes (a page reloaded, or a browser that cannot inflate gzip)
// over `target`'s comm: the bundle model's, or the figure's own (both answer in the kernel).
// Resolves with the bytes; with null if no reply came within `waitMs` (the listener is removed);
// with undefined at once if the request could not be sent at all.
function requestBundle(target, encoding, waitMs) {
  return new Promise((resolve) => {
    let timer = null;
    const onMessage = (content, buffers) => {
      if (!content || content.bundle !== encoding || !buffers || !buffers.length) return;
      finish(buffers[0]);
    };
    const finish = (value) => {
      clearTimeout(timer);
      target.off("msg:custom", onMessage);
      resolve(value);
    };
    target.on("msg:custom", onMessage);
    timer = setTimeout(() => finish(null), waitMs);
    try {
      target.send({ request: "bundle", encoding });
    } catch (error) {
      // "Cannot send": this model's comm is closed (the kernel connection dropped and reopened
      // during Restart and Run All, and the page kept the model from before)
      console.warn("course figure: asking for plotly's code failed, will ask another way", error);
      finish(undefined);
    }
  });
}

// The bundle's bytes and their encoding. A request can fail or go unanswered: the kernel
// connection may drop and come back during Restart and Run All, leaving the page a bundle model
// whose comm is closed, or sending the reply to a model the widget manager has since replaced. So
// each try looks the bundle up again and asks it; if that cannot be sent or is not answered, the
// next try asks through the figure's own comm; waits grow each time (the kernel answers only
// between cells during Run All).
async function bundleBytes(model) {
  const canInflate = typeof DecompressionStream === "function";
  let lastError = null;
  let askFigure = false;
  for (const waitMs of BUNDLE_REQUEST_WAITS_MS) {
    let bundle;
    try {
      bundle = await bundleModel(model);
    } catch (error) {
      lastError = error;
      askFigure = true;
    }
    if (bundle) {
      const encoding = bundle.get("encoding") || "identity";
      const bytes = bundle.get("bundle");
      if (bytes && bytes.byteLength && (encoding !== "gzip" || canInflate)) return { bytes, encoding };
    }
    const wanted = canInflate ? "gzip" : "identity";
    const target = askFigure || !bundle ? model : bundle;
    let reply = await requestBundle(target, wanted, waitMs);
    if (reply === undefined && target !== model) reply = await requestBundle(model, wanted, waitMs);
    if (reply) return { bytes: reply, encoding: wanted };
    if (reply === undefined) await sleep(Math.min(waitMs, 5000)); // neither could send: wait a bit
    askFigure = !askFigure;
  }
  throw new Error(`plotly's code did not arrive from the kernel${lastError ? ` (${lastError})` : ""}`);
}

async function bundleSource(model) {
  const { bytes, encoding } = await bundleBytes(model);
  if (encoding !== "gzip") return new Blob([bytes], { type: "text/javascript" });
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Blob([await new Response(inflated).arrayBuffer()], { type: "text/javascript" });
}

// One import per page and bundle version, whatever the number of figures, notebooks or kernels.
function plotlyModule(model) {
  const key = model.get("_bundle_key");
  const cache = (globalThis[CACHE_KEY] ??= new Map());
  if (!cache.has(key)) {
    const loading = (async () => {
      const url = URL.createObjectURL(await bundleSource(model));
      try {
        return await import(/* webpackIgnore: true */ url);
      } finally {
        URL.revokeObjectURL(url);
      }
    })();
    cache.set(key, loading);
    loading.catch((error) => {
      console.error("course figure: could not load plotly", error);
      cache.delete(key); // a later figure may try again
    });
  }
  return cache.get(key);
}

function plainText(html) {
  return String(html ?? "").replace(/<br\s*\/?>/gi, " ").replace(/<[^>]*>/g, "").trim();
}

// The chart's title as drawn; else its layout title; else the name Python gave it; else a generic one.
function accessibleName(model, el) {
  const rendered = el.querySelector(".gtitle");
  if (rendered && rendered.textContent.trim()) return rendered.textContent.trim();
  const title = (model.get("_widget_layout") || {}).title;
  const text = plainText(typeof title === "string" ? title : title && title.text);
  return text || model.get("accessible_name") || "Interactive chart";
}

function labelAll(model, el) {
  el.setAttribute("role", "figure");
  el.setAttribute("aria-label", accessibleName(model, el));
  const described = model.get("description_id");
  if (described) el.setAttribute("aria-describedby", described);
  else el.removeAttribute("aria-describedby");
  for (const button of el.querySelectorAll(".modebar-btn")) {
    const name = button.getAttribute("data-title");
    if (name && !button.getAttribute("aria-label")) {
      button.setAttribute("aria-label", name);
      button.setAttribute("role", "button");
    }
  }
}

export default () => {
  let inner = null; // plotly's own {initialize, render} for this model
  let ready = null; // resolves once `inner` is initialised
  return {
    // anywidget holds this model's messages until initialize resolves, but gives up (and then
    // drops them) after 2 s. Normally plotly is here well before that; if it is not (the bytes
    // had to be asked for on a slow network), finish initialising in the background instead.
    async initialize(context) {
      ready = plotlyModule(context.model).then((plotly) => {
        inner = plotly.default();
        return inner.initialize(context);
      });
      await Promise.race([ready, sleep(INITIALIZE_PATIENCE_MS)]);
    },

    render(context) {
      const { model, el } = context;
      el.classList.add("course-figure");
      labelAll(model, el);
      const relabel = () => labelAll(model, el);
      model.on("change:description_id", relabel);
      model.on("change:accessible_name", relabel);

      let drawn = false;
      let cleanupInner = null;
      let drawnWidth = 0; // until plotly's own layout says what width it drew at
      let timer = null;
      let retries = 0;
      const plottedWidth = () => (el._fullLayout && el._fullLayout.width) || drawnWidth;
      const draw = () => {
        drawn = true;
        cleanupInner = inner.render(context);
        drawnWidth = el.clientWidth;
        // plotly emits plotly_afterplot on every redraw: keep the name and button labels current
        if (typeof el.on === "function") el.on("plotly_afterplot", relabel);
        relabel();
      };
      // Compare with the width plotly really drew at, not the width last asked for: a resize that
      // plotly skipped (the plot was hidden, or still being drawn) is tried again, a few times at
      // most, instead of leaving the plot wider than its output area until the window changes.
      const resize = () => {
        timer = null;
        const width = el.clientWidth;
        if (!width || Math.abs(width - plottedWidth()) < 2 || !globalThis.Plotly) {
          retries = 0;
          return;
        }
        globalThis.Plotly.Plots.resize(el)
          .catch(() => {}) // hidden meanwhile: the size change when it is shown again retries
          .then(() => {
            if (removed || retries >= RESIZE_RETRIES) return;
            if (el.clientWidth && Math.abs(el.clientWidth - plottedWidth()) >= 2 && timer === null) {
              retries += 1;
              timer = setTimeout(resize, RESIZE_DELAY_MS);
            } else retries = 0;
          });
      };
      // Draw once the output area has a width (a detached element would make plotly fall back to
      // 700 px), then follow the width of the output area.
      let loaded = false;
      let removed = false;
      const onSize = () => {
        if (!el.clientWidth || !loaded || removed) return;
        if (!drawn) {
          draw();
          return;
        }
        retries = 0;
        if (timer === null) timer = setTimeout(resize, RESIZE_DELAY_MS);
      };
      const observer = new ResizeObserver(onSize);
      observer.observe(el);
      ready.then(
        () => {
          loaded = true;
          onSize();
        },
        (error) => {
          el.textContent = `This plot could not load (${error}). Reload the page, or restart the kernel and run the notebook again.`;
        },
      );

      return () => {
        removed = true;
        observer.disconnect();
        if (timer !== null) clearTimeout(timer);
        model.off("change:description_id", relabel);
        model.off("change:accessible_name", relabel);
        if (cleanupInner) cleanupInner();
      };
    },
  };
};
