// Asks how far a report file has come, every second, and offers the file when it is there.
// Without JavaScript the page has a link to look again.
(function () {
  "use strict";
  var box = document.getElementById("document-progress");
  if (!box || box.dataset.status === "done" || box.dataset.status === "failed") {
    return;
  }
  var bar = box.querySelector("progress");
  var message = box.querySelector("[data-message]");
  var file = box.querySelector("[data-file]");
  function ask() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        bar.value = state.progress;
        if (state.status === "done") {
          message.textContent = box.dataset.doneText;
          file.hidden = false;
          window.location.assign(state.file);
        } else if (state.status === "failed") {
          window.location.reload();
        } else {
          if (state.status === "running") {
            message.textContent = box.dataset.progressText.replace("PROSENT", state.progress);
          }
          window.setTimeout(ask, 1000);
        }
      })
      .catch(function () { window.setTimeout(ask, 3000); });
  }
  window.setTimeout(ask, 1000);
})();
