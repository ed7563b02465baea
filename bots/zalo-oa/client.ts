// A small typed client for the parts of Zalo's OA Open API the hotline uses, over fetch (no usable
// SDK exists on npm). Zalo answers most failures with HTTP 200 and `{error: <negative code>,
// message}`: anything but `error: 0` is a failure.
//   POST {apiBase}/v3.0/oa/message/cs      header access_token, JSON {recipient:{user_id}, message}
//                                          → {error:0, message:"Success", data:{message_id, user_id}}
//   POST {apiBase}/v2.0/oa/upload/image    header access_token, multipart field "file"
//                                          → {error:0, data:{attachment_id}}
//   POST {oauthBase}/v4/oa/access_token    header secret_key (app secret), form refresh_token,
//                                          app_id, grant_type=refresh_token
//                                          → {access_token, refresh_token, expires_in:"90000"} or
//                                            {error:<code>, error_name, error_description}
import { z } from 'zod';

/** Zalo refused a call with one of its error codes (see ZALO_ERRORS). */
export class ZaloApiError extends Error {
  override name = 'ZaloApiError';
  constructor(
    message: string,
    public readonly code: number,
  ) {
    super(message);
  }
}

/** The OAuth endpoint refused the refresh token (expired, already used, revoked) or the app secret. */
export class ZaloRefreshError extends Error {
  override name = 'ZaloRefreshError';
  constructor(
    message: string,
    public readonly code: number | null,
  ) {
    super(message);
  }
}

export const ZALO_ERRORS = {
  /** Access token invalid or expired: refresh it and try again. */
  invalidAccessToken: -216,
  /** Too many requests: back off. */
  rateLimited: -32,
  /** The person has not interacted with the OA within the window customer-service messages are allowed in. */
  noRecentInteraction: -230,
  /** Same, for a person who never interacted (or whose window closed for another reason). */
  noInteraction: -232,
} as const;

export interface ZaloOaApiOptions {
  appId: string;
  appSecret?: string;
  apiBase: string;
  oauthBase: string;
  timeoutMs?: number;
  /** Aborts every call in flight (module close). */
  signal?: AbortSignal;
}

export interface RefreshedTokens {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number | null;
}

const apiResult = z.object({
  error: z.coerce.number(),
  message: z.string().optional(),
  data: z.unknown().optional(),
});

const sendData = z.object({ message_id: z.union([z.string(), z.number()]).transform(String).optional() }).loose();
const uploadData = z.object({ attachment_id: z.string().min(1) }).loose();

const oauthResult = z.union([
  z.object({
    access_token: z.string().min(1),
    refresh_token: z.string().min(1),
    expires_in: z.union([z.string(), z.number()]).optional(),
  }),
  z.object({
    error: z.coerce.number(),
    error_name: z.string().optional(),
    error_reason: z.string().optional(),
    error_description: z.string().optional(),
  }),
]);

export class ZaloOaApi {
  private readonly timeoutMs: number;

  constructor(private readonly opts: ZaloOaApiOptions) {
    this.timeoutMs = opts.timeoutMs ?? 15_000;
  }

