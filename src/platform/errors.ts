// One error type with a closed set of codes, mapped to HTTP in one place. `detail` is the
// Chinese message for the user; `logMessage` (optional) is what the log sees.

export const ERROR_CODES = {
  validation_failed: { status: 400, title: '请求参数不正确' },
  unauthenticated: { status: 401, title: '未登录或登录已失效' },
  session_expired: { status: 401, title: '会话已超时' },
  invalid_credentials: { status: 401, title: '用户名或密码错误' },
  invalid_totp: { status: 401, title: '动态验证码错误' },
  session_stage: { status: 403, title: '请先完成登录步骤' },
  csrf_failed: { status: 403, title: '请求来源校验失败' },
  forbidden: { status: 403, title: '无权执行此操作' },
  not_found: { status: 404, title: '记录不存在' },
  conflict: { status: 409, title: '与现有数据冲突' },
  payload_too_large: { status: 413, title: '请求内容过大' },
  unsupported_media_type: { status: 415, title: '不支持的内容类型' },
  password_policy: { status: 422, title: '密码不符合安全策略' },
  account_locked: { status: 423, title: '账号已锁定' },
  rate_limited: { status: 429, title: '请求过于频繁' },
  internal: { status: 500, title: '系统内部错误' },
  unavailable: { status: 503, title: '服务暂不可用' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  /** JSON path of the field, e.g. `body.username` reduced to `username`. */
  field: string;
  /** The rule that failed (`required`, `minLength`, `format`, `check_digit`, …). */
  rule: string;
  /** Chinese message for the user. */
  message: string;
}

export interface AppErrorOptions {
  field?: string;
  rule?: string;
  errors?: FieldError[];
  /** Extra members of the problem document (e.g. lockedUntil, stage). */
  extra?: Record<string, unknown>;
  logMessage?: string;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: number;
  readonly field: string | undefined;
  readonly rule: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    options: AppErrorOptions = {},
  ) {
    super(options.logMessage ?? `${code}: ${detail}`, { cause: options.cause });
    this.name = 'AppError';
    this.status = ERROR_CODES[code].status;
    this.field = options.field ?? options.errors?.[0]?.field;
    this.rule = options.rule ?? options.errors?.[0]?.rule;
    this.errors = options.errors;
    this.extra = options.extra;
  }

  /** The RFC 9457 problem document. */
  toProblem(instance?: string): Record<string, unknown> {
    return {
      type: `https://ggzy.dev/problems/${this.code}`,
      title: ERROR_CODES[this.code].title,
      status: this.status,
      code: this.code,
      detail: this.detail,
      ...(this.field !== undefined ? { field: this.field } : {}),
      ...(this.rule !== undefined ? { rule: this.rule } : {}),
      ...(this.errors !== undefined ? { errors: this.errors } : {}),
      ...(instance !== undefined ? { instance } : {}),
      ...this.extra,
    };
  }
}

/** A single-field validation failure. */
export function invalid(field: string, rule: string, message: string): AppError {
  return new AppError('validation_failed', message, { errors: [{ field, rule, message }] });
}

export function notFound(what: string): AppError {
  return new AppError('not_found', `${what}不存在或不在您的数据范围内`);
}

export function forbidden(detail = '您没有执行此操作的权限'): AppError {
  return new AppError('forbidden', detail);
}

export function conflict(detail: string, field?: string, rule = 'unique'): AppError {
  return new AppError('conflict', detail, field ? { errors: [{ field, rule, message: detail }] } : {});
}
