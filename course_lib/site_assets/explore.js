/* The Explore edition's labs: precomputed states of a course lab, drawn with plotly.js (issue 21, item 2).
 *
 * Each <section class="explore" data-lab="labs/<name>.json" data-notebook="<id>"> on a page becomes the
 * lab's controls (the labels, units and steps of the notebook's lab), its figure, its readout (an
 * aria-live polite region) and its figure description. Moving a control shows the precomputed state
 * of the new setting; a combination that was not precomputed moves the other controls to the nearest
 * precomputed setting, and the page says which. A setting that answers a Predict question stays
 * hidden (and its preset disabled) until the quiz reports the prediction locked in: the
 * 'course:predicted' event, or window.courseQuiz.isLocked(notebook, question).
 *
 * The JSON is written by course_lib/site_labs.py. Nothing is fetched from outside the site.
 */
(function () {
  'use strict';

  var LOCK_WORDS = 'Lock in your prediction above first';
  var predicted = {};
  var labs = [];
  var counter = 0;

  function isLocked(notebook, question) {
    if (predicted[notebook + '/' + question]) return true;
    var quiz = window.courseQuiz;
    try {
      return !!(quiz && typeof quiz.isLocked === 'function' && quiz.isLocked(notebook, question));
    } catch (e) {
      return false;
    }
  }

  // ----- data: the pool of shared arrays and the delta encoding (site_labs._pooled, _round_array)
  function decodeArray(encoded) {
    var scale = Math.pow(10, encoded._d), total = 0, out = new Array(encoded._v.length);
    for (var i = 0; i < encoded._v.length; i++) {
      total += encoded._v[i];
      out[i] = encoded._d ? total / scale : total;
    }
    return out;
  }

  function decode(value, lab) {
    if (Array.isArray(value)) return value.map(function (v) { return decode(v, lab); });
    if (value && typeof value === 'object') {
      if ('_p' in value && Object.keys(value).length === 1) {
        var n = value._p;
        if (!lab.decoded[n]) lab.decoded[n] = decodeArray(lab.data.pool[n]);
        return lab.decoded[n];
      }
      if ('_d' in value && '_v' in value && Object.keys(value).length === 2) return decodeArray(value);
      var out = {};
      Object.keys(value).forEach(function (k) { out[k] = decode(value[k], lab); });
      return out;
    }
    return value;
  }

  function figureOf(lab, key) {
    var state = lab.data.states[key], base = lab.data.base;
    var data = base.data.map(function (t) { return Object.assign({}, t); });
    var layout = Object.assign({}, base.layout);
    Object.keys(state.t || {}).forEach(function (i) {
      var changed = state.t[i], trace = data[+i];
      Object.keys(changed).forEach(function (k) {
        if (changed[k] === null) delete trace[k]; else trace[k] = changed[k];
      });
    });
    Object.keys(state.l || {}).forEach(function (k) {
      if (state.l[k] === null) delete layout[k]; else layout[k] = state.l[k];
    });
    return { data: decode(data, lab), layout: decode(layout, lab) };
  }

  // ----- the course's look: the site's colours, light or dark
  function theme() {
    var css = getComputedStyle(document.documentElement);
    function v(name, fallback) { return (css.getPropertyValue(name) || '').trim() || fallback; }
    return { fg: v('--fg', '#1a1a1a'), muted: v('--muted', '#555'), rule: v('--rule', '#d0d0d0'),
             bg: v('--bg', '#fff'), box: v('--box', '#f3f6fa') };
  }

  var BLACK = /^(#000000|#000|black|rgb\(0, ?0, ?0\))$/i;

  function recolour(value, th) {
    if (Array.isArray(value)) return value.map(function (v) { return recolour(v, th); });
    if (value && typeof value === 'object') {
      var out = {};
      Object.keys(value).forEach(function (k) {
        var v = value[k];
        out[k] = (typeof v === 'string' && /color$/i.test(k) && BLACK.test(v)) ? th.fg : recolour(v, th);
      });
      return out;
    }
    return value;
  }

  // ----- a phone: long words of a figure go onto more lines
  // About how wide one character of the figure's small text is (Arial, 11-12 px), to turn a width in
  // pixels into a number of characters per line.
  var CHAR_PX = 6.4;

  // `text` broken at spaces into lines of at most `chars` characters (plotly draws <br> as a new line);
  // a line that fits, or a single word, is left as it is.
  function wrapped(text, chars) {
    if (typeof text !== 'string') return text;
    return text.split(/<br\s*\/?>/i).map(function (part) {
      if (part.length <= chars) return part;
      var lines = [];
      var line = '';
      part.split(' ').forEach(function (word) {
        if (line && (line + ' ' + word).length > chars) {
          lines.push(line);
          line = word;
        } else line = line ? line + ' ' + word : word;
      });
      if (line) lines.push(line);
      return lines.join('<br>');
    }).join('<br>');
  }

  function lineCount(text) { return typeof text === 'string' ? text.split(/<br\s*\/?>/i).length : 1; }

  function titleText(title) { return title && typeof title === 'object' ? title.text : title; }
  function withTitleText(title, text) {
    return title && typeof title === 'object' ? Object.assign({}, title, { text: text }) : { text: text };
  }

  // The fraction of the plotting width or height an axis spans (its domain; [0, 1] when not set).
  function span(axis) {
    var d = axis && axis.domain;
    return d && d.length === 2 ? Math.max(0.05, d[1] - d[0]) : 1;
  }

  // On a narrow screen each title, axis title and annotation gets lines no longer than the room it has:
  // the figure's width for its title, the axis's length for an axis title, and for an annotation the
  // width of the axis it stands on (a subplot title stands on its column's), or for a label at a point
  // the room on its side of that point.
  function wrapForPhone(layout, width) {
    var margin = layout.margin || {};
    var plotWidth = Math.max(120, width - (margin.l || 70) - (margin.r || 20));
    var plotHeight = Math.max(120, (layout.height || 450) - (margin.t || 60) - (margin.b || 80));
    if (layout.title && titleText(layout.title)) {
      var before = lineCount(titleText(layout.title));
      layout.title = withTitleText(layout.title, wrapped(titleText(layout.title), Math.floor(width / (CHAR_PX + 1.5))));
      var added = lineCount(titleText(layout.title)) - before;
      if (added > 0) { // the plot (and a legend above it) moves down to make room for the new lines
        layout.margin = Object.assign({}, margin, { t: (margin.t || 60) + 17 * added });
        layout.height = (layout.height || 450) + 17 * added;
      }
    }
    var xAxes = [];
    Object.keys(layout).forEach(function (k) {
      var m = /^([xy])axis(\d*)$/.exec(k);
      if (!m) return;
      var axis = layout[k];
      if (m[1] === 'x') xAxes.push({ name: 'x' + m[2], domain: (axis.domain || [0, 1]) });
      var text = titleText(axis.title);
      if (!text) return;
      var room = m[1] === 'x' ? span(axis) * plotWidth : span(axis) * plotHeight;
      var title = withTitleText(axis.title, wrapped(text, Math.floor(room / CHAR_PX)));
      title.font = Object.assign({}, (axis.title && axis.title.font) || {}, { size: 11 });
      layout[k] = Object.assign({}, axis, { title: title });
    });
    if (!Array.isArray(layout.annotations)) return;
    var room = { width: plotWidth, height: plotHeight, right: margin.r || 12, xAxes: xAxes };
    layout.annotations = layout.annotations.map(function (a) { return fittedAnnotation(a, layout, room); });
  }

  // One annotation for a phone (see wrapForPhone); `room`: the plotting width and height, the right
  // margin and the x axes with their domains.
  function fittedAnnotation(a, layout, room) {
    if (typeof a.text !== 'string') return a;
    var ref = String(a.xref || 'paper');
    var axisName = ref.replace(/ domain$/, '');
    var onAxis = room.xAxes.filter(function (x) {
      return ref === 'paper' ? typeof a.x === 'number' && a.x >= x.domain[0] - 0.01 && a.x <= x.domain[1] + 0.01
                             : axisName === x.name;
    });
    var length = onAxis.length  // the width of the axis (column) it stands on, in pixels
      ? Math.min.apply(null, onAxis.map(function (x) { return (x.domain[1] - x.domain[0]) * room.width; }))
      : room.width;
    var charPx = CHAR_PX * ((a.font && a.font.size) || 12) / 12;
    var chars = Math.max(8, Math.floor(length / charPx));
    // a label at a point of a data axis with a fixed range runs from that point to one side: if its
    // longest line does not fit on that side but fits on the other, it moves to the other side of the
    // point; only if it fits on neither is it broken into lines
    var axis = layout[axisName.replace(/^x/, 'xaxis')];
    var anchor = a.xanchor || 'center';
    if (ref === axisName && axis && Array.isArray(axis.range) && typeof a.x === 'number' && anchor !== 'center') {
      var at = (a.x - axis.range[0]) / (axis.range[1] - axis.range[0]);
      var right = (1 - at) * length + room.right;
      var left = at * length;
      var longest = Math.max.apply(null, a.text.split(/<br\s*\/?>/i).map(function (t) { return t.trim().length; }));
      var needed = longest * charPx;
      var side = anchor === 'left' ? right : left;
      var other = anchor === 'left' ? left : right;
      if (needed > side && needed <= other) {
        a = Object.assign({}, a, { xanchor: anchor === 'left' ? 'right' : 'left', text: a.text.trim() });
        side = other;
      }
      chars = Math.max(8, Math.floor(side / charPx));
    }
    var text = wrapped(a.text, chars);
    // a label hanging under a point near the bottom of its axis would run into the tick labels: above it
    var yaxis = layout[String(a.yref || '').replace(/^y/, 'yaxis')];
    if ((a.yanchor === 'top') && yaxis && Array.isArray(yaxis.range) && typeof a.y === 'number') {
      var below = (a.y - yaxis.range[0]) / (yaxis.range[1] - yaxis.range[0]) * span(yaxis) * room.height;
      if (below < lineCount(text) * 15) a = Object.assign({}, a, { yanchor: 'bottom' });
    }
    return Object.assign({}, a, { text: text });
  }

  function styled(figure, element) {
    var th = theme();
    var layout = recolour(figure.layout, th);
    var narrow = element.clientWidth && element.clientWidth < 520;
    layout.paper_bgcolor = 'rgba(0,0,0,0)';
    layout.plot_bgcolor = 'rgba(0,0,0,0)';
    layout.font = Object.assign({}, layout.font || {}, { color: th.fg });
    layout.autosize = true;
    layout.dragmode = false; // a finger on a phone scrolls the page, not the plot
    delete layout.width;
    if (narrow && Array.isArray(layout.annotations)) { // subplot titles and labels: smaller on a phone
      layout.annotations = layout.annotations.map(function (a) {
        return Object.assign({}, a, { font: Object.assign({}, a.font || {}, { size: Math.min((a.font || {}).size || 14, 11) }) });
      });
    }
    var rightAxis = Object.keys(layout).some(function (k) { return /^yaxis\d*$/.test(k) && layout[k].side === 'right'; });
    if (narrow && layout.margin && !rightAxis) {
      layout.margin = Object.assign({}, layout.margin, { r: Math.min(layout.margin.r || 20, 12) });
    }
    Object.keys(layout).forEach(function (k) {
      if (/^[xy]axis\d*$/.test(k)) {
        var axis = Object.assign({}, layout[k], { gridcolor: th.rule, zerolinecolor: th.rule });
        // a phone: plotly widens a margin where an axis's tick labels and title need it
        if (narrow) axis.automargin = true;
        if (axis.showline) axis.linecolor = th.muted; // (a line colour on an empty subplot draws NaN paths)
        layout[k] = axis;
      }
    });
    if (layout.legend) layout.legend = Object.assign({}, layout.legend, { bgcolor: 'rgba(0,0,0,0)' });
    var legendBelow = layout.legend && layout.legend.orientation === 'h'
      && ((layout.legend.y || 0) < 0 || (layout.legend.yref === 'container' && (layout.legend.y || 0) <= 0.05));
    if (narrow && legendBelow) {
      // a phone: the legend's rows go under the whole figure, where they cannot cover an axis title, in
      // a bottom margin made tall enough for them here: left to plotly's automargin, a tall legend
      // against the figure's box pulls the x-axis title up into the plot (plotly.js issue #7079)
      layout.legend = Object.assign({}, layout.legend, { yref: 'container', y: 0, yanchor: 'bottom', x: 0 });
      var entries = figure.data.filter(function (t) { return t.showlegend !== false && t.name && t.visible !== false; }).length;
      var rows = element.clientWidth < 420 ? entries : Math.ceil(entries / 2);
      layout.margin = Object.assign({}, layout.margin || {}, { b: ((layout.margin || {}).b || 80) + 22 * rows });
      layout.height = (layout.height || 450) + 22 * rows;
    }
    if (layout.title && typeof layout.title === 'object') {
      layout.title = Object.assign({}, layout.title, { font: Object.assign({}, layout.title.font || {}, { color: th.fg }) });
      if (narrow && layout.title.text) layout.title.font.size = Math.min(layout.title.font.size || 17, 14);
    }
    if (narrow) wrapForPhone(layout, element.clientWidth);
    return { data: recolour(figure.data, th), layout: layout };
  }

  var CONFIG = { displaylogo: false, displayModeBar: false, responsive: true, scrollZoom: false };

  // ----- one explorable
  function make(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'className') el.className = attrs[k]; else el.setAttribute(k, attrs[k]);
    });
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function Lab(section, data) {
    var lab = this;
    this.section = section;
    this.data = data;
    this.notebook = section.getAttribute('data-notebook') || data.notebook;
    this.decoded = {};
    this.id = 'explore-' + (++counter);
    this.current = data.default === '' ? [] : data.default.split(',').map(Number);
    this.previous = null;
    this.inputs = [];
    this.keys = Object.keys(data.states);

    var loading = section.querySelector('.explore-loading');
    if (loading) loading.remove();

    if (data.controls.length) {
      var box = make('div', { className: 'explore-controls' });
      data.controls.forEach(function (control, i) { box.appendChild(lab.control(control, i)); });
      section.appendChild(box);
    }
    if (data.presets.length || data.controls.length) {
      var group = make('div', { className: 'explore-presets', role: 'group', 'aria-label': 'Settings to try' });
      var reset = make('button', { type: 'button' }, 'Starting setting');
      reset.addEventListener('click', function () { lab.show(data.default, ''); });
      group.appendChild(reset);
      this.presetButtons = data.presets.map(function (preset) {
        var button = make('button', { type: 'button' });
        if (preset.question) button.setAttribute('data-question', preset.question);
        button.addEventListener('click', function () {
          if (!preset.question || isLocked(lab.notebook, preset.question)) lab.show(preset.key, '');
        });
        group.appendChild(button);
        return { button: button, preset: preset };
      });
      section.appendChild(group);
    } else {
      this.presetButtons = [];
    }
    if (data.controls.length) {
      var note = 'This page holds ' + this.keys.length + ' precomputed settings: each control on its own from the ' +
        'starting setting, and the presets' + (data.combos ? '; ' + data.combos : '') + '. Other combinations ' +
        'run in the live notebook.';
      data.skipped.forEach(function (s) { note += ' ' + s.label + ': ' + s.why + '.'; });
      section.appendChild(make('p', { className: 'explore-note muted' }, note));
    }
    this.snap = make('p', { className: 'explore-snap muted', 'aria-live': 'polite' });
    section.appendChild(this.snap);
    this.lock = make('div', { className: 'explore-lock', hidden: '' });
    section.appendChild(this.lock);
    this.plot = make('div', { className: 'explore-figure', id: this.id + '-figure', role: 'img',
                              'aria-label': 'Chart: ' + (data.title || 'lab figure'),
                              'aria-describedby': this.id + '-description' });
    section.appendChild(this.plot);
    this.readout = make('div', { className: 'explore-readout', 'aria-live': 'polite' });
    if (data.controls.length) section.appendChild(this.readout);
    this.description = make('p', { className: 'explore-description', id: this.id + '-description' });
    section.appendChild(this.description);
    this.show(data.default, '');
    if (data.observed) this.report(data.observed.question, data.observed.value, data.observed.description);
  }

  Lab.prototype.control = function (control, i) {
    var lab = this, id = this.id + '-' + control.name, row = make('div', { className: 'explore-control' });
    var input;
    if (control.kind === 'range') {
      row.appendChild(make('label', { for: id }, control.label));
      input = make('input', { type: 'range', id: id, min: 0, max: control.values.length - 1, step: 1 });
      var output = make('output', { for: id, 'aria-hidden': 'true' });
      row.appendChild(input);
      row.appendChild(output);
      input.addEventListener('input', function () { lab.move(i, +input.value); });
      input._output = output;
    } else if (control.kind === 'checkbox') {
      input = make('input', { type: 'checkbox', id: id });
      row.appendChild(input);
      row.appendChild(make('label', { for: id }, control.label));
      input.addEventListener('change', function () { lab.move(i, input.checked ? 1 : 0); });
    } else {
      row.appendChild(make('label', { for: id }, control.label));
      input = make('select', { id: id });
      control.labels.forEach(function (label, j) { input.appendChild(make('option', { value: j }, label)); });
      row.appendChild(input);
      input.addEventListener('change', function () { lab.move(i, +input.value); });
    }
    if (control.disabled) input.disabled = true;
    input._row = row;
    this.inputs.push(input);
    return row;
  };

  Lab.prototype.sync = function (hidden) {
    var lab = this;
    this.data.controls.forEach(function (control, i) {
      var input = lab.inputs[i], j = lab.current[i];
      if (control.kind === 'range') {
        input.value = j;
        input.setAttribute('aria-valuetext', control.labels[j]);
        input._output.textContent = control.labels[j];
      } else if (control.kind === 'checkbox') {
        input.checked = j === 1;
      } else {
        input.value = j;
      }
      input._row.hidden = hidden.indexOf(i) >= 0;
    });
  };

  /* The learner moved control i to value index j: the precomputed state nearest that setting. */
  Lab.prototype.move = function (i, j) {
    var wanted = this.current.slice();
    wanted[i] = j;
    var key = wanted.join(',');
    var coupled = (this.data.moves || {})[this.current.join(',') + '|' + i + '|' + j];
    if (coupled) { // the lab itself moves another control with this one (a site sets its distance)
      this.show(coupled, '');
      return;
    }
    if (!this.data.states[key]) {
      var best = null, bestDistance = Infinity;
      for (var k = 0; k < this.keys.length; k++) {
        var parts = this.keys[k].split(',').map(Number);
        if (parts[i] !== j) continue;
        var distance = 0;
        for (var c = 0; c < parts.length; c++) if (parts[c] !== wanted[c]) distance++;
        if (distance < bestDistance) { best = this.keys[k]; bestDistance = distance; }
      }
      if (best === null) { this.sync([]); return; }
      key = best;
    }
    var target = key.split(',').map(Number), moved = [], controls = this.data.controls;
    for (var m = 0; m < target.length; m++) {
      if (m !== i && target[m] !== this.current[m] && !controls[m].disabled) {
        moved.push(controls[m].label + ' went to ' + controls[m].labels[target[m]]);
      }
    }
    this.show(key, moved.length ? 'That combination is not precomputed on this page, so ' + moved.join(', ') +
      '. The live notebook runs every combination.' : '');
  };

  Lab.prototype.show = function (key, snapNote) {
    var state = this.data.states[key];
    if (!state) return;
    this.current = key === '' ? [] : key.split(',').map(Number);
    this.key = key;
    this.snap.textContent = snapNote || '';
    this.sync(state.h || []);
    this.render();
  };

  Lab.prototype.render = function () {
    var lab = this, state = this.data.states[this.key];
    this.presetButtons.forEach(function (p) {
      var locked = p.preset.question && !isLocked(lab.notebook, p.preset.question);
      p.button.disabled = !!locked;
      p.button.textContent = p.preset.label + (locked ? ' (' + LOCK_WORDS + ')' : '');
    });
    if (state.q && !isLocked(this.notebook, state.q)) {
      var words = LOCK_WORDS + ': this setting shows the answer to ' +
        (this.data.questions[state.q] || 'the Predict question above') + '. Try the other settings meanwhile.';
      this.lock.textContent = words;
      this.lock.hidden = false;
      this.plot.hidden = true;
      this.readout.textContent = words;
      this.description.hidden = true;
      return;
    }
    if (state.o && state.q) this.report(state.q, state.o[0], state.o[1]);
    this.lock.hidden = true;
    this.plot.hidden = false;
    this.description.hidden = false;
    this.readout.innerHTML = state.r;
    this.description.innerHTML = '<b>Figure description:</b> ' + state.d;
    this.draw();
  };

  /* Hand the lab's result at a Predict question's setting to the question (quiz.js compares it with
   * the locked-in prediction), as the notebook's lab does through course_lib.quiz.observe. */
  Lab.prototype.report = function (question, value, description) {
    var quiz = window.courseQuiz;
    if (quiz && typeof quiz.observe === 'function') {
      try { quiz.observe(this.notebook, question, value, description); } catch (e) { /* the lab carries on */ }
    }
  };

  Lab.prototype.draw = function () {
    if (!window.Plotly) {
      this.readout.textContent = 'The figure needs plotly.js, which did not load.';
      return;
    }
    var figure = styled(figureOf(this, this.key), this.plot);
    window.Plotly.react(this.plot, figure.data, figure.layout, CONFIG);
  };

  function start(section) {
    var url = section.getAttribute('data-lab');
    fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ': ' + response.status);
      return response.json();
    }).then(function (data) {
      var lab = new Lab(section, data);
      labs.push(lab);
      section.setAttribute('data-ready', 'true');
    }).catch(function (error) {
      var loading = section.querySelector('.explore-loading');
      if (loading) loading.textContent = 'This lab could not be loaded (' + error.message + '); the live notebook runs it.';
    });
  }

  document.addEventListener('course:predicted', function (event) {
    var detail = (event && event.detail) || {};
    predicted[detail.notebook + '/' + detail.question] = true;
    labs.forEach(function (lab) { if (lab.notebook === detail.notebook) lab.render(); });
  });

  // "Predict again" unlocks the question: its answer setting hides again until the new prediction is locked in
  document.addEventListener('course:unlocked', function (event) {
    var detail = (event && event.detail) || {};
    delete predicted[detail.notebook + '/' + detail.question];
    labs.forEach(function (lab) { if (lab.notebook === detail.notebook) lab.render(); });
  });

  if (window.matchMedia) {
    var dark = window.matchMedia('(prefers-color-scheme: dark)');
    var redraw = function () { labs.forEach(function (lab) { if (!lab.plot.hidden) lab.draw(); }); };
    if (dark.addEventListener) dark.addEventListener('change', redraw);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('section.explore[data-lab]'), start);
  }

  window.courseExplore = { labs: labs, isLocked: isLocked };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
