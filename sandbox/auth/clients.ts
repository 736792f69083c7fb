/**
 * Loads sandbox/clients.json: fills `${NAME}` placeholders from the sandbox config and checks the
 * result, so a client registration that could never work fails at boot, not at the first launch.
 */
import { z } from 'zod';
import clientsFile from '../clients.json';
import { DEFAULT_STAFF_CLIENT_SECRET } from '../config';

export interface ClientPlaceholders {
  HOUSECALL_URL: string;
  SANDBOX_ORIGIN: string;
  HOUSECALL_SANDBOX_CLIENT_SECRET: string;
  /** Secret of the staff console's client (`housecall-staff`); a sandbox default when not given. */
  HOUSECALL_STAFF_CLIENT_SECRET?: string;
  /** How the `housecall` client authenticates: a shared secret (default) or its own key (`private_key_jwt`, JWKS at Housecall's `/.well-known/jwks.json`). */
  HOUSECALL_SANDBOX_CLIENT_AUTH?: 'client_secret_basic' | 'private_key_jwt';
}

const clientSchema = z.strictObject({
  client_id: z.string().min(1),
  client_name: z.string().optional(),
  client_secret: z.string().min(16).optional(),
  token_endpoint_auth_method: z.enum(['client_secret_basic', 'private_key_jwt', 'none']),
  jwks_uri: z.url().optional(),
  redirect_uris: z.array(z.url()),
  grant_types: z.array(z.enum(['authorization_code', 'refresh_token', 'client_credentials'])).min(1),
  response_types: z.array(z.literal('code')),
  /** For a SMART Backend Services client: the `system/` scopes it may be granted, space-separated. */
  scope: z.string().optional(),
})
  // A client that signs people in needs somewhere to send them back; a backend client has no user.
  .refine((c) => !c.grant_types.includes('authorization_code') || c.redirect_uris.length > 0, { message: 'an authorization_code client needs a redirect URI', path: ['redirect_uris'] })
  // Backend Services (client_credentials) authenticate with a key only (SMART Backend Services §3).
  .refine((c) => !c.grant_types.includes('client_credentials') || c.token_endpoint_auth_method === 'private_key_jwt', { message: 'a client_credentials client must use private_key_jwt', path: ['token_endpoint_auth_method'] });

/** Client metadata as oidc-provider takes it. */
export type ClientMetadata = z.infer<typeof clientSchema>;

const fileSchema = z.object({ clients: z.array(z.unknown()) });

export class ClientsFileError extends Error {
  readonly code = 'clients_file_invalid';
  constructor(message: string) {
    super(`clients.json: ${message}`);
    this.name = 'ClientsFileError';
  }
}

function substitute(value: unknown, vars: Required<ClientPlaceholders>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Z_]+)\}/g, (_match, name: string) => {
      if (!(name in vars)) throw new ClientsFileError(`unknown placeholder \${${name}}`);
      return vars[name as keyof ClientPlaceholders];
    });
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, vars));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  }
  return value;
}

/** The registered clients with placeholders filled in; throws when one is malformed. */
export function loadClients(vars: ClientPlaceholders, file: unknown = clientsFile): ClientMetadata[] {
  const parsedFile = fileSchema.safeParse(file);
  if (!parsedFile.success) throw new ClientsFileError('expected { "clients": [...] }');
  const { clients } = parsedFile.data;
  const filled: Required<ClientPlaceholders> = { ...vars, HOUSECALL_SANDBOX_CLIENT_AUTH: vars.HOUSECALL_SANDBOX_CLIENT_AUTH ?? 'client_secret_basic', HOUSECALL_STAFF_CLIENT_SECRET: vars.HOUSECALL_STAFF_CLIENT_SECRET ?? DEFAULT_STAFF_CLIENT_SECRET };
  return clients.map((raw, index) => {
    const parsed = clientSchema.safeParse(substitute(raw, filled));
    if (!parsed.success) {
      throw new ClientsFileError(`client #${index} is invalid:\n${z.prettifyError(parsed.error)}`);
    }
    const { jwks_uri: jwksUri, client_secret: secret, ...rest } = parsed.data;
    // Each method keeps only its own credential: a secret for Basic, a key set for private_key_jwt.
    const client: ClientMetadata = rest.token_endpoint_auth_method === 'private_key_jwt'
      ? { ...rest, ...(jwksUri ? { jwks_uri: jwksUri } : {}) }
      : { ...rest, ...(secret !== undefined ? { client_secret: secret } : {}) };
    if (client.token_endpoint_auth_method === 'private_key_jwt') {
      if (!client.jwks_uri) throw new ClientsFileError(`asymmetric client ${client.client_id} needs a jwks_uri`);
      return client;
    }
    if (client.token_endpoint_auth_method === 'none' && client.client_secret) {
      throw new ClientsFileError(`public client ${client.client_id} must not have a secret`);
    }
    if (client.token_endpoint_auth_method !== 'none' && !client.client_secret) {
      throw new ClientsFileError(`confidential client ${client.client_id} needs a secret`);
    }
    return client;
  });
}
