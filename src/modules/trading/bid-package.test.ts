import { describe, expect, it } from 'vitest';
import { buildBidPackage as buildInBrowser } from '../../../web/src/crypto/bid-package.ts';
import { BidPackageError, buildBidPackage, parseBidPackage } from './bid-package.ts';

const tool = { name: 'ggzy-workbench', version: '1.0.0' };
const at = new Date('2026-03-20T02:00:00Z');
const files = [
  { name: '商务标.pdf', mediaType: 'application/pdf', bytes: new TextEncoder().encode('%PDF-1.7 商务标') },
  { name: '技术标.pdf', mediaType: 'application/pdf', bytes: new Uint8Array(70_000).fill(7) },
];

describe('bid package', () => {
  it('reads back what the browser and Node build, byte for byte the same', () => {
    const a = Buffer.from(buildInBrowser({ priceFen: 1_188_000_000, durationDays: 180, projectManager: '赵工' }, files, tool, at));
    const b = buildBidPackage({ priceFen: 1_188_000_000, durationDays: 180, projectManager: '赵工' }, files, tool, at);
    expect(a.equals(b)).toBe(true);
    const p = parseBidPackage(b);
    expect(p.manifest.form).toEqual({ priceFen: 1_188_000_000, durationDays: 180, projectManager: '赵工' });
    expect(p.files.map((f) => [f.name, f.size])).toEqual([
      ['商务标.pdf', files[0]!.bytes.length],
      ['技术标.pdf', 70_000],
    ]);
    expect(b.subarray(p.files[1]!.offset, p.files[1]!.offset + 3)).toEqual(Buffer.from([7, 7, 7]));
  });

  it('refuses anything that is not a complete, consistent package', () => {
    const good = buildBidPackage({ priceFen: 100 }, files, tool, at);
    const bad = (b: Buffer) => () => parseBidPackage(b);
    expect(bad(Buffer.from('%PDF-1.7 not a package'))).toThrow(BidPackageError);
    expect(bad(good.subarray(0, good.length - 1))).toThrow(/不完整|清单/);
    expect(bad(Buffer.concat([good, Buffer.from([0])]))).toThrow(/多余/);
    const flipped = Buffer.from(good);
    flipped.writeUInt8(flipped[flipped.length - 1]! ^ 1, flipped.length - 1);
    expect(bad(flipped)).toThrow(/SM3/);
    expect(() => buildBidPackage({ priceFen: 0 }, [], tool, at)).toThrow();
    const noPrice = Buffer.from(good);
    const text = noPrice.toString('latin1').replace('"priceFen":100', '"priceFen":-10');
    expect(bad(Buffer.from(text, 'latin1'))).toThrow(/报价/);
  });
});
