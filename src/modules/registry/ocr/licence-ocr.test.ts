// The OCR pipeline end to end on generated licences: every sample entity clean, and each
// degradation class on one of them (the whole matrix is the bench's job: bench/licence-ocr.ts).
// Images are made and read once, in beforeAll; the tests assert on the results. One
// recognizer for the file: Vitest runs files in parallel forks and each holds its own models.

import fs from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkUscc } from '../../../platform/validation/ids.ts';
import { compareLicence, type LicenceComparison, type LicenceField } from '../licence-compare.ts';
import { DEGRADATION_CLASSES, SAMPLE_ENTITIES, degrade, renderLicence, type DegradationClass, type SampleEntity } from './licence-images.ts';
import { createLicenceRecognizer, LicenceImageError, type LicenceImageRule, type LicenceOcr } from './licence-ocr.ts';
import { checkDimensions, checkImageBytes } from './ocr-pipeline.ts';

interface Case {
  entity: SampleEntity;
  cls: DegradationClass;
  image: Buffer;
  ocr: LicenceOcr;
  comparison: LicenceComparison;
}

// Room for the whole batch below, which is queued at once. One inference thread: the other
// core stays with the test file Vitest runs beside this one (some of them have 30 s timeouts).
const recognizer = createLicenceRecognizer({ maxQueued: 64, threads: 1 });
const cases: Case[] = [];
const cleanPngs = new Map<string, Buffer>();

/** Right: the same value, or a difference the model itself flagged (its alternatives hold the truth). */
const RIGHT = new Set(['match', 'confusable']);
const ALL_FIELDS: LicenceField[] = ['name', 'uscc', 'legalRepresentative', 'entityType', 'registeredCapitalWanYuan', 'establishedOn', 'address'];
const verdict = (c: Case, field: LicenceField): string => c.comparison.fields.find((f) => f.field === field)!.verdict;

beforeAll(async () => {
  const degraded = DEGRADATION_CLASSES.filter((c) => c.steps.length > 0);
  const plan: { entity: SampleEntity; cls: DegradationClass }[] = SAMPLE_ENTITIES.map((entity) => ({ entity, cls: DEGRADATION_CLASSES[0]! }));
  // Each class on one entity, spread so that every entity is degraded once (3 is prime to 8).
  degraded.forEach((cls, k) => plan.push({ entity: SAMPLE_ENTITIES[(3 * k) % SAMPLE_ENTITIES.length]!, cls }));
  for (const entity of SAMPLE_ENTITIES) cleanPngs.set(entity.id, await renderLicence(entity.licence));
  const images = await Promise.all(plan.map((p) => degrade(cleanPngs.get(p.entity.id)!, p.cls.steps)));
  // All at once: the recognizer's queue has to take them one after another.
  const results = await Promise.all(images.map((image) => recognizer.recognize(image)));
  plan.forEach((p, i) => {
    const ocr = results[i]!;
    cases.push({ ...p, image: images[i]!, ocr, comparison: compareLicence(p.entity.expected, ocr) });
  });

  // The figures behind the assertions, for whoever reads the test log.
  const rows = cases.map((c) => {
    const wrong = c.comparison.fields.filter((f) => f.verdict !== 'match').map((f) => `${f.field}:${f.verdict}(${String(f.ocrValue)})`);
    return `${c.cls.name.padEnd(14)} ${c.entity.id.padEnd(22)} ${String(c.ocr.durationMs).padStart(5)} ms  ${wrong.length === 0 ? 'all 7 match' : wrong.join(' ')}`;
  });
  console.log(`licence OCR on ${cases.length} images:\n${rows.join('\n')}`);
}, 240_000);

afterAll(async () => {
  await recognizer.close();
});

describe('sample entities', () => {
  it('carry codes that pass GB 32100 and distinct names', () => {
    for (const e of SAMPLE_ENTITIES) expect(checkUscc(e.expected.uscc), e.id).toMatchObject({ ok: true });
    expect(new Set(SAMPLE_ENTITIES.map((e) => e.expected.name)).size).toBe(SAMPLE_ENTITIES.length);
  });
});

