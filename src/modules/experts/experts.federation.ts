// The province's side of the one expert pool (experts.province.ts has the city's side and the
// why). The province answers, to city nodes only:
//   experts.draw-candidates   the classified candidates of a city's draw round: the same
//                             classification a draw here makes, over this pool and this credit
//                             library; ids, codes and reasons only;
//   experts.expert-references the current copies of up to REFERENCES_BATCH experts (the ones a
//                             city drew), personal values opened inside the sealed envelope.

import { Type, type Static } from '@sinclair/typebox';
import type { FederationHandlers } from '../../platform/federation/federation.ts';
import { Uuid } from '../../platform/federation/federation.schemas.ts';
import { classifyCandidates } from './experts.draw.candidates.ts';
import { ClassifyPayload, DRAW_CANDIDATES, EXPERT_REFERENCES, expertReference, REFERENCES_BATCH, type ExpertReferenceT } from './experts.province.ts';

const ReferencesPayload = Type.Object({ ids: Type.Array(Uuid, { minItems: 1, maxItems: REFERENCES_BATCH }) }, { additionalProperties: false });

export function addExpertsFederationHandlers(handlers: FederationHandlers): void {
  handlers.add({
    action: DRAW_CANDIDATES,
    from: 'city',
    payload: ClassifyPayload,
    handle: (deps, _peer, payload) => classifyCandidates(deps.db, deps, payload as Static<typeof ClassifyPayload>),
  });
  handlers.add({
    action: EXPERT_REFERENCES,
    from: 'city',
    payload: ReferencesPayload,
    handle: async (deps, _peer, payload): Promise<(ExpertReferenceT | null)[]> => {
      const out: (ExpertReferenceT | null)[] = [];
      for (const id of (payload as Static<typeof ReferencesPayload>).ids) out.push(await expertReference(deps.db, deps.keys, id));
      return out;
    },
  });
}
