/** One request to a test server, its body read as JSON when it is JSON. */
export interface CallOptions {
  method?: string;
  cookie?: string;
  token?: string;
  origin?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function call(url: string, pathAndQuery: string, options: CallOptions = {}): Promise<{ status: number; headers: Headers; text: string; json: any }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.origin) headers.origin = options.origin;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${pathAndQuery}`, { method: options.method ?? 'GET', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, text, json };
}
