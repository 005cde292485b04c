// Two nodes on loopback for the federation's tests (not a test file itself): the province behind
// a real HTTP listener and the Taiyuan city node, each with its own database and master key,
// each configured with the other's federation public key.

import crypto from 'node:crypto';
import { createHarness, type Harness } from '../../../test/support/harness.ts';
import { deriveKeys, type Keys } from '../crypto/keys.ts';

export interface TwoNodes {
  province: Harness;
  city: Harness;
  provinceUrl: string;
  provinceKeys: Keys;
  cityKeys: Keys;
  cityMaster: Buffer;
  close(): Promise<void>;
}

export async function twoNodes(): Promise<TwoNodes> {
  const provinceMaster = crypto.randomBytes(16);
  const cityMaster = crypto.randomBytes(16);
  const provinceKeys = deriveKeys(provinceMaster);
  const cityKeys = deriveKeys(cityMaster);
  const province = await createHarness({ GGZY_FEDERATION_PEERS: `140100=${cityKeys.federationSm2.publicKey}` }, { masterKey: provinceMaster });
  const provinceUrl = await province.app.listen({ host: '127.0.0.1', port: 0 });
  const city = await createHarness({ GGZY_NODE_ROLE: 'city', GGZY_REGION: '140100', GGZY_FEDERATION_PEERS: `140000=${provinceKeys.federationSm2.publicKey}@${provinceUrl}` }, { masterKey: cityMaster });
  // The city's clock is the province's (two servers kept in step by NTP); tests move both.
  city.clock.set(province.clock.now());
  return {
    province,
    city,
    provinceUrl,
    provinceKeys,
    cityKeys,
    cityMaster,
    close: async () => {
      await city.close();
      await province.close();
    },
  };
}

/** A city node whose province does not answer (nothing listens at its address). */
export async function strandedCity(nodes: Pick<TwoNodes, 'provinceKeys' | 'cityMaster'>): Promise<Harness> {
  return createHarness(
    { GGZY_NODE_ROLE: 'city', GGZY_REGION: '140100', GGZY_FEDERATION_PEERS: `140000=${nodes.provinceKeys.federationSm2.publicKey}@http://127.0.0.1:9`, GGZY_FEDERATION_TIMEOUT_MS: '2000' },
    { masterKey: nodes.cityMaster },
  );
}
