// The demo portal's side of the embedding contract (copy this into your portal).
(function () {
  "use strict";
  var atriumOrigin = new URL(document.querySelector('meta[name="atrium-origin"]').content).origin;
  var frame = document.getElementById("atrium-frame");

  // Resize the frame to Atrium's height; trust only messages from Atrium's origin.
  window.addEventListener("message", function (event) {
    if (event.origin !== atriumOrigin || !event.data || event.data.type !== "atrium:height") { return; }
    var height = Number(event.data.height);
    if (height > 0 && height < 100000) { frame.style.height = height + "px"; }
  });

  // Sign the learner in: post the one-time handoff token into the frame.
  document.getElementById("atrium-handoff").submit();
})();
