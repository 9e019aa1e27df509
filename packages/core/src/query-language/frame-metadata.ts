import { InvalidInputError } from '../errors.js';
import { VadImage } from '../image.js';
import type { VideoMetadata } from '../workflow/inputs.js';

export const frameMetadataProperties = ['frame_number', 'frame_timestamp', 'seconds_since_start'] as const;
export type FrameMetadataProperty = (typeof frameMetadataProperties)[number];

/**
 * What a still image (no video metadata) reads as, as in Roboflow: frame 0 at 30 fps, identified by
 * the image's id, stamped when first asked (once per image, so two steps of one run agree).
 */
const stillImages = new WeakMap<VadImage, VideoMetadata>();
function stillImageMetadata(image: VadImage): VideoMetadata {
  let metadata = stillImages.get(image);
  if (!metadata) {
    metadata = { video_identifier: image.id, frame_number: 0, frame_timestamp: new Date().toISOString(), fps: 30, measured_fps: null, comes_from_video_file: null };
    stillImages.set(image, metadata);
  }
  return metadata;
}

/** Roboflow's `ExtractFrameMetadata`: a property of the video frame an image is (`frame_timestamp` as ISO 8601). */
export function frameMetadataProperty(image: VadImage, property: FrameMetadataProperty, where: string): number | string {
  const metadata = image.videoMetadata ?? stillImageMetadata(image);
  if (property === 'frame_number') return metadata.frame_number;
  if (property === 'frame_timestamp') return metadata.frame_timestamp;
  if (!metadata.fps) throw new InvalidInputError({ message: `${where}: seconds_since_start needs the video's fps, and the frame metadata of image ${image.id} has none` });
  return (metadata.frame_number - 1) / metadata.fps;
}
