// The synthesis editor saves the user's draft by itself, a few seconds after a change
// (form[data-autosave-url]): never a version, and never over newer work: the server
// answers 409 then, and the page says so in its live region and stops saving by itself.
// Without this script the page works as before: "Enregistrer" saves a version.
(function () {
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) return;
  var url = form.getAttribute("data-autosave-url");
  var delay = (parseInt(form.getAttribute("data-autosave-seconds"), 10) || 10) * 1000;
  var status = document.getElementById(form.getAttribute("data-autosave-status"));
  var revision = form.querySelector("input[name=draft_revision]");
  var timer = null;
  var sending = false;
  var changed = false; // a change not sent yet
  var stopped = false;

  function say(message, isError, link) {
    if (!status) return;
    status.textContent = message;
    status.classList.toggle("bpp-autosave-status--error", !!isError);
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.target = "_blank";
      anchor.rel = "noopener";
      anchor.className = "fr-link fr-link--sm fr-ml-1w";
      anchor.textContent = link.text;
      status.appendChild(anchor);
    }
  }

  function showStates(started) {
    Object.keys(started || {}).forEach(function (key) {
      var badge = document.querySelector('[data-section-state="' + key + '"]');
      if (!badge) return;
      badge.textContent = started[key] ? "commencée" : "vide";
      badge.classList.toggle("fr-badge--success", started[key]);
    });
  }

  function schedule() {
    if (stopped || timer) return;
    timer = window.setTimeout(send, delay);
  }

  function send() {
    timer = null;
    if (sending) return schedule();
    sending = true;
    changed = false;
    say("Enregistrement du brouillon…");
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (response.redirected) throw new Error("signed out");
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (answer) {
        var body = answer.body;
        if (answer.status === 200) {
          if (revision) revision.value = body.draft_revision;
          showStates(body.started);
          say(body.message);
          if (!changed) form.dispatchEvent(new CustomEvent("bpp:draft-saved"));
          return;
        }
        if (answer.status === 409) stopped = true;
        say(body.message, true, body.link ? { href: body.link, text: body.link_text } : null);
      })
      .catch(function () {
        say(
          "Brouillon non enregistré : le serveur n’a pas répondu (connexion perdue ou session " +
            "expirée). Vos modifications sont toujours dans la page : cliquez sur « Enregistrer ».",
          true
        );
      })
      .then(function () {
        sending = false;
        if (changed) schedule();
      });
  }

  function onChange() {
    changed = true;
    schedule();
  }

  form.addEventListener("input", onChange);
  form.addEventListener("change", onChange);
  form.addEventListener("submit", function () {
    stopped = true;
    if (timer) window.clearTimeout(timer);
  });
})();
