import type { PreprocessOptions } from '@vad/models';
import type { DecoderName } from './decoders/output-tensor.js';

export type InputPreset = Omit<PreprocessOptions, 'width' | 'height' | 'layout'> & {
  /** Where a letterboxed image sits: centred (default) or at the top-left (YOLOX). */
  position?: 'center' | 'top_left';
};

/** The preprocessing each family's official export expects (mean/std are given in RGB order). */
export const inputPresets: Record<DecoderName, InputPreset> = {
  // Ultralytics: RGB / 255, centred letterbox on grey 114.
  yolov8: { resize: 'letterbox', padColor: [114, 114, 114], channelOrder: 'rgb', normalization: 'unit' },
  yolov8_seg: { resize: 'letterbox', padColor: [114, 114, 114], channelOrder: 'rgb', normalization: 'unit' },
  yolov8_pose: { resize: 'letterbox', padColor: [114, 114, 114], channelOrder: 'rgb', normalization: 'unit' },
  yolov5: { resize: 'letterbox', padColor: [114, 114, 114], channelOrder: 'rgb', normalization: 'unit' },
  // YOLOX: BGR 0–255 unnormalised, image at the top-left, grey 114 padding at the right/bottom
  // (as it was trained; a centred letterbox loses the partly hidden horses in horses.jpg).
  yolox: { resize: 'letterbox', position: 'top_left', padColor: [114, 114, 114], channelOrder: 'bgr', normalization: 'raw' },
  // NanoDet: BGR with its mean/std on 0–255 values, black padding.
  nanodet: { resize: 'letterbox', padColor: [0, 0, 0], channelOrder: 'bgr', normalization: { mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], scale: 1 } },
  // RF-DETR / DETR: RGB, ImageNet mean/std, square resize.
  detr: { resize: 'stretch', channelOrder: 'rgb', normalization: 'imagenet' },
};
