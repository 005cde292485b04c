// Geometry of the text detector's output without OpenCV: connected regions of the probability
// map, their minimum-area rectangles, the DB "unclip" expansion, and cropping a rotated
// rectangle out of an RGB image into the recogniser's input. Pure functions on typed arrays.

export interface RotatedRect {
  cx: number;
  cy: number;
  /** Side along `angle` (the text direction). */
  width: number;
  height: number;
  /** Radians, image coordinates (y down): positive means the line runs down to the right. */
  angle: number;
}

export interface Region {
  rect: RotatedRect;
  /** Mean probability of the region's pixels (DB's box score). */
  score: number;
  pixels: number;
}

/**
 * Connected regions (8-neighbourhood) of `prob > threshold`. For each region only the leftmost
 * and rightmost pixel of every row are kept as hull candidates: the convex hull of those is the
 * hull of the whole region, at a fraction of the points.
 */
export function findRegions(prob: Float32Array, width: number, height: number, threshold: number, minPixels: number): Region[] {
  const labels = new Int32Array(width * height);
  const regions: Region[] = [];
  const stack: number[] = [];
  let next = 0;
  for (let start = 0; start < prob.length; start++) {
    if (labels[start] !== 0 || (prob[start] ?? 0) <= threshold) continue;
    next++;
    labels[start] = next;
    stack.push(start);
    let count = 0;
    let sum = 0;
    const rowMin = new Map<number, number>();
    const rowMax = new Map<number, number>();
    while (stack.length > 0) {
      const p = stack.pop()!;
      const y = (p / width) | 0;
      const x = p - y * width;
      count++;
      sum += prob[p] ?? 0;
      const lo = rowMin.get(y);
      if (lo === undefined || x < lo) rowMin.set(y, x);
      const hi = rowMax.get(y);
      if (hi === undefined || x > hi) rowMax.set(y, x);
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if ((dx === 0 && dy === 0) || nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (labels[q] === 0 && (prob[q] ?? 0) > threshold) {
            labels[q] = next;
            stack.push(q);
          }
        }
      }
    }
    if (count < minPixels) continue;
    // Pixel centres at +0.5; the outer corners of edge pixels are what bound the text.
    const points: [number, number][] = [];
    for (const [y, lo] of rowMin) {
      const hi = rowMax.get(y)!;
      points.push([lo, y], [lo, y + 1], [hi + 1, y], [hi + 1, y + 1]);
    }
    regions.push({ rect: minAreaRect(convexHull(points)), score: sum / count, pixels: count });
  }
  return regions;
}

/** Andrew's monotone chain; returns the hull counter-clockwise in a y-up sense, without repeats. */
export function convexHull(points: [number, number][]): [number, number][] {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts;
  const cross = (o: [number, number], a: [number, number], b: [number, number]): number =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: [number, number][] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: [number, number][] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/**
 * Minimum-area enclosing rectangle by rotating calipers: one side of the optimum lies on a hull
 * edge. The result's `width` runs along the angle closest to horizontal, in (−45°, 45°], which
 * is what horizontal licence text needs.
 */
export function minAreaRect(hull: [number, number][]): RotatedRect {
  if (hull.length === 0) return { cx: 0, cy: 0, width: 0, height: 0, angle: 0 };
  let best: RotatedRect | null = null;
  let bestArea = Infinity;
  const n = hull.length;
  for (let i = 0; i < n; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % n]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len === 0 && n > 1) continue;
    const ux = len === 0 ? 1 : (b[0] - a[0]) / len;
    const uy = len === 0 ? 0 : (b[1] - a[1]) / len;
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (const p of hull) {
      const u = p[0] * ux + p[1] * uy;
      const v = -p[0] * uy + p[1] * ux;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea) {
      bestArea = area;
      const cu = (minU + maxU) / 2;
      const cv = (minV + maxV) / 2;
      best = { cx: cu * ux - cv * uy, cy: cu * uy + cv * ux, width: maxU - minU, height: maxV - minV, angle: Math.atan2(uy, ux) };
    }
  }
  return normalizeRect(best!);
}

/** Same rectangle, described with its angle in (−π/4, π/4]. */
export function normalizeRect(r: RotatedRect): RotatedRect {
  let { width, height, angle } = r;
  // Bring the angle into (−π/2, π/2] first (a rectangle is symmetric under a half turn).
  while (angle > Math.PI / 2) angle -= Math.PI;
  while (angle <= -Math.PI / 2) angle += Math.PI;
  if (angle > Math.PI / 4) {
    angle -= Math.PI / 2;
    [width, height] = [height, width];
  } else if (angle <= -Math.PI / 4) {
    angle += Math.PI / 2;
    [width, height] = [height, width];
  }
  return { cx: r.cx, cy: r.cy, width, height, angle };
}

