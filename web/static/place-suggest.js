/* Place names suggested while a coordinator types (the caller is on the phone): the form's
   data-suggest-url answers [{id, label}] for ?q=, and the answers fill the input's <datalist>,
   which the browser offers natively (keyboard and screen readers included). Without this file
   the form still works: the server resolves typed names and offers "Did you mean?" choices. */
(function () {
  "use strict";
  var DELAY_MS = 200;

  function enhance(input, url) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    if (!list) {
      return;
    }
    function fill(found) {
      list.textContent = "";
      found.forEach(function (place) {
        var option = document.createElement("option");
        option.value = place.label;
        list.appendChild(option);
      });
    }
    function search() {
      var query = input.value.trim();
      if (query.length < 2 || query === asked) {
        return;
      }
      asked = query;
      fetch(url + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : [];
      }).then(function (found) {
        if (asked === query) {
          fill(found);
        }
      }).catch(function () { fill([]); });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });
  }

  document.querySelectorAll("form[data-suggest-url]").forEach(function (form) {
    var url = form.getAttribute("data-suggest-url");
    form.querySelectorAll("input[list]").forEach(function (input) {
      enhance(input, url);
    });
  });
}());
