/**
 * Requests that change something (POST, PUT, PATCH, DELETE) must come from the search page itself,
 * not from a page on another site that the clerk's browser happens to have open. SameSite=Strict
 * cookies already keep the session out of such requests; this check refuses them outright, sign-in
 * included (so another site cannot sign a browser in as someone else, or guess passwords through it).
 *
 * - `Origin` present: it must be the server's own origin: `serve.publicOrigin` when configured
 *   (the address behind the reverse proxy), else the scheme and Host the request came with (with
 *   https too when `serve.secureCookies` says a proxy serves the page over HTTPS).
 * - `Origin` absent: `Sec-Fetch-Site` must not say cross-site or same-site (a sibling subdomain is
 *   another site's page too). Old browsers send neither; SameSite=Strict still covers them.
 * - Requests with `Authorization: Bearer …` are scripts, not browsers: a browser never sends that
 *   header cross-origin without a CORS preflight, which this server never grants.
 */

const CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface OriginSettings {
  publicOrigin: string | null;
  secureCookies: boolean;
}

interface RequestLike {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** As Fastify says: from X-Forwarded-Proto/-Host only when a trusted proxy sent them. */
  protocol: string;
  host: string;
}

function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** Why this request is refused, or null when it may go on. */
export function foreignOrigin(request: RequestLike, settings: OriginSettings): string | null {
  if (!CHANGING.has(request.method.toUpperCase())) return null;
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && /^Bearer\s+\S+$/i.test(authorization)) return null;
  const origin = request.headers.origin;
  if (typeof origin === 'string' || Array.isArray(origin)) {
    const sent = typeof origin === 'string' ? originOf(origin) : null;
    if (sent === null) return `Origin ${JSON.stringify(String(origin)).slice(0, 200)} is not a web address`;
    const own = settings.publicOrigin !== null ? [settings.publicOrigin] : [`${request.protocol}://${request.host}`, ...(settings.secureCookies ? [`https://${request.host}`] : [])].map(originOf);
    return own.includes(sent) ? null : `Origin ${sent} is not this server's`;
  }
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return `Sec-Fetch-Site: ${site}`;
  return null;
}
