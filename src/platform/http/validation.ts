// Turns ajv's validation errors into field errors with a rule and a Chinese message.

import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import type { FieldError } from '../errors.ts';

function fieldName(e: FastifySchemaValidationError, context: string | undefined): string {
  const path = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
    return path ? `${path}.${params.missingProperty}` : params.missingProperty;
  }
  if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return path ? `${path}.${params.additionalProperty}` : params.additionalProperty;
  }
  return path || (context ?? 'body');
}

function message(e: FastifySchemaValidationError, field: string): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `缺少必填字段 ${field}`;
    case 'additionalProperties':
      return `不允许的字段 ${field}`;
    case 'minLength':
      return `字段 ${field} 长度不能少于 ${String(p.limit)} 个字符`;
    case 'maxLength':
      return `字段 ${field} 长度不能超过 ${String(p.limit)} 个字符`;
    case 'minimum':
      return `字段 ${field} 不能小于 ${String(p.limit)}`;
    case 'maximum':
      return `字段 ${field} 不能大于 ${String(p.limit)}`;
    case 'minItems':
      return `字段 ${field} 至少需要 ${String(p.limit)} 项`;
    case 'maxItems':
      return `字段 ${field} 最多 ${String(p.limit)} 项`;
    case 'pattern':
      return `字段 ${field} 格式不正确`;
    case 'format':
      return `字段 ${field} 格式不正确（应为 ${String(p.format)}）`;
    case 'enum':
      return `字段 ${field} 取值必须是 ${Array.isArray(p.allowedValues) ? p.allowedValues.join('、') : '允许值'} 之一`;
    case 'const':
      return `字段 ${field} 取值不正确`;
    case 'type':
      return `字段 ${field} 类型不正确（应为 ${String(p.type)}）`;
    case 'anyOf':
    case 'oneOf':
      return `字段 ${field} 不符合任何允许的形式`;
    default:
      return `字段 ${field} 不符合规则 ${e.keyword}`;
  }
}

export function fieldErrors(errors: FastifySchemaValidationError[], context: string | undefined): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // anyOf/oneOf report each branch and then themselves; the summary line is enough.
    if (errors.some((o) => (o.keyword === 'anyOf' || o.keyword === 'oneOf') && o !== e && (e.schemaPath ?? '').startsWith((o.schemaPath ?? '').replace(/\/(anyOf|oneOf)$/, '')) && e.instancePath === o.instancePath)) continue;
    const field = fieldName(e, context);
    const key = `${field}|${e.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, rule: e.keyword, message: message(e, field) });
  }
  return out;
}
