/*
 * Search-as-you-type for <select data-combobox data-search-url="…">.
 *
 * Turns the select into an ARIA 1.2 combobox with a listbox popup: type a few
 * letters, move with ArrowDown/ArrowUp, choose with Enter, close with Escape.
 * Enter in the search field never submits the form: it chooses the highlighted
 * option, or the one the text names (exactly, or as the only match), or says
 * why it cannot. Text typed but not chosen is sent as "<name>-tekst", so the
 * server resolves or refuses it instead of dropping it (web/lookups.py).
 * The select stays in the form (hidden) and carries the chosen values, so the
 * server sees the same field as without JavaScript; without JavaScript the plain
 * select is used. Texts come translated from data-text-* attributes.
 */
(function () {
  "use strict";

  var DELAY = 150;
  var serial = 0;

  function text(select, name, values) {
    var template = select.getAttribute("data-text-" + name) || "";
    return template.replace(/\{(\w+)\}/g, function (_m, key) {
      return values && key in values ? values[key] : "";
    });
  }

  function element(tag, attributes) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) {
      node.setAttribute(key, attributes[key]);
    });
    return node;
  }

  function enhance(select) {
    serial += 1;
    var id = select.id || "combobox-" + serial;
    var multiple = select.multiple;
    var label = document.querySelector('label[for="' + id + '"]');
    var name = label ? label.textContent.replace("*", "").trim() : "";
    var hint = element("p", { id: id + "-combobox-hint", class: "ds-paragraph hint", "data-size": "sm" });
    hint.textContent = text(select, "hint");
    var input = element("input", {
      type: "text",
      id: id + "-sok",
      name: select.name + "-tekst",
      class: "ds-input",
      role: "combobox",
      autocomplete: "off",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": id + "-liste",
      "aria-describedby": hint.id
    });
    var list = element("ul", { id: id + "-liste", role: "listbox", class: "combobox__list", "aria-label": name });
    list.hidden = true;
    var chosen = element("ul", { class: "combobox__chosen", "aria-label": name + ": " + text(select, "selected") });
    var status = element("p", { class: "ds-sr-only", role: "status", "aria-live": "polite" });
    // Why Enter chose nothing, on screen (the status above says it to screen readers).
    var note = element("p", { id: id + "-merknad", class: "ds-validation-message combobox__note", "data-color": "warning" });
    note.hidden = true;
    var wrapper = element("div", { class: "combobox" });
    if (label) {
      label.setAttribute("for", input.id);
    }
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    // The select's own help text ("hold down Ctrl …") is for the plain select only.
    var oldHint = document.getElementById(id + "-hint");
    if (oldHint) {
      oldHint.hidden = true;
    }
    wrapper.append(hint, chosen, input, list, note, status);
    select.after(wrapper);

    var results = [];
    var active = -1;
    var timer = null;
    var latest = 0;
    var searched = "";
    input.value = select.getAttribute("data-typed") || "";

    function renderChosen() {
      chosen.replaceChildren();
      if (!multiple) {
        var current = select.selectedOptions[0];
        input.value = current && current.value ? current.textContent : input.value;
        chosen.hidden = true;
        return;
      }
      Array.prototype.forEach.call(select.selectedOptions, function (option) {
        var item = element("li", { class: "combobox__token" });
        var remove = element("button", {
          type: "button",
          class: "ds-button",
          "data-variant": "tertiary",
          "data-size": "sm",
          "aria-label": text(select, "remove", { label: option.textContent })
        });
        remove.textContent = "×";
        remove.addEventListener("click", function () {
          option.selected = false;
          renderChosen();
          input.focus();
        });
        item.append(document.createTextNode(option.textContent + " "), remove);
        chosen.append(item);
      });
      chosen.hidden = select.selectedOptions.length === 0;
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll('[role="option"]');
      if (!options.length) {
        return;
      }
      active = (index + options.length) % options.length;
      Array.prototype.forEach.call(options, function (option, position) {
        option.setAttribute("aria-selected", position === active ? "true" : "false");
        option.classList.toggle("combobox__option--active", position === active);
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function show(found) {
      results = found;
      list.replaceChildren();
      active = -1;
      input.removeAttribute("aria-activedescendant");
      found.forEach(function (result, position) {
        var option = element("li", {
          id: id + "-valg-" + position,
          role: "option",
          class: "combobox__option",
          "aria-selected": "false"
        });
        option.textContent = result.label;
        if (result.detail) {
          var detail = element("span", { class: "combobox__detail" });
          detail.textContent = " " + result.detail;
          option.append(detail);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
        });
        option.addEventListener("click", function () {
          choose(position);
        });
        list.append(option);
      });
      var open = found.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = open ? text(select, "results", { count: found.length }) : text(select, "none");
    }

    function choose(position) {
      var result = results[position];
      if (!result) {
        return;
      }
      var value = String(result.id);
      var option = Array.prototype.find.call(select.options, function (o) {
        return o.value === value;
      });
      if (!option) {
        option = new Option(result.label, value);
        select.add(option);
      }
      if (multiple) {
        option.selected = true;
        input.value = "";
      } else {
        select.value = value;
        input.value = result.label;
      }
      close();
      clearNote();
      renderChosen();
      status.textContent = text(select, "chosen", { label: result.label });
    }

    function search(then) {
      var query = input.value.trim();
      if (!query) {
        show([]);
        status.textContent = "";
        return;
      }
      latest += 1;
      var ticket = latest;
      var url = select.getAttribute("data-search-url") + "?q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (ticket === latest) {
            searched = query;
            show(data.results || []);
            if (then) {
              then();
            }
          }
        })
        .catch(function () {
          show([]);
        });
    }

    // Enter without a highlighted option: take what the text names, if it names one.
    function resolveTyped() {
      var query = input.value.trim().toLowerCase();
      var exact = [];
      results.forEach(function (result, position) {
        if (result.label.toLowerCase() === query) {
          exact.push(position);
        }
      });
      if (exact.length === 1) {
        choose(exact[0]);
      } else if (results.length === 1) {
        choose(0);
      } else {
        var message = results.length > 1 ? text(select, "many", { count: results.length }) : text(select, "none");
        status.textContent = message;
        note.textContent = message;
        note.hidden = false;
        input.setAttribute("aria-describedby", hint.id + " " + note.id);
      }
    }

    function clearNote() {
      note.hidden = true;
      note.textContent = "";
      input.setAttribute("aria-describedby", hint.id);
    }

    input.addEventListener("input", function () {
      clearNote();
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!open && results.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter") {
        event.preventDefault(); // Enter here chooses; it never submits the form
        if (open && active >= 0) {
          choose(active);
        } else if (input.value.trim()) {
          window.clearTimeout(timer);
          if (searched === input.value.trim()) {
            resolveTyped();
          } else {
            search(resolveTyped);
          }
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else if (input.value) {
          input.value = "";
        }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });
    renderChosen();
  }

  function start() {
    document.querySelectorAll("select[data-combobox]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
