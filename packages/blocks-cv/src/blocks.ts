import { defineBlock, field, InvalidInputError, kinds, z, type AnyBlock } from '@vad/core';
import { createBackgroundModel, type BackgroundModel } from './background-model.js';
import { blurImage, blurTypes } from './blur.js';
import { brennerFocus } from './camera-focus.js';
import { undistortImage } from './camera-calibration.js';
import { autoRotate, targetOrientations } from './auto-rotate.js';
import { detectContours } from './contours.js';
import { dominantColor } from './dominant-color.js';
import { maskEdgeSnap } from './mask-edge-snap.js';
import { motionRegions } from './motion.js';
import { imageLike } from './pixels.js';
import { toGrayscale } from './grayscale.js';
import { preprocessingBlocks } from './preprocessing-blocks.js';
import { countColorPixels, parseTargetColor } from './pixel-color-count.js';
import { thresholdImage, thresholdTypes } from './threshold.js';

const rgbColor = 'rgb_color';
const image = () => field.image({ aliases: ['images'], description: 'The input image' });

export const convertGrayscale = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/convert_grayscale@v1',
  aliases: ['roboflow_core/convert_grayscale@v1'],
  title: 'Image Convert Grayscale',
  description: 'Converts an image to grey with OpenCV’s weights and rounding (three equal bands: vad images are RGB).',
  manifest: { image: image() },
  outputs: { image: { kinds: [kinds.image] } },
  create: () => ({ async run({ image }) {
    return { image: await toGrayscale(image) };
  } }),
});

export const imageBlur = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/image_blur@v1',
  aliases: ['roboflow_core/image_blur@v1'],
  title: 'Image Blur',
  description: 'Blurs an image: average (box), gaussian, median (libvips) or bilateral, with OpenCV’s kernels.',
  manifest: {
    image: image(),
    blur_type: field.parameter(z.enum(blurTypes).default('gaussian'), [kinds.string], { description: 'average, gaussian, median or bilateral' }),
    kernel_size: field.parameter(z.number().int().min(1).max(255).default(5), [kinds.integer], { description: 'Kernel size (odd for gaussian and median)' }),
  },
  outputs: { image: { kinds: [kinds.image] } },
  create: ({ stepName }) => ({ async run({ image, blur_type, kernel_size }) {
    return { image: await blurImage(image, blur_type ?? 'gaussian', kernel_size ?? 5, { stepName }) };
  } }),
});

export const threshold = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/threshold@v1',
  aliases: ['roboflow_core/threshold@v1'],
  title: 'Image Threshold',
  description: 'Thresholds an image as OpenCV does: binary, binary_inv, trunc, tozero, tozero_inv, adaptive_mean, adaptive_gaussian (11 × 11, C = 2) or otsu.',
  manifest: {
    image: image(),
    threshold_type: field.parameter(z.enum(thresholdTypes).default('binary'), [kinds.string], { description: 'The kind of threshold' }),
    thresh_value: field.parameter(z.number(), [kinds.integer], { description: 'Threshold value (unused by the adaptive types and otsu)' }),
    max_value: field.parameter(z.number().default(255), [kinds.integer], { description: 'The value of the pixels that pass (binary, binary_inv, adaptive, otsu)' }),
  },
  outputs: { image: { kinds: [kinds.image] } },
  create: () => ({ async run({ image, threshold_type, thresh_value, max_value }) {
    return { image: await thresholdImage(image, threshold_type ?? 'binary', thresh_value, max_value ?? 255) };
  } }),
});

export const contoursDetection = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/contours_detection@v1',
  aliases: ['roboflow_core/contours_detection@v1'],
  title: 'Image Contours',
  description: 'Finds the outer contours of a thresholded image’s non-zero pixels (OpenCV’s RETR_EXTERNAL, CHAIN_APPROX_SIMPLE), counts them and draws them in magenta on the grey image.',
  manifest: {
    image: image(),
    line_thickness: field.parameter(z.number().int().default(3), [kinds.integer], { description: 'Line thickness of the drawn contours (negative: filled)' }),
    raw_image: field.image({ optional: true, description: 'Accepted and ignored, as Roboflow ignores it' }),
  },
  outputs: {
    image: { kinds: [kinds.image] },
    contours: { kinds: ['contours'] },
    hierarchy: { kinds: ['numpy_array'] },
    number_contours: { kinds: [kinds.integer] },
  },
  create: () => ({ async run({ image, line_thickness }) {
    return { ...(await detectContours(image, line_thickness ?? 3)) };
  } }),
});

