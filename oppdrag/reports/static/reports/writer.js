// The report text editor, enhanced: a formatting toolbar, inserting live figures and
// references at the cursor, and autosave. Without JavaScript the page is a plain form
// with the same markup typed by hand, a Save and a Preview button.
(function () {
  "use strict";
  var form = document.getElementById("writer-form");
  var area = document.getElementById("id_text");
  if (!form || !area) {
    return;
  }
  var status = document.getElementById("writer-status");
  var toolbar = form.querySelector(".writer-toolbar");
  toolbar.hidden = false;
  document.querySelectorAll("[data-insert-from]").forEach(function (button) { button.hidden = false; });
  document.querySelectorAll("[data-nojs-hint]").forEach(function (hint) { hint.hidden = true; });

  function changed() {
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function replaceSelection(before, after, fallback) {
    var start = area.selectionStart;
    var end = area.selectionEnd;
    var chosen = area.value.slice(start, end) || fallback || "";
    area.setRangeText(before + chosen + after, start, end, "end");
    if (!area.value.slice(start, end).length) {
      area.setSelectionRange(start + before.length, start + before.length + chosen.length);
    }
    area.focus();
    changed();
  }

  function prefixLines(prefix) {
    var start = area.value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    var end = area.selectionEnd;
    var lines = area.value.slice(start, end).split("\n");
    var numbered = prefix === "1. ";
    var text = lines.map(function (line, index) {
      return (numbered ? (index + 1) + ". " : prefix) + line;
    }).join("\n");
    area.setRangeText(text, start, end, "end");
    area.focus();
    changed();
  }

  toolbar.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) {
      return;
    }
    if (button.dataset.wrap) {
      replaceSelection(button.dataset.wrap, button.dataset.wrap, "");
    } else if (button.dataset.line) {
      prefixLines(button.dataset.line);
    } else if (button.dataset.link) {
      replaceSelection("[", "](https://)", button.dataset.link);
    } else if (button.dataset.insert) {
      replaceSelection("\n\n" + button.dataset.insert, "", "");
    }
  });

  document.querySelectorAll("[data-insert-from]").forEach(function (button) {
    button.addEventListener("click", function () {
      var select = document.getElementById(button.dataset.insertFrom);
      replaceSelection("[[" + select.dataset.token + ":" + select.value + "]]", "", "");
    });
  });

  // Autosave: two seconds after the last keystroke, the form is sent as it is.
  var timer = null;
  var stopped = false;
  function field(name) {
    return form.querySelector("[name='" + name + "']");
  }
  function showConflict(state) {
    stopped = true;
    var box = document.getElementById("conflict");
    if (!box) {
      box = document.createElement("div");
      box.id = "conflict";
      box.className = "ds-alert";
      box.setAttribute("data-color", "warning");
      box.setAttribute("role", "alert");
      var message = document.createElement("p");
      message.className = "ds-paragraph";
      var theirs = document.createElement("div");
      theirs.className = "writer-theirs";
      theirs.setAttribute("data-theirs", "");
      box.appendChild(message);
      box.appendChild(theirs);
      form.parentNode.parentNode.insertBefore(box, form.parentNode);
    }
    box.querySelector("p").textContent = state.message;
    box.querySelector("[data-theirs]").textContent = state.theirs;
    area.value = state.merged;
    field("version").value = state.version;
    field("base").value = state.base;
  }
  // After a save, the preview and the checks are read again from the page as the
  // server renders it (the same escaped HTML the report uses).
  function refresh() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-refresh]").forEach(function (old) {
          var replacement = fresh.getElementById(old.id);
          if (replacement) {
            old.replaceWith(document.importNode(replacement, true));
          }
        });
      })
      .catch(function () { /* the next save tries again */ });
  }
  function autosave() {
    if (stopped) {
      return;
    }
    status.textContent = form.dataset.savingText;
    fetch(window.location.href, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (state) { return { code: response.status, state: state }; });
    }).then(function (answer) {
      if (answer.code === 200 && answer.state.saved) {
        field("version").value = answer.state.version;
        field("base").value = answer.state.base;
        status.textContent = form.dataset.autosaveText;
        refresh();
      } else if (answer.code === 409) {
        showConflict(answer.state);
        status.textContent = answer.state.message;
      } else {
        status.textContent = form.dataset.failedText;
      }
    }).catch(function () {
      status.textContent = form.dataset.failedText;
    });
  }
  area.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(autosave, 2000);
  });
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
  });
})();
