import { InvalidInputError } from './errors.js';
import { encodedFormat, readImageSize } from './image-header.js';
import { hasImageMarker, imageMarker } from './image-marker.js';
import type { VideoMetadata } from './workflow/inputs.js';

/** Decoded pixels: interleaved 8-bit RGB, row-major. */
export interface RgbPixels {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 3;
}

/** Where an image came from: a slice or crop knows its parent and its offset in the parent. */
export interface ImageLineage {
  readonly parentId: string;
  readonly offsetX: number;
  readonly offsetY: number;
  readonly parentWidth: number;
  readonly parentHeight: number;
  /** For a crop of a crop: the same, for the first image of the chain (the workflow's input). */
  readonly root?: Omit<ImageLineage, 'root'>;
}

/** The lineage of a crop at (x, y) of an image with `lineage`: its parent, and the chain's first image. */
function cropLineage(parent: { id: string; width: number; height: number; lineage: ImageLineage | undefined }, x: number, y: number): ImageLineage {
  const direct = { parentId: parent.id, offsetX: x, offsetY: y, parentWidth: parent.width, parentHeight: parent.height };
  const above = parent.lineage?.root ?? parent.lineage;
  return above ? { ...direct, root: { ...above, offsetX: above.offsetX + x, offsetY: above.offsetY + y } } : direct;
}

/** The largest image vad decodes unless told otherwise (guards against decompression bombs). */
export const defaultMaxPixels = 64_000_000;

let nextId = 0;
const newImageId = () => `img_${process.pid.toString(36)}_${(nextId++).toString(36)}`;

type Sharp = typeof import('sharp');
let sharpModule: Promise<Sharp> | undefined;
/** sharp is imported only when pixels are needed, so core loads where no native module exists. */
export function loadSharp(): Promise<Sharp> {
  sharpModule ??= import('sharp').then(
    (module) => (module as unknown as { default: Sharp }).default ?? (module as unknown as Sharp),
    (cause) => {
      sharpModule = undefined;
      throw new InvalidInputError({ message: 'Decoding images needs the "sharp" package; install it beside @vad/core.', cause });
    },
  );
  return sharpModule;
}

/**
 * An image value in a workflow. Pixels are decoded lazily (once) and encoded bytes are kept
 * when the image came from bytes, so passing an image through costs nothing.
 */
export class VadImage {
  readonly [imageMarker] = true;
  readonly kind = 'image' as const;
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly lineage: ImageLineage | undefined;
  /**
   * The video frame this image is (Roboflow's `WorkflowImageData.video_metadata`), set by whoever
   * read it from a stream (the jetson-runner; the engine for runs with a stream id). Undefined for a
   * still image; crops do not inherit it (as Roboflow's crops do not by default).
   */
  readonly videoMetadata: VideoMetadata | undefined;
  #bytes: Uint8Array | undefined;
  #pixels: Promise<RgbPixels> | undefined;
  /** What the image is to a person (e.g. `input "image"`), for the error when its bytes do not decode. */
  #name: string | undefined;

  private constructor(options: {
    id?: string;
    width: number;
    height: number;
    bytes?: Uint8Array;
    pixels?: RgbPixels | Promise<RgbPixels>;
    lineage?: ImageLineage;
    name?: string;
    videoMetadata?: VideoMetadata;
  }) {
    this.id = options.id ?? newImageId();
    this.width = options.width;
    this.height = options.height;
    this.lineage = options.lineage;
    this.videoMetadata = options.videoMetadata;
    this.#bytes = options.bytes;
    this.#name = options.name;
    if (options.pixels) this.#pixels = Promise.resolve(options.pixels);
  }

  static isImage(value: unknown): value is VadImage {
    return hasImageMarker(value);
  }

  /** An image from encoded bytes (JPEG, PNG, WebP, TIFF, …); reads only the header now (in JS for PNG and JPEG). */
  static async fromBytes(bytes: Uint8Array, options: { id?: string; name?: string; maxPixels?: number; videoMetadata?: VideoMetadata } = {}): Promise<VadImage> {
    const what = options.name ?? 'image';
    let size = readImageSize(bytes);
    if (!size) {
      const sharp = await loadSharp();
      try {
        const metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
        size = { width: metadata.autoOrient?.width ?? metadata.width, height: metadata.autoOrient?.height ?? metadata.height };
      } catch (cause) {
        throw new InvalidInputError({ message: `${what} is not a decodable image (${(cause as Error).message})`, property: options.name, cause });
      }
    }
    const { width, height } = size;
    if (!width || !height) throw new InvalidInputError({ message: `${what} has no size in its header`, property: options.name });
    const maxPixels = options.maxPixels ?? defaultMaxPixels;
    if (width * height > maxPixels) {
      throw new InvalidInputError({ message: `${what} is ${width}×${height} = ${width * height} pixels, over the limit of ${maxPixels}`, property: options.name });
    }
    return new VadImage({ id: options.id, width, height, bytes, name: options.name, videoMetadata: options.videoMetadata });
  }