export const cameraFocus = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/camera_focus@v1',
  aliases: ['roboflow_core/camera_focus@v1'],
  title: 'Camera Focus',
  description: 'Brenner’s focus measure (mean squared positive difference of pixels two apart); higher is sharper. Also returns the per-pixel measure as a picture.',
  manifest: { image: image() },
  outputs: { image: { kinds: [kinds.image] }, focus_measure: { kinds: [kinds.float] } },
  create: () => ({ async run({ image }) {
    return { ...(await brennerFocus(image)) };
  } }),
});

export const dominantColorBlock = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/dominant_color@v1',
  aliases: ['roboflow_core/dominant_color@v1'],
  title: 'Dominant Color',
  description: 'The most common colour of an image (RGB), by k-means over a subsample; deterministic (seeded).',
  manifest: {
    image: image(),
    color_clusters: field.parameter(z.number().int().gt(0).max(10).default(4), [kinds.integer], { description: 'Number of colour clusters (1–10)' }),
    max_iterations: field.parameter(z.number().int().gt(0).max(500).default(100), [kinds.integer], { description: 'Most k-means iterations (1–500)' }),
    target_size: field.parameter(z.number().int().gt(0).max(250).default(100), [kinds.integer], { description: 'Shorter side of the subsample, about (1–250)' }),
  },
  outputs: { rgb_color: { kinds: [rgbColor] } },
  create: () => ({ async run({ image, color_clusters, max_iterations, target_size }) {
    return { rgb_color: await dominantColor(image, color_clusters ?? 4, max_iterations ?? 100, target_size ?? 100) };
  } }),
});

export const pixelColorCount = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/pixel_color_count@v1',
  aliases: ['roboflow_core/pixel_color_count@v1'],
  title: 'Pixel Color Count',
  description: 'Counts the pixels within `tolerance` of a colour in every band (bounds inclusive).',
  manifest: {
    image: image(),
    target_color: field.parameter(z.union([z.string(), z.tuple([z.number().int(), z.number().int(), z.number().int()])]), [kinds.string, rgbColor], {
      description: "'#RRGGBB', '#RGB', '(R, G, B)' or [R, G, B]",
    }),
    tolerance: field.parameter(z.number().default(10), [kinds.integer], { description: 'Largest difference per band' }),
  },
  outputs: { matching_pixels_count: { kinds: [kinds.integer] } },
  create: ({ stepName }) => ({ async run({ image, target_color, tolerance }) {
    const target = parseTargetColor(target_color);
    if (!target) {
      throw new InvalidInputError({
        message: `step "${stepName}": target_color ${JSON.stringify(target_color)} is not a colour ('#RRGGBB', '#RGB', '(R, G, B)' or [R, G, B])`,
        stepName,
        property: 'target_color',
      });
    }
    return { matching_pixels_count: await countColorPixels(image, target, tolerance ?? 10) };
  } }),
});

const historyField = (description: string) => field.parameter(z.number().int().default(30), [kinds.integer], { description });
const varThresholdField = () =>
  field.parameter(z.number().default(16), [kinds.integer], { description: 'Squared Mahalanobis distance under which a pixel matches the background; smaller is more sensitive' });

