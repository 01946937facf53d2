// profilecheck's page: a little progressive enhancement. Without it the form still works
// (the upload waits for the check, then shows the report). With it: dropping files, upload
// progress, and the place in line while a check waits. Served from this server only.
"use strict";
(function () {
  var form = document.getElementById("upload");
  if (form) { enhance(form); }
  var waiting = document.getElementById("waiting");
  if (waiting) { poll(waiting); }

  function enhance(form) {
    var zone = document.getElementById("dropzone");
    var input = document.getElementById("file");
    var box = document.getElementById("progress");
    var text = document.getElementById("progress-text");
    var bar = document.getElementById("progress-bar");
    var button = document.getElementById("submit");

    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        send();
      }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); send(); });

    function show(message) {
      box.hidden = false;
      text.textContent = message;
    }

    function send() {
      if (!input.files.length) { form.reportValidity(); input.focus(); return; }
      var lang = form.elements.lang.value;
      var request = new XMLHttpRequest();
      request.open("POST", form.action + "?async=1&lang=" + encodeURIComponent(lang));
      request.responseType = "json";
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { bar.value = Math.round(100 * event.loaded / event.total); }
      });
      request.addEventListener("load", function () {
        var answer = request.response || {};
        if (request.status === 202 && answer.url) {
          window.location.assign(answer.url + "?lang=" + encodeURIComponent(lang));
          return;
        }
        button.disabled = false;
        show(answer.message || form.dataset.failed);
      });
      request.addEventListener("error", function () { button.disabled = false; show(form.dataset.failed); });
      button.disabled = true;
      bar.value = 0;
      show(form.dataset.uploading);
      request.send(new FormData(form));
    }
  }

  function poll(box) {
    var text = document.getElementById("waiting-text");
    function tick() {
      fetch(box.dataset.status, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (status) {
          if (status.state === "done" || status.state === "failed" || !status.state) {
            window.location.reload();
            return;
          }
          var message = status.position > 0
            ? box.dataset.queued.replace("{position}", String(status.position))
            : box.dataset.running;
          if (text.textContent.trim() !== message) { text.textContent = message; }
          window.setTimeout(tick, 700);
        })
        .catch(function () { window.setTimeout(tick, 2000); });
    }
    window.setTimeout(tick, 300);
  }
})();
