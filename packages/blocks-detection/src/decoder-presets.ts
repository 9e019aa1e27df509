import type { DecoderName } from './decoders/output-tensor.js';
import type { DetectorInputOptions } from './detector-input.js';

export type InputPreset = Omit<DetectorInputOptions, 'width' | 'height'>;

const unit = { mean: [0, 0, 0], std: [255, 255, 255] } as const;
const imagenet = { mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] } as const;

/** The preprocessing each family's official export expects. */
export const inputPresets: Record<DecoderName, InputPreset> = {
  // Ultralytics: RGB / 255, centred letterbox on grey 114.
  yolov8: { resize: 'letterbox', position: 'center', padValue: 114, channelOrder: 'rgb', ...unit },
  yolov5: { resize: 'letterbox', position: 'center', padValue: 114, channelOrder: 'rgb', ...unit },
  // YOLOX: BGR 0–255 unnormalised, image at the top-left, grey 114 padding.
  yolox: { resize: 'letterbox', position: 'top_left', padValue: 114, channelOrder: 'bgr', mean: [0, 0, 0], std: [1, 1, 1] },
  // NanoDet: BGR with its mean/std (BGR order).
  nanodet: { resize: 'letterbox', position: 'center', padValue: 0, channelOrder: 'bgr', mean: [103.53, 116.28, 123.675], std: [57.375, 57.12, 58.395] },
  // RF-DETR / DETR: RGB, ImageNet mean/std, square resize.
  detr: { resize: 'stretch', position: 'center', padValue: 0, channelOrder: 'rgb', ...imagenet },
};
