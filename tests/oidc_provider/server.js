// The OpenID Connect provider the test suite signs in with, in ProConnect's place: the
// certified `oidc-provider` package, one client, PKCE required, and a login page of its
// own that sets `acr` and `amr` as ProConnect does.
//
// Run by tests/proconnect_provider.py: node server.js, with
//   PORT           the port to listen on (127.0.0.1)
//   REDIRECT_BASE  the address of the application under test (http://testserver, ...)
//   STATE_FILE     a JSON file the tests write and this server reads at every request:
//                  {"accounts": [{"sub", "email", "password", "given_name", "usual_name",
//                  "siret", "acr", "amr"}],
//                   "misbehave": null | "signature" | "nonce" | "audience"}
// It prints "ready <issuer>" once it listens.

import { generateKeyPairSync, createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const redirectBase = process.env.REDIRECT_BASE;
const stateFile = process.env.STATE_FILE;

export const CLIENT_ID = 'bpp-test';
export const CLIENT_SECRET = 'bpp-test-secret';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };

function state() {
  return JSON.parse(readFileSync(stateFile, 'utf8'));
}

function accountBySub(sub) {
  return state().accounts.find((account) => account.sub === sub);
}

const configuration = {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: [`${redirectBase}/connexion/proconnect/retour/`],
    post_logout_redirect_uris: [`${redirectBase}/connexion/`],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
    userinfo_signed_response_alg: 'RS256', // as ProConnect answers: a signed JWT
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['bpp-test-cookie-key'] },
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'given_name', 'usual_name', 'siret'],
  claims: {
    openid: ['sub'],
    acr: null,
    amr: null,
    email: ['email'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    siret: ['siret'],
  },
  acrValues: ['eidas1', 'eidas2', 'eidas3'],
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  async findAccount(ctx, sub) {
    const account = accountBySub(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        const { sub: _, password, acr, amr, ...claims } = account;
        return { sub, ...claims };
      },
    };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
};

const provider = new Provider(issuer, configuration);

function page(title, body) {
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head>`
    + `<body><h1>${title}</h1>${body}</body></html>`;
}

function loginForm(uid, error) {
  return page('Connexion au fournisseur de test', `${error ? `<p role="alert">${error}</p>` : ''}
    <form method="post" action="/interaction/${uid}/login">
      <label for="email">Adresse électronique</label><input id="email" name="email">
      <label for="password">Mot de passe</label><input id="password" name="password" type="password">
      <button type="submit">Se connecter</button>
    </form>`);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

// The login page and the consent every test client is given without asking.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    const { missingOIDCScope, missingOIDCClaims } = details.prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    const grantId = await grant.save();
    const to = await provider.interactionResult(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    ctx.redirect(to);
    return undefined;
  }
  if (ctx.method === 'POST' && match[2]) {
    const form = await readForm(ctx.req);
    const email = (form.get('email') || '').trim().toLowerCase();
    const account = state().accounts.find((a) => a.email.toLowerCase() === email);
    if (!account || account.password !== form.get('password')) {
      ctx.body = loginForm(details.uid, 'Adresse ou mot de passe incorrect.');
      return undefined;
    }
    const result = { login: { accountId: account.sub, acr: account.acr || 'eidas1', amr: account.amr || ['pwd'] } };
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
    return undefined;
  }
  ctx.type = 'html';
  ctx.body = loginForm(details.uid);
  return undefined;
});

// A provider gone wrong, when a test asks for it: an ID token whose signature no longer
// holds, or one validly signed for another nonce or another client.
function base64url(value) {
  return Buffer.from(value).toString('base64url');
}

function misbehave(idToken, how) {
  const [header, payload, signature] = idToken.split('.');
  if (how === 'signature') {
    const claims = JSON.parse(Buffer.from(payload, 'base64url'));
    claims.email = 'quelquun.dautre@example.org';
    return `${header}.${base64url(JSON.stringify(claims))}.${signature}`;
  }
  const changes = how === 'nonce' ? { nonce: 'not-the-one-asked-for' } : { aud: 'another-client' };
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url')), ...changes };
  const signed = `${header}.${base64url(JSON.stringify(claims))}`;
  const signer = createSign('RSA-SHA256');
  signer.update(signed);
  return `${signed}.${signer.sign(privateKey).toString('base64url')}`;
}

provider.use(async (ctx, next) => {
  await next();
  const how = ctx.path === '/token' && ctx.body?.id_token ? state().misbehave : null;
  if (how) ctx.body = { ...ctx.body, id_token: misbehave(ctx.body.id_token, how) };
});

createServer(provider.callback()).listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