describe('clean licences', () => {
  const clean = (): Case[] => cases.filter((c) => c.cls.steps.length === 0);

  it('are all read, in the result shape', () => {
    expect(clean()).toHaveLength(SAMPLE_ENTITIES.length);
    for (const c of clean()) {
      expect(c.ocr.engine).toBe('PP-OCRv4-mobile (ocr-models 1.4.2) + onnxruntime 1.30.0');
      expect(c.ocr.rotationDegrees).toBe(0);
      expect(c.ocr.durationMs).toBeGreaterThan(0);
      expect(c.ocr.lines.map((l) => l.text)).toContain('营业执照');
      for (const l of c.ocr.lines) expect(l.box).toHaveLength(4);
      const name = c.ocr.fields.name!;
      expect(name.alternatives).toHaveLength(Array.from(name.text).length);
      for (const [i, alts] of name.alternatives.entries()) {
        expect(alts.length).toBeGreaterThanOrEqual(1);
        expect(alts.length).toBeLessThanOrEqual(4);
        expect(alts[0]).toBe(Array.from(name.text)[i]);
      }
    }
  });

  it('have every field right: the same as the form, or confusable where the model doubted a character', () => {
    for (const c of clean()) {
      for (const f of c.comparison.fields) expect(RIGHT.has(f.verdict), `${c.entity.id} ${f.field}: ${f.message}`).toBe(true);
    }
  });

  it('have the code, capital and date exactly right and the code valid', () => {
    for (const c of clean()) {
      expect(c.ocr.normalized, c.entity.id).toEqual({
        uscc: c.entity.expected.uscc,
        usccValid: true,
        registeredCapitalWanYuan: c.entity.expected.registeredCapitalWanYuan,
        establishedOn: c.entity.expected.establishedOn,
      });
    }
  });

  it('are exact, 潞 included: the model reads it as 路, the place-name correction puts it back', () => {
    for (const c of clean()) {
      for (const f of c.comparison.fields) expect(f.verdict, `${c.entity.id} ${f.field}: ${f.message}`).toBe('match');
    }
    // The only sample with a rare place-name character, in its name and address.
    const lucheng = clean().find((c) => c.entity.expected.name.includes('潞'))!;
    expect(lucheng.ocr.fields.name!.text).toBe('长治市潞城区潞安煤机设备有限公司');
    expect(lucheng.ocr.fields.address!.text).toBe('山西省长治市潞城区潞华街道太行西街56号');
    // The model's own first reading is still there, as the runner-up.
    expect(lucheng.ocr.fields.name!.alternatives[3]!.slice(0, 2)).toEqual(['潞', '路']);
    expect(lucheng.ocr.lines.map((l) => l.text).join('')).not.toContain('路城区');
  });

  it('leave a branch’s missing capital empty instead of taking a neighbour’s value', () => {
    const branch = clean().find((c) => c.entity.expected.registeredCapitalWanYuan === null)!;
    expect(branch.ocr.fields.registeredCapital).toBeNull();
    expect(verdict(branch, 'registeredCapitalWanYuan')).toBe('match');
  });
});

