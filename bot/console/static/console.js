/* Console behaviour that plain forms cannot give: live answer preview, a live escalation queue,
   and confirmation before irreversible steps. Loaded on every page; each part checks for its
   elements. No inline scripts (the Content-Security-Policy forbids them). */
(function () {
  "use strict";
  var csrf = document.body.getAttribute("data-csrf");

  function post(url, body) {
    return fetch(url, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(body) })
      .then(function (r) { return r.json(); });
  }

  /* Live preview: each answer box renders through the widget's own formatter (widget.js in
     preview mode) with the clinic's numbers filled in by the server. */
  function setupPreview() {
    var boxes = document.querySelectorAll("textarea[data-preview]");
    if (!boxes.length) return;
    function render(box) {
      var lang = box.getAttribute("data-lang");
      var target = document.getElementById(box.getAttribute("data-preview"));
      var problem = document.getElementById(box.getAttribute("data-preview") + "-problem");
      post("/console/api/preview", { lang: lang, answer: box.value }).then(function (result) {
        problem.textContent = result.error || "";
        if (result.text !== undefined && window.carebotPreview) {
          window.carebotPreview(target, result.text, lang, { kind: "answer", lang: lang,
            reviewed_on: target.getAttribute("data-reviewed"), sources: [] });
        }
      });
    }
    function renderAll() { Array.prototype.forEach.call(boxes, render); }
    Array.prototype.forEach.call(boxes, function (box) {
      var timer = null;
      box.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { render(box); }, 250); });
    });
    if (window.carebotPreview) renderAll(); else document.addEventListener("carebot-preview-ready", renderAll);
  }

  /* The escalation queue refreshes itself: the server sends the rendered queue. A new red
     escalation shows a banner and beeps (unless the nurse muted it on this device). */
  function setupQueue() {
    var queue = document.getElementById("queue");
    if (!queue) return;
    var stamp = document.getElementById("queue-updated");
    var banner = document.getElementById("new-red");
    var mute = document.getElementById("mute");
    var newest = newestRed(queue);
    function muted() { return window.localStorage.getItem("carebot-mute") === "1"; }
    function showMute() {
      mute.setAttribute("aria-pressed", muted() ? "true" : "false");
      mute.textContent = mute.getAttribute(muted() ? "data-unmute" : "data-mute");
    }
    mute.addEventListener("click", function () {
      window.localStorage.setItem("carebot-mute", muted() ? "0" : "1");
      showMute();
    });
    showMute();
    setInterval(function () {
      fetch(queue.getAttribute("data-src"), { credentials: "same-origin", headers: { "X-Background-Refresh": "1" } }).then(function (r) {
        if (r.status === 200) return r.text().then(function (html) {
          queue.innerHTML = html;  /* server-rendered, autoescaped by Jinja */
          localTimes(queue);
          stamp.textContent = new Date().toLocaleTimeString();
          var now = newestRed(queue);
          if (now > newest) { banner.hidden = false; document.body.classList.add("alerting"); if (!muted()) beep(); }
          newest = Math.max(newest, now);
        });
      });
    }, Number(queue.getAttribute("data-every") || 10000));
  }

  function newestRed(queue) {
    var box = queue.querySelector("[data-newest-red]");
    return box ? Number(box.getAttribute("data-newest-red")) : 0;
  }

  function beep() {
    try {
      var audio = new (window.AudioContext || window.webkitAudioContext)();
      var tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.4);
    } catch (e) { /* no sound on this device: the banner still shows */ }
  }

  /* Times are sent in UTC; each nurse reads them in her own time zone and language
     (data-style="time": the time of day only, as in a conversation). */
  function localTimes(root) {
    var lang = document.documentElement.lang || undefined;
    root.querySelectorAll("time[datetime]").forEach(function (t) {
      var when = new Date(t.getAttribute("datetime") + (/[Z+]/.test(t.getAttribute("datetime").slice(10)) ? "" : "Z"));
      var style = t.getAttribute("data-style") === "time" ? { timeStyle: "short" } : { dateStyle: "medium", timeStyle: "short" };
      if (!isNaN(when)) t.textContent = when.toLocaleString(lang, style);
    });
  }

  function setupConfirm() {
    document.addEventListener("submit", function (event) {
      var question = event.target.getAttribute("data-confirm");
      if (question && !window.confirm(question)) event.preventDefault();
    });
  }

  setupPreview();
  setupQueue();
  localTimes(document);
  setupConfirm();
})();
