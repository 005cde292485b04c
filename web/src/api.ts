// A small typed client for the ggzy HTTP API (docs/api.md): same-origin cookies, the CSRF
// header on unsafe methods, and problem+json errors turned into ApiError.
import type { Page, Stage } from './types';

export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly field: string | undefined;
  readonly errors: FieldError[];
  readonly stage: Stage | undefined;
  /** The whole problem document, for extra members such as `lockedUntil`. */
  readonly problem: Record<string, unknown>;

  constructor(status: number, problem: Record<string, unknown>) {
    const detail = typeof problem.detail === 'string' && problem.detail ? problem.detail : fallbackDetail(status);
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.code = typeof problem.code === 'string' ? problem.code : status === 0 ? 'network' : 'http_error';
    this.detail = detail;
    this.field = typeof problem.field === 'string' ? problem.field : undefined;
    this.errors = Array.isArray(problem.errors) ? problem.errors.filter(isFieldError) : [];
    this.stage = isStage(problem.stage) ? problem.stage : undefined;
  }

  /** The rule a refusal names (`province_experts`, `registering`…), for the screens that explain one rather than show an error. */
  get rule(): string | undefined {
    return typeof this.problem.rule === 'string' ? this.problem.rule : undefined;
  }

  get lockedUntil(): string | undefined {
    return typeof this.problem.lockedUntil === 'string' ? this.problem.lockedUntil : undefined;
  }
}

function isFieldError(value: unknown): value is FieldError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.field === 'string' && typeof v.message === 'string';
}

function isStage(value: unknown): value is Stage {
  return value === 'mfa' || value === 'mfa_enroll' || value === 'password_change' || value === 'active';
}

function fallbackDetail(status: number): string {
  if (status === 0) return '无法连接服务器，请检查网络后重试';
  if (status >= 500) return `服务器暂时无法处理请求（HTTP ${status}），请稍后重试`;
  return `请求失败（HTTP ${status}）`;
}

/** Turns any thrown value into a Chinese sentence for the user. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  return '操作失败，请稍后重试';
}

// --- session failure handling -------------------------------------------------------------

type AuthFailureHandler = (error: ApiError) => void;
let authFailureHandler: AuthFailureHandler | null = null;

/** The auth context registers here; it clears the user and the router goes to the login page. */
export function setAuthFailureHandler(handler: AuthFailureHandler | null): void {
  authFailureHandler = handler;
}

// 401s that mean "this credential was wrong", not "you are not signed in".
const CREDENTIAL_CODES = new Set(['invalid_credentials', 'invalid_totp']);

function isSessionFailure(error: ApiError): boolean {
  if (error.status === 401) return !CREDENTIAL_CODES.has(error.code);
  return error.code === 'session_stage';
}

function onSessionFailure(error: ApiError): void {
  if (authFailureHandler) {
    authFailureHandler(error);
    return;
  }
  const login = `${import.meta.env.BASE_URL}login`;
  if (!window.location.pathname.startsWith(login)) window.location.assign(login);
}

// --- CSRF ---------------------------------------------------------------------------------

let csrfFromLogin: string | null = null;

/** The login answer carries the token too; used only if the cookie cannot be read. */
export function rememberCsrfToken(token: string | null): void {
  csrfFromLogin = token;
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

// --- requests -----------------------------------------------------------------------------

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not send the user to the login page on a session failure (login page, session probe). */
  quiet?: boolean;
  /** A file sent as the raw request body with its own content type (uploads), instead of JSON. */
  raw?: Blob;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (options.raw !== undefined) headers['Content-Type'] = options.raw.type || 'application/octet-stream';
  else if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE_METHODS.has(method)) {
    const token = readCookie('ggzy_csrf') ?? csrfFromLogin;
    if (token) headers['X-CSRF-Token'] = token;
  }

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.raw ?? (options.body === undefined ? null : JSON.stringify(options.body)),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, {});
  }

  const text = await response.text();
  if (response.ok) {
    return (text ? JSON.parse(text) : undefined) as T;
  }

  let problem: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (typeof parsed === 'object' && parsed !== null) problem = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy error page): keep the HTTP status only.
  }
  const error = new ApiError(response.status, problem);
  if (!options.quiet && isSessionFailure(error)) onSessionFailure(error);
  throw error;
}

export const api = {
  get: <T>(path: string, query?: Query, options?: Omit<RequestOptions, 'query'>) =>
    request<T>('GET', path, { ...options, query }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
  /** Uploads one file as the request body (`Content-Type` is the file's own type). */
  upload: <T>(method: 'POST' | 'PUT', path: string, file: Blob, query?: Query) => request<T>(method, path, { raw: file, query }),
};

/**
 * Reads a protected file (same-origin cookie) into an object URL for an <img> or a download
 * link; the caller revokes it with URL.revokeObjectURL when done.
 */
export async function fetchObjectUrl(path: string, signal?: AbortSignal): Promise<string> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', signal: signal ?? null });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, {});
  }
  if (!response.ok) {
    let problem: Record<string, unknown> = {};
    try {
      problem = (await response.json()) as Record<string, unknown>;
    } catch {
      // Not JSON: the status alone.
    }
    const error = new ApiError(response.status, problem);
    if (isSessionFailure(error)) onSessionFailure(error);
    throw error;
  }
  return URL.createObjectURL(await response.blob());
}

/** Lists answer `{items, total, page, pageSize}`; tolerate a bare array too. */
export function asPage<T>(data: Page<T> | T[]): Page<T> {
  if (Array.isArray(data)) return { items: data, total: data.length, page: 1, pageSize: data.length };
  return data;
}

/**
 * Reads a whole list (organisation trees, select options). Unpaged lists (organisations, roles,
 * permissions) answer a bare array and take no paging parameters; paged ones are read on in
 * pages of 200 when the first answer does not hold everything.
 */
export async function listAll<T>(path: string, query: Query = {}, maxPages = 50): Promise<T[]> {
  const first = await api.get<Page<T> | T[]>(path, query);
  if (Array.isArray(first)) return first;
  if (first.items.length >= first.total) return first.items;
  const all: T[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const answer = asPage(await api.get<Page<T> | T[]>(path, { ...query, page, pageSize: 200 }));
    all.push(...answer.items);
    if (answer.items.length === 0 || all.length >= answer.total) break;
  }
  return all;
}