describe('degraded licences', () => {
  const of = (name: string): Case[] => {
    const found = cases.filter((c) => c.cls.name === name);
    expect(found.length, name).toBeGreaterThan(0);
    return found;
  };

  // Phone photos and scans: turned up to 10°, out of focus, compressed.
  it.each(['rotate +3°', 'rotate −5°', 'rotate +10°', 'blur σ1.2', 'jpeg q30'])('%s: every field right', (name) => {
    for (const c of of(name)) {
      for (const field of ALL_FIELDS) expect(RIGHT.has(verdict(c, field)), `${c.entity.id} ${field}: ${c.comparison.fields.find((f) => f.field === field)!.message}`).toBe(true);
      expect(c.ocr.normalized.uscc).toBe(c.entity.expected.uscc);
    }
  });

  it('rotated: the deskew undoes the turn, and boxes are given in the uploaded image', async () => {
    for (const c of cases.filter((x) => x.cls.steps.some((s) => s.kind === 'rotate'))) {
      const turned = c.cls.steps.find((s) => s.kind === 'rotate')!;
      expect(turned.kind === 'rotate' && Math.abs(c.ocr.rotationDegrees + turned.degrees), c.cls.name).toBeLessThan(0.5);
      const { width, height } = await sharp(c.image).metadata();
      for (const l of c.ocr.lines) {
        for (const [x, y] of l.box) {
          expect(x).toBeGreaterThan(-20);
          expect(y).toBeGreaterThan(-20);
          expect(x).toBeLessThan(width! + 20);
          expect(y).toBeLessThan(height! + 20);
        }
      }
    }
  });

  it('JPEG input is accepted', () => {
    for (const c of of('jpeg q30')) expect([...c.image.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  // Text 15–20 px high: a character of a long name or address may drop out (the bench shows
  // which); the code, the capital and the date, short and checked, hold.
  it.each(['downscale 0.6', 'combined'])('%s: code, capital and date right, at most one other field wrong', (name) => {
    for (const c of of(name)) {
      for (const field of ['uscc', 'registeredCapitalWanYuan', 'establishedOn'] as const) {
        expect(verdict(c, field), `${c.entity.id} ${field}`).toBe('match');
      }
      expect(c.comparison.fields.filter((f) => !RIGHT.has(f.verdict)).length, c.entity.id).toBeLessThanOrEqual(1);
    }
  });

  it('jpeg q10 (heavy blocking artefacts): the code is still right and valid; other fields may slip', () => {
    for (const c of of('jpeg q10')) {
      expect(c.ocr.normalized.uscc, c.entity.id).toBe(c.entity.expected.uscc);
      expect(c.ocr.normalized.usccValid).toBe(true);
      expect(verdict(c, 'registeredCapitalWanYuan')).toBe('match');
      expect(verdict(c, 'establishedOn')).toBe('match');
    }
  });
});

describe('bad input', () => {
  // A second recognizer with small limits: its checks fail before any model is loaded.
  const strict = createLicenceRecognizer({ maxBytes: 200_000, maxPixels: 1_000_000, maxQueued: 2 });
  afterAll(async () => {
    await strict.close();
  });

  async function ruleOf(promise: Promise<unknown>): Promise<LicenceImageRule> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LicenceImageError);
    return (error as LicenceImageError).rule;
  }

  it('refuses a GIF, a WebP and random bytes with rule format', async () => {
    const gif = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#fff' } }).gif().toBuffer();
    const webp = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#fff' } }).webp().toBuffer();
    expect(await ruleOf(recognizer.recognize(gif))).toBe('format');
    expect(await ruleOf(recognizer.recognize(webp))).toBe('format');
    expect(await ruleOf(recognizer.recognize(Buffer.from('not an image at all')))).toBe('format');
    expect(await ruleOf(recognizer.recognize(Buffer.alloc(0)))).toBe('format');
  });

  it('refuses a PNG signature in front of other content', async () => {
    const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#fff' } }).jpeg().toBuffer();
    const fake = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), jpeg]);
    expect(['format', 'unreadable']).toContain(await ruleOf(recognizer.recognize(fake)));
  });

  it('refuses a truncated PNG and a truncated JPEG with rule unreadable', async () => {
    const png = cleanPngs.get(SAMPLE_ENTITIES[0]!.id)!;
    expect(await ruleOf(recognizer.recognize(png.subarray(0, Math.floor(png.length / 2))))).toBe('unreadable');
    const jpeg = await sharp(png).jpeg({ quality: 80 }).toBuffer();
    expect(await ruleOf(recognizer.recognize(jpeg.subarray(0, Math.floor(jpeg.length / 2))))).toBe('unreadable');
    // Only the signature and part of the header.
    expect(await ruleOf(recognizer.recognize(png.subarray(0, 20)))).toBe('unreadable');
  });

  it('refuses a 1×1 image and one whose shorter side is under 200 px with rule too_small', async () => {
    const tiny = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } }).png().toBuffer();
    expect(await ruleOf(recognizer.recognize(tiny))).toBe('too_small');
    const strip = await sharp({ create: { width: 1600, height: 199, channels: 3, background: '#fff' } }).png().toBuffer();
    expect(await ruleOf(recognizer.recognize(strip))).toBe('too_small');
  });

  it('refuses files over the byte limit and images over the pixel limit with rule too_large', async () => {
    expect(await ruleOf(strict.recognize(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(200_000)])))).toBe('too_large');
    // 1001 × 1000 is one row over a million pixels; the header says so before any decoding.
    const big = await sharp({ create: { width: 1001, height: 1000, channels: 3, background: '#fff' } }).png().toBuffer();
    expect(await ruleOf(strict.recognize(big))).toBe('too_large');
  });

  it('puts the limits’ boundaries where they say (exactly the maximum passes, one pixel more does not)', () => {
    const limits = { maxBytes: 1000, maxPixels: 1_000_000, minSide: 200 };
    expect(() => checkDimensions(1000, 1000, limits)).not.toThrow();
    expect(() => checkDimensions(1001, 1000, limits)).toThrow(expect.objectContaining({ rule: 'too_large' }));
    expect(() => checkDimensions(200, 300, limits)).not.toThrow();
    expect(() => checkDimensions(300, 199, limits)).toThrow(expect.objectContaining({ rule: 'too_small' }));
    const jpegOf = (n: number): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(n - 3)]);
    expect(checkImageBytes(jpegOf(1000), limits)).toBe('jpeg');
    expect(() => checkImageBytes(jpegOf(1001), limits)).toThrow(expect.objectContaining({ rule: 'too_large' }));
  });

  it('refuses more waiting images than maxQueued with LicenceOcrBusyError', async () => {
    const tiny = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } }).png().toBuffer();
    const outcomes = await Promise.allSettled([strict.recognize(tiny), strict.recognize(tiny), strict.recognize(tiny)]);
    const reasons = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).name : 'fulfilled'));
    expect(reasons).toEqual(['LicenceImageError', 'LicenceImageError', 'LicenceOcrBusyError']);
    // The queue empties again.
    expect(await ruleOf(strict.recognize(tiny))).toBe('too_small');
  });

  it('still reads licences after refusing bad files', async () => {
    const c = cases[0]!;
    const again = await recognizer.recognize(cleanPngs.get(c.entity.id)!);
    expect(again.normalized.uscc).toBe(c.entity.expected.uscc);
    expect(again.fields).toEqual(c.ocr.fields);
  });
});

