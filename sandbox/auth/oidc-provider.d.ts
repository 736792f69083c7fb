/**
 * The small part of oidc-provider 9's API that the sandbox uses. The package ships no types;
 * these are written from its source and cover only what sandbox/auth calls.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type Params = Record<string, string | string[] | undefined>;

  export interface ClientLike {
    clientId: string;
    clientAuthMethod: string;
    redirectUris: string[];
    /** Registered scope (client metadata `scope`), if any. */
    scope?: string;
    grantTypeAllowed(type: string): boolean;
  }

  export interface TokenLike {
    jti: string;
    grantId?: string;
    accountId?: string;
    clientId?: string;
    scope?: string;
    readonly scopes: Set<string>;
    exp?: number;
    iat?: number;
    aud?: string | string[];
    extra?: Record<string, unknown>;
    readonly isExpired: boolean;
  }

  export interface GrantLike {
    jti: string;
    accountId?: string;
    clientId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    rejectResourceScope(resource: string, scope: string): void;
    rejectOIDCScope(scope: string): void;
    getOIDCScope(): string;
    getResourceScope(resource: string): string;
    save(): Promise<string>;
    destroy(): Promise<void>;
  }

  export interface OidcContext {
    route: string;
    params: Params;
    entities: {
      AccessToken?: TokenLike;
      AuthorizationCode?: TokenLike;
      RefreshToken?: TokenLike;
      /** The refresh token a refresh_token grant used up (set when it rotated). */
      RotatedRefreshToken?: TokenLike;
      Grant?: GrantLike;
    };
    client?: ClientLike;
  }

  export interface KoaContextWithOIDC {
    path: string;
    method: string;
    status: number;
    body: unknown;
    type: string;
    query: Params;
    oidc: OidcContext;
  }

  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

  export interface InteractionLike {
    uid: string;
    exp: number;
    returnTo: string;
    params: Params;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    session?: { uid: string; accountId?: string; cookie?: string };
    save(ttlSeconds: number): Promise<string>;
  }

  export interface SessionLike {
    destroy(): Promise<void>;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export type InteractionResult =
    | { login?: { accountId: string; remember?: boolean }; consent?: { grantId: string } }
    | { error: string; error_description?: string };

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    /** The Koa context of the request being handled (AsyncLocalStorage), if any. */
    static readonly ctx: KoaContextWithOIDC | undefined;
    readonly issuer: string;
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    use(middleware: Middleware): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionLike>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResult,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    readonly AccessToken: { find(token: string): Promise<TokenLike | undefined> };
    /** Tokens of the client_credentials grant (SMART Backend Services). */
    readonly ClientCredentials: { find(token: string): Promise<TokenLike | undefined> };
    readonly Client: { find(id: string): Promise<ClientLike | undefined> };
    readonly Grant: {
      new (init: { accountId: string; clientId: string }): GrantLike;
      find(id: string): Promise<GrantLike | undefined>;
    };
    readonly Session: { findByUid(uid: string): Promise<SessionLike | undefined> };
  }

  class OIDCProviderError extends Error {
    constructor(status: number, message: string);
    error: string;
    error_description?: string;
  }

  export const errors: {
    OIDCProviderError: typeof OIDCProviderError;
    InvalidRequest: new (description?: string) => OIDCProviderError;
    InvalidTarget: new (description?: string) => OIDCProviderError;
    InvalidGrant: new (detail?: string) => OIDCProviderError;
    InvalidScope: new (description: string, scope?: string) => OIDCProviderError;
    InvalidClientAuth: new (description?: string) => OIDCProviderError;
    SessionNotFound: new (description?: string) => OIDCProviderError;
  };

  export default Provider;
}
