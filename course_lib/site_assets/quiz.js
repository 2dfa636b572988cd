// The Explore edition's questions (course_lib/site_quiz.py draws them; this file makes them work).
// Grading follows course_lib/quiz/grading.py rule for rule and sentence for sentence (a browser test
// compares the two on every question of every bank); progress stays in this browser's localStorage,
// one key per notebook, in the shape of the progress file's notebook entry (course_lib/quiz/progress.py);
// the record download follows course_lib/quiz/record.py. No framework, no build step, nothing fetched.
(function () {
  "use strict";

  // ------------------------------------------------------------------ Python-compatible text

  // str.isspace() in Python
  const PY_SPACE = new Set([0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
    0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028,
    0x2029, 0x202f, 0x205f, 0x3000]);
  // the first code point (digit zero) of each run of Unicode decimal digits (category Nd); Python's
  // unicodedata gives the same list (tests/unit/test_site_quiz.py checks it)
  const ND_ZEROS = [0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6,
    0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0,
    0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8,
    0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0];

  const chars = (s) => Array.from(s);  // code points, as Python counts them
  const isSpace = (ch) => PY_SPACE.has(ch.codePointAt(0));

  function strip(s) {
    const cs = chars(s);
    let a = 0, b = cs.length;
    while (a < b && isSpace(cs[a])) a++;
    while (b > a && isSpace(cs[b - 1])) b--;
    return cs.slice(a, b).join("");
  }

  function words(s) {  // " ".join(s.split())
    const out = [];
    let cur = "";
    for (const ch of chars(s)) {
      if (isSpace(ch)) { if (cur) { out.push(cur); cur = ""; } } else cur += ch;
    }
    if (cur) out.push(cur);
    return out;
  }

  function asciiDigits(text) {
    if (/^[\x00-\x7f]*$/.test(text)) return text;
    return chars(text).map((ch) => {
      const cp = ch.codePointAt(0);
      for (const zero of ND_ZEROS) if (cp >= zero && cp < zero + 10) return String(cp - zero);
      return ch;
    }).join("");
  }

  const casefold = (s) => s.toUpperCase().toLowerCase();

  const ECHO_LIMIT = 80;
  function echo(value) {
    let text;
    if (typeof value === "string") text = value;
    else if (value === null || value === undefined) text = "None";
    else if (typeof value === "boolean") text = value ? "True" : "False";
    else if (typeof value === "number") text = floatRepr(value);
    else { try { text = JSON.stringify(value); } catch (e) { text = "an answer"; } }
    const cs = chars(words(text).join(" "));
    return cs.length <= ECHO_LIMIT ? cs.join("") : cs.slice(0, ECHO_LIMIT - 1).join("") + "\u2026";
  }

  // repr(float(x)) in Python: the shortest digits that read back as x, "12.0" for a whole number
  function floatRepr(x) {
    if (!isFinite(x)) return isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf");
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(x.toExponential());
    const digits = m[2] + (m[3] || ""), exp = parseInt(m[4], 10);
    if (exp >= -4 && exp < 16) {
      let s;
      if (exp < 0) s = "0." + "0".repeat(-exp - 1) + digits;
      else if (digits.length <= exp + 1) s = digits + "0".repeat(exp + 1 - digits.length) + ".0";
      else s = digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
      return m[1] + s;
    }
    const e = Math.abs(exp);
    return m[1] + digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "") + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" + e : String(e));
  }

  // format(x, "g"): 6 significant digits, half-even on exact ties, as Python prints numbers
  function formatG(x) {
    if (!isFinite(x)) return isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf");
    if (x === 0) return Object.is(x, -0) ? "-0" : "0";
    const sign = x < 0 ? "-" : "";
    const exact = Math.abs(x).toPrecision(100);  // the exact decimal value, far enough
    const m = /^(\d+)(?:\.(\d*))?(?:e([+-]\d+))?$/.exec(exact);
    let digits = m[1] + (m[2] || "");
    let point = m[1].length + (m[3] ? parseInt(m[3], 10) : 0);  // digits before the decimal point
    const lead = digits.search(/[1-9]/);
    point -= lead;
    digits = digits.slice(lead);
    let kept = digits.slice(0, 6).split("").map(Number);
    while (kept.length < 6) kept.push(0);
    const rest = digits.slice(6);
    const up = rest.length > 0 && (rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || kept[5] % 2 === 1)));
    if (up) {
      let i = 5;
      while (i >= 0) { kept[i] += 1; if (kept[i] < 10) break; kept[i] = 0; i--; }
      if (i < 0) { kept = [1, 0, 0, 0, 0, 0]; point += 1; }
    }
    const exp = point - 1;
    const body = kept.join("");
    if (exp >= -4 && exp < 6) {
      let s;
      if (point <= 0) s = "0." + "0".repeat(-point) + body;
      else s = body.slice(0, point) + "." + body.slice(point);
      s = s.replace(/0+$/, "").replace(/\.$/, "");
      return sign + s;
    }
    let mant = (body[0] + "." + body.slice(1)).replace(/0+$/, "").replace(/\.$/, "");
    const e = Math.abs(exp);
    return sign + mant + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" + e : String(e));
  }

  // Python's round(x, 1) (half-even on the exact binary value)
  function round1(x) {
    if (Number.isInteger(x * 4) && Math.abs(x * 4) % 2 === 1 && ((x * 4) % 4 + 4) % 4 === 1) {
      return Math.floor(x * 10) / 10;  // x ends in .25: Python rounds to the even .2
    }
    return parseFloat(x.toFixed(1));
  }

  // ------------------------------------------------------------------ grading (grading.py)

  const CORRECT = "Correct", NOT_QUITE = "Not quite", PARTLY = "Partly right", NOT_CHECKED = "Not checked yet";
  const MATCH = "Your prediction matches the model", DIFFERENT = "Your prediction differs from the model";
  const EDGE_SLACK = 1e-9;
  const PERCENT_WORDS = ["percent", "per cent", "pct"];

  function verdict(correct, score, headline, feedback, extra) {
    return Object.assign({correct, score, headline, feedback: feedback || [], missed: [], wrong: [], valid: true}, extra || {});
  }
  const invalid = (message) => verdict(false, 0, NOT_CHECKED, [message], {valid: false});

  class AnswerError extends Error {}

  const NUMBER_WITH_UNIT = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[ \t\n\r\f\v]*([\s\S]*)$/;
  const FRACTION = /^[+-]?[0-9]+(?:\.[0-9]*)?[ \t\n\r\f\v]*\/[ \t\n\r\f\v]*[+-]?[0-9]/;

  function acceptedUnits(unit, aliases) {
    const all = [unit, ...(aliases || [])];
    if (unit === "%") all.push(...PERCENT_WORDS);
    return new Set(all.filter((u) => u).map(casefold));
  }

  function parseNumber(text, unit, aliases) {
    unit = unit || "";
    if (typeof text === "boolean") throw new AnswerError("Type a number, such as 12 or 12.5.");
    let number;
    if (typeof text === "number") {
      number = text;
    } else if (text === null || text === undefined || (typeof text === "string" && !strip(text))) {
      throw new AnswerError("Type a number in the box first.");
    } else if (typeof text !== "string") {
      throw new AnswerError("Type a number, such as 12 or 12.5.");
    } else {
      const raw = asciiDigits(strip(text)).split("\u2212").join("-");
      const shown = echo(raw);
      if (raw.includes(",")) {
        throw new AnswerError(`'${shown}' has a comma. Use a dot for decimals (12.5) and no thousands separators.`);
      }
      if (FRACTION.test(raw)) {
        throw new AnswerError(`'${shown}' looks like a fraction. Type it as a decimal number instead, such as 0.5 for 1/2.`);
      }
      const match = NUMBER_WITH_UNIT.exec(raw);
      if (!match) {
        const example = unit ? ` or 12 ${unit}` : "";
        throw new AnswerError(`'${shown}' is not a number I can read. Type digits, such as 12, 12.5${example}.`);
      }
      const given = strip(match[2]);
      if (given) {
        if (!unit) throw new AnswerError(`This answer has no unit: type just the number, without '${echo(given)}'.`);
        if (!acceptedUnits(unit, aliases).has(casefold(given))) {
          throw new AnswerError(`This question wants the answer in ${unit}, but you typed '${echo(given)}'. Give the number in ${unit}.`);
        }
      }
      number = Number(match[1]);
    }
    if (Number.isNaN(number)) throw new AnswerError("That is not a number. Type digits, such as 12 or 12.5.");
    if (!isFinite(number)) throw new AnswerError("That number is too large to be an answer here.");
    return number;
  }

  function within(value, target, tolerance) {
    const slack = EDGE_SLACK * Math.max(1, Math.abs(target), Math.abs(tolerance));
    return Math.abs(value - target) <= tolerance + slack;
  }

  function unitFor(value, unit) {
    if (unit && Math.abs(value) === 1) {
      const cut = unit.indexOf(" ");
      const first = cut < 0 ? unit : unit.slice(0, cut);
      const rest = cut < 0 ? "" : unit.slice(cut + 1);
      if (chars(first).length > 2 && /^\p{L}+$/u.test(first) && first === first.toLowerCase() &&
          first !== first.toUpperCase() && first.endsWith("s") && !first.endsWith("ss")) {
        return strip(`${first.slice(0, -1)} ${rest}`);
      }
    }
    return unit;
  }

  const formatNumber = (value, unit) =>
    unit !== "%" ? strip(`${formatG(value)} ${unitFor(value, unit)}`) : `${formatG(value)} %`;

  const isMapping = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

  function gradeSingle(q, answer) {
    if (answer === null || answer === undefined || answer === "") return invalid("Choose one of the options first.");
    const option = q.options.find((o) => o.id === answer);
    if (typeof answer !== "string" || !option) return invalid(`'${echo(answer)}' is not one of this question's options.`);
    if (answer === q.answer) return verdict(true, 1, CORRECT, [option.fb]);
    return verdict(false, 0, NOT_QUITE, [option.fb], {wrong: [answer]});
  }

  function tickedOptions(answer) {
    if (answer === null || answer === undefined) return new Set();
    if (typeof answer === "string") return new Set(answer ? [answer] : []);
    let chosen;
    if (isMapping(answer)) {
      const notTicks = Object.values(answer).filter((v) => typeof v !== "boolean");
      if (notTicks.length) throw new AnswerError(`Each option is ticked (True) or not (False), not '${echo(notTicks[0])}'.`);
      chosen = Object.keys(answer).filter((k) => answer[k]);
    } else if (Array.isArray(answer)) {
      chosen = answer.slice();
    } else {
      throw new AnswerError("Tick the options you choose first.");
    }
    const odd = chosen.filter((c) => typeof c !== "string");
    if (odd.length) throw new AnswerError(`'${echo(odd[0])}' is not one of this question's options.`);
    return new Set(chosen);
  }

  function gradeMultiple(q, answer) {
    let chosen;
    try { chosen = tickedOptions(answer); } catch (e) { if (e instanceof AnswerError) return invalid(e.message); throw e; }
    if (!chosen.size) return invalid("Tick at least one option first.");
    const ids = new Set(q.options.map((o) => o.id));
    const unknown = [...chosen].filter((c) => !ids.has(c)).sort();
    if (unknown.length) return invalid(`'${echo(unknown[0])}' is not one of this question's options.`);
    const right = new Set(q.answer);
    const hits = [...chosen].filter((c) => right.has(c)).length;
    const falsePicks = new Set([...chosen].filter((c) => !right.has(c)));
    const missed = new Set(q.answer.filter((a) => !chosen.has(a)));
    const score = Math.max(0, (hits - falsePicks.size) / right.size);
    if (!falsePicks.size && !missed.size) {
      return verdict(true, 1, CORRECT, [`You found all ${right.size} and ticked nothing else.`]);
    }
    const feedback = q.options.filter((o) => falsePicks.has(o.id)).map((o) => o.fb);
    const missedTexts = q.options.filter((o) => missed.has(o.id) && o.miss).map((o) => o.miss);
    feedback.push(...missedTexts);
    if (missed.size) {
      const still = missed.size === 1 ? "1 statement that belongs is still unticked." :
        `${missed.size} statements that belong are still unticked.`;
      feedback.push(missedTexts.length ? `(${still})` : still);
    }
    return verdict(false, score, hits ? PARTLY : NOT_QUITE, feedback, {
      missed: q.options.filter((o) => missed.has(o.id)).map((o) => o.id),
      wrong: q.options.filter((o) => falsePicks.has(o.id)).map((o) => o.id)});
  }

  function gradeNumeric(q, answer) {
    let value;
    try { value = parseNumber(answer, q.unit, q.aliases); } catch (e) { if (e instanceof AnswerError) return invalid(e.message); throw e; }
    const shown = formatNumber(value, q.unit);
    if (within(value, q.answer, q.tol)) return verdict(true, 1, CORRECT, [`${shown} is within the accepted range.`]);
    const feedback = [`${shown} is ${value < q.answer ? "below" : "above"} the accepted range.`];
    const ranged = q.ranges.filter((r) => r[0] <= value && value <= r[1]).map((r) => r[2]);
    if (ranged.length) feedback.push(...ranged);
    else if (value < q.answer && q.low) feedback.push(q.low);
    else if (value > q.answer && q.high) feedback.push(q.high);
    return verdict(false, 0, NOT_QUITE, feedback);
  }

  function gradeCategorise(q, answer) {
    if (!isMapping(answer)) return invalid("Put each item into a group first.");
    const chosen = q.items.map((i) => [i, Object.prototype.hasOwnProperty.call(answer, i.id) ? answer[i.id] : null]);
    const unsorted = chosen.filter(([, g]) => g === null || g === undefined || g === "");
    if (unsorted.length) return invalid(`Sort every item before checking: ${unsorted.length} still without a group.`);
    const bad = chosen.filter(([, g]) => typeof g !== "string" || !q.groups.includes(g));
    if (bad.length) return invalid(`'${echo(bad[0][1])}' is not one of the groups.`);
    const wrong = chosen.filter(([i, g]) => g !== i.group).map(([i]) => i);
    const n = q.items.length;
    const score = (n - wrong.length) / n;
    if (!wrong.length) return verdict(true, 1, CORRECT, [`All ${n} are in the right group.`]);
    const feedback = [`${n - wrong.length} of ${n} are in the right group.`];
    for (const item of wrong) feedback.push(item.fb || `Look again at: ${item.text}`);
    return verdict(false, score, score > 0 ? PARTLY : NOT_QUITE, feedback, {wrong: wrong.map((i) => i.id)});
  }

  function position(value) {
    if (typeof value === "boolean") throw new AnswerError("Positions must be whole numbers, such as 1, 2 or 3.");
    if (typeof value === "number" && Number.isInteger(value)) return value;
    if (typeof value === "string" && /^[ \t\n\r\f\v]*[0-9]+[ \t\n\r\f\v]*$/.test(asciiDigits(value))) {
      return parseInt(strip(asciiDigits(value)).slice(0, 6), 10);
    }
    throw new AnswerError(`Positions must be whole numbers, such as 1, 2 or 3 (not '${echo(value)}').`);
  }

  function orderFromAnswer(q, answer) {
    const ids = q.steps.map((s) => s.id);
    const n = ids.length;
    if (isMapping(answer)) {
      const given = ids.map((sid) => [sid, Object.prototype.hasOwnProperty.call(answer, sid) ? answer[sid] : null]);
      const missing = given.filter(([, p]) => p === null || p === undefined || p === "");
      if (missing.length) throw new AnswerError(`Give every step a position first: ${missing.length} still without one.`);
      const numbers = new Map(given.map(([sid, p]) => [sid, position(p)]));
      const counts = new Map();
      for (const p of numbers.values()) counts.set(p, (counts.get(p) || 0) + 1);
      const repeated = [...counts.keys()].filter((p) => counts.get(p) > 1).sort((a, b) => a - b);
      if (repeated.length) {
        throw new AnswerError(`Each position can be used once, but position ${repeated[0]} is used ${counts.get(repeated[0])} times.`);
      }
      const values = new Set(numbers.values());
      for (let k = 1; k <= n; k++) if (!values.has(k)) throw new AnswerError(`Positions must run from 1 to ${n}.`);
      if (values.size !== n) throw new AnswerError(`Positions must run from 1 to ${n}.`);
      return ids.slice().sort((a, b) => numbers.get(a) - numbers.get(b));
    }
    if (!Array.isArray(answer)) throw new AnswerError("Put the steps in order first.");
    const sequence = answer.slice();
    const same = sequence.every((s) => typeof s === "string") && sequence.length === n &&
      JSON.stringify(sequence.slice().sort()) === JSON.stringify(ids.slice().sort());
    if (!same) throw new AnswerError(`Use each of the ${n} steps exactly once.`);
    return sequence;
  }

  function gradeOrder(q, answer) {
    let sequence;
    try { sequence = orderFromAnswer(q, answer); } catch (e) { if (e instanceof AnswerError) return invalid(e.message); throw e; }
    const right = q.steps.map((s) => s.id);
    const wrong = sequence.filter((sid, k) => k < right.length && sid !== right[k]);
    const n = right.length;
    if (!wrong.length) return verdict(true, 1, CORRECT, [`All ${n} steps are in the right order.`]);
    const score = (n - wrong.length) / n;
    const byId = new Map(q.steps.map((s) => [s.id, s]));
    const feedback = [`${n - wrong.length} of ${n} steps are in the right place.`];
    for (const sid of wrong) if (byId.get(sid).fb) feedback.push(byId.get(sid).fb);
    return verdict(false, score, score > 0 ? PARTLY : NOT_QUITE, feedback, {wrong});
  }

  const GRADERS = {single: gradeSingle, multiple: gradeMultiple, numeric: gradeNumeric,
    categorise: gradeCategorise, order: gradeOrder};

  function grade(q, answer) {
    try { return GRADERS[q.type](q, answer); } catch (e) {
      return invalid("I can't read this answer. Choose or type it again, then check it.");
    }
  }

  // predictions
  function readPrediction(q, value) {
    if (q.kind === "numeric") return parseNumber(value, q.unit);
    if (value === null || value === undefined || value === "") throw new AnswerError("Choose your prediction first.");
    if (typeof value !== "string" || !q.options.some((o) => o.id === value)) {
      throw new AnswerError(`'${echo(value)}' is not one of the predictions on offer.`);
    }
    return value;
  }

  function describePrediction(q, value) {
    if (q.kind === "numeric") return formatNumber(Number(value), q.unit);
    const option = q.options.find((o) => o.id === value);
    return option ? option.text : String(value);
  }

  function observedOption(q, observed) {
    if (typeof observed === "string") return q.options.find((o) => o.id === observed) || null;
    if (typeof observed !== "number" || Number.isNaN(observed)) return null;
    for (const o of q.options) {
      if (!o.when) continue;
      const [low, high] = o.when;
      if ((low === null || observed >= low) && (high === null || observed < high)) return o;
    }
    return null;
  }

  function commitVerdict(q, value) {  // PredictSession.commit
    let prediction;
    try { prediction = readPrediction(q, value); } catch (e) { if (e instanceof AnswerError) return [null, invalid(e.message)]; throw e; }
    return [prediction, verdict(false, 0, "Prediction saved", [`You predicted: ${describePrediction(q, prediction)}. Now ${q.task}`])];
  }

  function comparePrediction(q, prediction, observed, description) {
    try {
      const said = describePrediction(q, prediction);
      const lab = description ? ` (${description.replace(/\.+$/, "")})` : "";
      let matched, detail;
      if (q.kind === "numeric") {
        if (typeof observed !== "number" || !isFinite(observed)) {
          return invalid(`The lab reported '${echo(observed)}', which is not a number to compare with your prediction.`);
        }
        const shown = formatNumber(observed, q.unit);
        matched = within(Number(prediction), observed, q.tol);
        const margin = q.tol ? ` (within ${formatNumber(q.tol, q.unit)})` : "";
        detail = `You predicted ${said}; the model gave ${shown}${lab}${matched ? margin : ""}.`;
      } else {
        const option = observedOption(q, observed);
        if (!option) return invalid(`The lab reported '${echo(observed)}', which does not match any of the predictions on offer.`);
        matched = option.id === prediction;
        detail = `You predicted: ${said}. The model showed: ${option.text}${lab}.`;
      }
      if (matched) return verdict(true, 1, MATCH, [detail]);
      return verdict(false, 0, DIFFERENT, [detail, "A surprise is useful: the explanation below says why the model behaves this way."]);
    } catch (e) {
      return invalid(`The lab reported '${echo(observed)}', which cannot be compared with your prediction.`);
    }
  }

  // what the progress file keeps of a checked answer (session.saved_answer)
  function savedAnswer(q, answer) {
    try {
      if (q.type === "single") return typeof answer === "string" ? answer : null;
      if (q.type === "multiple") return [...tickedOptions(answer)].sort();
      if (q.type === "numeric") return parseNumber(answer, q.unit, q.aliases);
      if (q.type === "categorise") { const out = {}; for (const i of q.items) out[i.id] = String(answer[i.id]); return out; }
      if (q.type === "order") return orderFromAnswer(q, answer);
    } catch (e) { return null; }
    return null;
  }

  // ------------------------------------------------------------------ text on screen (text.py)

  function escapeHtml(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
  }

  function markdownInline(text) {
    let out = escapeHtml(String(text).replace(/\r\n?/g, "\n"));
    out = out.replace(/\*\*(?![\s*])([^*\n]+?)(?<!\s)\*\*/g, "<strong>$1</strong>");
    out = out.replace(/(?<![\p{L}\p{N}_*])\*(?![\s*])([^*\n]+?)(?<!\s)\*(?![\p{L}\p{N}_*])/gu, "<em>$1</em>");
    out = out.replace(/`([^`\n]+)`/g, "<code>$1</code>");
    return out.replace(/\n/g, "<br>");
  }

  // ------------------------------------------------------------------ progress (progress.py)

  const PREFIX = "course-quiz:";
  const LEARNER_KEY = PREFIX + "learner-id";
  const memory = {};  // used when this browser keeps nothing (private mode, storage full)
  let canSave = true;

  const now = () => new Date().toISOString().replace(/\.\d+Z$/, "+00:00");

  function storageGet(key) {
    try { const v = window.localStorage.getItem(key); return v === null ? (key in memory ? memory[key] : null) : v; }
    catch (e) { canSave = false; return key in memory ? memory[key] : null; }
  }

  function storageSet(key, value) {
    memory[key] = value;
    try { window.localStorage.setItem(key, value); delete memory[key]; }
    catch (e) { canSave = false; }
  }

  function readNotebook(notebook) {
    const key = PREFIX + notebook;
    const text = storageGet(key);
    if (text === null) return {questions: {}};
    let data = null;
    try { data = JSON.parse(text); } catch (e) { data = null; }
    if (!isMapping(data) || !isMapping(data.questions)) {
      // a store that is not progress is set aside (never silently lost), and a fresh one started
      storageSet(`${key}:set-aside-${now()}`, text);
      storageSet(key, JSON.stringify({questions: {}}));
      return {questions: {}};
    }
    return data;
  }

  function cleanNumber(value, fallback) {
    return typeof value === "number" && isFinite(value) ? value : fallback;
  }

  function updateQuestion(notebook, qid, change) {
    const data = readNotebook(notebook);
    let record = data.questions[qid];
    if (!isMapping(record)) {
      if (record !== undefined) { data.set_aside = data.set_aside || {}; data.set_aside[`${qid}@${now()}`] = record; }
      record = data.questions[qid] = {attempts: 0, first_seen: now()};
    }
    record.attempts = Math.max(0, Math.trunc(cleanNumber(record.attempts, 0)));
    change(record);
    record.updated = now();
    storageSet(PREFIX + notebook, JSON.stringify(data));
    return record;
  }

  function questionRecord(notebook, qid) {
    const record = readNotebook(notebook).questions[qid];
    return isMapping(record) ? record : null;
  }

  function recordAttempt(notebook, qid, fields) {
    return updateQuestion(notebook, qid, (record) => {
      if (record.attempts === 0) {
        record.first_correct = Boolean(fields.correct) && record.revealed !== true;
        record.first_score = fields.score;
        record.first_answer = fields.answer === undefined ? null : fields.answer;
        record.first_wrong = (fields.wrong || []).map(String);
      }
      record.attempts += 1;
      record.last_correct = Boolean(fields.correct);
      record.last_score = fields.score;
      let best = cleanNumber(record.best_score, 0);
      if (record.revealed === true) record.answered_after_reveal = true;
      else best = Math.max(fields.score, best);
      record.best_score = best;
      record.hints_used = Math.max(fields.hints || 0, Math.trunc(cleanNumber(record.hints_used, 0)));
      if (fields.kind) record.kind = fields.kind;
      Object.assign(record, fields.extra || {});
    });
  }

  function statusText(record) {
    if (!record || !cleanNumber(record.attempts, 0)) {
      return record && record.revealed ? "Not attempted yet; answer shown." : "Not attempted yet.";
    }
    const attempts = Math.trunc(cleanNumber(record.attempts, 0));
    const times = attempts === 1 ? "once" : `${attempts} times`;
    if (record.kind === "predict") {
      const outcome = record.matched ? "last prediction matched the model" : "last prediction differed from the model";
      return `Predicted ${times}, ${outcome}.`;
    }
    const last = record.last_correct ? "last correct" : "last not yet correct";
    return `Attempted ${times}, ${last}${record.revealed ? "; answer shown" : ""}.`;
  }

  // lessons._question_status: a question's result in the self-check's words
  function selfCheckStatus(record, predict) {
    if (!record || !record.attempts) return record && record.revealed ? "answer shown" : "not tried yet";
    if (predict) {
      if (record.matched === true) return "predicted, and the model agreed";
      if (record.matched === false) return "predicted; the model did something else (worth a second look)";
      return "prediction locked in; run the lab to compare";
    }
    if (record.revealed && record.last_correct !== true) return "answer shown";
    if (record.last_correct === true) return "correct";
    return "tried, not yet right";
  }

  function learnerId() {
    const found = storageGet(LEARNER_KEY);
    if (found && /^[0-9a-f]{32}$/.test(found)) return found;
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    const made = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    storageSet(LEARNER_KEY, made);
    return made;
  }

  // ------------------------------------------------------------------ the record (record.py)

  function num(value, fallback) {
    if (typeof value !== "number" || !isFinite(value)) return fallback === undefined ? 0 : fallback;
    return value;
  }

  function jsonSafe(value, depth) {
    depth = depth || 0;
    if (value === null || value === undefined) return null;
    if (typeof value === "boolean" || typeof value === "string") return value;
    if (typeof value === "number") return isFinite(value) ? value : null;
    if (depth > 3) return null;
    if (Array.isArray(value)) return value.map((v) => jsonSafe(v, depth + 1));
    if (isMapping(value)) { const out = {}; for (const k of Object.keys(value)) out[k] = jsonSafe(value[k], depth + 1); return out; }
    return null;
  }

  function idList(value) {
    if (!Array.isArray(value)) return [];
    return value.filter((v) => typeof v === "string" || (typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 1e15))
      .map(String).slice(0, 50);
  }

  function predictionFields(q, rec, answered) {
    const wordsOf = (value) => {
      if (value === null || value === undefined) return null;
      try {
        if (q.kind === "numeric") {
          const number = num(value, NaN);
          return isFinite(number) ? formatNumber(number, q.unit) : null;
        }
        return describePrediction(q, value);
      } catch (e) { return null; }
    };
    const seen = (value) => {
      if (value === null || value === undefined) return null;
      if (q.kind === "numeric") return wordsOf(value);
      const option = observedOption(q, value);
      return option ? option.text : null;
    };
    const prediction = answered ? jsonSafe(rec.prediction) : null;
    let first = answered ? jsonSafe(rec.first_answer) : null;
    first = first !== null ? first : prediction;
    const observed = answered ? jsonSafe(rec.observed) : null;
    let observedId = null;
    if (observed !== null && q.kind === "choice") { const o = observedOption(q, observed); observedId = o ? o.id : null; }
    return {prediction_kind: q.kind, unit: q.unit, first_prediction: first, prediction,
      prediction_text: wordsOf(prediction), observed, observed_option: observedId, observed_text: seen(observed),
      matched: answered ? rec.matched === true : null};
  }

  function questionResult(q, saved) {
    const rec = isMapping(saved) ? saved : {};
    const attempts = Math.trunc(Math.max(0, num(rec.attempts)));
    const answered = attempts > 0;
    const revealed = rec.revealed === true;
    const best = Math.min(1, Math.max(0, num(rec.best_score)));
    let first = rec.first_correct;
    if (typeof first !== "boolean") first = attempts === 1 ? (rec.last_correct === true && !revealed) : null;
    const result = {type: q.type, fingerprint: q.fingerprint, attempts, answered,
      first_try_correct: answered ? first : null, best_score: best, last_correct: rec.last_correct === true,
      revealed, answered_after_reveal: rec.answered_after_reveal === true,
      hints_used: Math.trunc(Math.max(0, num(rec.hints_used))),
      first_answer: answered ? jsonSafe(rec.first_answer) : null,
      first_wrong: answered ? idList(rec.first_wrong) : []};
    if (q.type === "predict") {
      Object.assign(result, predictionFields(q, rec, answered));
      result.finished = answered;
      result.mastered = answered;
    } else {
      result.finished = answered && (best >= 1 || revealed);
      result.mastered = answered && best >= 1;
    }
    return result;
  }

  function notebookResult(nb, saved) {
    const records = isMapping(saved) && isMapping(saved.questions) ? saved.questions : {};
    const questions = {};
    for (const q of nb.questions) questions[q.id] = questionResult(q, records[q.id]);
    const all = Object.values(questions);
    const gradable = all.filter((r) => r.type !== "predict");
    const predicts = all.filter((r) => r.type === "predict");
    const sum = (list, f) => list.reduce((t, r) => t + f(r), 0);
    const counts = {questions: all.length, gradable: gradable.length,
      answered: sum(gradable, (r) => r.answered ? 1 : 0),
      first_try_correct: sum(gradable, (r) => r.first_try_correct === true ? 1 : 0),
      score_percent: gradable.length ? round1(100 * sum(gradable, (r) => r.best_score) / gradable.length) : 0,
      revealed: sum(all, (r) => r.revealed ? 1 : 0), predictions: predicts.length,
      predictions_made: sum(predicts, (r) => r.answered ? 1 : 0),
      predictions_matched: sum(predicts, (r) => r.matched === true ? 1 : 0),
      finished: sum(all, (r) => r.finished ? 1 : 0)};
    return {title: nb.title, enabled: nb.enabled, done: all.every((r) => r.finished), counts, questions};
  }

  function cleanName(name) {
    if (name === null || name === undefined) return null;
    let text = words(String(name)).join(" ");
    text = chars(text).filter((ch) => !/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(ch) &&
      !(/\p{Zs}/u.test(ch) && ch !== " ")).join("");
    text = strip(chars(words(text).join(" ")).slice(0, 100).join(""));
    return text || null;
  }

  function buildRecord(name) {
    const data = window.courseRecordData;
    const notebooks = {};
    for (const nb of data.notebooks) notebooks[nb.id] = notebookResult(nb, readNotebook(nb.id));
    const objectives = data.objectives.map((o) => {
      let met = null;
      if (o.checked_by.length) {
        met = true;
        for (const ref of o.checked_by) {
          const cut = ref.lastIndexOf("/");
          const notebook = cut >= 0 && ref.slice(0, cut) ? ref.slice(0, cut) : o.notebook;
          const qid = ref.slice(cut + 1);
          const found = notebooks[notebook] && notebooks[notebook].questions[qid];
          if (!found) { met = null; break; }
          met = met && found.mastered;
        }
      }
      return {notebook: o.notebook, text: o.text, checked_by: o.checked_by.slice(), met};
    });
    const counted = Object.values(notebooks).filter((nb) => nb.enabled);
    return {format: data.format, version: data.version, course_version: data.course_version, generated: now(),
      learner: cleanName(name), learner_id: learnerId(),
      complete: counted.length > 0 && counted.every((nb) => nb.done), notebooks, objectives};
  }

  // json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False)
  function recordJson(value, indent) {
    indent = indent || "";
    const inner = indent + " ";
    if (Array.isArray(value)) {
      if (!value.length) return "[]";
      return "[\n" + value.map((v) => inner + recordJson(v, inner)).join(",\n") + "\n" + indent + "]";
    }
    if (isMapping(value)) {
      const keys = Object.keys(value).sort();
      if (!keys.length) return "{}";
      return "{\n" + keys.map((k) => inner + JSON.stringify(k) + ": " + recordJson(value[k], inner)).join(",\n") + "\n" + indent + "}";
    }
    if (typeof value === "number" && !Number.isInteger(value)) return String(value);
    if (typeof value === "number") return String(value);
    return JSON.stringify(value === undefined ? null : value);
  }

  // ------------------------------------------------------------------ a question on the page

  const locked = new Map();  // "notebook/question" -> prediction, for this page (mirrors the store)
  const questionsOnPage = new Map();

  function box(kind, innerHtml) { return `<div class='quiz-box quiz-${kind}'>${innerHtml}</div>`; }

  function verdictHtml(v) {
    let kind;
    if (!v.valid) kind = "info";
    else if (v.headline === CORRECT || v.headline === MATCH) kind = "good";
    else if (v.headline === PARTLY) kind = "partial";
    else if (v.correct) kind = "good";
    else if (v.score > 0) kind = "partial";
    else kind = v.headline !== "Prediction saved" ? "bad" : "info";
    const body = v.feedback.filter((f) => f).map(markdownInline).join(" ");
    return box(kind, `<strong>${escapeHtml(v.headline)} —</strong> ${body}`);
  }

  class Question {
    constructor(root) {
      this.root = root;
      this.q = JSON.parse(root.querySelector("script.quiz-data").textContent);
      this.notebook = this.q.nb;
      this.form = root.querySelector("form.quiz-form");
      this.checkButton = root.querySelector(".quiz-check");
      this.hintButton = root.querySelector(".quiz-hint");
      this.revealButton = root.querySelector(".quiz-reveal");
      this.againButton = root.querySelector(".quiz-again");
      this.verdict = root.querySelector(".quiz-verdict");
      this.hints = root.querySelector(".quiz-hints");
      this.comparison = root.querySelector(".quiz-comparison");
      this.explanation = root.querySelector(".quiz-explanation");
      this.status = root.querySelector(".quiz-status");
      this.attempts = 0;
      this.hintsShown = 0;
      this.solved = false;
      this.revealed = false;
      this.prediction = null;
      this.observation = null;
      this.counted = false;
      this.form.addEventListener("submit", (event) => { event.preventDefault(); this.safely(() => this.check()); });
      if (this.hintButton) this.hintButton.addEventListener("click", () => this.safely(() => this.showHint()));
      if (this.revealButton) this.revealButton.addEventListener("click", () => this.safely(() => this.reveal()));
      if (this.againButton) this.againButton.addEventListener("click", () => this.safely(() => this.predictAgain()));
      this.restore();
    }

    safely(action) {
      try { return action(); } catch (e) {
        this.verdict.innerHTML = box("info", "Something went wrong inside the quiz. Your saved progress is safe: try again, or reload the page.");
        if (window.console) console.warn("quiz:", e);  // eslint-disable-line no-console
        return null;
      }
    }

    answer() {
      const q = this.q, form = this.form;
      const picked = (type) => [...form.querySelectorAll(`input[type=${type}]`)].filter((i) => i.checked).map((i) => i.value);
      if (q.type === "single" || (q.type === "predict" && q.kind === "choice")) return picked("radio")[0] || null;
      if (q.type === "multiple") return picked("checkbox");
      if (q.type === "numeric" || q.type === "predict") return form.querySelector("input.quiz-value").value;
      const out = {};
      for (const select of form.querySelectorAll("select")) out[select.dataset.key] = select.value;
      return out;
    }

    setControlsDisabled(disabled) {
      for (const input of this.form.querySelectorAll("input, select")) input.disabled = disabled;
    }

    check() {
      if (this.q.type === "predict") return this.lockIn();
      const answer = this.answer();
      const v = grade(this.q, answer);
      let shown = verdictHtml(v);
      if (v.valid) {
        this.attempts += 1;
        this.solved = this.solved || v.correct;
        const record = recordAttempt(this.notebook, this.q.id, {correct: v.correct, score: v.score,
          kind: this.q.type, hints: this.hintsShown, answer: savedAnswer(this.q, answer), wrong: v.wrong});
        if (!v.correct && this.attempts >= this.q.max) this.markRevealed();
        if (!v.correct && !this.revealed) {
          const left = Math.max(0, this.q.max - this.attempts);
          shown += box("info", `${left} attempt${left !== 1 ? "s" : ""} left before the answer is shown.`);
        }
        if (record.answered_after_reveal) {
          shown += box("info", "The answer was shown before this try, so it is saved as “answer shown” and does not change your score.");
        }
      }
      this.verdict.innerHTML = shown;
      this.refresh();
      return v;
    }

    showHint() {
      const total = this.q.hints.length;
      if (this.hintsShown < total) this.hintsShown += 1;
      this.hints.innerHTML = this.q.hints.slice(0, this.hintsShown)
        .map((h, i) => box("info", `<strong>Hint ${i + 1} of ${total}:</strong> ${h}`)).join("");
      this.hintButton.textContent = this.hintsShown >= total ? "No more hints" : `Show hint ${this.hintsShown + 1} of ${total}`;
    }

    markRevealed() {
      if (!this.revealed) {
        this.revealed = true;
        updateQuestion(this.notebook, this.q.id, (record) => { record.revealed = true; });
      }
    }

    reveal() { this.markRevealed(); this.refresh(); }

    // ---- predict
    lockIn() {
      if (this.prediction !== null) return null;  // "Prediction locked in" pressed again: nothing changes
      const [prediction, v] = commitVerdict(this.q, this.answer());
      if (prediction === null) { this.verdict.innerHTML = verdictHtml(v); return v; }
      this.prediction = prediction;
      updateQuestion(this.notebook, this.q.id, (record) => {
        record.locked = true;
        record.locked_prediction = prediction;
        record.kind = "predict";
      });
      this.showLocked(v);
      document.dispatchEvent(new CustomEvent("course:predicted", {detail: {notebook: this.notebook, question: this.q.id}}));
      return v;
    }

    showLocked(v) {
      locked.set(`${this.notebook}/${this.q.id}`, this.prediction);
      this.setControlsDisabled(true);
      this.checkButton.textContent = "Prediction locked in";
      this.checkButton.classList.remove("quiz-primary");
      if (this.observation) this.compare(); else this.verdict.innerHTML = verdictHtml(v);
      this.againButton.hidden = false;
      this.refresh();
    }

    observe(value, description) {
      this.observation = {value, description: description || ""};
      if (this.prediction !== null) this.compare();
    }

    compare() {
      const v = comparePrediction(this.q, this.prediction, this.observation.value, this.observation.description);
      this.verdict.innerHTML = verdictHtml(v);
      if (!v.valid) return v;
      const before = questionRecord(this.notebook, this.q.id) || {};
      if (!this.counted) {
        this.counted = true;
        this.attempts += 1;
        recordAttempt(this.notebook, this.q.id, {correct: v.correct, score: v.score, kind: "predict",
          answer: this.prediction, extra: {matched: v.correct, prediction: this.prediction, observed: this.observation.value}});
      } else if (before.matched !== v.correct) {
        updateQuestion(this.notebook, this.q.id, (record) => Object.assign(record,
          {last_correct: v.correct, last_score: v.score, matched: v.correct, observed: this.observation.value}));
      }
      const seen = this.q.kind === "numeric" ? describePrediction(this.q, this.observation.value)
        : (observedOption(this.q, this.observation.value) || {text: echo(this.observation.value)}).text;
      this.comparison.innerHTML = "<div class='table-scroll'><table><caption>Your prediction beside the model's result</caption>" +
        "<tr><th scope='col'>Your prediction</th><th scope='col'>Model's result</th><th scope='col'>Match?</th></tr>" +
        `<tr><td>${escapeHtml(describePrediction(this.q, this.prediction))}</td><td>${escapeHtml(seen)}` +
        (this.observation.description ? `<br><small>${markdownInline(this.observation.description)}</small>` : "") +
        `</td><td>${v.correct ? "Yes" : "No"}</td></tr></table></div>`;
      this.refresh();
      return v;
    }

    predictAgain() {
      this.prediction = null;
      this.observation = null;
      this.counted = false;
      locked.delete(`${this.notebook}/${this.q.id}`);
      updateQuestion(this.notebook, this.q.id, (record) => { record.locked = false; delete record.locked_prediction; });
      this.setControlsDisabled(false);
      this.checkButton.textContent = "Lock in my prediction";
      this.checkButton.classList.add("quiz-primary");
      this.comparison.innerHTML = "";
      this.checkButton.focus();  // focus first, then hide the focused "Predict again"
      this.againButton.hidden = true;
      this.verdict.innerHTML = box("info", "<strong>Predict again —</strong> choose a new prediction and lock it in, then run the lab again.");
      this.refresh();
      document.dispatchEvent(new CustomEvent("course:unlocked", {detail: {notebook: this.notebook, question: this.q.id}}));
    }

    // after "Reset progress": the saved history is gone, and so is a locked-in prediction
    forget() {
      if (this.q.type === "predict" && this.prediction !== null) {
        this.prediction = null;
        this.observation = null;
        this.counted = false;
        locked.delete(`${this.notebook}/${this.q.id}`);
        this.setControlsDisabled(false);
        this.checkButton.textContent = "Lock in my prediction";
        this.checkButton.classList.add("quiz-primary");
        this.comparison.innerHTML = "";
        this.againButton.hidden = true;
        this.verdict.innerHTML = box("info", `<strong>Predict first —</strong> then ${markdownInline(this.q.task)}`);
        document.dispatchEvent(new CustomEvent("course:unlocked", {detail: {notebook: this.notebook, question: this.q.id}}));
      } else if (this.q.type !== "predict") {
        this.verdict.innerHTML = "";
      }
      this.attempts = 0;
      this.revealed = false;
      this.solved = false;
      this.refresh();
    }

    // ---- what is shown
    refresh() {
      const q = this.q;
      const parts = [];
      if (q.type === "predict") {
        if (this.prediction !== null) {
          const option = q.kind === "choice" ? q.options.find((o) => o.id === this.prediction) : null;
          if (option && option.fb) parts.push(`<p><strong>About your prediction:</strong> ${markdownInline(option.fb)}</p>`);
          parts.push(`<p><strong>What the model shows:</strong> ${q.why}</p>`);
        }
      } else if (this.solved || this.revealed) {
        if (this.revealed && !this.solved) {
          parts.push(/^<[uo]l>/.test(q.answerText) ? `<div><strong>Answer:</strong>${q.answerText}</div>` :
            `<p><strong>Answer:</strong> ${q.answerText}</p>`);
        }
        parts.push(`<p><strong>Why:</strong> ${q.why}</p>`);
      }
      if (parts.length && q.source) parts.push(`<p class='muted'><small>Source: ${q.source}</small></p>`);
      this.explanation.innerHTML = parts.join("");
      this.explanation.hidden = !parts.length;
      const note = canSave ? "" : " Progress cannot be saved in this browser at the moment: your answers count on this page only.";
      this.status.textContent = `Your progress: ${statusText(questionRecord(this.notebook, q.id))}${note}`;
    }

    restore() {
      const record = questionRecord(this.notebook, this.q.id);
      if (this.q.type === "predict" && record && record.locked === true && record.locked_prediction !== undefined) {
        const value = record.locked_prediction;
        let ok = true;
        try { readPrediction(this.q, value); } catch (e) { ok = false; }
        if (ok) {
          if (this.q.kind === "choice") {
            const input = [...this.form.querySelectorAll("input[type=radio]")].find((i) => i.value === value);
            if (input) input.checked = true;
          } else {
            this.form.querySelector("input.quiz-value").value = String(value);
          }
          this.prediction = this.q.kind === "numeric" ? Number(value) : value;
          this.showLocked(commitVerdict(this.q, value)[1]);
          return;
        }
      }
      this.refresh();
    }
  }

  // ------------------------------------------------------------------ the record block

  function setUpRecord(section) {
    const notebook = section.dataset.notebook;
    const summary = section.querySelector(".quiz-record-summary");
    const message = section.querySelector(".quiz-record-message");
    const confirmRow = section.querySelector(".quiz-record-confirm");
    const resetButton = section.querySelector(".quiz-record-reset");
    const nameBox = section.querySelector(".quiz-record-name");
    const showSummary = () => {
      const records = readNotebook(notebook).questions;
      for (const item of section.querySelectorAll(".quiz-self-check li[data-qid]")) {
        const record = isMapping(records[item.dataset.qid]) ? records[item.dataset.qid] : null;
        item.querySelector(".quiz-self-status").textContent = selfCheckStatus(record, item.dataset.type === "predict");
      }
      if (!window.courseRecordData) return;
      const data = window.courseRecordData.notebooks.find((nb) => nb.id === notebook);
      if (!data) { summary.textContent = ""; return; }
      const c = notebookResult(data, readNotebook(notebook)).counts;
      summary.textContent = `In this notebook: ${c.finished} of ${c.questions} questions finished, best score ${Math.round(c.score_percent)} %` +
        (c.predictions ? `, ${c.predictions_made} of ${c.predictions} predictions compared with the model.` : ".");
    };
    section.querySelector(".quiz-record-download").addEventListener("click", () => {
      try {
        const record = buildRecord(nameBox ? nameBox.value : null);
        const blob = new Blob([recordJson(record) + ""], {type: "application/json"});
        const link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = `course-record-${record.generated.slice(0, 10)}.json`;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 10000);
        const done = Object.values(record.notebooks).filter((nb) => nb.enabled && nb.done).length;
        message.textContent = `Your record is downloading (a file ending in .json). ${record.complete ?
          "It includes your certificate of completion." : `${done} of ${Object.values(record.notebooks).filter((nb) => nb.enabled).length} quizzes are done so far.`}`;
      } catch (e) {
        message.textContent = "The record could not be made in this browser. Your answers are still kept here.";
      }
    });
    resetButton.addEventListener("click", () => { confirmRow.hidden = false; message.textContent = ""; confirmRow.querySelector(".quiz-record-yes").focus(); });
    section.querySelector(".quiz-record-no").addEventListener("click", () => {
      resetButton.focus(); confirmRow.hidden = true; message.textContent = "Nothing was deleted.";
    });
    section.querySelector(".quiz-record-yes").addEventListener("click", () => {
      storageSet(PREFIX + notebook, JSON.stringify({questions: {}}));
      resetButton.focus(); confirmRow.hidden = true; message.textContent = "Progress deleted.";
      for (const copies of questionsOnPage.values()) for (const q of copies) if (q.notebook === notebook) q.forget();
      showSummary();
    });
    document.addEventListener("course:progress", showSummary);
    showSummary();
  }

  // review.objective_status: an objective's result in words
  function objectiveStatus(objective, notebooks) {
    if (objective.met === null) return "no quiz question checks this yet";
    if (objective.met) return "met";
    let answered = false;
    for (const ref of objective.checked_by) {
      const cut = ref.lastIndexOf("/");
      const notebook = cut >= 0 && ref.slice(0, cut) ? ref.slice(0, cut) : objective.notebook;
      const found = notebooks[notebook] && notebooks[notebook].questions[ref.slice(cut + 1)];
      answered = answered || Boolean(found && found.answered);
    }
    return answered ? "not yet" : "not tried";
  }

  function setUpObjectives(section) {
    const show = () => {
      if (!window.courseRecordData) return;
      const record = buildRecord(null);
      for (const row of section.querySelectorAll("tr[data-objective]")) {
        const objective = record.objectives[Number(row.dataset.objective)];
        if (objective) row.querySelector(".quiz-objective-status").textContent = objectiveStatus(objective, record.notebooks);
      }
    };
    document.addEventListener("course:progress", show);
    show();
  }

  // ------------------------------------------------------------------ start, and what others may call

  function observe(notebook, question, value, description) {
    for (const found of questionsOnPage.get(`${notebook}/${question}`) || []) {
      found.safely(() => found.observe(value, description));
    }
  }

  function isLocked(notebook, question) {
    if (locked.has(`${notebook}/${question}`)) return true;
    try { const r = questionRecord(notebook, question); return Boolean(r && r.locked === true); } catch (e) { return false; }
  }

  window.courseQuiz = {
    isLocked, observe,
    // the grader, for the tests that compare it with course_lib.quiz.grading
    grade, parseNumber, formatG, floatRepr, readPrediction, commitVerdict, comparePrediction, savedAnswer,
    buildRecord, recordJson, statusText, selfCheckStatus, objectiveStatus, round1,
  };

  function start() {
    for (const root of document.querySelectorAll("section.question[data-question]")) {
      try {
        const question = new Question(root);
        const key = `${question.notebook}/${question.q.id}`;
        questionsOnPage.set(key, [...(questionsOnPage.get(key) || []), question]);
        const refreshSummary = () => document.dispatchEvent(new CustomEvent("course:progress"));
        root.addEventListener("click", () => setTimeout(refreshSummary, 0));
        root.addEventListener("submit", () => setTimeout(refreshSummary, 0));
      } catch (e) {
        if (window.console) console.warn("quiz: a question could not start", e);  // eslint-disable-line no-console
      }
    }
    for (const section of document.querySelectorAll("section.quiz-record")) {
      try { setUpRecord(section); } catch (e) { /* the page stays readable */ }
    }
    for (const section of document.querySelectorAll("section.quiz-objectives")) {
      try { setUpObjectives(section); } catch (e) { /* the page stays readable */ }
    }
    document.addEventListener("course:observed", (event) => {
      const d = event.detail || {};
      observe(d.notebook, d.question, d.value, d.description);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