/** CPU time (ms) of this process's main thread so far, from /proc (Linux only; clock ticks of 10 ms). */
function mainThreadCpuMs(): number {
  const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

describe('the caller’s event loop', () => {
  // Timer lag alone proves little on a shared 2-core machine (other processes delay timers too);
  // where the CPU time is spent does: inference on the main thread would put nearly all of the
  // process's CPU time there.
  it.runIf(fs.existsSync(`/proc/self/task/${process.pid}/stat`))('stays free while an image is read: the models run in a worker thread', async () => {
    const image = cleanPngs.get(SAMPLE_ENTITIES[1]!.id)!;
    let last = performance.now();
    let maxLag = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxLag = Math.max(maxLag, now - last - 10);
      last = now;
    }, 10);
    const started = performance.now();
    const mainBefore = mainThreadCpuMs();
    const processBefore = process.cpuUsage();
    const ocr = await recognizer.recognize(image);
    const used = process.cpuUsage(processBefore);
    const mainCpu = mainThreadCpuMs() - mainBefore;
    const elapsed = performance.now() - started;
    clearInterval(timer);
    const processCpu = (used.user + used.system) / 1000;
    console.log(
      `a ${Math.round(elapsed)} ms recognition: process CPU ${Math.round(processCpu)} ms, of it the main thread ${mainCpu} ms; max timer lag ${maxLag.toFixed(1)} ms`,
    );
    expect(ocr.normalized.usccValid).toBe(true);
    expect(processCpu).toBeGreaterThan(200);
    expect(mainCpu).toBeLessThan(processCpu * 0.1);
  });
});
