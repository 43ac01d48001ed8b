// The mothers' offline app, the one script of the product: the
// conversation form also works without a signal. A contact is kept on the
// phone with an id of its own (the Idempotency-Key), shown as waiting,
// and sent when the signal returns; sending it twice never makes a second
// visit. Without this script the form still posts as a plain form.
(function () {
  "use strict";
  var OUTBOX = "nm-outbox";

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/my" }).catch(function () {});
  }

  function load() {
    try {
      return JSON.parse(localStorage.getItem(OUTBOX) || "[]");
    } catch (e) {
      return [];
    }
  }
  function store(items) {
    localStorage.setItem(OUTBOX, JSON.stringify(items));
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }
  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Shows what waits to be sent (and what was refused) in #outbox.
  function show() {
    var box = document.getElementById("outbox");
    if (!box) {
      return;
    }
    var items = load();
    var list = box.querySelector("ul");
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var text = item.contact.visited_on + " · " + (item.refused ? box.dataset.refused : box.dataset.waiting);
      li.textContent = text;
      if (item.refused) {
        li.className = "refused";
      }
      list.appendChild(li);
    });
    box.hidden = items.length === 0;
  }

  // Sends every waiting contact, one after the other; stops at the first
  // that finds no signal.
  function flush() {
    var items = load();
    var pending = items.filter(function (i) { return !i.refused; });
    if (pending.length === 0) {
      show();
      return Promise.resolve(0);
    }
    var item = pending[0];
    return fetch("/api/v1/my/visits", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRF-Token": csrf(),
        "Idempotency-Key": item.id
      },
      body: JSON.stringify(item.contact)
    }).then(function (res) {
      var now = load();
      if (res.ok) {
        store(now.filter(function (i) { return i.id !== item.id; }));
        return flush().then(function (n) { return n + 1; });
      }
      if (res.status === 422 || res.status === 400 || res.status === 409) {
        now.forEach(function (i) { if (i.id === item.id) { i.refused = true; } });
        store(now);
        return flush();
      }
      // Signed out or the server away: keep it for later.
      show();
      return 0;
    }, function () {
      show();
      return 0;
    });
  }

  function contactOf(form) {
    var data = new FormData(form);
    return {
      who: data.get("who") || "anonymous",
      visited_on: data.get("visited_on") || "",
      duration_minutes: data.get("duration_minutes") || "",
      kind: data.get("kind") || "",
      topic_ids: data.getAll("topic_ids"),
      referrals: data.getAll("referrals"),
      next_step: data.get("next_step") || "",
      contact_origin: data.get("contact_origin") || "",
      confirm_duplicate: data.get("confirm_duplicate") || null
    };
  }

  var form = document.querySelector("form.contact");
  if (form && window.localStorage && window.fetch) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var items = load();
      var item = { id: newId(), contact: contactOf(form) };
      items.push(item);
      store(items);
      flush().then(function () {
        var still = load().some(function (i) { return i.id === item.id; });
        if (!still) {
          window.location.href = "/my";
          return;
        }
        var refused = load().some(function (i) { return i.id === item.id && i.refused; });
        if (refused) {
          // Refused (a field to correct): the form itself says why.
          store(load().filter(function (i) { return i.id !== item.id; }));
          form.submit();
          return;
        }
        form.reset();
        var note = document.getElementById("saved-offline");
        if (note) {
          note.hidden = false;
        }
        show();
      });
    });
  }

  window.addEventListener("online", function () { flush(); });
  show();
  flush();
})();
