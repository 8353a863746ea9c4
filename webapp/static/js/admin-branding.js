// Branding preview: a colour picker beside each hex field, and a preview frame as tall as its
// page. The page works without this file (hex fields, a fixed-height frame).
(function () {
  "use strict";

  var HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

  function full(hex) {
    var digits = hex.replace("#", "");
    if (digits.length === 3) {
      digits = digits.split("").map(function (c) { return c + c; }).join("");
    }
    return "#" + digits.toLowerCase();
  }

  function addPicker(input) {
    if (input.dataset.picker) { return; }
    input.dataset.picker = "1";
    var picker = document.createElement("input");
    picker.type = "color";
    picker.className = "colour-picker";
    picker.setAttribute("aria-label", input.getAttribute("data-picker-label") || "");
    var start = input.value || input.getAttribute("data-current") || "";
    picker.value = HEX.test(start) ? full(start) : "#000000";
    picker.addEventListener("input", function () { input.value = picker.value; });
    input.addEventListener("input", function () {
      if (HEX.test(input.value.trim())) { picker.value = full(input.value.trim()); }
    });
    input.insertAdjacentElement("afterend", picker);
  }

  function fit(frame) {
    try {
      var doc = frame.contentDocument;
      if (doc && doc.documentElement) {
        frame.style.height = Math.max(480, doc.documentElement.scrollHeight + 4) + "px";
      }
    } catch (e) { /* not ours to measure: keep the stylesheet's height */ }
  }

  function enhance(root) {
    root.querySelectorAll(".field--colour input[type=text], .field--colour input:not([type])").forEach(addPicker);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("load", function (event) {
    if (event.target && event.target.classList && event.target.classList.contains("preview-frame")) {
      fit(event.target);
    }
  }, true);
})();
