// The limits of an uploaded image and the cheap checks made before it waits in the queue. Kept
// apart from the pipeline so that the main thread (licence-ocr.ts) checks uploads without
// loading onnxruntime and sharp, which only the worker needs.

import { LicenceImageError } from './licence-ocr.types.ts';

export interface ImageLimits {
  /** Bytes of the uploaded file. */
  maxBytes: number;
  /** Decoded width × height. */
  maxPixels: number;
  /** Shorter side, in pixels: below this no licence text can be read. */
  minSide: number;
}

export interface PipelineOptions {
  /** onnxruntime intra-op threads. */
  threads: number;
  /** Longer side of the detector's input. */
  detLongSide: number;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The cheap checks, done before an image waits in the queue: file size and PNG/JPEG signature. */
export function checkImageBytes(image: Buffer, limits: ImageLimits): 'png' | 'jpeg' {
  if (image.length > limits.maxBytes) {
    throw new LicenceImageError('too_large', `image is ${image.length} bytes, more than ${limits.maxBytes}`);
  }
  if (image.length >= 8 && PNG_MAGIC.every((b, i) => image[i] === b)) return 'png';
  if (image.length >= 3 && image[0] === 0xff && image[1] === 0xd8 && image[2] === 0xff) return 'jpeg';
  throw new LicenceImageError('format', 'image is neither PNG nor JPEG');
}

/** The pixel cap and the smallest readable size, from the header's dimensions. */
export function checkDimensions(width: number, height: number, limits: ImageLimits): void {
  if (width * height > limits.maxPixels) {
    throw new LicenceImageError('too_large', `image has ${width}×${height} pixels, more than ${limits.maxPixels}`);
  }
  if (Math.min(width, height) < limits.minSide) {
    throw new LicenceImageError('too_small', `image is ${width}×${height}, its shorter side is below ${limits.minSide}`);
  }
}

