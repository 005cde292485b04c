// Checks one import row against the same JSON schema the create route uses, with ajv's keyword
// names, so that an imported line and a single POST fail with the same field, rule and message
// (the errors go through the platform's fieldErrors). Only the keywords the credit schemas use are
// implemented; a schema using another one is refused loudly rather than passed silently.

import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import type { FieldError } from '../../platform/errors.ts';
import { fieldErrors } from '../../platform/http/validation.ts';

type Schema = Record<string, unknown>;

const KNOWN = new Set(['type', 'enum', 'const', 'required', 'properties', 'additionalProperties', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'minItems', 'maxItems', 'items', 'description', 'default', 'title']);

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    default:
      throw new Error(`schema-check: type ${type} not supported`);
  }
}

function walk(schema: Schema, value: unknown, path: string, out: FastifySchemaValidationError[]): void {
  const err = (keyword: string, params: Record<string, unknown>, at = path) => out.push({ keyword, instancePath: at, schemaPath: `#${at}/${keyword}`, params, message: keyword });
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`schema-check: keyword ${key} not supported`);
  if (typeof schema.type === 'string' && !typeOk(schema.type, value)) {
    err('type', { type: schema.type });
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) err('enum', { allowedValues: schema.enum });
  if ('const' in schema && schema.const !== value) err('const', { allowedValue: schema.const });
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) err('minLength', { limit: schema.minLength });
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) err('maxLength', { limit: schema.maxLength });
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) err('pattern', { pattern: schema.pattern });
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) err('minimum', { limit: schema.minimum });
    if (typeof schema.maximum === 'number' && value > schema.maximum) err('maximum', { limit: schema.maximum });
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) err('minItems', { limit: schema.minItems });
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) err('maxItems', { limit: schema.maxItems });
    if (schema.items && typeof schema.items === 'object') value.forEach((item, i) => walk(schema.items as Schema, item, `${path}/${i}`, out));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) if (obj[name] === undefined) err('required', { missingProperty: name });
    if (schema.additionalProperties === false) for (const name of Object.keys(obj)) if (!(name in props)) err('additionalProperties', { additionalProperty: name });
    for (const [name, sub] of Object.entries(props)) if (obj[name] !== undefined) walk(sub, obj[name], `${path}/${name}`, out);
  }
}

const plainCache = new WeakMap<object, Schema>();

/** Field errors of `value` against `schema` (a TypeBox schema or plain JSON schema); empty when it conforms. */
export function schemaErrors(schema: object, value: unknown): FieldError[] {
  // TypeBox's symbol-keyed metadata drops out; what remains is the JSON schema ajv sees.
  let plain = plainCache.get(schema);
  if (!plain) {
    plain = JSON.parse(JSON.stringify(schema)) as Schema;
    plainCache.set(schema, plain);
  }
  const out: FastifySchemaValidationError[] = [];
  walk(plain, value, '', out);
  return fieldErrors(out, 'body');
}
