// Read by the DSFR script at start-up: no console banners (their %c styling breaks our CSP).
window.dsfr = { production: true };
