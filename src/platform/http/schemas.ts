// Schema pieces shared by every module's routes.

import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const Timestamp = Type.String({ format: 'date-time' });
/**
 * A value or null, as OpenAPI 3.0 `nullable` rather than `anyOf`: the response serializer then
 * writes it directly instead of testing each branch (a date-time format check per response).
 */
export function Nullable<T extends TSchema>(schema: T) {
  const base = schema as TSchema & { enum?: unknown[] };
  // Ajv wants null among the values of a nullable enum.
  return Type.Unsafe<Static<T> | null>({ ...base, ...(base.enum ? { enum: [...base.enum, null] } : {}), nullable: true });
}

export const NullableTimestamp = Nullable(Timestamp);

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.String(),
    field: Type.Optional(Type.String()),
    rule: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), rule: Type.String(), message: Type.String() }))),
    instance: Type.Optional(Type.String()),
  },
  { additionalProperties: true, $id: 'Problem', description: 'RFC 9457 problem document (application/problem+json)' },
);

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
};

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });
}

/** Error answers every authenticated route may give, for the OpenAPI document. */
export const STANDARD_ERRORS = {
  400: { $ref: 'Problem#' },
  401: { $ref: 'Problem#' },
  403: { $ref: 'Problem#' },
} as const;

export function iso(d: Date | null): string | null {
  return d === null ? null : d.toISOString();
}

/** A string enum (JSON Schema `enum`), typed as the union of its values. */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}