export const backgroundSubtraction = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/background_subtraction@v1',
  aliases: ['roboflow_core/background_subtraction@v1'],
  title: 'Background Subtraction',
  description:
    'Per-stream MOG2 background model (OpenCV’s createBackgroundSubtractorMOG2 with shadow detection), updated once per frame in one ONNX graph; the image is the foreground mask (0 background, 127 shadow, 255 foreground).',
  manifest: {
    image: image(),
    threshold: varThresholdField(),
    history: historyField('Frames the background model remembers'),
  },
  outputs: { image: { kinds: [kinds.image] } },
  stateful: true,
  create: () => {
    let model: { history: number; threshold: number; model: BackgroundModel } | undefined;
    return {
      async run({ image, threshold, history }) {
        const options = { history: history ?? 30, threshold: threshold ?? 16 };
        // Roboflow makes a new subtractor when either parameter changes.
        if (!model || model.history !== options.history || model.threshold !== options.threshold) {
          model = { ...options, model: createBackgroundModel({ history: options.history, varThreshold: options.threshold }) };
        }
        const mask = await model.model.apply(image);
        return { image: imageLike(image, mask.data) };
      },
      reset() {
        model = undefined;
      },
    };
  },
});

const zonePoint = z.tuple([z.number(), z.number()]);

export const motionDetection = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/motion_detection@v1',
  aliases: ['roboflow_core/motion_detection@v1'],
  title: 'Motion Detection',
  description:
    'Background subtraction (MOG2, as background_subtraction), then opening, outer contours above a minimum area, optionally clipped to a zone: a motion flag, an alarm when motion starts, a "motion" box and a simplified outline per moving region.',
  manifest: {
    image: image(),
    minimum_contour_area: field.parameter(z.number().default(200), [kinds.integer], { description: 'Regions of this area (square pixels) or less are not motion' }),
    morphological_kernel_size: field.parameter(z.number().int().min(1).default(3), [kinds.integer], { description: 'Size of the elliptical element of the opening that removes specks' }),
    threshold: varThresholdField(),
    history: historyField('Frames the background model remembers'),
    detection_zone: field.parameter(z.union([z.array(zonePoint), z.string()]).optional(), ['zone', kinds.listOfValues], {
      description: 'Optional polygon [[x1, y1], [x2, y2], …] (or its JSON) that motion is clipped to',
    }),
    suppress_first_detections: field.parameter(z.boolean().default(true), [kinds.boolean], { description: 'Skip the first `history` frames (the model does not see them)' }),
  },
  outputs: {
    motion: { kinds: [kinds.boolean] },
    alarm: { kinds: [kinds.boolean] },
    detections: { kinds: [kinds.objectDetectionPrediction] },
    motion_zones: { kinds: [kinds.listOfValues] },
  },
  stateful: true,
  create: ({ stepName }) => {
    let model: BackgroundModel | undefined;
    let skipped = 0;
    let lastMotion = false;
    return {
      async run({ image, minimum_contour_area, morphological_kernel_size, threshold, history, detection_zone, suppress_first_detections }) {
        const zone = parseZone(detection_zone, stepName);
        const frames = history ?? 30;
        // As Roboflow: the model is made on the first frame and keeps that frame's threshold and history.
        model ??= createBackgroundModel({ history: frames, varThreshold: threshold ?? 16 });
        if ((suppress_first_detections ?? true) && skipped < frames) {
          skipped++;
          return { motion: false, alarm: false, detections: { image: { width: image.width, height: image.height }, predictions: [] }, motion_zones: [] };
        }
        const mask = await model.apply(image);
        const regions = await motionRegions(mask, image.id, {
          minimumContourArea: minimum_contour_area ?? 200,
          morphologicalKernelSize: morphological_kernel_size ?? 3,
          detectionZone: zone,
        });
        const alarm = !lastMotion && regions.motion;
        lastMotion = regions.motion;
        return { ...regions, alarm };
      },
      reset() {
        model = undefined;
        skipped = 0;
        lastMotion = false;
      },
    };
  },
});

function parseZone(zone: string | [number, number][] | undefined, stepName: string): [number, number][] | undefined {
  if (typeof zone !== 'string') return zone;
  let parsed: unknown;
  try {
    parsed = JSON.parse(zone);
  } catch (cause) {
    throw new InvalidInputError({ message: `step "${stepName}": detection_zone is not valid JSON`, stepName, property: 'detection_zone', cause });
  }
  const result = z.array(zonePoint).safeParse(parsed);
  if (!result.success) {
    throw new InvalidInputError({ message: `step "${stepName}": detection_zone must be a list of [x, y] points`, stepName, property: 'detection_zone' });
  }
  return result.data;
}

