// The redeem page swaps its code boxes by id: typing checks a box, leaving it re-renders the
// box, "Add another code" re-renders the list. While new elements settle, htmx first copies a
// few attributes of the old element with the same id onto the new one; a style attribute among
// them (password managers and browser extensions put one on inputs) is set with setAttribute,
// which the page's CSP refuses: a violation in the console, on every swap. Atrium never styles
// an element through its style attribute, so there is nothing to carry over: settle without it.
// (base.html's htmx-config could say the same for every page; the page works without this file.)
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var config = window.htmx && window.htmx.config;
    if (config && Array.isArray(config.attributesToSettle)) {
      config.attributesToSettle = config.attributesToSettle.filter(function (name) {
        return name !== "style";
      });
    }
  });
})();
