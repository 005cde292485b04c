// The province's side of the one credit library (credit.province.ts has the city's side and the
// why). The province answers, to city nodes only:
//   credit.participation  the participation check for up to PARTICIPATION_BATCH subjects (USCC
//                         or ID number — an ID number only travels inside the sealed envelope),
//                         one verdict each with its blocking records, in order;
//   credit.public         the public disclosure, exactly as its own /api/v1/public/credit.

import { Type, type Static } from '@sinclair/typebox';
import { Instant } from '../../platform/federation/federation.schemas.ts';
import type { FederationHandlers } from '../../platform/federation/federation.ts';
import { checkParticipationMany, PARTICIPATION, PARTICIPATION_BATCH, PUBLIC_CREDIT, type SubjectKey, type Verdict } from './credit.province.ts';
import { mapPublicRecord } from './credit.schemas.ts';
import { publicCredit } from './credit.service.ts';

const Subject = Type.Union([Type.Object({ uscc: Type.String({ maxLength: 30 }) }, { additionalProperties: false }), Type.Object({ idNumber: Type.String({ maxLength: 30 }) }, { additionalProperties: false })]);
const ParticipationPayload = Type.Object(
  {
    subjects: Type.Array(Subject, { minItems: 1, maxItems: PARTICIPATION_BATCH }),
    category: Type.String({ minLength: 1, maxLength: 40 }),
    regionCode: Type.String({ pattern: '^[0-9]{6}$' }),
    at: Instant,
  },
  { additionalProperties: false },
);
const PublicPayload = Type.Object({ uscc: Type.Optional(Type.String({ maxLength: 30 })), name: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false });

export function addCreditFederationHandlers(handlers: FederationHandlers): void {
  handlers.add({
    action: PARTICIPATION,
    from: 'city',
    payload: ParticipationPayload,
    handle: (deps, _peer, payload): Promise<Verdict[]> => {
      const p = payload as Static<typeof ParticipationPayload>;
      return checkParticipationMany(deps, { subjects: p.subjects as SubjectKey[], category: p.category, regionCode: p.regionCode, at: new Date(p.at) });
    },
  });
  handlers.add({
    action: PUBLIC_CREDIT,
    from: 'city',
    payload: PublicPayload,
    handle: async (deps, _peer, payload, now) => (await publicCredit(deps, payload as Static<typeof PublicPayload>, now)).map(mapPublicRecord),
  });
}
