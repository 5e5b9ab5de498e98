// The answer form: live skip logic and constraints, automatic saving, and a
// copy of every unsaved edit in this browser so that a closed tab, a lost
// connection or a crash loses nothing. The page works without this script:
// each question is its own form with a Save button, and the server checks
// everything again.
//
// Expressions arrive as trees built by parasat/toolkit/expressions.py;
// evaluate() below mirrors that module's evaluate(), operator for operator.
(function () {
  "use strict";

  var root = document.querySelector("[data-form-root]");
  if (!root) return;
  var text = document.getElementById("form-messages").dataset;
  var SAVE_DELAY = 1500;
  var RETRY_DELAY = 10000;
  var STORE = "parasat:answer:";

  // --- expressions -----------------------------------------------------
  function isEmpty(v) {
    return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
  }
  // What reads as a number: the syntax and bounds of expressions.py's
  // _number(), so that "1_000", "0x10" or "Infinity" are no number to either.
  var NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
  var MAX_NUMBER_CHARS = 40;
  var MAX_PATTERN_TEXT = 1000;  // core/lib/patterns.py MAX_TEXT
  function num(v) {
    if (typeof v === "boolean") return v ? 1 : 0;
    if (Array.isArray(v)) v = v.join(" ");
    if (v === null || v === undefined) return null;
    var n = v;
    if (typeof v !== "number") {
      var s = String(v).trim();
      if (s === "" || s.length > MAX_NUMBER_CHARS || !NUMBER.test(s)) return null;
      n = Number(s);
    }
    if (!isFinite(n)) return null;
    if (n !== 0 && !(Math.abs(n) >= 1e-300 && Math.abs(n) < 1e300)) return null;
    return n;
  }
  function str(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (Array.isArray(v)) return v.join(" ");
    return String(v);
  }
  function truthy(v) {
    if (typeof v === "boolean") return v;
    if (typeof v === "number") return v !== 0;
    if (Array.isArray(v)) return v.length > 0;
    return !isEmpty(v);
  }
  function list(v) {
    if (Array.isArray(v)) return v.map(String);
    return str(v).split(/\s+/).filter(Boolean);
  }
  function compare(op, a, b) {
    var na = num(a), nb = num(b);
    if (op === "=" || op === "!=") {
      var same;
      if (typeof a === "boolean" || typeof b === "boolean") same = truthy(a) === truthy(b);
      else if (na !== null && nb !== null) same = na === nb;
      else same = str(a) === str(b);
      return op === "=" ? same : !same;
    }
    if (na === null || nb === null) return false;
    if (op === "<") return na < nb;
    if (op === "<=") return na <= nb;
    if (op === ">") return na > nb;
    return na >= nb;
  }
  function evaluate(node, values, current) {
    var op = node[0];
    var ev = function (n) { return evaluate(n, values, current); };
    switch (op) {
      case "num": return Number(node[1]);
      case "str": return node[1];
      case "ref": return values[node[1]] === undefined ? null : values[node[1]];
      case "self": return current;
      case "neg": var n = num(ev(node[1])); return n === null ? null : -n;
      case "or": return truthy(ev(node[1])) || truthy(ev(node[2]));
      case "and": return truthy(ev(node[1])) && truthy(ev(node[2]));
      case "=": case "!=": case "<": case "<=": case ">": case ">=":
        return compare(op, ev(node[1]), ev(node[2]));
      case "+": case "-": case "*": case "div": case "mod":
        var a = num(ev(node[1])), b = num(ev(node[2]));
        if (a === null || b === null) return null;
        if ((op === "div" || op === "mod") && b === 0) return null;
        if (op === "+") return a + b;
        if (op === "-") return a - b;
        if (op === "*") return a * b;
        if (op === "div") return a / b;
        return a % b;
      case "call": return call(node[1], node.slice(2), ev);
    }
    throw new Error("unsupported " + op);
  }
  function call(name, args, ev) {
    switch (name) {
      case "selected": return list(ev(args[0])).indexOf(str(ev(args[1]))) !== -1;
      case "count-selected": return list(ev(args[0])).length;
      case "not": return !truthy(ev(args[0]));
      case "string-length": return str(ev(args[0])).length;
      case "number": return num(ev(args[0]));
      case "int": var n = num(ev(args[0])); return n === null ? null : Math.trunc(n);
      case "string": return str(ev(args[0]));
      case "if": return truthy(ev(args[0])) ? ev(args[1]) : ev(args[2]);
      case "coalesce": var first = ev(args[0]); return truthy(first) ? first : ev(args[1]);
      case "true": return true;
      case "false": return false;
      case "today": return new Date().toISOString().slice(0, 10);
      case "regex":
        // Patterns arrive only once core/lib/patterns.py accepted them (no nested
        // repeats, few open-ended ones), and texts past its MAX_TEXT match
        // nothing: the backtracking engine here stays fast, and agrees with RE2.
        var subject = str(ev(args[0]));
        if (subject.length > MAX_PATTERN_TEXT && Array.from(subject).length > MAX_PATTERN_TEXT) return false;
        try { return new RegExp("^(?:" + str(ev(args[1])) + ")$", "u").test(subject); }
        catch (e) { return false; }
      case "contains": return str(ev(args[0])).indexOf(str(ev(args[1]))) !== -1;
    }
    throw new Error("unsupported " + name);
  }
  function isTrue(node, values, current, fallback) {
    if (node === null || node === undefined) return fallback;
    if (node === true) return true;
    try { return truthy(evaluate(node, values, current)); } catch (e) { return fallback; }
  }

  // --- reading the form --------------------------------------------------
  var items = Array.prototype.slice.call(root.querySelectorAll("[data-question]"));
  var groups = Array.prototype.slice.call(root.querySelectorAll("[data-group]"));

  function rules(el) {
    try { return JSON.parse(el.dataset.rules || "{}"); } catch (e) { return {}; }
  }
  function currentValue(item) {
    var form = item.querySelector("form[data-autosave]");
    if (!form) {
      try { return JSON.parse(item.dataset.value || "null"); } catch (e) { return null; }
    }
    var kind = item.dataset.kind;
    if (kind === "select_multiple") {
      return Array.prototype.map.call(form.querySelectorAll("input[name=value]:checked"), function (i) { return i.value; });
    }
    if (kind === "select_one" || kind === "yes_no_partly") {
      var checked = form.querySelector("input[name=value]:checked");
      return checked ? checked.value : "";
    }
    var field = form.querySelector("[name=value]");
    var v = field ? field.value.trim() : "";
    if ((kind === "integer" || kind === "decimal") && v) v = v.replace(/\s/g, "").replace(",", ".");
    return v;
  }
  function allValues() {
    var values = {};
    items.forEach(function (item) { values[item.dataset.question] = currentValue(item); });
    return values;
  }

  // --- live skip logic and constraints -------------------------------------
  function refresh() {
    var values = allValues();
    groups.forEach(function (g) {
      var parentHidden = g.parentElement && g.parentElement.closest(".not-relevant");
      var relevant = !parentHidden && isTrue(rules(g).relevant, values, null, true);
      g.classList.toggle("not-relevant", !relevant);
    });
    items.forEach(function (item) {
      var r = rules(item);
      var inHiddenGroup = item.parentElement && item.parentElement.closest(".not-relevant");
      var relevant = !inHiddenGroup && isTrue(r.relevant, values, null, true);
      item.classList.toggle("not-relevant", !relevant);
      var required = relevant && isTrue(r.required, values, null, false);
      var mark = item.querySelector(".required-mark");
      if (mark) mark.hidden = !required;
      var error = item.querySelector(".check-error");
      if (!error) return;
      var value = values[item.dataset.question];
      var message = "";
      if (relevant && !isEmpty(value) && !isTrue(r.constraint, values, value, true)) {
        message = r.message || text.invalid;
      }
      showError(item, message);
      var form = item.querySelector("form[data-autosave]");
      if (form) form.dataset.invalid = message ? "1" : "";
    });
  }

  // The message under the answer's own field, which is marked invalid with it.
  function showError(scope, message) {
    var error = scope.querySelector(".check-error");
    if (!error) return;
    error.textContent = message;
    error.hidden = !message;
    var field = scope.querySelector(".value-field");
    if (!field) return;
    field.classList.toggle("has-error", !!message);
    field.querySelectorAll('[name="value"]').forEach(function (input) {
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
  }

  // --- saving --------------------------------------------------------------
  function key(form) { return STORE + form.dataset.answer; }
  function snapshot(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") pairs.push([name, value]);
    });
    return pairs;
  }
  function remember(form) {
    try {
      localStorage.setItem(key(form), JSON.stringify({ fields: snapshot(form), at: Date.now() }));
    } catch (e) { /* private mode or full storage: the server copy is still saved */ }
  }
  function forget(form) {
    try { localStorage.removeItem(key(form)); } catch (e) { /* nothing to do */ }
  }
  function state(form, message) {
    var el = form.querySelector(".save-state");
    if (el) el.textContent = message;
  }
  function setBase(form, version) {
    form.querySelector("input[name=base_version]").value = version;
  }

  var timers = new WeakMap();
  function schedule(form, delay) {
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(function () { save(form, true); }, delay));
  }

  function save(form, automatic) {
    clearTimeout(timers.get(form));
    if (form.dataset.conflict || (automatic && form.dataset.refused)) return Promise.resolve();
    if (automatic && form.dataset.invalid) { state(form, text.unsaved); return Promise.resolve(); }
    var body = new FormData(form);
    body.set("automatic", automatic ? "1" : "0");
    form.dataset.saving = "1";
    state(form, text.saving);
    return fetch(form.action, {
      method: "POST",
      body: body,
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).then(function (response) {
      if (response.status === 409) {
        return response.text().then(function (html) {
          form.dataset.conflict = "1";
          form.closest("[data-question]").querySelector(".conflict-slot").innerHTML = html;
          state(form, "");
        });
      }
      if (response.status >= 500) throw new Error("server");  // retried below
      if (!(response.headers.get("Content-Type") || "").startsWith("application/json")) {
        // Signed out (the login page), a stale page (403) or an answer gone (404):
        // retrying will not help. The browser copy stays until a reload.
        form.dataset.refused = "1";
        state(form, text.refused);
        return;
      }
      return response.json().then(function (data) {
        if (data.ok) {
          setBase(form, data.version);
          form.dataset.dirty = "";
          forget(form);
          // Nothing new to keep: say since when it stands, not as if saved just now.
          var since = data.changed === false ? text.unchanged : text.saved;
          state(form, data.saved_at ? since + " " + data.saved_at : "");
        } else {
          showError(form, (data.errors || []).join(" "));
          state(form, text.unsaved);
        }
      });
    }).catch(function () {
      state(form, text.offline);
      schedule(form, RETRY_DELAY);
    }).finally(function () {
      form.dataset.saving = "";
    });
  }

  function onEdit(event) {
    var form = event.target.form;
    if (!form || !form.matches("form[data-autosave]")) return;
    form.dataset.dirty = "1";
    remember(form);
    refresh();
    state(form, text.unsaved);
    schedule(form, SAVE_DELAY);
  }
  root.addEventListener("input", onEdit);
  root.addEventListener("change", onEdit);
  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-autosave]")) return;
    event.preventDefault();
    save(form, false);
  });

  // A conflict: keeping the saved version drops this browser's copy of the
  // edit and reloads the page (the link alone would only scroll); saving mine
  // over it makes the browser copy redundant.
  root.addEventListener("click", function (event) {
    var keepTheirs = event.target.closest("[data-keep-theirs]");
    if (!keepTheirs) return;
    event.preventDefault();
    var form = keepTheirs.closest("[data-question]").querySelector("form[data-autosave]");
    if (form) { form.dataset.dirty = ""; forget(form); }
    window.location.reload();
  });
  root.addEventListener("submit", function (event) {
    if (!event.target.querySelector("[data-keep-mine]")) return;
    var form = event.target.closest("[data-question]").querySelector("form[data-autosave]");
    if (form) { form.dataset.dirty = ""; forget(form); }
  });

  // Leaving the page: send what is pending; the browser copy stays until the
  // server confirms a save, so nothing is lost even if this request fails.
  function flush() {
    root.querySelectorAll("form[data-autosave]").forEach(function (form) {
      if (form.dataset.dirty && !form.dataset.conflict && !form.dataset.invalid && navigator.sendBeacon) {
        var body = new FormData(form);
        body.set("automatic", "1");
        navigator.sendBeacon(form.action, body);
      }
    });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);

  // Coming back: restore edits this browser kept and save them.
  root.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var kept;
    try { kept = JSON.parse(localStorage.getItem(key(form)) || "null"); } catch (e) { kept = null; }
    if (!kept || !kept.fields) return;
    var saved = snapshot(form);
    if (JSON.stringify(saved.filter(function (p) { return p[0] !== "base_version"; })) ===
        JSON.stringify(kept.fields.filter(function (p) { return p[0] !== "base_version"; }))) {
      forget(form);
      return;
    }
    form.querySelectorAll("input[type=checkbox][name=value], input[type=radio][name=value]").forEach(function (i) { i.checked = false; });
    kept.fields.forEach(function (pair) {
      var name = pair[0], value = pair[1];
      if (name === "base_version") { setBase(form, value); return; }
      var fields = form.querySelectorAll("[name='" + name + "']");
      fields.forEach(function (field) {
        if (field.type === "checkbox" || field.type === "radio") {
          if (field.value === value) field.checked = true;
        } else {
          field.value = value;
        }
      });
    });
    form.dataset.dirty = "1";
    state(form, text.restored);
    schedule(form, 500);
  });

  refresh();
})();