  /** An image from RGB pixels; `lineage` ties a slice or crop to its parent. */
  static fromPixels(pixels: { data: Uint8Array; width: number; height: number }, options: { id?: string; lineage?: ImageLineage; videoMetadata?: VideoMetadata } = {}): VadImage {
    const { data, width, height } = pixels;
    if (data.length !== width * height * 3) {
      throw new InvalidInputError({ message: `RGB pixel buffer has ${data.length} bytes, expected ${width}×${height}×3 = ${width * height * 3}` });
    }
    return new VadImage({ id: options.id, width, height, pixels: { data, width, height, channels: 3 }, lineage: options.lineage, videoMetadata: options.videoMetadata });
  }

  /**
   * The same image with new pixels of its size (a drawing on it): id, lineage and video metadata kept,
   * as Roboflow's visualizations keep the parent metadata, so slices of the original still belong to it.
   */
  withPixels(pixels: { data: Uint8Array; width: number; height: number }): VadImage {
    if (pixels.width !== this.width || pixels.height !== this.height) {
      throw new RangeError(`withPixels: ${pixels.width}×${pixels.height} pixels for a ${this.width}×${this.height} image`);
    }
    return VadImage.fromPixels(pixels, { id: this.id, lineage: this.lineage, videoMetadata: this.videoMetadata });
  }

  /** The same image (id, pixels, bytes, lineage) as the frame `videoMetadata` of a video. */
  withVideoMetadata(videoMetadata: VideoMetadata): VadImage {
    return new VadImage({ id: this.id, width: this.width, height: this.height, bytes: this.#bytes, pixels: this.#pixels, lineage: this.lineage, name: this.#name, videoMetadata });
  }

  /** Decoded RGB pixels (EXIF orientation applied, alpha flattened onto black, gray expanded). */
  pixels(): Promise<RgbPixels> {
    this.#pixels ??= (async () => {
      const sharp = await loadSharp();
      try {
        const { data, info } = await sharp(this.#bytes!, { limitInputPixels: false, failOn: 'error' })
          .autoOrient()
          .removeAlpha()
          .toColourspace('srgb')
          .raw()
          .toBuffer({ resolveWithObject: true });
        if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
        return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: 3 as const };
      } catch (cause) {
        this.#pixels = undefined;
        throw new InvalidInputError({ message: `${this.#name ?? `image ${this.id}`} could not be decoded (${(cause as Error).message})`, cause });
      }
    })();
    return this.#pixels;
  }

  /** Encoded bytes. The original bytes are returned when the format matches and nothing changed. */
  async encode(format: 'jpeg' | 'png' = 'jpeg', options: { quality?: number } = {}): Promise<Buffer> {
    if (this.#bytes && encodedFormat(this.#bytes) === format) return Buffer.from(this.#bytes);
    const sharp = await loadSharp();
    const { data, width, height } = await this.pixels();
    const pipeline = sharp(data, { raw: { width, height, channels: 3 } });
    return format === 'png' ? pipeline.png({ compressionLevel: 6 }).toBuffer() : pipeline.jpeg({ quality: options.quality ?? 90 }).toBuffer();
  }

  /** A crop of this image that remembers where it came from. */
  async crop(region: { x: number; y: number; width: number; height: number }, options: { id?: string } = {}): Promise<VadImage> {
    const x = Math.max(0, Math.round(region.x));
    const y = Math.max(0, Math.round(region.y));
    const width = Math.min(this.width - x, Math.round(region.width));
    const height = Math.min(this.height - y, Math.round(region.height));
    if (width <= 0 || height <= 0) {
      throw new InvalidInputError({ message: `crop ${JSON.stringify(region)} lies outside the ${this.width}×${this.height} image ${this.id}` });
    }
    const { data } = await this.pixels();
    const out = new Uint8Array(width * height * 3);
    const rowBytes = width * 3;
    for (let row = 0; row < height; row++) {
      const start = ((y + row) * this.width + x) * 3;
      out.set(data.subarray(start, start + rowBytes), row * rowBytes);
    }
    return VadImage.fromPixels(
      { data: out, width, height },
      { id: options.id, lineage: cropLineage(this, x, y) },
    );
  }
}
