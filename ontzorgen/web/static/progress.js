// SPDX-License-Identifier: EUPL-1.2
// The run's progress bar, updated while the run is prepared: polls the run's JSON progress
// (/betaalruns/{id}/voortgang) and, once the run has left the queue, reloads the run page to
// show its totals. Without JavaScript the page has a "Vernieuwen" link instead.
(function () {
  "use strict";
  var bar = document.querySelector("progress[data-voortgang-url]");
  if (!bar) {
    return;
  }
  var text = document.getElementById("voortgang-tekst");
  var url = bar.getAttribute("data-voortgang-url");
  var done = bar.getAttribute("data-klaar-url");
  var template = text ? text.getAttribute("data-sjabloon") : null;

  function show(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + " %";
    if (text && template) {
      text.textContent = template
        .replace("{done}", String(data.done))
        .replace("{total}", String(data.total))
        .replace("{percent}", String(data.percent));
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) {
          window.location.assign(done);
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 500);
})();
