// "Filen lages nå" (faggruppe_pages/reader/exports/background.py): asks every few seconds whether the file is
// ready and then downloads it, without reloading the page (a reload every few seconds would move a screen
// reader's reading position and is refused by WCAG 2.2.1). Without JavaScript the page's <noscript> refresh does it.
(function () {
  "use strict";
  var status = document.getElementById("export-status");
  if (!status || !window.fetch) {
    return;
  }
  var url = status.getAttribute("data-url");
  var seconds = parseInt(status.getAttribute("data-refresh"), 10) || 3;

  function later(factor) {
    window.setTimeout(check, seconds * 1000 * factor);
  }

  function check() {
    fetch(url, { method: "HEAD", credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        var state = response.headers.get("X-Export-State");
        if (response.ok && !state) {
          status.textContent = status.getAttribute("data-ready");
          window.location.assign(url);
        } else if (state === "failed") {
          window.location.reload();
        } else {
          later(1);
        }
      })
      .catch(function () {
        later(3);
      });
  }

  later(1);
})();
