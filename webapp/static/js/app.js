// Atrium's small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Confirm before destructive actions: a form marked data-confirm asks first. Listening in the
  // capture phase covers plain and htmx forms alike (htmx submits on the same event).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // After an HTMX swap, move focus to a new alert or heading so screen readers hear it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || !target.querySelector) { return; }
    var focus = target.querySelector("[data-autofocus], [role=alert]");
    if (focus) {
      if (!focus.hasAttribute("tabindex") && !focus.matches("a[href], button")) {
        focus.setAttribute("tabindex", "-1");
      }
      focus.removeAttribute("data-autofocus"); // focused once: a later swap won't pull it back
      focus.focus();
    }
  });
})();
