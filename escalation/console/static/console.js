// supportbot agent console: live updates and small helpers. No framework,
// no build step; the pages work without this script, it only adds comfort.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches("select[data-autosubmit]")) el.form.submit();
    if (el.matches("select[data-insert-into]") && el.value) {
      insert(document.getElementById(el.dataset.insertInto), el.value);
      el.value = "";
    }
  });

  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f.dataset.confirm && !window.confirm(f.dataset.confirm)) e.preventDefault();
  });

  document.addEventListener("click", function (e) {
    var b = e.target.closest("button");
    if (!b) return;
    if (b.dataset.insertLink) {
      insert(document.getElementById(b.dataset.target), "[" + b.dataset.title + "](" + b.dataset.insertLink + ")");
    }
    if (b.dataset.draft) draft(b);
  });

  // The insights page counts days in the browser's time zone.
  var tz = document.getElementById("tz");
  if (tz && !new URLSearchParams(location.search).has("tz")) {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && zone !== tz.dataset.tz) {
      var u = new URL(location.href);
      u.searchParams.set("tz", zone);
      location.replace(u.toString());
    }
  }

  function insert(ta, text) {
    if (!ta) return;
    var s = ta.selectionStart || ta.value.length;
    ta.value = ta.value.slice(0, s) + text + ta.value.slice(ta.selectionEnd || s);
    ta.focus();
  }

  function draft(b) {
    var ta = document.getElementById(b.dataset.target);
    b.disabled = true;
    fetch(b.dataset.draft, { method: "POST", headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (res) {
        if (res.ok && res.j.text) ta.value = res.j.text;
        else window.alert(res.j.error || "Draft failed");
      })
      .catch(function () { window.alert("Draft failed"); })
      .finally(function () { b.disabled = false; });
  }

  // Live updates: on a server-sent event about a ticket shown here, fetch
  // this page again and swap in the parts marked data-live. Forms are not
  // live, so nothing an agent is typing is lost.
  var url = document.body.dataset.liveEvents;
  if (!url || !window.EventSource) return;
  var page = document.querySelector(".ticket[data-ticket]");
  var shown = page ? page.dataset.ticket : null;
  var timer = null;
  function refresh() {
    timer = null;
    fetch(location.href, { credentials: "same-origin", headers: { "X-Live": "1" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live][id]").forEach(function (el) {
          var fresh = doc.getElementById(el.id);
          if (fresh) el.innerHTML = fresh.innerHTML;
        });
        document.body.dataset.liveUpdated = String(Date.now());
      })
      .catch(function () {});
  }
  var es = new EventSource(url);
  es.addEventListener("ticket", function (e) {
    var d = {};
    try { d = JSON.parse(e.data); } catch (_) {}
    // A resync (ticket 0: another replica's changes may have been missed)
    // concerns every page.
    if (shown && d.ticket_id && String(d.ticket_id) !== shown) return;
    if (!timer) timer = setTimeout(refresh, 150);
  });
  // Changes between rendering the page and subscribing would be missed:
  // catch up once each time the stream (re)connects.
  es.addEventListener("open", function () {
    document.body.dataset.live = "connected";
    if (!timer) timer = setTimeout(refresh, 0);
  });
})();
