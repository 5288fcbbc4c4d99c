/* Place search boxes: suggestions from the page's own JSON endpoint as people type.
   Progressive enhancement: without this file the form still works (the server resolves
   typed names and offers "did you mean" choices). Accessible combobox pattern (WAI-ARIA APG):
   arrows move, Enter picks, Escape closes; the list is announced through aria-activedescendant. */
(function () {
  "use strict";

  var DELAY_MS = 200;

  function upgrade(input, url) {
    var list = document.createElement("ul");
    var label = document.querySelector('label[for="' + input.id + '"]');
    var items = [];
    var active = -1;
    var timer = null;
    var asked = "";

    list.id = input.id + "-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    if (label) { list.setAttribute("aria-label", label.textContent.trim()); }
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var options = list.children;
      active = index;
      for (var i = 0; i < options.length; i += 1) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    // A "did you mean" choice left ticked would win over a new name: typing or picking
    // a suggestion drops it.
    function forgetChoices(hide) {
      var choices = document.getElementById(input.id + "-choices");
      if (!choices) { return; }
      choices.querySelectorAll("input[type=radio]").forEach(function (radio) {
        radio.checked = false;
      });
      if (hide) { choices.hidden = true; }
    }

    function pick(index) {
      if (index < 0 || index >= items.length) { return; }
      input.value = items[index].label;
      close();
      forgetChoices(true);
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(found) {
      items = found;
      list.textContent = "";
      found.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = item.label;
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { pick(index); });
        list.appendChild(option);
      });
      if (found.length === 0) { close(); return; }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(-1);
    }

    function search() {
      var query = input.value.trim();
      asked = query;
      if (query.length < 2) { close(); return; }
      fetch(url + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) { if (asked === query) { show(found); } })
        .catch(close);
    }

    input.addEventListener("input", function () {
      forgetChoices(false);
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown" && items.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
          highlight(0);
          event.preventDefault();
        }
        return;
      }
      if (event.key === "ArrowDown") {
        highlight(Math.min(active + 1, items.length - 1));
        event.preventDefault();
      } else if (event.key === "ArrowUp") {
        highlight(Math.max(active - 1, 0));
        event.preventDefault();
      } else if (event.key === "Enter" && active >= 0) {
        pick(active);
        event.preventDefault();
      } else if (event.key === "Escape") {
        close();
        event.preventDefault();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  document.querySelectorAll("form[data-place-search]").forEach(function (form) {
    var url = form.getAttribute("data-place-search");
    form.querySelectorAll("input[data-places]").forEach(function (input) {
      upgrade(input, url);
    });
  });
})();
