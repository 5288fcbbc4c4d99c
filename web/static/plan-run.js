/* The day page while a "Plan now" runs: ask the run's JSON every second and show its progress
   box in place (no inline script: the Content-Security-Policy forbids it). When the run ends,
   its result is shown, then the page is loaded again so the new version's routes and map
   appear. Without JavaScript a <meta http-equiv=refresh> reloads the page instead. */
(function () {
  "use strict";
  var box = document.getElementById("plan-run");
  if (!box || box.getAttribute("data-active") !== "true" || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-url");

  function show(data) {
    var holder = document.createElement("div");
    holder.innerHTML = data.html;
    var fresh = holder.querySelector("#plan-run");
    if (fresh) {
      box.replaceWith(fresh);
      box = fresh;
    }
    if (data.active) {
      window.setTimeout(poll, 1000);
    } else {
      window.location.reload();
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(show)
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  window.setTimeout(poll, 1000);
})();
