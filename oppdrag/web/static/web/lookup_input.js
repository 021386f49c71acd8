/*
 * Suggestions for <input data-lookup-url="…" list="…">: as one types, the
 * input's <datalist> is filled with the lookup endpoint's answers, which the
 * browser offers under the input (arrow keys and Enter, or a click).
 *
 * The input stays a plain text field: what is typed, chosen or not, is sent
 * as it is and resolved by the server, which answers a name it cannot place
 * with a message. Two answers with the same name (Herøy, Våler) are offered
 * with their municipality number, which the server reads.
 */
(function () {
  "use strict";

  var DELAY = 150;

  function number(detail) {
    var found = /^\d{4}\b/.exec(detail || "");
    return found ? found[0] : "";
  }

  function enhance(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) {
      return;
    }
    var timer = null;
    var latest = 0;

    function fill(results) {
      var seen = {};
      results.forEach(function (result) {
        seen[result.label] = (seen[result.label] || 0) + 1;
      });
      list.replaceChildren();
      results.forEach(function (result) {
        var option = document.createElement("option");
        var code = number(result.detail);
        option.value = seen[result.label] > 1 && code ? result.label + " (" + code + ")" : result.label;
        if (result.detail) {
          option.label = result.detail;
        }
        list.append(option);
      });
    }

    function search() {
      var query = input.value.trim();
      if (!query) {
        list.replaceChildren();
        return;
      }
      latest += 1;
      var ticket = latest;
      var url = input.getAttribute("data-lookup-url") + "?q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (ticket === latest) {
            fill(data.results || []);
          }
        })
        .catch(function () {
          list.replaceChildren();
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY);
    });
  }

  function start() {
    document.querySelectorAll("input[data-lookup-url][list]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