/** DB's unclip: grow the shrunk text kernel by area × ratio / perimeter on every side. */
export function unclip(r: RotatedRect, ratio: number): RotatedRect {
  const area = r.width * r.height;
  const perimeter = 2 * (r.width + r.height);
  const d = perimeter > 0 ? (area * ratio) / perimeter : 0;
  return { ...r, width: r.width + 2 * d, height: r.height + 2 * d };
}

/** Corners clockwise from top-left (in image coordinates). */
export function rectCorners(r: RotatedRect): [number, number][] {
  const cos = Math.cos(r.angle);
  const sin = Math.sin(r.angle);
  const hw = r.width / 2;
  const hh = r.height / 2;
  const corner = (u: number, v: number): [number, number] => [r.cx + u * cos - v * sin, r.cy + u * sin + v * cos];
  return [corner(-hw, -hh), corner(hw, -hh), corner(hw, hh), corner(-hw, hh)];
}

/**
 * Samples the rotated rectangle `r` of an RGB image into a `outWidth` × `outHeight` CHW float
 * tensor normalised to [−1, 1] (PaddleOCR's recogniser input). Each output pixel averages a
 * small grid of bilinear samples, which stands in for area resampling when a tall crop is
 * shrunk to 48 pixels (plain bilinear aliases thin strokes away).
 */
export function sampleRect(
  rgb: Uint8Array,
  width: number,
  height: number,
  r: RotatedRect,
  outWidth: number,
  outHeight: number,
): Float32Array {
  const out = new Float32Array(3 * outWidth * outHeight);
  const plane = outWidth * outHeight;
  const cos = Math.cos(r.angle);
  const sin = Math.sin(r.angle);
  const sx = r.width / outWidth;
  const sy = r.height / outHeight;
  // 1 sample per output pixel when enlarging, up to 3×3 when shrinking.
  const sub = Math.max(1, Math.min(3, Math.round(Math.max(sx, sy))));
  const x0 = r.cx - (r.width / 2) * cos + (r.height / 2) * sin;
  const y0 = r.cy - (r.width / 2) * sin - (r.height / 2) * cos;
  const maxX = width - 1;
  const maxY = height - 1;
  for (let v = 0; v < outHeight; v++) {
    for (let u = 0; u < outWidth; u++) {
      let acc0 = 0;
      let acc1 = 0;
      let acc2 = 0;
      for (let j = 0; j < sub; j++) {
        const fv = (v + (j + 0.5) / sub) * sy;
        for (let i = 0; i < sub; i++) {
          const fu = (u + (i + 0.5) / sub) * sx;
          let px = x0 + fu * cos - fv * sin - 0.5;
          let py = y0 + fu * sin + fv * cos - 0.5;
          if (px < 0) px = 0;
          else if (px > maxX) px = maxX;
          if (py < 0) py = 0;
          else if (py > maxY) py = maxY;
          const ix = Math.min(px | 0, maxX - 1 < 0 ? 0 : maxX - 1);
          const iy = Math.min(py | 0, maxY - 1 < 0 ? 0 : maxY - 1);
          const ax = Math.min(1, px - ix);
          const ay = Math.min(1, py - iy);
          const ix1 = Math.min(ix + 1, maxX);
          const iy1 = Math.min(iy + 1, maxY);
          const p00 = (iy * width + ix) * 3;
          const p10 = (iy * width + ix1) * 3;
          const p01 = (iy1 * width + ix) * 3;
          const p11 = (iy1 * width + ix1) * 3;
          const w00 = (1 - ax) * (1 - ay);
          const w10 = ax * (1 - ay);
          const w01 = (1 - ax) * ay;
          const w11 = ax * ay;
          acc0 += rgb[p00]! * w00 + rgb[p10]! * w10 + rgb[p01]! * w01 + rgb[p11]! * w11;
          acc1 += rgb[p00 + 1]! * w00 + rgb[p10 + 1]! * w10 + rgb[p01 + 1]! * w01 + rgb[p11 + 1]! * w11;
          acc2 += rgb[p00 + 2]! * w00 + rgb[p10 + 2]! * w10 + rgb[p01 + 2]! * w01 + rgb[p11 + 2]! * w11;
        }
      }
      const n = sub * sub * 127.5;
      const o = v * outWidth + u;
      // PaddleOCR feeds BGR (OpenCV order): channel 0 is blue.
      out[o] = acc2 / n - 1;
      out[plane + o] = acc1 / n - 1;
      out[2 * plane + o] = acc0 / n - 1;
    }
  }
  return out;
}
