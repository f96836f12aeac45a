// A real OpenID Connect provider for the portal's single sign-on tests (panva's certified oidc-provider).
//
//   node server.js config.json
//
// config.json: {"port": 54321, "clients": [...oidc-provider client metadata...], "users": [{"username", "password",
// "sub", "name", "email", "email_verified", "tid", "groups"}]}. Started and stopped by tests/oidc_provider/fixtures.py.
//
// The login screen at /interaction/<uid> is a plain form (user name and password) that the browser test fills in and
// the token tests submit with `requests`. Consent is implied (the portal is a first-party client).
//
// Test-only controls (this server exists only for tests), all JSON POSTs:
//   /__test__/next-token {"mode": "tamper" | "foreign-key" | "expired" | "overage" | "no-profile"}
//       the next token response's id_token is altered: its payload changed without a new signature, signed with a
//       key that is not in the JWKS, re-signed already expired, or re-signed in Entra's "groups overage" shape;
//       "no-profile": re-signed without name and e-mail (the portal must ask the userinfo endpoint).
//   /__test__/users/<username> {"name": ..., "email": ..., "groups": [...], ...}   changes a test user's claims.
//   /__test__/reset {}   the users as configured, no altered token pending.
import fs from 'node:fs';
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const port = config.port;
const issuer = `http://127.0.0.1:${port}`;
const users = new Map();
const resetUsers = () => {
  users.clear();
  for (const user of config.users) users.set(user.username, structuredClone(user));
};
resetUsers();
const bySub = (sub) => [...users.values()].find((user) => user.sub === sub);
let nextTokenMode = null;

const KID = 'test-key';
const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: KID, alg: 'RS256', use: 'sig' };
const foreignKey = (await jose.generateKeyPair('RS256')).privateKey;

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function loginPage(uid, error) {
  return page(
    'Testleverandør: logg inn',
    `${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login" id="provider-login">
  <p><label for="provider-username">Brukernavn</label> <input id="provider-username" name="username" autocomplete="username"></p>
  <p><label for="provider-password">Passord</label> <input id="provider-password" name="password" type="password"></p>
  <p><button type="submit">Logg inn hos leverandøren</button></p>
</form>`,
  );
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function alterIdToken(idToken, mode) {
  const [header, payload] = idToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const sign = (body, key) => new jose.SignJWT(body).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' }).sign(key);
  if (mode === 'tamper') {
    // Another name in the payload, the provider's signature left as it was: the signature no longer matches.
    const changed = Buffer.from(JSON.stringify({ ...claims, name: 'Mallory Manipulert' })).toString('base64url');
    return `${header}.${changed}.${idToken.split('.')[2]}`;
  }
  if (mode === 'foreign-key') return sign(claims, foreignKey);
  if (mode === 'no-profile') {
    // Like ID-porten and Ansattporten: the id_token says who (sub), the userinfo endpoint the rest.
    const { name, email, email_verified: verified, ...rest } = claims;
    return sign(rest, privateKey);
  }
  if (mode === 'expired') {
    const now = Math.floor(Date.now() / 1000);
    return sign({ ...claims, iat: now - 7200, exp: now - 3600 }, privateKey);
  }
  if (mode === 'overage') {
    const { groups, ...rest } = claims;
    return sign(
      {
        ...rest,
        hasgroups: true,
        _claim_names: { groups: 'src1' },
        _claim_sources: { src1: { endpoint: `https://graph.microsoft.com/v1.0/users/${claims.sub}/getMemberObjects` } },
      },
      privateKey,
    );
  }
  throw new Error(`unknown mode ${mode}`);
}

const provider = new Provider(issuer, {
  clients: config.clients,
  jwks: { keys: [signingJwk] },
  cookies: { keys: ['test-only-cookie-key'] },
  async findAccount(ctx, sub) {
    const user = bySub(sub);
    if (!user) return undefined;
    return {
      accountId: sub,
      async claims() {
        const current = bySub(sub);
        return {
          sub,
          name: current.name,
          email: current.email,
          email_verified: current.email_verified,
          tid: current.tid,
          groups: current.groups,
        };
      },
    };
  },
  claims: {
    openid: ['sub', 'tid', 'groups'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // Like Entra ID: the id_token carries the claims (e-mail, name, groups, tenant), not only the userinfo endpoint.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  ttl: { IdToken: 3600, AccessToken: 3600, Session: 3600, Interaction: 600, Grant: 3600, AuthorizationCode: 60 },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    // First-party client: consent is implied.
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page(
          'Testleverandør: logge ut?',
          `${form}<p><button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, logg ut</button></p>`,
        );
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Testleverandør: logget ut', '<p>Du er logget ut.</p>');
      },
    },
  },
});

provider.use(async (ctx, next) => {
  if (ctx.path.startsWith('/__test__/') && ctx.method === 'POST') {
    const body = JSON.parse((await readBody(ctx.req)) || '{}');
    if (ctx.path === '/__test__/next-token') {
      nextTokenMode = body.mode || null;
    } else if (ctx.path === '/__test__/reset') {
      resetUsers();
      nextTokenMode = null;
    } else if (ctx.path.startsWith('/__test__/users/')) {
      const user = users.get(decodeURIComponent(ctx.path.slice('/__test__/users/'.length)));
      if (!user) ctx.throw(404);
      Object.assign(user, body);
    } else {
      ctx.throw(404);
    }
    ctx.body = { ok: true };
    return;
  }
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (match) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    ctx.type = 'html';
    if (!match[2] && ctx.method === 'GET') {
      ctx.body = loginPage(details.uid);
      return;
    }
    if (match[2] && ctx.method === 'POST') {
      const form = new URLSearchParams(await readBody(ctx.req));
      const user = users.get(form.get('username') || '');
      if (!user || user.password !== form.get('password')) {
        ctx.body = loginPage(details.uid, 'Feil brukernavn eller passord.');
        return;
      }
      const result = { login: { accountId: user.sub } };
      ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
      return;
    }
    ctx.throw(405);
  }
  await next();
  if (ctx.path === '/token' && nextTokenMode && ctx.body && ctx.body.id_token) {
    const mode = nextTokenMode;
    nextTokenMode = null;
    ctx.body = { ...ctx.body, id_token: await alterIdToken(ctx.body.id_token, mode) };
  }
});

http.createServer(provider.callback()).listen(port, '127.0.0.1', () => {
  process.stdout.write(`oidc-provider listening on ${issuer}\n`);
});
