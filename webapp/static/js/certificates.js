// Certificates: a "Print" button for the transcript and a certificate's details.
// CSP forbids inline script, so it lives here. Without JavaScript the button stays hidden and
// the browser's own Print command does the same.
(function () {
  "use strict";

  function reveal() {
    var buttons = document.querySelectorAll("[data-print]");
    for (var i = 0; i < buttons.length; i++) { buttons[i].hidden = false; }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { window.print(); }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reveal);
  } else {
    reveal();
  }
})();
