// Inside a company portal's iframe: tell the parent how tall the page is, and let links that
// leave Atrium open in a new tab. Messages go to the portal's own origin only, never "*".
(function () {
  "use strict";
  var allowed = (document.querySelector('meta[name="atrium-embed-origins"]') || {}).content || "";
  allowed = allowed.split(/\s+/).filter(Boolean);
  var hinted = (document.querySelector('meta[name="atrium-embed-parent"]') || {}).content;

  function parentOrigin() {
    var candidates = [hinted];
    if (window.location.ancestorOrigins && window.location.ancestorOrigins.length) {
      candidates.push(window.location.ancestorOrigins[0]);
    }
    if (document.referrer) {
      try { candidates.push(new URL(document.referrer).origin); } catch (e) { /* ignore */ }
    }
    for (var i = 0; i < candidates.length; i++) {
      if (candidates[i] && allowed.indexOf(candidates[i]) !== -1) { return candidates[i]; }
    }
    return null;
  }

  var target = window.parent !== window ? parentOrigin() : null;
  var lastHeight = 0;

  function report() {
    if (!target) { return; }
    var height = Math.ceil(document.documentElement.scrollHeight);
    if (height !== lastHeight) {
      lastHeight = height;
      window.parent.postMessage({ type: "atrium:height", height: height }, target);
    }
  }

  window.addEventListener("load", report);
  document.addEventListener("htmx:afterSettle", report);
  if (window.ResizeObserver) { new ResizeObserver(report).observe(document.body); }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link) { return; }
    var url = new URL(link.href, window.location.href);
    var inside = url.origin === window.location.origin && url.pathname.indexOf("/embed/") === 0;
    var asset = url.origin === window.location.origin && /^\/(static|sandbox|uploads)\//.test(url.pathname);
    if (!inside && !asset) {
      link.target = "_blank";
      link.rel = "noopener noreferrer";
    }
  }, true);
})();