const lensField = (description: string) => field.parameter(z.number(), [kinds.float], { description });

export const cameraCalibration = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/camera_calibration@v1',
  aliases: ['roboflow_core/camera-calibration@v1'],
  title: 'Camera Calibration',
  description:
    'Removes lens distortion with OpenCV’s camera model (focal lengths fx, fy, centre cx, cy; radial k1, k2, k3; tangential p1, p2), as cv2.undistort with getOptimalNewCameraMatrix(alpha = 1): the whole source kept, same size, black where no source pixel lands. The map and the bilinear resampling run in an ONNX graph.',
  manifest: {
    image: image(),
    fx: lensField('Focal length along the x axis (pixels)'),
    fy: lensField('Focal length along the y axis (pixels)'),
    cx: lensField('Optical centre along the x axis (pixels)'),
    cy: lensField('Optical centre along the y axis (pixels)'),
    k1: lensField('Radial distortion coefficient k1'),
    k2: lensField('Radial distortion coefficient k2'),
    k3: lensField('Radial distortion coefficient k3'),
    p1: lensField('Tangential distortion coefficient p1'),
    p2: lensField('Tangential distortion coefficient p2'),
  },
  outputs: { calibrated_image: { kinds: [kinds.image] } },
  create: ({ stepName }) => ({ async run({ image, ...lens }) {
    for (const property of ['fx', 'fy'] as const) {
      if (!Number.isFinite(lens[property]) || lens[property] === 0) {
        throw new InvalidInputError({ message: `step "${stepName}": ${property} must be a non-zero focal length, got ${lens[property]}`, stepName, property });
      }
    }
    return { calibrated_image: await undistortImage(image, lens) };
  } }),
});

export const autoRotateOnEdges = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/auto_rotate_on_edges@v1',
  aliases: ['roboflow_core/auto_rotate_on_edges@v1'],
  title: 'Auto Rotate on Edges',
  description:
    'Deskews an image: the magnitude-weighted histogram of gradient orientations (Sobel, on a grey, CLAHE-enhanced, blurred working copy) gives the dominant edge direction, and the image is rotated (counter-clockwise positive, expanded canvas) so those edges become vertical, horizontal or whichever is nearer. Returns the image unchanged and angle 0 when there is nothing to align or the correction is out of range.',
  manifest: {
    image: image(),
    target_orientation: field.parameter(z.enum(targetOrientations).default('vertical'), [kinds.string], { description: 'vertical, horizontal or either (the nearer axis, at most 45°)' }),
    skip_below_degrees: field.parameter(z.number().default(0.4), [kinds.float], { description: 'Corrections smaller than this (degrees) are not applied' }),
    max_correction_degrees: field.parameter(z.number().default(90), [kinds.float], { description: 'Corrections larger than this (degrees) are not applied' }),
    internal_resolution: field.parameter(z.number().int().positive().default(1000), [kinds.integer], { description: 'Longest side of the working copy the angle is searched on' }),
  },
  outputs: { image: { kinds: [kinds.image] }, angle: { kinds: [kinds.float] } },
  create: ({ stepName }) => ({ async run({ image, target_orientation, skip_below_degrees, max_correction_degrees, internal_resolution }) {
    return autoRotate(
      image,
      { targetOrientation: target_orientation ?? 'vertical', skipBelowDegrees: skip_below_degrees ?? 0.4, maxCorrectionDegrees: max_correction_degrees ?? 90, internalResolution: internal_resolution ?? 1000 },
      { stepName },
    );
  } }),
});

/** Every block of this package. */
export function cvBlocks(): AnyBlock[] {
  return [convertGrayscale, imageBlur, threshold, contoursDetection, cameraFocus, dominantColorBlock, pixelColorCount, backgroundSubtraction, motionDetection, cameraCalibration, autoRotateOnEdges, maskEdgeSnap, ...preprocessingBlocks];
}
