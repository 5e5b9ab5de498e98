// XLSForm expressions in the browser: evaluates the trees that
// parasat/toolkit/expressions.py builds, operator for operator as its
// evaluate() does, so that the answer form (form.js) judges skip logic and
// constraints live as the server will. The cases both sides must agree on are
// in toolkit/tests/expression_cases.json, run here by a browser test.
(function () {
  "use strict";

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

  // A date (2024-02-29) or date-time (2024-02-29T10:30, with seconds, a
  // fraction and Z or an offset) as milliseconds since 1970 (UTC when it has
  // an offset, as written when not); null for anything else. The same rules
  // as expressions.py's _moment().
  var DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;
  function daysFromCivil(y, m, d) {  // days since 1970-01-01, proleptic Gregorian
    y -= m <= 2 ? 1 : 0;
    var era = Math.floor(y / 400);
    var yoe = y - era * 400;
    var doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
    var doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  }
  function daysInMonth(y, m) {
    if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
    return [4, 6, 9, 11].indexOf(m) !== -1 ? 30 : 31;
  }
  function moment(v) {
    if (typeof v !== "string") return null;
    var m = DATE.exec(v.trim());
    if (!m) return null;
    var year = +m[1], month = +m[2], day = +m[3];
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
    var hour = m[4] ? +m[4] : 0, minute = m[5] ? +m[5] : 0, second = m[6] ? +m[6] : 0;
    if (hour > 23 || minute > 59 || second > 59) return null;
    var millis = m[7] ? +(m[7] + "00").slice(0, 3) : 0;
    var offset = 0;
    if (m[8] && m[8] !== "Z") {
      var oh = +m[8].slice(1, 3), om = +m[8].slice(4, 6);
      if (oh > 23 || om > 59) return null;
      offset = (m[8][0] === "-" ? -1 : 1) * (oh * 60 + om);
    }
    return daysFromCivil(year, month, day) * 86400000 +
      ((hour * 60 + minute - offset) * 60 + second) * 1000 + millis;
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
  function order(op, a, b) {
    if (op === "<") return a < b;
    if (op === "<=") return a <= b;
    if (op === ">") return a > b;
    return a >= b;
  }
  function compare(op, a, b) {
    var na = num(a), nb = num(b);
    var da = na === null ? moment(a) : null, db = nb === null ? moment(b) : null;
    if (op === "=" || op === "!=") {
      var same;
      if (typeof a === "boolean" || typeof b === "boolean") same = truthy(a) === truthy(b);
      else if (na !== null && nb !== null) same = na === nb;
      else if (da !== null && db !== null) same = da === db;
      else same = str(a) === str(b);
      return op === "=" ? same : !same;
    }
    if (na !== null && nb !== null) return order(op, na, nb);
    if (da !== null && db !== null) return order(op, da, db);
    // An empty, non-numeric or mixed side compares false, as XPath's NaN.
    return false;
  }
  function localToday() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  var api = {
    today: null,  // the server's date when the page gives it (form.js sets it)
    isEmpty: isEmpty,
    evaluate: evaluate,
    isTrue: isTrue,
  };

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
      case "today": return api.today || localToday();
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

  window.ParasatExpressions = api;
})();
