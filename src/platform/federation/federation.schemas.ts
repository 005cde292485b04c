// Schema pieces for federation payloads and results. These are checked with TypeBox's
// Value.Check, which cannot check the route schemas' StringEnum (an Unsafe kind) nor string
// formats without a registry: so unions of literals and plain patterns here, in one place.

import { Type, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';

export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** A value or null. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** One of these strings, typed as their union. */
export const oneOf = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<TLiteral<T>[]>;

/** A lower-case UUID. */
export const Uuid = Type.String({ pattern: UUID_PATTERN });

/** An instant as Date.toISOString writes it. */
export const Instant = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$' });
