// A local OpenID Connect provider for Oppdrag's sign-in tests.
// Usage: node provider.mjs PORT REDIRECT_URI  — prints "ready" when it listens.
// Any login name is accepted on its development login page; the account's e-mail
// is "<login>@example.org".
import Provider from "oidc-provider";

const [port, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "oppdrag",
      client_secret: "test-secret-not-for-production",
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: "client_secret_post",
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  findAccount: async (ctx, sub) => ({
    accountId: sub,
    claims: async () => ({
      sub,
      email: `${sub}@example.org`,
      email_verified: true,
      name: sub,
    }),
  }),
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  cookies: { keys: ["test-only-cookie-key"] },
});
provider.proxy = false;
const server = provider.listen(Number(port), "127.0.0.1", () => {
  console.log("ready");
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
