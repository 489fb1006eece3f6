// The leader's attendance code page: fetch the new code (and its QR code) each time the
// current one expires, without reloading the page. No code, no refresh (not open yet).
(function () {
  var RETRY_MS = 5000;

  function schedule(box) {
    var seconds = parseInt(box.getAttribute("data-expires-in"), 10);
    if (isNaN(seconds)) return;
    window.setTimeout(function () { refresh(box); }, Math.max(seconds, 1) * 1000 + 250);
  }

  function refresh(box) {
    fetch(box.getAttribute("data-fragment-url"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.redirected || !response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.querySelector("#" + box.id);
        if (!fresh) throw new Error("no code in the answer");
        box.replaceWith(fresh);
        schedule(fresh);
      })
      .catch(function () {
        window.setTimeout(function () { refresh(box); }, RETRY_MS);
      });
  }

  var box = document.getElementById("code-emargement");
  if (box) schedule(box);
})();
