/** One request to a test server, its body read as JSON when it is JSON. */
export interface CallOptions {
  method?: string;
  cookie?: string;
  token?: string;
  origin?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as written, as `type` (JSON unless told): a malformed or oversized body. */
  rawBody?: string;
  type?: string;
  headers?: Record<string, string>;
  /** 'manual' to see a redirect itself rather than where it leads. */
  redirect?: RequestRedirect;
}

export async function call(url: string, pathAndQuery: string, options: CallOptions = {}): Promise<{ status: number; headers: Headers; text: string; json: any }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.origin) headers.origin = options.origin;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = options.type ?? 'application/json';
  const response = await fetch(`${url}${pathAndQuery}`, { method: options.method ?? 'GET', headers, body, redirect: options.redirect ?? 'follow' });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, text, json };
}
