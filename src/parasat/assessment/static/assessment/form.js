// The answer form: live skip logic and constraints, automatic saving, and a
// copy of every unsaved edit in this browser so that a closed tab, a lost
// connection or a crash loses nothing. The page works without this script:
// each question is its own form with a Save button, and the server checks
// everything again.
//
// Expressions arrive as trees built by parasat/toolkit/expressions.py and
// are evaluated by expressions.js, loaded before this script.
(function () {
  "use strict";

  var root = document.querySelector("[data-form-root]");
  if (!root) return;
  var text = document.getElementById("form-messages").dataset;
  var SAVE_DELAY = 1500;
  var RETRY_DELAY = 10000;
  var STORE = "parasat:answer:";

  var X = window.ParasatExpressions;
  var isEmpty = X.isEmpty, isTrue = X.isTrue;
  // today() is the server's date, so that both sides judge a date alike.
  if (root.dataset.today) X.today = root.dataset.today;

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
