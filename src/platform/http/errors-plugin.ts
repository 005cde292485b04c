// Maps every error to application/problem+json in one place. Unknown errors become 500 with a
// generic Chinese message; their details go to the log only.

import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import { fieldErrors } from './validation.ts';

const PG_UNIQUE = '23505';
const PG_FOREIGN_KEY = '23503';
const PG_CHECK = '23514';

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as FastifyError & { code?: string; validationContext?: string; statusCode?: number };
  if (e.validation) {
    const errors = fieldErrors(e.validation, e.validationContext);
    return new AppError('validation_failed', errors[0]?.message ?? '请求参数不正确', { errors });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', '请求内容超过允许的大小');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', '不支持的内容类型，请使用 application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('validation_failed', '请求体不是有效的 JSON', { errors: [{ field: 'body', rule: 'json', message: '请求体不是有效的 JSON' }] });
    case PG_UNIQUE:
      return new AppError('conflict', '与现有记录重复', { logMessage: e.message });
    case PG_FOREIGN_KEY:
      return new AppError('conflict', '引用的记录不存在或仍被引用', { logMessage: e.message });
    case PG_CHECK:
      return new AppError('validation_failed', '数据不符合约束', { logMessage: e.message });
    default:
      break;
  }
  if (e.statusCode === 429) return new AppError('rate_limited', '请求过于频繁，请稍后再试');
  if (e.statusCode === 404) return new AppError('not_found', '请求的资源不存在');
  if (e.statusCode === 415) return new AppError('unsupported_media_type', '不支持的内容类型');
  if (e.statusCode === 413) return new AppError('payload_too_large', '请求内容超过允许的大小');
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError('validation_failed', '请求不正确', { logMessage: e.message });
  }
  return new AppError('internal', '系统繁忙，请稍后重试；如持续出现请联系运维人员', { logMessage: e.message, cause: error });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ code: appError.code, field: appError.field, rule: appError.rule, reason: appError.message }, 'request refused');
    }
    void reply
      .status(appError.status)
      .type('application/problem+json; charset=utf-8')
      .send(appError.toProblem(request.url.split('?')[0]));
  });

  app.setNotFoundHandler((request, reply) => {
    const e = new AppError('not_found', '请求的资源不存在');
    void reply.status(404).type('application/problem+json; charset=utf-8').send(e.toProblem(request.url.split('?')[0]));
  });
}
