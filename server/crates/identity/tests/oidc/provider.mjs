// OpenID provider for the hearth-identity integration tests (oidc-provider v9).
// Loopback only: development interactions accept ANY password for any login.
//
// Environment:
//   OIDC_PORT          port on 127.0.0.1 (required)
//   OIDC_JWKS_FILE     signing keys (JWKS with private parts); created when missing
//   OIDC_KID           key id used when the file has to be created (rotation: new file + new kid)
//   OIDC_REDIRECT_URI  redirect URI registered for both clients
//   OIDC_POST_LOGOUT   post-logout redirect URI registered for both clients
// Prints "ready <issuer>" on stdout once listening.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const PORT = Number(process.env.OIDC_PORT);
const ISSUER = `http://127.0.0.1:${PORT}`;
const KEYFILE = process.env.OIDC_JWKS_FILE;
const REDIRECT_URI = process.env.OIDC_REDIRECT_URI;
const POST_LOGOUT = process.env.OIDC_POST_LOGOUT;

function loadJwks() {
  if (existsSync(KEYFILE)) return JSON.parse(readFileSync(KEYFILE, 'utf8'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = process.env.OIDC_KID ?? 'key-1';
  const jwks = { keys: [{ ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] };
  writeFileSync(KEYFILE, JSON.stringify(jwks), { mode: 0o600 });
  return jwks;
}

const ACCOUNTS = {
  alice: {
    email: 'alice@example.com', email_verified: true,
    name: 'Alice Anderson', given_name: 'Alice', family_name: 'Anderson',
    preferred_username: 'alice', groups: ['developers', 'admins'],
  },
  bob: {
    email: 'bob@example.com', email_verified: false,
    name: 'Bob Brown', given_name: 'Bob', family_name: 'Brown',
    preferred_username: 'bob', groups: [],
  },
  jose: {
    email: 'jose@example.org', email_verified: true,
    name: 'José Müller', given_name: 'José', family_name: 'Müller',
    preferred_username: 'jose', groups: ['équipe'],
  },
};

const client = (id) => ({
  client_id: id,
  client_secret: `${id}-secret`,
  redirect_uris: [REDIRECT_URI],
  post_logout_redirect_uris: [POST_LOGOUT],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(ISSUER, {
  clients: [client('hearth'), client('other-app')],
  jwks: loadJwks(),
  cookies: { keys: ['test-only-cookie-key'] },
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  // Put scope claims in the ID token as well as in userinfo.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  // The account id (the login typed in the form) becomes the subject.
  async findAccount(ctx, id) {
    const claims = ACCOUNTS[id] ?? {
      email: `${id}@example.com`, email_verified: true, name: id, preferred_username: id, groups: [],
    };
    return { accountId: id, async claims() { return claims; } };
  },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));
const server = createServer(provider.callback());
server.listen(PORT, '127.0.0.1', () => console.log(`ready ${ISSUER}`));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
