// The two nodes of the browser tests: the province (demo data) and the Taiyuan city node, each
// with a fixed e2e-only master key so that each can be configured with the other's federation
// public key before either starts. Test keys only: never use them anywhere else.
import { deriveKeys } from '../src/platform/crypto/keys.ts';

export const PROVINCE_PORT = Number(process.env.GGZY_E2E_PORT ?? 3210);
export const CITY_PORT = Number(process.env.GGZY_E2E_CITY_PORT ?? 3211);
export const PROVINCE_MASTER_KEY = '67677a792d65326570726f76696e6365';
export const CITY_MASTER_KEY = '67677a792d6532652d74616979756163';

export const provinceFederationKey = (): string => deriveKeys(Buffer.from(PROVINCE_MASTER_KEY, 'hex')).federationSm2.publicKey;
export const cityFederationKey = (): string => deriveKeys(Buffer.from(CITY_MASTER_KEY, 'hex')).federationSm2.publicKey;