  /** Sends one customer-service message; returns Zalo's message id (receipts refer to it). */
  async sendCs(accessToken: string, body: CsMessage): Promise<string | null> {
    const res = await this.call(`${this.opts.apiBase}/v3.0/oa/message/cs`, {
      method: 'POST',
      headers: { access_token: accessToken, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const data = sendData.safeParse(res.data ?? {});
    return data.success ? (data.data.message_id ?? null) : null;
  }

  /** Uploads an image (jpg/png; Zalo caps the size) and returns the attachment id to send it with. */
  async uploadImage(accessToken: string, image: Blob, filename: string): Promise<string> {
    const form = new FormData();
    form.append('file', image, filename);
    const res = await this.call(`${this.opts.apiBase}/v2.0/oa/upload/image`, {
      method: 'POST',
      headers: { access_token: accessToken },
      body: form,
    });
    const data = uploadData.safeParse(res.data);
    if (!data.success) throw new Error('Zalo OA image upload answered without data.attachment_id');
    return data.data.attachment_id;
  }

  /** Exchanges the (single-use) refresh token for a new access token and a new refresh token. */
  async refreshAccessToken(refreshToken: string): Promise<RefreshedTokens> {
    if (!this.opts.appSecret) {
      throw new ZaloRefreshError('ZALO_OA_APP_SECRET is not set, so the access token cannot be refreshed', null);
    }
    const response = await this.fetch(`${this.opts.oauthBase}/v4/oa/access_token`, {
      method: 'POST',
      headers: { secret_key: this.opts.appSecret, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ refresh_token: refreshToken, app_id: this.opts.appId, grant_type: 'refresh_token' }).toString(),
    });
    const json = await readJson(response, 'Zalo OAuth');
    const parsed = oauthResult.safeParse(json);
    if (!parsed.success) throw new Error(`Zalo OAuth answered HTTP ${response.status} with an unexpected body`);
    const result = parsed.data;
    if ('error' in result) {
      const why = result.error_description ?? result.error_reason ?? result.error_name ?? 'refused';
      throw new ZaloRefreshError(`Zalo OAuth refused the refresh token (error ${result.error}: ${why})`, result.error);
    }
    const expires = Number(result.expires_in);
    return {
      accessToken: result.access_token,
      refreshToken: result.refresh_token,
      expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : null,
    };
  }

  /** Downloads an image to re-upload it (Zalo takes attachment ids, and cannot fetch our URLs itself). */
  async download(url: string, maxBytes: number): Promise<{ blob: Blob; filename: string }> {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`image URL is not http(s): ${url}`);
    const res = await this.fetch(url, { method: 'GET' });
    if (!res.ok) throw new Error(`image download ${url} answered HTTP ${res.status}`);
    const bytes = await res.arrayBuffer();
    if (bytes.byteLength > maxBytes) throw new Error(`image ${url} is ${bytes.byteLength} bytes, more than ${maxBytes}`);
    const type = res.headers.get('content-type')?.split(';')[0]?.trim() || 'image/jpeg';
    const filename = decodeURIComponent(parsed.pathname.split('/').pop() || 'image') || 'image';
    return { blob: new Blob([bytes], { type }), filename };
  }

  private async call(url: string, init: RequestInit): Promise<z.infer<typeof apiResult>> {
    const response = await this.fetch(url, init);
    if (response.status === 429) throw new ZaloApiError('Zalo OA answered HTTP 429 (too many requests)', ZALO_ERRORS.rateLimited);
    const json = await readJson(response, 'Zalo OA');
    const parsed = apiResult.safeParse(json);
    if (!parsed.success) throw new Error(`Zalo OA answered HTTP ${response.status} without an error code`);
    if (parsed.data.error !== 0) {
      throw new ZaloApiError(`Zalo OA error ${parsed.data.error}: ${parsed.data.message ?? 'no message'}`, parsed.data.error);
    }
    if (!response.ok) throw new Error(`Zalo OA answered HTTP ${response.status}`);
    return parsed.data;
  }

  private fetch(url: string, init: RequestInit): Promise<Response> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = this.opts.signal ? AbortSignal.any([timeout, this.opts.signal]) : timeout;
    return fetch(url, { ...init, signal });
  }
}

async function readJson(response: Response, who: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${who} answered HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
}

export interface CsButton {
  title: string;
  /** oa.query.show: a tap sends `payload` back as the person's text message (shown in the chat). */
  type: 'oa.query.show';
  payload: string;
}

export interface CsMessage {
  recipient: { user_id: string };
  message:
    | { text: string; attachment?: { type: 'template'; payload: { buttons: CsButton[] } } }
    | {
        text?: string;
        attachment: { type: 'template'; payload: { template_type: 'media'; elements: Array<{ media_type: 'image'; attachment_id: string }> } };
      };
}
