/** A small HTTP client over real loopback HTTP, with a cookie jar that sends the CSRF header like the web app. */
export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body (throws when the body is not JSON). */
  body: unknown;
}

export interface RequestOptions {
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Raw body with no content type, e.g. '' for a bodiless POST. */
  raw?: string | Uint8Array;
  multipart?: FormData;
}

export class HttpClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** A client of the same server with its own (empty) cookie jar. */
  fresh(): HttpClient {
    return new HttpClient(this.baseUrl);
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    let body: string | Uint8Array | FormData | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.multipart) {
      body = options.multipart;
    } else if (options.raw !== undefined) {
      body = options.raw;
    }
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = this.cookies.get('csrftoken');
    if (csrf && !('x-csrftoken' in headers) && !['GET', 'HEAD'].includes(method)) headers['x-csrftoken'] = csrf;
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      const value = rest.join('=');
      if (!name) continue;
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      get body(): unknown {
        return JSON.parse(text);
      },
    };
  }

  get(path: string, options?: RequestOptions) {
    return this.request('GET', path, options);
  }
  post(path: string, options?: RequestOptions) {
    return this.request('POST', path, options);
  }
  patch(path: string, options?: RequestOptions) {
    return this.request('PATCH', path, options);
  }
  delete(path: string, options?: RequestOptions) {
    return this.request('DELETE', path, options);
  }

  /** Logs in through the login form, as a browser does (GET for the CSRF cookie, then POST). */
  async login(email: string, password: string, next?: string): Promise<HttpResponse> {
    await this.get('/user/login/');
    const path = next ? `/user/login/?next=${encodeURIComponent(next)}` : '/user/login/';
    return this.post(path, { form: { email, password, csrfmiddlewaretoken: this.cookies.get('csrftoken') ?? '', persist_session: 'on' } });
  }

  /** Signs up through the sign-up form. */
  async signup(email: string, password: string, inviteToken?: string): Promise<HttpResponse> {
    const query = inviteToken ? `?token=${encodeURIComponent(inviteToken)}` : '';
    await this.get(`/user/signup/${query}`);
    return this.post(`/user/signup/${query}`, {
      form: { email, password, csrfmiddlewaretoken: this.cookies.get('csrftoken') ?? '' },
    });
  }
}

/** Headers for token authentication. */
export const tokenAuth = (key: string): Record<string, string> => ({ authorization: `Token ${key}` });
export const bearerAuth = (jwt: string): Record<string, string> => ({ authorization: `Bearer ${jwt}` });
