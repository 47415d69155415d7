/* The Model page: while a retrain runs, show its progress (polled every 2 s), then reload the
   page to show the result and the safety check's figures. A file, not an inline script: the
   Content-Security-Policy allows scripts from 'self' only. */
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("job");
    if (!box) return;
    var bar = document.getElementById("job-progress");
    var text = document.getElementById("job-message");
    var timer = setInterval(function () {
      fetch(box.getAttribute("data-src"), { credentials: "same-origin", headers: { "X-Background-Refresh": "1" } }).then(function (r) {
        return r.status === 200 ? r.json() : null;
      }).then(function (body) {
        var job = body && body.job;
        if (!job) return;
        bar.value = job.percent;
        bar.textContent = job.percent + "%";
        text.textContent = job.text;  /* text, never HTML */
        if (job.finished) {
          clearInterval(timer);
          window.location.reload();
        }
      }).catch(function () { /* the next poll tries again */ });
    }, 2000);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
