// Atrium's small progressive enhancements. Every page works without this file: confirmations
// have pages of their own, the header's menu is a #menu link, its <details> menus open by
// themselves, and the language and license forms have a button.
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.add("js"); // app.css hides what only a page without JavaScript needs

  // ---- Confirmations ------------------------------------------------------------------------
  // A form marked data-confirm asks first, in a <dialog> (base.html's template holds its
  // translated words). Listening in the capture phase covers plain and htmx forms alike (htmx
  // submits on the same event): the first submit is stopped, and once confirmed the form is
  // submitted again, exactly as before, and let through.
  var confirmedForms = typeof WeakSet === "function" ? new WeakSet() : null;
  var dialog = null;

  function confirmDialog() {
    if (dialog) { return dialog; }
    var template = document.getElementById("confirm-dialog-template");
    if (!template || !template.content || typeof HTMLDialogElement !== "function") { return null; }
    dialog = template.content.querySelector("dialog").cloneNode(true);
    document.body.appendChild(dialog);
    // A click on the backdrop (the dialog element itself, outside its body) cancels.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) { dialog.close("cancel"); }
    });
    return dialog;
  }

  function submitAgain(form, submitter) {
    confirmedForms.add(form);
    if (typeof form.requestSubmit === "function") {
      var own = submitter && submitter.form === form && submitter.type === "submit";
      form.requestSubmit(own ? submitter : undefined);
    } else {
      form.submit();
    }
  }

  function ask(box, form, message, submitter) {
    var confirmButton = box.querySelector(".confirm-dialog__confirm");
    var cancelButton = box.querySelector(".confirm-dialog__cancel");
    box.querySelector(".confirm-dialog__message").textContent = message;
    // The confirm button says what happens: the form's own words, else its button's.
    confirmButton.textContent = form.getAttribute("data-confirm-button") ||
      (submitter && submitter.textContent.trim()) || confirmButton.getAttribute("data-label");
    var danger = !!(submitter && submitter.classList.contains("button--danger"));
    confirmButton.classList.toggle("button--danger", danger);
    confirmButton.classList.toggle("button--primary", !danger);
    var opener = document.activeElement;
    box.returnValue = "";
    box.addEventListener("close", function onClose() {
      box.removeEventListener("close", onClose);
      var back = submitter && submitter.isConnected ? submitter : opener;
      if (back && back.isConnected && typeof back.focus === "function") { back.focus(); }
      if (box.returnValue === "confirm") { submitAgain(form, submitter); }
    });
    box.showModal();
    (danger ? cancelButton : confirmButton).focus(); // a destructive action starts on Cancel
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (!message) { return; }
    if (confirmedForms && confirmedForms.has(form)) {
      confirmedForms.delete(form); // confirmed: on its way, and the next submit asks again
      return;
    }
    var box = confirmedForms && confirmDialog();
    if (!box) { // no <dialog> in this browser: its own confirm
      if (!window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!box.open) { ask(box, form, message, event.submitter || form.querySelector("[type=submit]")); }
  }, true);

  // ---- Header: the menu button (phones) and the <details> menus --------------------------------
  var header = document.querySelector(".site-header");
  var menuButton = header && header.querySelector(".menu-toggle--button");

  function setMenu(open) {
    header.classList.toggle("site-header--open", open);
    menuButton.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function headerMenus() {
    return header ? header.querySelectorAll("details.header-menu[open]") : [];
  }

  function closeMenus(except) {
    Array.prototype.forEach.call(headerMenus(), function (details) {
      if (details !== except) { details.open = false; }
    });
  }

  if (menuButton) {
    menuButton.addEventListener("click", function () {
      setMenu(menuButton.getAttribute("aria-expanded") !== "true");
    });
    if (window.location.hash === "#menu") { setMenu(true); } // opened before this script ran
  }

  if (header) {
    // One menu open at a time.
    header.addEventListener("toggle", function (event) {
      if (event.target.open) { closeMenus(event.target); }
    }, true);
    // A click elsewhere closes the open menus.
    document.addEventListener("click", function (event) {
      Array.prototype.forEach.call(headerMenus(), function (details) {
        if (!details.contains(event.target)) { details.open = false; }
      });
    });
    // Esc closes the innermost open menu and puts focus back on its button.
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || event.defaultPrevented) { return; }
      var open = headerMenus();
      if (open.length) {
        var details = open[open.length - 1];
        details.open = false;
        details.querySelector("summary").focus();
        event.preventDefault();
      } else if (menuButton && menuButton.getAttribute("aria-expanded") === "true") {
        setMenu(false);
        menuButton.focus();
        event.preventDefault();
      }
    });
  }

  // ---- Settings that apply as soon as they are chosen (language, license) ---------------------
  // A pick with the mouse or touch applies at once. Arrow keys on a closed <select> change its
  // value too, one step at a time, so a value chosen by keyboard applies on Enter or when focus
  // leaves the select, not at the first key press.
  var STEPPING_KEYS = /^(Arrow|Page|Home$|End$)/;

  function autosubmit(form) {
    var select = form.querySelector("select");
    if (!select || typeof form.requestSubmit !== "function") { return; }
    var hint = form.querySelector(".autosubmit__hint");
    if (hint) {
      hint.hidden = false;
      select.setAttribute("aria-describedby", hint.id);
    }
    form.classList.add("autosubmit--on");
    var initial = select.value;
    var keyed = false;
    function send() {
      keyed = false;
      if (select.value !== initial) { form.requestSubmit(); }
    }
    select.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        send();
      } else if (STEPPING_KEYS.test(event.key) || (event.key.length === 1 && event.key !== " ")) {
        keyed = true;
      }
    });
    select.addEventListener("change", function () { if (!keyed) { send(); } });
    select.addEventListener("blur", function () { if (keyed) { send(); } });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-autosubmit]"), autosubmit);

  // ---- HTMX -------------------------------------------------------------------------------------
  // After an HTMX swap, move focus to a new alert or heading so screen readers hear it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || !target.querySelector) { return; }
    var focus = target.querySelector("[data-autofocus], [role=alert]");
    if (focus) {
      // Focusable controls keep their place in the Tab order; only text gets tabindex=-1.
      if (!focus.hasAttribute("tabindex") && !focus.matches("a[href], button, input, select, textarea")) {
        focus.setAttribute("tabindex", "-1");
      }
      focus.removeAttribute("data-autofocus"); // focused once: a later swap won't pull it back
      focus.focus();
    }
  });
})();
